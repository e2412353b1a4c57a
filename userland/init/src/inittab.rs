//! /etc/inittab: what init runs. One entry per line, `ACTION:COMMAND`;
//! blank lines and lines starting with `#` are ignored.
//!
//! | action     | when                                                        |
//! |------------|-------------------------------------------------------------|
//! | `sysinit`  | at boot, in order, each waited for before the next          |
//! | `once`     | at boot, after the sysinit entries, not waited for          |
//! | `respawn`  | like `once`, and started again whenever it ends (back-off)  |
//! | `console`  | the console session (default: the user's shell, `-l`)       |
//! | `shutdown` | at shutdown, in order, each waited for, before the signals  |
//!
//! COMMAND is a program and its arguments separated by blanks, with no
//! shell involved: `'...'` and `"..."` quote (no expansion inside), `\`
//! escapes the next character. For pipes or variables, run `/bin/sh -c
//! '...'` as the command.

/// When an entry runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Sysinit,
    Once,
    Respawn,
    Console,
    Shutdown,
}

impl Action {
    fn parse(word: &str) -> Option<Action> {
        Some(match word {
            "sysinit" => Action::Sysinit,
            "once" => Action::Once,
            "respawn" => Action::Respawn,
            "console" => Action::Console,
            "shutdown" => Action::Shutdown,
            _ => return None,
        })
    }
}

/// One line of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub action: Action,
    /// The program and its arguments (never empty).
    pub argv: Vec<String>,
    /// The line number, for messages.
    pub line: usize,
}

/// The parsed file: the entries in order, and a message per line that was
/// not understood (those lines are skipped, the rest still runs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inittab {
    pub entries: Vec<Entry>,
    pub problems: Vec<String>,
}

impl Inittab {
    /// The entries with `action`, in file order.
    pub fn with(&self, action: Action) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |entry| entry.action == action)
    }

    /// The console session's command, if the file names one (the last wins).
    pub fn console(&self) -> Option<&[String]> {
        self.with(Action::Console)
            .last()
            .map(|entry| entry.argv.as_slice())
    }
}

/// Parses the text of an inittab.
pub fn parse(text: &str) -> Inittab {
    let mut inittab = Inittab::default();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((action, command)) = trimmed.split_once(':') else {
            inittab
                .problems
                .push(format!("line {line}: expected ACTION:COMMAND"));
            continue;
        };
        let Some(action) = Action::parse(action.trim()) else {
            inittab.problems.push(format!(
                "line {line}: unknown action {:?} (sysinit, once, respawn, console, shutdown)",
                action.trim()
            ));
            continue;
        };
        match split_words(command) {
            Ok(argv) if argv.is_empty() => {
                inittab.problems.push(format!("line {line}: no command"))
            }
            Ok(argv) => inittab.entries.push(Entry { action, argv, line }),
            Err(message) => inittab.problems.push(format!("line {line}: {message}")),
        }
    }
    inittab
}

/// Splits a command into words: blanks separate, quotes group, `\` escapes.
pub fn split_words(command: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\\' => {
                let escaped = chars.next().ok_or("a `\\` ends the line")?;
                word.get_or_insert_with(String::new).push(escaped);
            }
            '\'' | '"' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some(end) if end == c => break,
                        Some(inner) => current.push(inner),
                        None => return Err("unterminated quote"),
                    }
                }
            }
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_their_order_and_actions() {
        let inittab =
            parse("# comment\n\nsysinit:/bin/a 1\nrespawn: /bin/b\nonce:/bin/c\nshutdown:/bin/d\n");
        let actions: Vec<Action> = inittab.entries.iter().map(|entry| entry.action).collect();
        assert_eq!(
            actions,
            [
                Action::Sysinit,
                Action::Respawn,
                Action::Once,
                Action::Shutdown
            ]
        );
        assert_eq!(inittab.entries[0].argv, ["/bin/a", "1"]);
        assert_eq!(inittab.entries[1].line, 4);
        assert!(inittab.problems.is_empty());
    }

    #[test]
    fn quotes_group_words_and_keep_colons() {
        let inittab = parse("respawn:/bin/sh -c 'echo a:b; sleep 1' \"x y\" z\\ w\n");
        assert_eq!(
            inittab.entries[0].argv,
            ["/bin/sh", "-c", "echo a:b; sleep 1", "x y", "z w"]
        );
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let inittab =
            parse("nonsense\nreboot:/bin/x\nonce:\nonce:/bin/sh -c 'open\nonce:/bin/ok\n");
        assert_eq!(inittab.problems.len(), 4, "{:?}", inittab.problems);
        assert!(inittab.problems[1].contains("unknown action \"reboot\""));
        assert_eq!(inittab.entries.len(), 1);
        assert_eq!(inittab.entries[0].argv, ["/bin/ok"]);
    }

    #[test]
    fn the_last_console_line_wins() {
        let inittab = parse("console:/bin/sh -l\nconsole:/bin/other\n");
        assert_eq!(inittab.console(), Some(&["/bin/other".to_string()][..]));
        assert_eq!(parse("").console(), None);
    }

    #[test]
    fn empty_quotes_make_an_empty_word() {
        assert_eq!(split_words("a '' b").unwrap(), ["a", "", "b"]);
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
    }
}
