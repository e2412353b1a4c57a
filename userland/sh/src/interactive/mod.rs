//! The interactive shell: job control on the terminal, the prompt, line
//! editing with history (kept in ~/.sh_history), and the read-run loop.

mod line;
pub mod prompt;

use std::io::Write;

use line::Input;

use crate::editor::Editor;
use crate::editor::history::History;
use crate::input::Next;
use crate::shell::Shell;
use crate::syntax::Parser;

/// Whether stdin and stderr are terminals (what makes a shell interactive).
pub fn stdin_is_terminal() -> bool {
    wasmux_sys::termios::isatty(std::io::stdin()) && wasmux_sys::termios::isatty(std::io::stderr())
}

impl Shell {
    /// Takes the terminal: the shell leads its own process group in the
    /// foreground, ignores the job-control signals and catches ^C; loads
    /// the history.
    pub fn start_interactive(&mut self) {
        self.traps.interactive();
        self.options.monitor = true;
        let history = self
            .history_path()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .map(|text| History::from_text(&text))
            .unwrap_or_default();
        self.editor = Some(Editor::new(history));
        let stdin = std::io::stdin();
        let Ok(modes) = wasmux_sys::termios::tcgetattr(&stdin) else {
            return;
        };
        let pid = wasmux_sys::getpid();
        if wasmux_sys::getpgrp() != pid {
            let _ = wasmux_sys::setpgid(0, 0);
        }
        let pgid = wasmux_sys::getpgrp();
        let _ = wasmux_sys::termios::tcsetpgrp(&stdin, pgid);
        self.terminal = Some(crate::jobs::Terminal { fd: 0, pgid, modes });
    }

    /// ~/.sh_history (or $HISTFILE).
    fn history_path(&self) -> Option<String> {
        if let Some(file) = self.var("HISTFILE") {
            return Some(file.to_string());
        }
        self.var("HOME")
            .filter(|home| !home.is_empty())
            .map(|home| format!("{}/.sh_history", home.trim_end_matches('/')))
    }

    /// Adds a command to the history and appends it to the history file.
    fn remember(&mut self, command: &str) {
        let command = command.trim_end_matches('\n');
        let added = self
            .editor
            .as_mut()
            .is_some_and(|editor| editor.history_mut().add(command));
        if !added {
            return;
        }
        if let Some(path) = self.history_path()
            && let Ok(mut file) = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(path)
        {
            let _ = file.write_all(format!("{command}\n").as_bytes());
        }
    }

    /// The history file is written as commands are entered: nothing is
    /// left to save at exit.
    pub fn save_history(&mut self) {}

    /// Reads, runs, repeats, until end of input or `exit`.
    pub fn interactive_loop(&mut self) -> i32 {
        let mut pending = String::new();
        let mut warned_stopped = false;
        loop {
            self.notify_jobs();
            let _ = self.run_pending_traps();
            let _ = crate::traps::take_interrupt();
            let number = self
                .editor
                .as_ref()
                .map_or(0, |editor| editor.history().len())
                + 1;
            let prompt = if pending.is_empty() {
                let default = if wasmux_sys::getids().euid == 0 {
                    "# "
                } else {
                    "$ "
                };
                self.prompt("PS1", default, number)
            } else {
                self.prompt("PS2", "> ", number)
            };
            let line = match self.read_line(&prompt) {
                Input::Line(line) => line,
                Input::Cancelled => {
                    pending.clear();
                    self.status = 130;
                    continue;
                }
                Input::Eof => {
                    if !pending.is_empty() {
                        pending.clear();
                        continue;
                    }
                    if self.options.ignoreeof {
                        let _ = self.fds.write(2, b"Use \"exit\" to leave the shell.\n");
                        continue;
                    }
                    if self.has_stopped_jobs() && !warned_stopped {
                        warned_stopped = true;
                        let _ = self.fds.write(2, b"There are stopped jobs.\n");
                        continue;
                    }
                    let _ = self.fds.write(2, b"exit\n");
                    return self.status;
                }
            };
            pending.push_str(&line);
            pending.push('\n');
            let mut parser = Parser::new(&pending, Some(&self.aliases));
            parser.set_partial(true);
            let mut lists = Vec::new();
            let outcome = loop {
                match parser.next_command() {
                    Ok(Some(list)) => lists.push(list),
                    Ok(None) => break Ok(()),
                    Err(error) => break Err(error),
                }
            };
            if outcome.as_ref().is_err_and(|error| error.incomplete) {
                continue;
            }
            let command = std::mem::take(&mut pending);
            self.remember(&command);
            for list in &lists {
                if let Next::Exit(status) = self.run_top(list) {
                    if self.has_stopped_jobs() && !warned_stopped {
                        warned_stopped = true;
                        let _ = self.fds.write(2, b"There are stopped jobs.\n");
                        break;
                    }
                    return status;
                }
            }
            if let Err(error) = outcome {
                self.syntax_error(&error);
            }
        }
    }

    fn has_stopped_jobs(&self) -> bool {
        self.jobs.ids().iter().any(|&id| {
            self.jobs
                .get(id)
                .is_some_and(|job| matches!(job.state(), crate::jobs::State::Stopped(_)))
        })
    }
}
