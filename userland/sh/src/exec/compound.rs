//! Compound commands: groups, subshells, if, loops, for, case.

use super::{Flow, Run};
use crate::expand::{expand_pattern, expand_string, expand_words};
use crate::shell::Shell;
use crate::syntax::ast::{CaseArm, Compound, List, Redirect, Word};

/// What a loop does after a `break`/`continue` came out of its body.
enum After {
    Next,
    Stop,
}

impl Shell {
    pub fn run_compound(&mut self, compound: &Compound, redirects: &[Redirect]) -> Run {
        if redirects.is_empty() {
            return self.run_compound_here(compound);
        }
        let mut fds = self.fds.clone();
        if let Err(error) = self.apply_redirects(&mut fds, redirects) {
            return self.fail(&error.message, 1, error.fatal);
        }
        self.with_fds(Some(fds), |shell| shell.run_compound_here(compound))
    }

    fn run_compound_here(&mut self, compound: &Compound) -> Run {
        match compound {
            Compound::Group(list) => self.run_list(list),
            Compound::Subshell(list) => {
                self.in_subshell(|shell| shell.run_list(list));
                Ok(())
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                for (condition, body) in branches {
                    self.run_condition(condition)?;
                    if self.status == 0 {
                        return self.run_list(body);
                    }
                }
                match otherwise {
                    Some(body) => self.run_list(body),
                    None => {
                        self.status = 0;
                        Ok(())
                    }
                }
            }
            Compound::Loop {
                until,
                condition,
                body,
            } => self.run_loop(*until, condition, body),
            Compound::For {
                variable,
                words,
                body,
            } => self.run_for(variable, words.as_deref(), body),
            Compound::Case { subject, arms } => self.run_case(subject, arms),
        }
    }

    /// Runs a loop body; `Ok(After)` says whether the loop goes on.
    fn loop_body(&mut self, body: &List) -> Result<After, Flow> {
        self.loop_depth += 1;
        let result = self.run_list(body);
        self.loop_depth -= 1;
        match result {
            Ok(()) | Err(Flow::Continue(1)) => Ok(After::Next),
            Err(Flow::Break(1)) => Ok(After::Stop),
            Err(Flow::Break(n)) => Err(Flow::Break(n - 1)),
            Err(Flow::Continue(n)) => Err(Flow::Continue(n - 1)),
            Err(flow) => Err(flow),
        }
    }

    fn run_loop(&mut self, until: bool, condition: &List, body: &List) -> Run {
        let mut status = 0;
        loop {
            self.check_signals()?;
            self.loop_depth += 1;
            let result = self.run_condition(condition);
            self.loop_depth -= 1;
            match result {
                Ok(()) => {}
                Err(Flow::Break(1)) => break,
                Err(Flow::Continue(1)) => continue,
                Err(Flow::Break(n)) => return Err(Flow::Break(n - 1)),
                Err(Flow::Continue(n)) => return Err(Flow::Continue(n - 1)),
                Err(flow) => return Err(flow),
            }
            if (self.status == 0) == until {
                break;
            }
            let after = self.loop_body(body)?;
            status = self.status;
            if let After::Stop = after {
                break;
            }
        }
        self.status = status;
        Ok(())
    }

    fn run_for(&mut self, variable: &str, words: Option<&[Word]>, body: &List) -> Run {
        let values = match words {
            Some(words) => match expand_words(self, words) {
                Ok(values) => values,
                Err(error) => return self.expansion_failed(error),
            },
            None => self.positional.clone(),
        };
        self.status = 0;
        for value in values {
            self.check_signals()?;
            if let Err(message) = self.set_var(variable, value) {
                return self.fail(&message, 1, true);
            }
            if let After::Stop = self.loop_body(body)? {
                break;
            }
        }
        Ok(())
    }

    fn run_case(&mut self, subject: &Word, arms: &[CaseArm]) -> Run {
        let subject = match expand_string(self, &subject.parts) {
            Ok(subject) => subject,
            Err(error) => return self.expansion_failed(error),
        };
        for arm in arms {
            for pattern in &arm.patterns {
                let pattern = match expand_pattern(self, &pattern.parts) {
                    Ok(pattern) => pattern,
                    Err(error) => return self.expansion_failed(error),
                };
                if pattern.matches(&subject) {
                    self.status = 0;
                    return self.run_list(&arm.body);
                }
            }
        }
        self.status = 0;
        Ok(())
    }
}
