//! The interactive line editor: keys in, terminal output and an action
//! out. It knows nothing of terminals or files: the shell feeds it keys
//! read in raw mode and writes what it returns (`interactive/`), so every
//! behaviour is tested here by feeding keys and checking the buffer.
//!
//! Emacs-style keys as bash's: arrows, Home/End, ^A ^E ^B ^F, ^U ^K ^W
//! ^Y, Alt-b/f/d/Backspace, ^T, Backspace/Delete, ^P/^N and Up/Down
//! through history (the line being typed is kept), ^C abandons the line,
//! ^D on an empty line is end of input, ^L clears the screen, Tab asks
//! the shell to complete.

pub mod buffer;
pub mod complete;
pub mod history;
pub mod keys;
pub mod render;

use buffer::Buffer;
use complete::Completion;
use history::History;
use keys::Key;

/// What the shell does after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Continue,
    /// Enter: the line (without a newline).
    Submit(String),
    /// ^C: the line was abandoned.
    Cancel,
    /// ^D on an empty line.
    Eof,
    /// Tab: complete the word before the cursor.
    Complete,
}

#[derive(Debug, Default)]
pub struct Editor {
    buffer: Buffer,
    history: History,
    /// The history entry shown, while browsing.
    browsing: Option<usize>,
    /// The line typed before browsing started.
    draft: String,
    /// What ^U, ^K, ^W removed last, for ^Y.
    kill: String,
    prompt: String,
    columns: usize,
    /// The cursor's row below the prompt's first row.
    row: usize,
    output: String,
}

impl Editor {
    pub fn new(history: History) -> Editor {
        Editor {
            history,
            columns: 80,
            ..Editor::default()
        }
    }

    /// Starts a line: shows `prompt` on a terminal `columns` wide.
    pub fn begin(&mut self, prompt: &str, columns: usize) {
        self.buffer = Buffer::default();
        self.browsing = None;
        self.draft.clear();
        self.prompt = prompt.to_string();
        self.columns = columns.max(1);
        self.row = 0;
        self.redraw();
    }

    /// The terminal's width changed.
    pub fn set_columns(&mut self, columns: usize) {
        self.columns = columns.max(1);
    }

