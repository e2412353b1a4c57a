//! Canonical line editing: VERASE, VWERASE, VKILL and VREPRINT, with the
//! echo that keeps the screen in step with the line.

use wasmux_uapi::termios::{ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, IUTF8, Termios};

use crate::discipline::{Erase, LineDiscipline};
use crate::output::{is_continuation, is_control, next_tab_stop};

/// Characters VWERASE treats as part of a word (Linux: alphanumerics and `_`).
fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl LineDiscipline {
    /// Erases from the end of the line being edited: one character, one
    /// word (trailing separators, then word characters), or the whole
    /// line. Never reaches into lines already completed.
    pub(crate) fn erase(&mut self, termios: &Termios, kind: Erase, typed: u8, echo: &mut Vec<u8>) {
        if self.line.is_empty() {
            return;
        }
        let echoing = termios.lflag(ECHO);
        if kind == Erase::Line && !(echoing && termios.lflag(ECHOK | ECHOKE | ECHOE)) {
            // No visual erase: show the kill character, then a newline under ECHOK.
            self.line.clear();
            if echoing {
                self.echo_char(termios, typed, echo);
                if termios.lflag(ECHOK) {
                    self.echo_raw(termios, b"\n", echo);
                }
            }
            return;
        }
        let mut seen_word = false;
        while let Some(start) = self.last_char_start(termios) {
            let lead = self.line.get(start).copied().unwrap_or(0);
            if kind == Erase::Word {
                if is_word(lead) {
                    seen_word = true;
                } else if seen_word {
                    break;
                }
            }
            self.line.truncate(start);
            if echoing {
                self.echo_erasure(termios, kind, typed, lead, echo);
            }
            if kind == Erase::Char {
                break;
            }
        }
    }

    /// Where the last character of the line starts: under IUTF8 a
    /// multi-byte character is one character.
    fn last_char_start(&self, termios: &Termios) -> Option<usize> {
        let mut start = self.line.len().checked_sub(1)?;
        if termios.iflag(IUTF8) {
            while start > 0 && self.line.get(start).copied().is_some_and(is_continuation) {
                start -= 1;
            }
        }
        Some(start)
    }

    /// Echo for one erased character whose first byte is `lead`.
    fn echo_erasure(
        &mut self,
        termios: &Termios,
        kind: Erase,
        typed: u8,
        lead: u8,
        echo: &mut Vec<u8>,
    ) {
        if kind == Erase::Char && !termios.lflag(ECHOE) {
            self.echo_char(termios, typed, echo);
        } else if lead == b'\t' {
            // Back over the cells the tab filled, computed from where the line started.
            let column = self.column_after_line(termios);
            let width = next_tab_stop(column).saturating_sub(column);
            for _ in 0..width {
                self.echo_raw(termios, b"\x08", echo);
            }
        } else if is_control(lead) {
            // Shown as two cells (^X) under ECHOCTL, as none otherwise.
            if termios.lflag(ECHOCTL) {
                self.echo_raw(termios, b"\x08 \x08\x08 \x08", echo);
            }
        } else {
            self.echo_raw(termios, b"\x08 \x08", echo);
        }
    }

    /// The column the echo of the current line ends at.
    fn column_after_line(&self, termios: &Termios) -> u32 {
        self.line
            .iter()
            .fold(self.line_column, |column, &byte| match byte {
                b'\t' => next_tab_stop(column),
                _ if is_control(byte) && termios.lflag(ECHOCTL) => column.saturating_add(2),
                _ if is_control(byte) => column,
                _ if termios.iflag(IUTF8) && is_continuation(byte) => column,
                _ => column.saturating_add(1),
            })
    }

    /// VREPRINT: shows the reprint character, a newline, then the line.
    pub(crate) fn reprint(&mut self, termios: &Termios, typed: u8, echo: &mut Vec<u8>) {
        self.echo_char(termios, typed, echo);
        self.echo_raw(termios, b"\n", echo);
        self.line_column = self.output.column();
        let line = std::mem::take(&mut self.line);
        for &byte in &line {
            self.echo_char(termios, byte, echo);
        }
        self.line = line;
    }
}
