//! The readable input: bytes a read can take, and where canonical lines end.

use std::collections::VecDeque;

/// Input bytes the terminal holds, at most (Linux's `N_TTY_BUF_SIZE`):
/// readable bytes plus the line being edited.
pub const INPUT_MAX: usize = 4096;

/// Readable bytes, split into complete lines in canonical mode.
///
/// `lines` holds the lengths of the complete lines at the front of `bytes`
/// (a line ended by VEOF has no terminator byte, so an empty one, length 0,
/// is end of file). Bytes after the last line were received in
/// non-canonical mode; canonical reads ignore them until the mode changes.
#[derive(Clone, Debug, Default)]
pub(crate) struct InputQueue {
    bytes: VecDeque<u8>,
    lines: VecDeque<usize>,
    /// Sum of `lines`.
    lined: usize,
}

impl InputQueue {
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes in complete lines (what FIONREAD reports in canonical mode).
    pub fn line_bytes(&self) -> usize {
        self.lined
    }

    /// Whether a canonical read would return (a line, or end of file).
    pub fn has_line(&self) -> bool {
        !self.lines.is_empty()
    }

    /// Whether another line (even an empty one) may be queued.
    pub fn can_end_line(&self) -> bool {
        self.lines.len() < INPUT_MAX
    }

    /// Appends bytes with no line structure (non-canonical input).
    pub fn push(&mut self, bytes: &[u8]) {
        self.bytes.extend(bytes);
    }

    /// Appends a complete line.
    pub fn push_line(&mut self, line: &[u8]) {
        self.make_rest_a_line();
        self.bytes.extend(line);
        self.lines.push_back(line.len());
        self.lined = self.lined.saturating_add(line.len());
    }

    /// Turns the bytes after the last line into one line (entering
    /// canonical mode with data pending, as Linux does).
    pub fn make_rest_a_line(&mut self) {
        let rest = self.bytes.len().saturating_sub(self.lined);
        if rest > 0 {
            self.lines.push_back(rest);
            self.lined = self.bytes.len();
        }
    }

    /// Forgets line boundaries (leaving canonical mode); end-of-file
    /// markers vanish.
    pub fn forget_lines(&mut self) {
        self.lines.clear();
        self.lined = 0;
    }

    /// Reads from the first line: at most `buf.len()` bytes, the rest of
    /// the line stays for the next read. `None` when no line is complete.
    pub fn read_line(&mut self, buf: &mut [u8]) -> Option<usize> {
        let first = self.lines.front_mut()?;
        let count = (*first).min(buf.len());
        *first -= count;
        if *first == 0 {
            self.lines.pop_front();
        }
        self.lined = self.lined.saturating_sub(count);
        Some(self.take(buf, count))
    }

    /// Reads whatever is there, ignoring line boundaries.
    pub fn read_any(&mut self, buf: &mut [u8]) -> usize {
        let count = self.bytes.len().min(buf.len());
        let mut left = count;
        while let Some(first) = self.lines.front_mut() {
            if left < *first {
                *first -= left;
                break;
            }
            left -= *first;
            self.lines.pop_front();
        }
        self.lined = self.lined.saturating_sub(count);
        self.take(buf, count)
    }

    fn take(&mut self, buf: &mut [u8], count: usize) -> usize {
        let mut taken = 0;
        for (slot, byte) in buf.iter_mut().zip(self.bytes.drain(..count)) {
            *slot = byte;
            taken += 1;
        }
        taken
    }

    pub fn clear(&mut self) {
        self.bytes.clear();
        self.forget_lines();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_buffer_reads_a_line_in_pieces() {
        let mut queue = InputQueue::default();
        queue.push_line(b"hello\n");
        queue.push_line(b"x\n");
        let mut buf = [0; 4];
        assert_eq!(queue.read_line(&mut buf), Some(4));
        assert_eq!(queue.read_line(&mut buf), Some(2));
        assert_eq!(&buf[..2], b"o\n");
        assert_eq!(queue.read_line(&mut buf), Some(2));
        assert_eq!(queue.read_line(&mut buf), None);
    }

    #[test]
    fn an_empty_line_is_end_of_file() {
        let mut queue = InputQueue::default();
        queue.push_line(b"");
        assert!(queue.has_line());
        assert_eq!(queue.read_line(&mut [0; 8]), Some(0));
        assert!(!queue.has_line());
    }

    #[test]
    fn read_any_crosses_lines_and_keeps_the_rest_lined() {
        let mut queue = InputQueue::default();
        queue.push_line(b"ab\n");
        queue.push_line(b"cd\n");
        assert_eq!(queue.read_any(&mut [0; 4]), 4);
        assert_eq!(queue.line_bytes(), 2);
        let mut buf = [0; 4];
        assert_eq!(queue.read_line(&mut buf), Some(2));
        assert_eq!(&buf[..2], b"d\n");
    }
}