    pub fn buffer(&self) -> &Buffer {
        &self.buffer
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn history_mut(&mut self) -> &mut History {
        &mut self.history
    }

    /// The bytes to write to the terminal since the last call.
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.output)
    }

    fn redraw(&mut self) {
        let (text, row) = render::redraw(
            &self.prompt,
            self.buffer.chars(),
            self.buffer.cursor(),
            self.columns,
            self.row,
        );
        self.output.push_str(&text);
        self.row = row;
    }

    /// Leaves the cursor after the line, on a new row.
    fn finish_line(&mut self) {
        if self.buffer.cursor() != self.buffer.chars().len() {
            self.buffer.end();
            self.redraw();
        }
        if render::fills_row(&self.prompt, self.buffer.chars(), self.columns) {
            self.output.push('\r');
        } else {
            self.output.push_str("\r\n");
        }
        self.row = 0;
    }

    fn show_history(&mut self, index: Option<usize>) {
        let text = match index {
            Some(index) => self.history.get(index).unwrap_or("").to_string(),
            None => self.draft.clone(),
        };
        self.browsing = index;
        self.buffer.set(&text);
    }

    fn previous(&mut self) {
        let index = match self.browsing {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.buffer.text();
                self.history.len() - 1
            }
            Some(0) => return,
            Some(index) => index - 1,
        };
        self.show_history(Some(index));
    }

    fn next(&mut self) {
        match self.browsing {
            None => {}
            Some(index) if index + 1 < self.history.len() => self.show_history(Some(index + 1)),
            Some(_) => self.show_history(None),
        }
    }

    /// Handles one key.
    pub fn feed(&mut self, key: Key) -> Action {
        match key {
            Key::Char(c) => {
                // Typing at the end of a line with room left on its row:
                // the character alone is the whole update.
                let at_end = self.buffer.cursor() == self.buffer.chars().len();
                self.buffer.insert(c);
                if at_end && render::fits_after(&self.prompt, self.buffer.chars(), self.columns) {
                    self.output.push(c);
                    return Action::Continue;
                }
            }
            Key::Enter => {
                self.finish_line();
                let line = self.buffer.text();
                self.browsing = None;
                return Action::Submit(line);
            }
            Key::Tab => return Action::Complete,
            Key::Backspace | Key::Ctrl('h') => {
                self.buffer.backspace();
            }
            Key::Delete => {
                self.buffer.delete();
            }
            Key::Left | Key::Ctrl('b') => {
                self.buffer.left();
            }
            Key::Right | Key::Ctrl('f') => {
                self.buffer.right();
            }
            Key::Home | Key::Ctrl('a') => self.buffer.home(),
            Key::End | Key::Ctrl('e') => self.buffer.end(),
            Key::WordLeft => self.buffer.word_left(),
            Key::WordRight => self.buffer.word_right(),
            Key::Up | Key::Ctrl('p') => self.previous(),
            Key::Down | Key::Ctrl('n') => self.next(),
            Key::Ctrl('u') => self.kill = self.buffer.kill_to_start(),
            Key::Ctrl('k') => self.kill = self.buffer.kill_to_end(),
            Key::Ctrl('w') => self.kill = self.buffer.rubout_big_word(),
            Key::WordRubout => self.kill = self.buffer.rubout_word(),
            Key::WordDelete => self.kill = self.buffer.delete_word(),
            Key::Ctrl('y') => {
                let kill = self.kill.clone();
                self.buffer.insert_str(&kill);
            }
            Key::Ctrl('t') => self.buffer.transpose(),
            Key::Ctrl('c') => {
                self.buffer.end();
                self.redraw();
                self.output.push_str("^C\r\n");
                self.row = 0;
                return Action::Cancel;
            }
            Key::Ctrl('d') => {
                if self.buffer.is_empty() {
                    self.output.push_str("\r\n");
                    self.row = 0;
                    return Action::Eof;
                }
                self.buffer.delete();
            }
            Key::Ctrl('l') => {
                self.output.push_str("\x1b[H\x1b[2J");
                self.row = 0;
            }
            Key::Ctrl(_) | Key::Unknown => return Action::Continue,
        }
        self.redraw();
        Action::Continue
    }

    /// Applies a completion of the word before the cursor: inserts what it
    /// adds, or lists the candidates under the line and redraws.
    pub fn complete(&mut self, completion: Completion) {
        match completion {
            Completion::Insert(text) => {
                self.buffer.insert_str(&text);
                self.redraw();
            }
            Completion::List(candidates) => {
                let cursor = self.buffer.cursor();
                self.buffer.end();
                self.redraw();
                self.output.push_str("\r\n");
                self.output.push_str(&columns(&candidates, self.columns));
                self.row = 0;
                while self.buffer.cursor() > cursor {
                    self.buffer.left();
                }
                self.redraw();
            }
            Completion::Nothing => self.output.push('\x07'),
        }
    }
}

