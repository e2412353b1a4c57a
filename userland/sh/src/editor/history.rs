//! Command history: the lines entered, oldest first, and the file they
//! are kept in between sessions.

/// Lines kept in memory and in the file.
pub const LIMIT: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct History {
    entries: Vec<String>,
}

impl History {
    /// History from a file's text: one entry a line, the last [`LIMIT`].
    pub fn from_text(text: &str) -> History {
        let entries: Vec<String> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_string)
            .collect();
        let skip = entries.len().saturating_sub(LIMIT);
        History {
            entries: entries[skip..].to_vec(),
        }
    }

    /// Adds a line unless it is empty or repeats the last one; returns
    /// whether it was added.
    pub fn add(&mut self, line: &str) -> bool {
        let line = line.trim_end_matches('\n');
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return false;
        }
        self.entries.push(line.to_string());
        if self.entries.len() > LIMIT {
            self.entries.remove(0);
        }
        true
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        self.entries.get(index).map(String::as_str)
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_blanks_are_skipped() {
        let mut history = History::from_text("ls\n\ncd /\n");
        assert_eq!(history.len(), 2);
        assert!(history.add("pwd"));
        assert!(!history.add("pwd"));
        assert!(!history.add("   "));
        assert_eq!(history.get(2), Some("pwd"));
    }

    #[test]
    fn only_the_last_entries_are_kept() {
        let text: String = (0..LIMIT + 5).map(|n| format!("echo {n}\n")).collect();
        let history = History::from_text(&text);
        assert_eq!(history.len(), LIMIT);
        assert_eq!(history.get(0), Some("echo 5"));
    }
}
