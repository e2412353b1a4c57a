//! Word expansion (XCU 2.6): tilde, parameters, command substitution and
//! arithmetic, then field splitting, pathname expansion and quote removal.
//!
//! Expansion asks the shell for what it needs through [`Context`]
//! (variables, positional parameters, running a command substitution,
//! listing a directory), so it runs on the host against a fake in tests.
//!
//! Words first become [`Piece`]s: text that remembers whether it was
//! quoted and whether it came from an unquoted expansion (only that is
//! split). Splitting turns pieces into fields whose characters remember
//! whether they may be pattern characters; globbing uses that.

mod arith;
mod fields;
mod glob;
mod params;
mod pattern;
#[cfg(test)]
mod tests;
mod word;

use std::fmt;
use std::rc::Rc;

use crate::syntax::ast::{List, Word, WordPart};

pub use arith::{ArithVars, parse_number};
pub use fields::{Field, split_fields};
pub use pattern::Pattern;

/// An expansion that failed: `${x?}`, an unset variable under `set -u`, an
/// arithmetic error, a failed `${x=...}` assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
    /// POSIX says a non-interactive shell exits on this error.
    pub fatal: bool,
}

impl ExpandError {
    pub fn new(message: impl Into<String>) -> ExpandError {
        ExpandError {
            message: message.into(),
            fatal: false,
        }
    }

    pub fn fatal(message: impl Into<String>) -> ExpandError {
        ExpandError {
            message: message.into(),
            fatal: true,
        }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// What expansion needs from the shell.
pub trait Context {
    /// A variable's value, `None` when unset.
    fn var(&self, name: &str) -> Option<String>;
    /// Assigns a variable (`${x:=word}`, arithmetic). Errors: read-only.
    fn set_var(&mut self, name: &str, value: String) -> Result<(), ExpandError>;
    /// `$1`, `$2`, ...
    fn positional(&self) -> &[String];
    /// `$?`, `$$`, `$!`, `$-` and `$0` (`None`: unset, as `$!` may be).
    fn special(&self, name: char) -> Option<String>;
    /// Runs `$(list)` and returns what it wrote to stdout.
    fn command_substitution(&mut self, list: &Rc<List>) -> Result<String, ExpandError>;
    /// The home directory of `user`, or of the current user for "".
    fn home(&self, user: &str) -> Option<String>;
    /// The names in directory `dir` (without `.` and `..`), `None` if it
    /// cannot be listed.
    fn read_dir(&self, dir: &str) -> Option<Vec<String>>;
    /// Whether `path` exists (without following a final symlink).
    fn exists(&self, path: &str) -> bool;
    /// `set -u`: unset variables are errors.
    fn nounset(&self) -> bool;
    /// `set -f`: no pathname expansion.
    fn noglob(&self) -> bool;
}

/// A context's variables, as arithmetic sees them.
struct ContextVars<'a>(&'a mut dyn Context);

impl ArithVars for ContextVars<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.var(name)
    }

    fn set(&mut self, name: &str, value: String) -> Result<(), ExpandError> {
        self.0.set_var(name, value)
    }
}

/// A piece of an expanded word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text {
        text: String,
        /// Quoted: never split, never a pattern character.
        quoted: bool,
        /// From an unquoted expansion: subject to field splitting.
        split: bool,
    },
    /// A field boundary (between the parameters of `"$@"`).
    Break,
}

/// Expands words into fields: every step, as for a command's arguments.
pub fn expand_words(ctx: &mut dyn Context, words: &[Word]) -> Result<Vec<String>, ExpandError> {
    let mut out = Vec::new();
    let ifs = ctx.var("IFS");
    for word in words {
        let pieces = word::pieces(ctx, &word.parts, false)?;
        for field in split_fields(&pieces, ifs.as_deref()) {
            if ctx.noglob() || !field.has_magic() {
                out.push(field.text);
                continue;
            }
            let matches = glob::expand(ctx, &field);
            if matches.is_empty() {
                out.push(field.text);
            } else {
                out.extend(matches);
            }
        }
    }
    Ok(out)
}

/// Expands a word to one string, without splitting or globbing (an
/// assignment's value, a redirection target, a `case` subject).
pub fn expand_string(ctx: &mut dyn Context, parts: &[WordPart]) -> Result<String, ExpandError> {
    let pieces = word::pieces(ctx, parts, false)?;
    Ok(join_pieces(&pieces))
}

/// A here-document body: expanded as in double quotes.
pub fn expand_here_doc(ctx: &mut dyn Context, parts: &[WordPart]) -> Result<String, ExpandError> {
    let pieces = word::pieces(ctx, parts, true)?;
    Ok(join_pieces(&pieces))
}

/// Expands a word into a pattern (`case`): quoted characters are literal.
pub fn expand_pattern(ctx: &mut dyn Context, parts: &[WordPart]) -> Result<Pattern, ExpandError> {
    let pieces = word::pieces(ctx, parts, false)?;
    Ok(pattern_of(&pieces))
}

fn join_pieces(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text { text, .. } => out.push_str(text),
            Piece::Break => out.push(' '),
        }
    }
    out
}

fn pattern_of(pieces: &[Piece]) -> Pattern {
    let mut chars = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text { text, quoted, .. } => chars.extend(text.chars().map(|c| (c, !quoted))),
            Piece::Break => chars.push((' ', false)),
        }
    }
    Pattern::new(&chars)
}

/// Runs arithmetic on already expanded text. Its errors end a
/// non-interactive shell (XCU 2.8.1: an expansion error).
pub fn arithmetic(ctx: &mut dyn Context, text: &str) -> Result<i64, ExpandError> {
    arith::evaluate(text, &mut ContextVars(ctx)).map_err(|error| ExpandError::fatal(error.message))
}

/// The text of `word` with quotes removed and nothing expanded (for
/// names such as a `for` loop's and for here-document delimiters).
pub fn literal_text(parts: &[WordPart]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            WordPart::Literal(text) | WordPart::Quoted(text) => out.push_str(text),
            WordPart::DoubleQuoted(inner) => out.push_str(&literal_text(inner)),
            WordPart::Tilde(user) => {
                out.push('~');
                out.push_str(user);
            }
            _ => {}
        }
    }
    out
}

/// A context with nothing in it, for tests elsewhere in the crate.
#[cfg(test)]
pub mod tests_support {
    use super::{Context, ExpandError};
    use crate::syntax::ast::List;
    use std::rc::Rc;

    #[derive(Debug)]
    pub struct Empty;

    impl Context for Empty {
        fn var(&self, _: &str) -> Option<String> {
            None
        }
        fn set_var(&mut self, _: &str, _: String) -> Result<(), ExpandError> {
            Ok(())
        }
        fn positional(&self) -> &[String] {
            &[]
        }
        fn special(&self, _: char) -> Option<String> {
            None
        }
        fn command_substitution(&mut self, _: &Rc<List>) -> Result<String, ExpandError> {
            Ok(String::new())
        }
        fn home(&self, _: &str) -> Option<String> {
            None
        }
        fn read_dir(&self, _: &str) -> Option<Vec<String>> {
            None
        }
        fn exists(&self, _: &str) -> bool {
            false
        }
        fn nounset(&self) -> bool {
            false
        }
        fn noglob(&self) -> bool {
            true
        }
    }
}
