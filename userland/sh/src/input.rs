//! Running commands from a text (`-c`, a script) or from a non-terminal
//! stdin, one complete command at a time: a later syntax error does not
//! stop the commands before it, and `alias` applies to the lines after it.

use crate::exec::Flow;
use crate::shell::Shell;
use crate::syntax::{ParseError, Parser};

/// What to do after running one complete command.
#[derive(Debug)]
pub enum Next {
    Continue,
    Exit(i32),
}

impl Shell {
    /// Runs one parsed complete command at the top level.
    pub fn run_top(&mut self, list: &crate::syntax::ast::List) -> Next {
        if self.options.verbose {
            let text = crate::syntax::print::source(list);
            let _ = self.fds.write(2, text.as_bytes());
        }
        if self.options.noexec {
            return Next::Continue;
        }
        match self.run_list(list) {
            Ok(()) | Err(Flow::Break(_) | Flow::Continue(_) | Flow::Return) => Next::Continue,
            Err(Flow::Exit(status)) => Next::Exit(status),
            Err(Flow::Interrupt) => {
                self.status = 130;
                Next::Continue
            }
        }
    }

    /// Reports a syntax error; a non-interactive shell then exits with 2.
    pub fn syntax_error(&mut self, error: &ParseError) -> Next {
        self.line = error.line;
        self.error(&error.message);
        self.status = 2;
        if self.interactive {
            Next::Continue
        } else {
            Next::Exit(2)
        }
    }

    /// Runs a whole text (`sh -c`, a script); returns the exit status.
    pub fn run_text(&mut self, text: &str) -> i32 {
        let mut parser = Parser::new(text, None);
        loop {
            parser.set_aliases(&self.aliases);
            let next = match parser.next_command() {
                Ok(Some(list)) => self.run_top(&list),
                Ok(None) => return self.status,
                Err(error) => self.syntax_error(&error),
            };
            if let Next::Exit(status) = next {
                return status;
            }
        }
    }

    /// Reads one line from fd 0, a byte at a time so that what follows is
    /// left for the commands. `None` at end of input.
    pub fn read_input_line(&self) -> Option<String> {
        let mut bytes = Vec::new();
        loop {
            match self.fds.read_byte(0) {
                Ok(Some(byte)) => {
                    bytes.push(byte);
                    if byte == b'\n' {
                        break;
                    }
                }
                Ok(None) | Err(_) => {
                    if bytes.is_empty() {
                        return None;
                    }
                    break;
                }
            }
        }
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Commands from a stdin that is not a terminal.
    pub fn run_stdin(&mut self) -> i32 {
        let mut pending = String::new();
        loop {
            let line = self.read_input_line();
            let finished = line.is_none();
            if let Some(line) = line {
                pending.push_str(&line);
            }
            if pending.is_empty() && finished {
                return self.status;
            }
            let mut parser = Parser::new(&pending, Some(&self.aliases));
            parser.set_partial(!finished);
            let mut lists = Vec::new();
            let outcome = loop {
                match parser.next_command() {
                    Ok(Some(list)) => lists.push(list),
                    Ok(None) => break Ok(()),
                    Err(error) => break Err(error),
                }
            };
            match outcome {
                Err(error) if error.incomplete && !finished => continue,
                outcome => {
                    pending.clear();
                    for list in &lists {
                        if let Next::Exit(status) = self.run_top(list) {
                            return status;
                        }
                    }
                    if let Err(error) = outcome
                        && let Next::Exit(status) = self.syntax_error(&error)
                    {
                        return status;
                    }
                }
            }
            if finished {
                return self.status;
            }
        }
    }
}
