//! Terminal input bytes to keys: UTF-8 characters, control keys, and the
//! escape sequences xterm-like terminals send for arrows, Home, End,
//! Delete and their Ctrl/Alt variants. Bytes may arrive in any pieces.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Tab,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    WordLeft,
    WordRight,
    /// Alt-Backspace: erase the word before the cursor.
    WordRubout,
    /// Alt-d: delete the word after the cursor.
    WordDelete,
    /// Ctrl and a letter not listed above (`'a'` for ^A).
    Ctrl(char),
    /// A sequence this editor does not use.
    Unknown,
}

/// Turns bytes into keys, keeping an unfinished sequence between calls.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    /// Takes one byte; returns a key once one is complete.
    pub fn feed(&mut self, byte: u8) -> Option<Key> {
        self.pending.push(byte);
        let (key, used) = decode(&self.pending)?;
        self.pending.drain(..used);
        Some(key)
    }

    /// Every key in `bytes`.
    pub fn feed_all(&mut self, bytes: &[u8]) -> Vec<Key> {
        bytes.iter().filter_map(|&byte| self.feed(byte)).collect()
    }
}

/// The key at the start of `bytes` and its length, `None` if incomplete.
fn decode(bytes: &[u8]) -> Option<(Key, usize)> {
    let first = *bytes.first()?;
    let key = match first {
        b'\r' | b'\n' => Key::Enter,
        b'\t' => Key::Tab,
        0x7f | 0x08 => Key::Backspace,
        0x1b => return escape(bytes),
        0x01..=0x1a => Key::Ctrl(char::from(b'a' + first - 1)),
        0x00 | 0x1c..=0x1f => Key::Unknown,
        0x20..=0x7e => Key::Char(char::from(first)),
        _ => return utf8(bytes),
    };
    Some((key, 1))
}

fn utf8(bytes: &[u8]) -> Option<(Key, usize)> {
    let length = match bytes[0] {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Some((Key::Unknown, 1)),
    };
    if bytes.len() < length {
        if bytes[1..].iter().all(|&b| b & 0xc0 == 0x80) {
            return None;
        }
        return Some((Key::Unknown, 1));
    }
    match std::str::from_utf8(&bytes[..length]) {
        Ok(text) => Some((text.chars().next().map_or(Key::Unknown, Key::Char), length)),
        Err(_) => Some((Key::Unknown, 1)),
    }
}

fn escape(bytes: &[u8]) -> Option<(Key, usize)> {
    let second = *bytes.get(1)?;
    match second {
        b'[' => csi(bytes),
        b'O' => {
            let third = *bytes.get(2)?;
            let key = match third {
                b'A' => Key::Up,
                b'B' => Key::Down,
                b'C' => Key::Right,
                b'D' => Key::Left,
                b'H' => Key::Home,
                b'F' => Key::End,
                _ => Key::Unknown,
            };
            Some((key, 3))
        }
        b'b' | b'B' => Some((Key::WordLeft, 2)),
        b'f' | b'F' => Some((Key::WordRight, 2)),
        b'd' | b'D' => Some((Key::WordDelete, 2)),
        0x7f | 0x08 => Some((Key::WordRubout, 2)),
        _ => Some((Key::Unknown, 2)),
    }
}

/// `ESC [ params final`.
fn csi(bytes: &[u8]) -> Option<(Key, usize)> {
    let end = bytes[2..]
        .iter()
        .position(|&b| (0x40..=0x7e).contains(&b))?
        + 2;
    let params = std::str::from_utf8(&bytes[2..end]).unwrap_or("");
    let mut numbers = params.split(';').map(|n| n.parse::<u32>().unwrap_or(1));
    let first = numbers.next().unwrap_or(1);
    let modifier = numbers.next().unwrap_or(1);
    let word = modifier == 5 || modifier == 3;
    let key = match bytes[end] {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' if word => Key::WordRight,
        b'D' if word => Key::WordLeft,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        b'~' => match first {
            1 | 7 => Key::Home,
            4 | 8 => Key::End,
            3 => Key::Delete,
            _ => Key::Unknown,
        },
        _ => Key::Unknown,
    };
    Some((key, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(bytes: &[u8]) -> Vec<Key> {
        Decoder::default().feed_all(bytes)
    }

    #[test]
    fn control_keys_and_sequences() {
        assert_eq!(
            keys(b"a\r\x7f\x01\x17"),
            [
                Key::Char('a'),
                Key::Enter,
                Key::Backspace,
                Key::Ctrl('a'),
                Key::Ctrl('w')
            ]
        );
        assert_eq!(
            keys(b"\x1b[A\x1b[D\x1bOH\x1b[4~\x1b[3~"),
            [Key::Up, Key::Left, Key::Home, Key::End, Key::Delete]
        );
        assert_eq!(
            keys(b"\x1b[1;5C\x1bb\x1b\x7f"),
            [Key::WordRight, Key::WordLeft, Key::WordRubout]
        );
        assert_eq!(keys(b"\x1b[200~x"), [Key::Unknown, Key::Char('x')]);
    }

    #[test]
    fn utf8_characters_in_pieces() {
        let mut decoder = Decoder::default();
        let bytes = "é€".as_bytes();
        let mut out = Vec::new();
        for &byte in bytes {
            out.extend(decoder.feed(byte));
        }
        assert_eq!(out, [Key::Char('é'), Key::Char('€')]);
    }

    proptest! {
        /// Any text typed comes back as its characters, however it is split.
        #[test]
        fn typed_text_decodes_to_its_characters(text in "[^\\x00-\\x1f\\x7f]{0,20}", split in 0usize..40) {
            let bytes = text.as_bytes();
            let split = split.min(bytes.len());
            let mut decoder = Decoder::default();
            let mut out = decoder.feed_all(&bytes[..split]);
            out.extend(decoder.feed_all(&bytes[split..]));
            let expected: Vec<Key> = text.chars().map(Key::Char).collect();
            prop_assert_eq!(out, expected);
        }
    }
}
