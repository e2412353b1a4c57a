//! What every hand-written tool shares: GNU-style error messages and a
//! small getopt.
//!
//! Messages follow GNU's forms: `TOOL: SUBJECT: Reason` for an operation
//! that failed, `TOOL: invalid option -- 'x'` plus a `Try 'TOOL --help'`
//! line for bad usage. The reason is the C library's strerror text, without
//! std's " (os error N)" suffix.

use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::io;
use std::path::{Path, PathBuf};

/// strerror's text for `error` ("No such file or directory").
pub fn reason(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

/// Prints `TOOL: SUBJECT: Reason` on stderr.
pub fn report(tool: &str, subject: impl Display, error: &io::Error) {
    eprintln!("{tool}: {subject}: {}", reason(error));
}

/// Prints a usage error (`TOOL: MESSAGE` and the `Try` line); returns `status`.
pub fn usage_error(tool: &str, message: &str, status: i32) -> i32 {
    eprintln!("{tool}: {message}");
    eprintln!("Try '{tool} --help' for more information.");
    status
}

/// The entries of directory `dir` as paths under it, in name order (byte
/// order: Wasmux has no locales), for the tools that walk trees.
pub fn sorted_children(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut children = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| dir.join(entry.file_name())))
        .collect::<io::Result<Vec<_>>>()?;
    children.sort();
    Ok(children)
}

/// An argument as text (lossy: option values and numbers are ASCII).
pub fn text(arg: &OsStr) -> String {
    arg.to_string_lossy().into_owned()
}

/// Which options a tool takes.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Short options; a letter followed by ':' takes a value ("inE e:").
    pub short: &'static str,
    /// Long options: name, the short letter they stand for (any char for a
    /// long-only option), whether they take a value.
    pub long: &'static [(&'static str, char, bool)],
    /// Options end at the first operand (find, env, xargs), rather than
    /// being allowed anywhere as GNU tools allow.
    pub stop_at_operand: bool,
}

/// The options given, in order, and the operands.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub options: Vec<(char, Option<OsString>)>,
    pub operands: Vec<OsString>,
}

impl Parsed {
    /// Whether option `letter` was given.
    pub fn has(&self, letter: char) -> bool {
        self.options.iter().any(|(given, _)| *given == letter)
    }

    /// The last value given for option `letter`.
    pub fn value(&self, letter: char) -> Option<&OsStr> {
        self.values(letter).last()
    }

    /// Every value given for option `letter`, in order.
    pub fn values(&self, letter: char) -> impl Iterator<Item = &OsStr> {
        self.options
            .iter()
            .filter(move |(given, _)| *given == letter)
            .filter_map(|(_, value)| value.as_deref())
    }
}

impl Spec {
    fn takes_value(&self, letter: char) -> Option<bool> {
        let mut chars = self.short.chars().peekable();
        while let Some(c) = chars.next() {
            let value = chars.peek() == Some(&':');
            if value {
                chars.next();
            }
            if c == letter && c != ':' {
                return Some(value);
            }
        }
        None
    }

    /// Parses `args` (without argv\[0\]). Errors: the GNU message for a bad
    /// option ("invalid option -- 'z'").
    pub fn parse(&self, args: impl IntoIterator<Item = OsString>) -> Result<Parsed, String> {
        let mut parsed = Parsed::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy().into_owned();
            if text == "--" {
                parsed.operands.extend(args.by_ref());
                break;
            }
            if let Some(long) = text.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(OsString::from(value))),
                    None => (long, None),
                };
                let matches: Vec<_> = self
                    .long
                    .iter()
                    .filter(|(known, ..)| *known == name || known.starts_with(name))
                    .collect();
                let exact = matches.iter().find(|(known, ..)| *known == name);
                let Some(&&(known, letter, value)) = exact.or(matches.first()) else {
                    return Err(format!("unrecognized option '{text}'"));
                };
                if exact.is_none() && matches.len() > 1 {
                    return Err(format!("option '{text}' is ambiguous"));
                }
                let value = match (value, inline) {
                    (true, Some(value)) => Some(value),
                    (true, None) => Some(
                        args.next()
                            .ok_or_else(|| format!("option '--{known}' requires an argument"))?,
                    ),
                    (false, Some(_)) => {
                        return Err(format!("option '--{known}' doesn't allow an argument"));
                    }
                    (false, None) => None,
                };
                parsed.options.push((letter, value));
                continue;
            }
            if text.len() < 2 || !text.starts_with('-') {
                parsed.operands.push(arg);
                if self.stop_at_operand {
                    parsed.operands.extend(args.by_ref());
                    break;
                }
                continue;
            }
            let letters: Vec<char> = text[1..].chars().collect();
            for (index, &letter) in letters.iter().enumerate() {
                match self.takes_value(letter) {
                    None => return Err(format!("invalid option -- '{letter}'")),
                    Some(false) => parsed.options.push((letter, None)),
                    Some(true) => {
                        let rest: String = letters[index + 1..].iter().collect();
                        let value = if rest.is_empty() {
                            args.next().ok_or_else(|| {
                                format!("option requires an argument -- '{letter}'")
                            })?
                        } else {
                            OsString::from(rest)
                        };
                        parsed.options.push((letter, Some(value)));
                        break;
                    }
                }
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        short: "inm:",
        long: &[("max-count", 'm', true), ("ignore-case", 'i', false)],
        stop_at_operand: false,
    };

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn clusters_values_and_operands_anywhere() {
        let parsed = SPEC
            .parse(args(&["-in", "a", "-m3", "b", "-m", "4"]))
            .unwrap();
        assert!(parsed.has('i') && parsed.has('n'));
        assert_eq!(parsed.value('m'), Some(OsStr::new("4")));
        assert_eq!(parsed.operands, args(&["a", "b"]));
    }

    #[test]
    fn long_options_abbreviate_and_take_values() {
        let parsed = SPEC
            .parse(args(&["--ignore", "--max-count=2", "--", "-n"]))
            .unwrap();
        assert!(parsed.has('i'));
        assert_eq!(parsed.value('m'), Some(OsStr::new("2")));
        assert_eq!(parsed.operands, args(&["-n"]));
    }

    #[test]
    fn bad_options_read_like_gnu() {
        assert_eq!(
            SPEC.parse(args(&["-z"])),
            Err("invalid option -- 'z'".into())
        );
        assert_eq!(
            SPEC.parse(args(&["-m"])),
            Err("option requires an argument -- 'm'".into())
        );
        assert_eq!(
            SPEC.parse(args(&["--nope"])),
            Err("unrecognized option '--nope'".into())
        );
    }

    #[test]
    fn a_lone_dash_is_an_operand() {
        assert_eq!(SPEC.parse(args(&["-"])).unwrap().operands, args(&["-"]));
    }
}
