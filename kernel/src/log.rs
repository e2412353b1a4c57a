//! The kernel log: a bounded record of what the kernel refused or noticed,
//! for the platform to show (and later /proc/kmsg).

use std::collections::VecDeque;

/// Lines kept at most; older ones are dropped.
const CAPACITY: usize = 1024;

#[derive(Debug, Default)]
pub struct KernelLog {
    lines: VecDeque<String>,
    /// How many of the newest lines the platform has not taken yet.
    unread: usize,
}

impl KernelLog {
    pub fn push(&mut self, line: String) {
        if self.lines.len() == CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
        self.unread = (self.unread + 1).min(CAPACITY);
    }

    /// The lines added since the last call.
    pub fn take_new(&mut self) -> Vec<String> {
        let skip = self.lines.len().saturating_sub(self.unread);
        self.unread = 0;
        self.lines.iter().skip(skip).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_lines_are_taken_once_and_old_ones_dropped_past_capacity() {
        let mut log = KernelLog::default();
        log.push("a".into());
        assert_eq!(log.take_new(), vec!["a".to_string()]);
        assert!(log.take_new().is_empty());
        for n in 0..CAPACITY + 5 {
            log.push(n.to_string());
        }
        let lines = log.take_new();
        assert_eq!(lines.len(), CAPACITY);
        assert_eq!(lines[0], "5");
    }
}
