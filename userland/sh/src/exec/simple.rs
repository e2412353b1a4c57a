//! Simple commands: expansion, assignments, redirections, and running a
//! builtin, a function or a program.

use std::rc::Rc;

use super::path::Resolved;
use super::{Flow, Run};
use crate::builtins::Entry;
use crate::expand::{ExpandError, expand_string, expand_words};
use crate::shell::Shell;
use crate::shell::fds::FdTable;
use crate::syntax::ast::{FunctionDef, SimpleCommand};
use crate::util::quote;

/// A simple command expanded, with its redirections applied to `fds`.
#[derive(Debug)]
pub struct Prepared {
    pub argv: Vec<String>,
    pub assignments: Vec<(String, String)>,
    pub fds: FdTable,
    /// Whether it had redirections (else `fds` is the shell's table).
    pub redirected: bool,
}

impl Shell {
    /// Reports an expansion error; a fatal one ends a non-interactive shell.
    pub fn expansion_failed(&mut self, error: ExpandError) -> Run {
        self.fail(&error.message, 1, error.fatal)
    }

    /// Expands `command` and applies its redirections to `fds`. `None`
    /// when that failed (reported, `$?` set).
    pub fn prepare(
        &mut self,
        command: &SimpleCommand,
        mut fds: FdTable,
    ) -> Result<Option<Prepared>, Flow> {
        self.substitution_status = None;
        let argv = match expand_words(self, &command.words) {
            Ok(argv) => argv,
            Err(error) => return self.expansion_failed(error).map(|()| None),
        };
        if let Err(error) = self.apply_redirects(&mut fds, &command.redirects) {
            return self.fail(&error.message, 1, error.fatal).map(|()| None);
        }
        let mut assignments = Vec::new();
        for assignment in &command.assignments {
            match expand_string(self, &assignment.value.parts) {
                Ok(value) => assignments.push((assignment.name.clone(), value)),
                Err(error) => return self.expansion_failed(error).map(|()| None),
            }
        }
        if self.options.xtrace {
            self.trace(&assignments, &argv);
        }
        Ok(Some(Prepared {
            argv,
            assignments,
            fds,
            redirected: !command.redirects.is_empty(),
        }))
    }

    /// `set -x`: the command as it runs, after PS4.
    fn trace(&self, assignments: &[(String, String)], argv: &[String]) {
        let mut line = self.var("PS4").unwrap_or("+ ").to_string();
        let mut words: Vec<String> = assignments
            .iter()
            .map(|(name, value)| format!("{name}={}", quote(value)))
            .collect();
        words.extend(argv.iter().map(|arg| quote(arg)));
        line.push_str(&words.join(" "));
        line.push('\n');
        let _ = self.fds.write(2, line.as_bytes());
    }

    pub fn run_simple(&mut self, command: &SimpleCommand) -> Run {
        let Some(prepared) = self.prepare(command, self.fds.clone())? else {
            return Ok(());
        };
        if prepared.argv.is_empty() {
            return self.assign_only(prepared.assignments);
        }
        if prepared.argv.len() == 1 && prepared.argv[0] == "exec" {
            // `exec` with only redirections: they stay for the shell.
            self.fds = prepared.fds;
            return self.assign_only(prepared.assignments);
        }
        let resolved = self.resolve(&prepared.argv[0]);
        self.dispatch(prepared, resolved)
    }

    /// Assignments without a command: they change the shell's variables.
    fn assign_only(&mut self, assignments: Vec<(String, String)>) -> Run {
        for (name, value) in assignments {
            if let Err(message) = self.set_var(&name, value) {
                return self.fail(&message, 1, true);
            }
        }
        self.status = self.substitution_status.unwrap_or(0);
        Ok(())
    }

    /// Runs a prepared command as `resolved` says.
    pub fn dispatch(&mut self, prepared: Prepared, resolved: Resolved) -> Run {
        let Prepared {
            argv,
            assignments,
            fds,
            redirected,
        } = prepared;
        let fds = redirected.then_some(fds);
        match resolved {
            Resolved::Special(entry) => {
                for (name, value) in assignments {
                    if let Err(message) = self.set_var(&name, value) {
                        return self.fail(&message, 1, true);
                    }
                }
                self.run_builtin(entry, &argv, fds)
            }
            Resolved::Builtin(entry) => {
                self.with_assignments(&assignments, |shell| shell.run_builtin(entry, &argv, fds))
            }
            Resolved::Function(function) => self.with_assignments(&assignments, |shell| {
                shell.with_fds(fds, |shell| shell.call_function(&function, &argv))
            }),
            Resolved::External(path) => {
                let fds = fds.unwrap_or_else(|| self.fds.clone());
                self.run_program(path, argv, &assignments, fds)
            }
            Resolved::NotFound => self.with_fds(fds, |shell| shell.not_found(&argv[0])),
        }
    }

    pub fn not_found(&mut self, name: &str) -> Run {
        self.fail(&format!("{name}: not found"), 127, false)
    }

    /// Runs `body` with `fds` as the shell's table (when given), then puts
    /// the table back.
    pub fn with_fds(&mut self, fds: Option<FdTable>, body: impl FnOnce(&mut Shell) -> Run) -> Run {
        match fds {
            None => body(self),
            Some(fds) => {
                let saved = std::mem::replace(&mut self.fds, fds);
                let result = body(self);
                self.fds = saved;
                result
            }
        }
    }

    pub fn run_builtin(&mut self, entry: &Entry, argv: &[String], fds: Option<FdTable>) -> Run {
        self.with_fds(fds, |shell| {
            let status = (entry.run)(shell, argv)?;
            shell.status = status;
            Ok(())
        })
    }

    /// Variables set for one command, exported to what it runs, then put back.
    pub fn with_assignments(
        &mut self,
        assignments: &[(String, String)],
        body: impl FnOnce(&mut Shell) -> Run,
    ) -> Run {
        if assignments.is_empty() {
            return body(self);
        }
        let saved: Vec<_> = assignments
            .iter()
            .map(|(name, _)| (name.clone(), self.vars.var(name).cloned()))
            .collect();
        let mut result = Ok(());
        for (name, value) in assignments {
            if let Err(message) = self
                .set_var(name, value.clone())
                .and_then(|()| self.vars.export(name, None))
            {
                result = self.fail(&message, 1, true);
                break;
            }
        }
        if result.is_ok() {
            result = body(self);
        }
        for (name, var) in saved.into_iter().rev() {
            if name == "PATH" {
                self.path_cache.clear();
            }
            self.vars.restore(&name, var);
        }
        result
    }

    /// Calls a function with `argv[1..]` as its positional parameters.
    pub fn call_function(&mut self, function: &Rc<FunctionDef>, argv: &[String]) -> Run {
        if self.function_depth >= 1000 {
            return self.fail(
                &format!("{}: maximum function nesting level exceeded", argv[0]),
                1,
                false,
            );
        }
        let saved = std::mem::replace(&mut self.positional, argv[1..].to_vec());
        self.function_depth += 1;
        self.locals.push(Vec::new());
        let result = self.run_compound(&function.body, &function.redirects);
        if let Some(frame) = self.locals.pop() {
            for (name, var) in frame.into_iter().rev() {
                self.vars.restore(&name, var);
            }
        }
        self.function_depth -= 1;
        self.positional = saved;
        match result {
            Err(Flow::Return) => Ok(()),
            other => other,
        }
    }
}
