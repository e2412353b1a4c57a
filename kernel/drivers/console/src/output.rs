//! Output processing (`c_oflag`): what a program's bytes and the echo become
//! on the way to the terminal, and the cursor column that tab expansion and
//! erasing need.

use wasmux_uapi::termios::{
    IUTF8, OCRNL, OLCUC, ONLCR, ONLRET, ONOCR, OPOST, TABDLY, Termios, XTABS,
};

/// Whether a byte is an ASCII control character (C0 or DEL).
pub(crate) fn is_control(byte: u8) -> bool {
    byte < 0x20 || byte == 0x7f
}

/// Whether a byte continues a UTF-8 sequence (`10xxxxxx`).
pub(crate) fn is_continuation(byte: u8) -> bool {
    byte & 0xc0 == 0x80
}

/// The column after a tab typed at `column`: the next multiple of 8.
pub(crate) fn next_tab_stop(column: u32) -> u32 {
    (column | 7).saturating_add(1)
}

/// The terminal's cursor column as the bytes sent to it imply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputState {
    column: u32,
}

impl OutputState {
    /// The column the next byte lands in (0 = left margin).
    pub fn column(&self) -> u32 {
        self.column
    }

    /// Appends to `out` what `bytes` become under `termios`, following
    /// Linux: with OPOST, ONLCR turns `\n` into `\r\n`, OCRNL `\r` into
    /// `\n`, ONOCR drops a `\r` at column 0, ONLRET makes `\n` return the
    /// carriage, OLCUC upper-cases, XTABS expands tabs to spaces. Without
    /// OPOST the bytes pass unchanged (the column is still tracked).
    pub fn process(&mut self, termios: &Termios, bytes: &[u8], out: &mut Vec<u8>) {
        if !termios.oflag(OPOST) {
            for &byte in bytes {
                self.advance(termios, byte);
            }
            out.extend_from_slice(bytes);
            return;
        }
        for &byte in bytes {
            self.process_byte(termios, byte, out);
        }
    }

    fn process_byte(&mut self, termios: &Termios, byte: u8, out: &mut Vec<u8>) {
        match byte {
            b'\n' => {
                if termios.oflag(ONLRET) {
                    self.column = 0;
                }
                if termios.oflag(ONLCR) {
                    self.column = 0;
                    out.extend_from_slice(b"\r\n");
                    return;
                }
                out.push(b'\n');
            }
            b'\r' => {
                if termios.oflag(ONOCR) && self.column == 0 {
                    return;
                }
                if termios.oflag(OCRNL) {
                    if termios.oflag(ONLRET) {
                        self.column = 0;
                    }
                    out.push(b'\n');
                    return;
                }
                self.column = 0;
                out.push(b'\r');
            }
            b'\t' => {
                let stop = next_tab_stop(self.column);
                if termios.c_oflag & TABDLY == XTABS {
                    let spaces = stop.saturating_sub(self.column);
                    out.extend(std::iter::repeat_n(b' ', spaces as usize));
                } else {
                    out.push(b'\t');
                }
                self.column = stop;
            }
            _ => {
                let byte = if termios.oflag(OLCUC) {
                    byte.to_ascii_uppercase()
                } else {
                    byte
                };
                self.advance(termios, byte);
                out.push(byte);
            }
        }
    }

    /// Moves the column past one byte sent unchanged.
    fn advance(&mut self, termios: &Termios, byte: u8) {
        match byte {
            b'\r' | b'\n' if byte == b'\r' || termios.oflag(ONLRET) => self.column = 0,
            b'\t' => self.column = next_tab_stop(self.column),
            0x08 => self.column = self.column.saturating_sub(1),
            _ if is_control(byte) => {}
            _ if termios.iflag(IUTF8) && is_continuation(byte) => {}
            _ => self.column = self.column.saturating_add(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(termios: &Termios, state: &mut OutputState, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        state.process(termios, bytes, &mut out);
        out
    }

    #[test]
    fn onlcr_turns_newline_into_crlf() {
        let mut state = OutputState::default();
        assert_eq!(run(&Termios::sane(), &mut state, b"a\nb\n"), b"a\r\nb\r\n");
        assert_eq!(state.column(), 0);
    }

    #[test]
    fn without_opost_bytes_pass_unchanged() {
        let mut termios = Termios::sane();
        termios.c_oflag &= !OPOST;
        let mut state = OutputState::default();
        assert_eq!(run(&termios, &mut state, b"ab\n\t"), b"ab\n\t");
        assert_eq!(state.column(), 8);
    }

    #[test]
    fn xtabs_expands_tabs_to_the_next_stop() {
        let mut termios = Termios::sane();
        termios.c_oflag |= XTABS;
        let mut state = OutputState::default();
        assert_eq!(run(&termios, &mut state, b"abc\t|"), b"abc     |");
        assert_eq!(state.column(), 9);
    }

    #[test]
    fn ocrnl_onocr_and_olcuc_follow_linux() {
        let mut termios = Termios::sane();
        termios.c_oflag |= ONOCR | OLCUC;
        let mut state = OutputState::default();
        assert_eq!(run(&termios, &mut state, b"\rab\r"), b"AB\r");
        termios.c_oflag |= OCRNL;
        assert_eq!(run(&termios, &mut state, b"x\r"), b"X\n");
    }

    #[test]
    fn a_multibyte_character_advances_one_column() {
        let mut state = OutputState::default();
        run(&Termios::sane(), &mut state, "é€".as_bytes());
        assert_eq!(state.column(), 2);
    }
}
