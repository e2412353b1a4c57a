//! The line being edited: characters and a cursor between them, with the
//! edits the keys make. Positions count characters, never bytes.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buffer {
    chars: Vec<char>,
    cursor: usize,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Buffer {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.chars = text.chars().collect();
        self.cursor = self.chars.len();
    }

    pub fn insert(&mut self, c: char) {
        self.chars.insert(self.cursor, c);
        self.cursor += 1;
    }

    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(c);
        }
    }

    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        self.chars.remove(self.cursor);
        true
    }

    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.chars.len() {
            return false;
        }
        self.chars.remove(self.cursor);
        true
    }

    pub fn left(&mut self) -> bool {
        let moved = self.cursor > 0;
        self.cursor = self.cursor.saturating_sub(1);
        moved
    }

    pub fn right(&mut self) -> bool {
        let moved = self.cursor < self.chars.len();
        self.cursor = (self.cursor + 1).min(self.chars.len());
        moved
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Where the word before the cursor starts.
    fn word_start(&self) -> usize {
        let mut at = self.cursor;
        while at > 0 && !is_word(self.chars[at - 1]) {
            at -= 1;
        }
        while at > 0 && is_word(self.chars[at - 1]) {
            at -= 1;
        }
        at
    }

    /// Where the word after the cursor ends.
    fn word_end(&self) -> usize {
        let mut at = self.cursor;
        while at < self.chars.len() && !is_word(self.chars[at]) {
            at += 1;
        }
        while at < self.chars.len() && is_word(self.chars[at]) {
            at += 1;
        }
        at
    }

    pub fn word_left(&mut self) {
        self.cursor = self.word_start();
    }

    pub fn word_right(&mut self) {
        self.cursor = self.word_end();
    }

    /// Removes `start..end` and returns it.
    fn cut(&mut self, start: usize, end: usize) -> String {
        let removed: String = self.chars.drain(start..end).collect();
        self.cursor = start;
        removed
    }

    /// ^U: everything before the cursor.
    pub fn kill_to_start(&mut self) -> String {
        self.cut(0, self.cursor)
    }

    /// ^K: everything from the cursor on.
    pub fn kill_to_end(&mut self) -> String {
        let cursor = self.cursor;
        let removed = self.cut(cursor, self.chars.len());
        self.cursor = cursor;
        removed
    }

    /// ^W: back to the previous white space (a shell word).
    pub fn rubout_big_word(&mut self) -> String {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !self.chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.cut(start, self.cursor)
    }

    /// Alt-Backspace: back to the start of the previous word.
    pub fn rubout_word(&mut self) -> String {
        let start = self.word_start();
        self.cut(start, self.cursor)
    }

    /// Alt-d: to the end of the next word.
    pub fn delete_word(&mut self) -> String {
        let cursor = self.cursor;
        let end = self.word_end();
        let removed = self.cut(cursor, end);
        self.cursor = cursor;
        removed
    }

    /// ^T: swaps the characters around the cursor.
    pub fn transpose(&mut self) {
        let n = self.chars.len();
        if n < 2 || self.cursor == 0 {
            return;
        }
        let at = if self.cursor == n { n - 1 } else { self.cursor };
        self.chars.swap(at - 1, at);
        self.cursor = (at + 1).min(n);
    }

    /// The text before the cursor.
    pub fn before_cursor(&self) -> String {
        self.chars[..self.cursor].iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn buffer(text: &str, cursor: usize) -> Buffer {
        let mut buffer = Buffer::default();
        buffer.set(text);
        buffer.cursor = cursor;
        buffer
    }

    #[test]
    fn kills_and_word_motions() {
        let mut b = buffer("echo hello world", 10);
        assert_eq!(b.kill_to_end(), " world");
        assert_eq!(b.text(), "echo hello");
        b.word_left();
        assert_eq!(b.cursor(), 5);
        assert_eq!(b.kill_to_start(), "echo ");
        assert_eq!((b.text().as_str(), b.cursor()), ("hello", 0));
        let mut b = buffer("ls -l /usr/lib", 14);
        assert_eq!(b.rubout_big_word(), "/usr/lib");
        let mut b = buffer("ls /usr/lib", 11);
        assert_eq!(b.rubout_word(), "lib");
        b.home();
        assert_eq!(b.delete_word(), "ls");
    }

    #[test]
    fn multibyte_characters_are_one_position() {
        let mut b = buffer("héllo", 2);
        b.backspace();
        assert_eq!(b.text(), "hllo");
        b.insert('ü');
        assert_eq!((b.text().as_str(), b.cursor()), ("hüllo", 2));
        b.transpose();
        assert_eq!(b.text(), "hlülo");
    }

    proptest! {
        /// Inserting text then deleting it with backspace gives back the
        /// line, whatever the edits were.
        #[test]
        fn insert_then_backspace_restores(text in "\\PC{0,12}", typed in "\\PC{0,12}", at in 0usize..13) {
            let at = at.min(text.chars().count());
            let mut b = buffer(&text, at);
            b.insert_str(&typed);
            prop_assert_eq!(b.cursor(), at + typed.chars().count());
            for _ in typed.chars() {
                b.backspace();
            }
            prop_assert_eq!(b.text(), text);
            prop_assert_eq!(b.cursor(), at);
        }

        /// The cursor never leaves the line.
        #[test]
        fn cursor_stays_in_bounds(text in "[a-z ]{0,10}", moves in proptest::collection::vec(0u8..8, 0..30)) {
            let mut b = buffer(&text, 0);
            for m in moves {
                match m {
                    0 => { b.left(); }
                    1 => { b.right(); }
                    2 => b.word_left(),
                    3 => b.word_right(),
                    4 => { b.rubout_big_word(); }
                    5 => { b.delete(); }
                    6 => { b.kill_to_end(); }
                    _ => b.end(),
                }
                prop_assert!(b.cursor() <= b.chars().len());
            }
        }
    }
}
