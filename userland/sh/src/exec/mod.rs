//! Running syntax trees: lists, and-or lists, pipelines, simple and
//! compound commands.
//!
//! Everything runs in this process except programs, which are spawned.
//! Where POSIX wants a subshell the shell either runs the commands here
//! and undoes their effects afterwards (`( )`, `$( )`: [`Shell::in_subshell`])
//! or, where they must run beside others (a pipeline stage, `&`), spawns
//! a child shell given the state it needs as a script (`child.rs`).

mod child;
mod compound;
mod launch;
mod path;
mod pipeline;
pub mod redirect;
mod simple;
mod subshell;

use crate::shell::Shell;
use crate::syntax::ast::{AndOr, Connector, List, Pipeline};

pub use path::Resolved;
pub use simple::Prepared;

/// How control leaves a command other than by finishing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// `break n` (n ≥ 1 loops still to leave).
    Break(usize),
    /// `continue n`.
    Continue(usize),
    /// `return` (the status is in `$?`).
    Return,
    /// `exit`, `set -e`, a fatal error: the shell (or subshell) ends with this status.
    Exit(i32),
    /// ^C in an interactive shell: back to the prompt.
    Interrupt,
}

/// A command's outcome: normal completion (status in `$?`) or a [`Flow`].
pub type Run = Result<(), Flow>;

impl Shell {
    pub fn run_list(&mut self, list: &List) -> Run {
        for item in &list.items {
            if item.background {
                self.run_background(&item.and_or)?;
            } else {
                self.run_and_or(&item.and_or)?;
            }
            self.check_signals()?;
        }
        Ok(())
    }

    fn run_and_or(&mut self, and_or: &AndOr) -> Run {
        let last = and_or.rest.len();
        self.run_checked(&and_or.first, last > 0)?;
        for (index, (connector, pipeline)) in and_or.rest.iter().enumerate() {
            let run = match connector {
                Connector::And => self.status == 0,
                Connector::Or => self.status != 0,
            };
            if run {
                self.run_checked(pipeline, index + 1 < last)?;
            }
        }
        Ok(())
    }

    /// Runs a pipeline, then applies `set -e` unless `exempt` (a
    /// non-final part of an and-or list) or it is negated.
    fn run_checked(&mut self, pipeline: &Pipeline, exempt: bool) -> Run {
        if exempt {
            self.condition_depth += 1;
        }
        let result = self.run_pipeline(pipeline);
        if exempt {
            self.condition_depth -= 1;
        }
        result?;
        if !exempt && !pipeline.negated {
            self.check_errexit()?;
        }
        Ok(())
    }

    /// `set -e`: a failed command outside a condition ends the shell.
    pub fn check_errexit(&mut self) -> Run {
        if self.status != 0 && self.options.errexit && self.condition_depth == 0 {
            return Err(Flow::Exit(self.status));
        }
        Ok(())
    }

    /// Runs a list as a condition (`if`, `while`): `set -e` does not apply.
    pub fn run_condition(&mut self, list: &List) -> Run {
        self.condition_depth += 1;
        let result = self.run_list(list);
        self.condition_depth -= 1;
        result
    }

    /// Between commands: traps whose signals came, and ^C.
    pub fn check_signals(&mut self) -> Run {
        self.run_pending_traps()
    }

    /// Reports a failure to run a command; a non-interactive shell exits
    /// when POSIX says it must (`fatal`).
    pub fn fail(&mut self, message: &str, status: i32, fatal: bool) -> Run {
        self.error(message);
        self.status = status;
        if fatal && !self.interactive {
            return Err(Flow::Exit(status));
        }
        Ok(())
    }
}