/// Candidates laid out in columns, rows ending in CRLF.
fn columns(words: &[String], width: usize) -> String {
    let cell = words
        .iter()
        .map(|word| render::width(word))
        .max()
        .unwrap_or(0)
        + 2;
    let per_row = (width / cell.max(1)).max(1);
    let mut out = String::new();
    for row in words.chunks(per_row) {
        let cells: Vec<String> = row
            .iter()
            .map(|word| format!("{word}{}", " ".repeat(cell - render::width(word))))
            .collect();
        out.push_str(cells.concat().trim_end());
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use keys::Decoder;

    /// An editor with `history`, after typing `bytes`; returns the last action.
    fn type_bytes(editor: &mut Editor, bytes: &[u8]) -> Action {
        let mut action = Action::Continue;
        for key in Decoder::default().feed_all(bytes) {
            action = editor.feed(key);
        }
        action
    }

    fn editor(history: &[&str]) -> Editor {
        let mut history_list = History::default();
        for line in history {
            history_list.add(line);
        }
        let mut editor = Editor::new(history_list);
        editor.begin("$ ", 80);
        editor.take_output();
        editor
    }

    #[test]
    fn typing_and_enter_submit_the_line() {
        let mut editor = editor(&[]);
        assert_eq!(
            type_bytes(&mut editor, b"echo hi\r"),
            Action::Submit("echo hi".into())
        );
        assert!(editor.take_output().ends_with("\r\n"));
    }

    #[test]
    fn cursor_keys_edit_in_the_middle() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, b"echo world\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D");
        type_bytes(&mut editor, b"hello ");
        assert_eq!(editor.buffer().text(), "echo hello world");
        type_bytes(&mut editor, b"\x01X\x05Y");
        assert_eq!(editor.buffer().text(), "Xecho hello worldY");
        type_bytes(&mut editor, b"\x1b[H\x1b[3~\x1b[F\x7f");
        assert_eq!(editor.buffer().text(), "echo hello world");
    }

    #[test]
    fn kills_and_yank() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, b"ls -l /tmp\x17");
        assert_eq!(editor.buffer().text(), "ls -l ");
        type_bytes(&mut editor, b"\x19");
        assert_eq!(editor.buffer().text(), "ls -l /tmp");
        type_bytes(&mut editor, b"\x1b[D\x1b[D\x0b");
        assert_eq!(editor.buffer().text(), "ls -l /t");
        type_bytes(&mut editor, b"\x15");
        assert_eq!(editor.buffer().text(), "");
    }

    #[test]
    fn history_browsing_keeps_the_draft() {
        let mut editor = editor(&["first", "second"]);
        type_bytes(&mut editor, b"dra");
        type_bytes(&mut editor, b"\x1b[A");
        assert_eq!(editor.buffer().text(), "second");
        type_bytes(&mut editor, b"\x1b[A\x1b[A");
        assert_eq!(editor.buffer().text(), "first");
        type_bytes(&mut editor, b"\x1b[B\x1b[B");
        assert_eq!(editor.buffer().text(), "dra");
        type_bytes(&mut editor, b"\x10!");
        assert_eq!(editor.buffer().text(), "second!");
    }

    #[test]
    fn control_c_and_d() {
        let mut editor = editor(&[]);
        assert_eq!(type_bytes(&mut editor, b"abc\x03"), Action::Cancel);
        assert!(editor.take_output().ends_with("abc^C\r\n"));
        editor.begin("$ ", 80);
        assert_eq!(type_bytes(&mut editor, b"ab\x01\x04"), Action::Continue);
        assert_eq!(editor.buffer().text(), "b");
        editor.begin("$ ", 80);
        assert_eq!(type_bytes(&mut editor, b"\x04"), Action::Eof);
    }

    #[test]
    fn typing_at_the_end_writes_just_the_characters() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, b"ls");
        assert_eq!(editor.take_output(), "ls");
        type_bytes(&mut editor, b"\x01x");
        assert!(editor.take_output().ends_with("\r\x1b[J$ xls\r\x1b[3C"));
        editor.begin("$ ", 6);
        editor.take_output();
        type_bytes(&mut editor, b"abc");
        assert_eq!(editor.take_output(), "abc");
        type_bytes(&mut editor, b"d");
        assert_ne!(
            editor.take_output(),
            "d",
            "the row is full: a redraw moves on"
        );
    }

    #[test]
    fn control_l_clears_and_redraws() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, b"ls");
        editor.take_output();
        type_bytes(&mut editor, b"\x0c");
        assert_eq!(editor.take_output(), "\x1b[H\x1b[2J\r\x1b[J$ ls");
    }

    #[test]
    fn utf8_cursor_movement() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, "naïve日本".as_bytes());
        type_bytes(&mut editor, b"\x1b[D\x1b[D\x7f");
        assert_eq!(editor.buffer().text(), "naïv日本");
        editor.take_output();
        type_bytes(&mut editor, b"\x1b[C");
        // "$ " + "naïv" + "日" = 2 + 4 + 2 columns.
        assert!(editor.take_output().ends_with("\r\x1b[8C"));
    }

    #[test]
    fn completion_inserts_or_lists() {
        let mut editor = editor(&[]);
        type_bytes(&mut editor, b"ec");
        assert_eq!(type_bytes(&mut editor, b"\t"), Action::Complete);
        editor.complete(Completion::Insert("ho ".into()));
        assert_eq!(editor.buffer().text(), "echo ");
        editor.take_output();
        editor.complete(Completion::List(vec!["a1".into(), "a2".into()]));
        let output = editor.take_output();
        assert!(output.contains("a1  a2\r\n"), "{output:?}");
        assert_eq!(editor.buffer().text(), "echo ");
    }
}
