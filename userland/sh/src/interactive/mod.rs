//! The interactive shell: job control setup, the prompt, line editing
//! with history, and the read-run loop.

use crate::input::Next;
use crate::shell::Shell;
use crate::syntax::Parser;

/// Whether stdin and stderr are terminals (what makes a shell interactive).
pub fn stdin_is_terminal() -> bool {
    wasmux_sys::termios::isatty(std::io::stdin()) && wasmux_sys::termios::isatty(std::io::stderr())
}

impl Shell {
    /// Takes the terminal: the shell leads its own process group in the
    /// foreground, ignores the job-control signals and catches ^C.
    pub fn start_interactive(&mut self) {
        self.traps.interactive();
        self.options.monitor = true;
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

    /// Saves the history file (nothing yet without the editor).
    pub fn save_history(&mut self) {}

    /// Reads, runs, repeats, until end of input or `exit`.
    pub fn interactive_loop(&mut self) -> i32 {
        let mut pending = String::new();
        loop {
            self.notify_jobs();
            let _ = self.run_pending_traps();
            let prompt = if pending.is_empty() {
                self.var("PS1").unwrap_or("$ ").to_string()
            } else {
                self.var("PS2").unwrap_or("> ").to_string()
            };
            let _ = self.fds.write(2, prompt.as_bytes());
            let Some(line) = self.read_input_line() else {
                let _ = self.fds.write(2, b"exit\n");
                return self.status;
            };
            pending.push_str(&line);
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
            if let Err(error) = &outcome
                && error.incomplete
            {
                continue;
            }
            pending.clear();
            for list in &lists {
                if let Next::Exit(status) = self.run_top(list) {
                    return status;
                }
            }
            if let Err(error) = outcome {
                self.syntax_error(&error);
            }
        }
    }
}
