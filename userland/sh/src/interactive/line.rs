//! Reading a line on the terminal with the editor: raw mode while typing
//! (the shell's saved modes back before anything runs), keys decoded and
//! fed to the editor, its output written to stderr, Tab completion from
//! builtins, functions, aliases, PATH and the file system.

use std::io::{Read, Write};

use wasmux_sys::termios::{self, When};

use crate::editor::Action;
use crate::editor::complete::{Completion, complete, current_word};
use crate::editor::keys::Decoder;
use crate::shell::Shell;

/// What reading a line gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// ^C: the line was abandoned.
    Cancelled,
    /// ^D on an empty line, or the terminal went away.
    Eof,
}

fn write_terminal(text: &str) {
    if !text.is_empty() {
        let mut stderr = std::io::stderr();
        let _ = stderr.write_all(text.as_bytes());
        let _ = stderr.flush();
    }
}

fn columns() -> usize {
    termios::window_size(std::io::stdin())
        .map(|size| usize::from(size.cols))
        .ok()
        .filter(|&cols| cols > 0)
        .unwrap_or(80)
}

impl Shell {
    /// Reads a line with editing and history. Without a terminal, shows
    /// the prompt and reads a plain line.
    pub fn read_line(&mut self, prompt: &str) -> Input {
        let (Some(terminal), Some(mut editor)) = (self.terminal.clone(), self.editor.take()) else {
            let _ = self.fds.write(2, prompt.as_bytes());
            return match self.read_input_line() {
                Some(line) => Input::Line(line.trim_end_matches('\n').to_string()),
                None => Input::Eof,
            };
        };
        let stdin = std::io::stdin();
        let raw = termios::make_raw(&terminal.modes);
        let _ = termios::tcsetattr(&stdin, When::Now, &raw);
        editor.begin(prompt, columns());
        write_terminal(&editor.take_output());
        let mut decoder = Decoder::default();
        let mut chunk = [0u8; 256];
        let input = 'reading: loop {
            let count = match stdin.lock().read(&mut chunk) {
                Ok(0) => break Input::Eof,
                Ok(count) => count,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break Input::Eof,
            };
            for key in decoder.feed_all(&chunk[..count]) {
                editor.set_columns(columns());
                let action = editor.feed(key);
                if action == Action::Complete {
                    let completion = self.completion(&editor.buffer().before_cursor());
                    editor.complete(completion);
                }
                write_terminal(&editor.take_output());
                match action {
                    Action::Submit(line) => break 'reading Input::Line(line),
                    Action::Cancel => break 'reading Input::Cancelled,
                    Action::Eof => break 'reading Input::Eof,
                    Action::Continue | Action::Complete => {}
                }
            }
        };
        let _ = termios::tcsetattr(&stdin, When::Now, &terminal.modes);
        self.editor = Some(editor);
        input
    }

    /// Completes the word before the cursor.
    fn completion(&mut self, before: &str) -> Completion {
        let (_, word, command) = current_word(before);
        let mut candidates = Vec::new();
        if command {
            candidates.extend(
                crate::builtins::TABLE
                    .iter()
                    .map(|entry| entry.name.to_string())
                    .filter(|name| !name.starts_with("__")),
            );
            candidates.extend(self.functions.keys().cloned());
            candidates.extend(self.aliases.keys().cloned());
            let path = self.var("PATH").unwrap_or_default().to_string();
            for dir in path.split(':') {
                if let Ok(entries) = std::fs::read_dir(if dir.is_empty() { "." } else { dir }) {
                    candidates.extend(
                        entries
                            .filter_map(Result::ok)
                            .map(|entry| entry.file_name().to_string_lossy().into_owned())
                            .filter(|name| name.starts_with(&word)),
                    );
                }
            }
        } else {
            candidates = self.file_candidates(&word);
        }
        complete(&word, &candidates)
    }

    /// Paths that start with `word`, directories with a `/`.
    fn file_candidates(&self, word: &str) -> Vec<String> {
        let (dir, prefix) = match word.rfind('/') {
            Some(at) => (&word[..=at], &word[at + 1..]),
            None => ("", word),
        };
        let expanded_dir = match dir.strip_prefix('~') {
            Some(rest) => format!("{}{rest}", self.var("HOME").unwrap_or("")),
            None => dir.to_string(),
        };
        let listing = if expanded_dir.is_empty() {
            "."
        } else {
            &expanded_dir
        };
        let Ok(entries) = std::fs::read_dir(listing) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.'))
                {
                    return None;
                }
                let is_dir =
                    std::fs::metadata(format!("{listing}/{name}")).is_ok_and(|m| m.is_dir());
                Some(format!("{dir}{name}{}", if is_dir { "/" } else { "" }))
            })
            .collect()
    }
}
