//! Reading from the discipline: canonical lines, VMIN/VTIME, readiness,
//! and what a change of attributes does to buffered input.

use wasmux_uapi::Timestamp;
use wasmux_uapi::termios::{ICANON, Termios, VMIN, VTIME};

use crate::discipline::{LineDiscipline, ReadOutcome, VTIME_UNIT};

impl LineDiscipline {
    /// Reads per the mode: one line at most (canonical), or per VMIN and
    /// VTIME, at monotonic time `now`.
    pub fn read(&mut self, termios: &Termios, buf: &mut [u8], now: Timestamp) -> ReadOutcome {
        if buf.is_empty() {
            return ReadOutcome::Ready(0);
        }
        if termios.lflag(ICANON) {
            return match self.queue.read_line(buf) {
                Some(count) => ReadOutcome::Ready(count),
                None => ReadOutcome::Block { deadline: None },
            };
        }
        let min = usize::from(termios.c_cc[VMIN]).min(buf.len());
        let time = Timestamp::from(termios.c_cc[VTIME]) * VTIME_UNIT;
        let available = self.queue.len();
        let deadline = if min == 0 {
            // VMIN=0: whatever is there; with VTIME, a timer from when the
            // read started waiting.
            if time == 0 || available > 0 {
                None
            } else {
                let start = *self.timed_read_start.get_or_insert(now);
                Some(start.saturating_add(time))
            }
        } else if available >= min {
            None
        } else if available == 0 || time == 0 {
            return ReadOutcome::Block { deadline: None };
        } else {
            // VMIN>0 VTIME>0: an inter-byte timer from the last arrival.
            Some(self.last_input.unwrap_or(0).saturating_add(time))
        };
        if let Some(deadline) = deadline.filter(|&deadline| now < deadline) {
            return ReadOutcome::Block {
                deadline: Some(deadline),
            };
        }
        self.timed_read_start = None;
        ReadOutcome::Ready(self.queue.read_any(buf))
    }

    /// Bytes a read could take now: complete lines in canonical mode
    /// (FIONREAD), everything queued otherwise.
    pub fn readable_bytes(&self, termios: &Termios) -> usize {
        if termios.lflag(ICANON) {
            self.queue.line_bytes()
        } else {
            self.queue.len()
        }
    }

    /// Whether `poll` reports the terminal readable: a complete line, or
    /// in non-canonical mode VMIN bytes (VTIME=0) or one byte (as Linux).
    pub fn poll_readable(&self, termios: &Termios) -> bool {
        if termios.lflag(ICANON) {
            return self.queue.has_line();
        }
        let min = usize::from(termios.c_cc[VMIN]);
        let wanted = if termios.c_cc[VTIME] == 0 && min > 0 {
            min
        } else {
            1
        };
        self.queue.len() >= wanted
    }

    /// Discards all input: readable bytes and the line being edited.
    pub fn flush(&mut self) {
        self.queue.clear();
        self.line.clear();
        self.lnext = false;
    }

    /// Forgets the timer of a VMIN=0 VTIME>0 read that will not be
    /// restarted (it was interrupted by a signal).
    pub fn forget_timed_read(&mut self) {
        self.timed_read_start = None;
    }

    /// Adapts the buffered input to new attributes, as Linux does: leaving
    /// canonical mode makes the edited line readable; entering it makes
    /// pending bytes one readable line.
    pub fn termios_changed(&mut self, old: &Termios, new: &Termios, now: Timestamp) {
        match (old.lflag(ICANON), new.lflag(ICANON)) {
            (true, false) => {
                self.queue.forget_lines();
                if !self.line.is_empty() {
                    self.queue.push(&self.line);
                    self.line.clear();
                    self.last_input = Some(now);
                }
            }
            (false, true) => self.queue.make_rest_a_line(),
            _ => {}
        }
        if old.lflag(ICANON) != new.lflag(ICANON) {
            self.lnext = false;
        }
        self.timed_read_start = None;
    }
}
