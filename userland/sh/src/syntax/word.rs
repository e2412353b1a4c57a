//! The inside of words: quoting, `$` expansions, backquotes, tildes.
//!
//! One routine reads parts in every context a word can appear in (plain,
//! inside double quotes, the word of `${name-word}`, a here-document
//! body, an arithmetic expression); [`Mode`] says what ends it and what
//! a backslash escapes there.

use std::rc::Rc;

use super::ast::{Param, ParamName, ParamOp, TestKind, WordPart};
use super::error::ParseError;
use super::lexer::is_meta;
use super::parser::Parser;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A plain word: ends at a metacharacter.
    Unquoted,
    /// Inside `"..."`: ends at `"`.
    DoubleQuoted,
    /// The word of `${name op word}`: ends at `}`.
    ParamWord,
    /// A here-document body: ends with the input.
    HereDoc,
    /// `$(( ... ))`: ends at an unbalanced `)`.
    Arith,
}

/// Collects parts, merging adjacent literal characters.
#[derive(Default)]
struct Parts {
    parts: Vec<WordPart>,
    literal: String,
}

impl Parts {
    fn push_char(&mut self, c: char) {
        self.literal.push(c);
    }

    fn push(&mut self, part: WordPart) {
        self.flush();
        match (self.parts.last_mut(), part) {
            (Some(WordPart::Quoted(text)), WordPart::Quoted(more)) => text.push_str(&more),
            (_, part) => self.parts.push(part),
        }
    }

    fn flush(&mut self) {
        if !self.literal.is_empty() {
            self.parts
                .push(WordPart::Literal(std::mem::take(&mut self.literal)));
        }
    }

    fn finish(mut self) -> Vec<WordPart> {
        self.flush();
        self.parts
    }
}

pub fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` is a valid variable name.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

impl Parser {
    /// Reads parts until what ends `mode` (not consumed).
    pub(crate) fn word_parts(&mut self, mode: Mode) -> Result<Vec<WordPart>, ParseError> {
        let mut parts = Parts::default();
        let mut depth = 0usize;
        if mode == Mode::Unquoted && self.current() == Some('~') {
            self.tilde(&mut parts);
        }
        while let Some(c) = self.current() {
            match (mode, c) {
                (Mode::Unquoted, c) if is_meta(c) => break,
                (Mode::DoubleQuoted, '"') | (Mode::ParamWord, '}') => break,
                (Mode::Arith, ')') if depth == 0 => break,
                (Mode::Arith, '(') => {
                    depth += 1;
                    self.bump();
                    parts.push_char('(');
                }
                (Mode::Arith, ')') => {
                    depth -= 1;
                    self.bump();
                    parts.push_char(')');
                }
                (_, '\\') => self.backslash(mode, &mut parts),
                (Mode::Unquoted | Mode::ParamWord, '\'') => {
                    let line = self.line;
                    self.bump();
                    let end = self.src[self.pos..]
                        .find('\'')
                        .ok_or_else(|| ParseError::unterminated("quote (')", line))?;
                    let text = self.src[self.pos..self.pos + end].to_string();
                    for _ in text.chars() {
                        self.bump();
                    }
                    self.bump();
                    parts.push(WordPart::Quoted(text));
                }
                (Mode::Unquoted | Mode::ParamWord, '"') => {
                    let line = self.line;
                    self.bump();
                    let inner = self.word_parts(Mode::DoubleQuoted)?;
                    if self.bump() != Some('"') {
                        return Err(ParseError::unterminated("quote (\")", line));
                    }
                    parts.push(WordPart::DoubleQuoted(inner));
                }
                (_, '`') => {
                    let part = self.backquote(mode == Mode::DoubleQuoted)?;
                    parts.push(part);
                }
                (_, '$') => self.dollar(&mut parts)?,
                (_, c) => {
                    self.bump();
                    parts.push_char(c);
                }
            }
        }
        Ok(parts.finish())
    }

    /// A backslash and what follows it.
    fn backslash(&mut self, mode: Mode, parts: &mut Parts) {
        self.bump();
        let Some(next) = self.current() else {
            parts.push_char('\\');
            return;
        };
        if next == '\n' {
            self.bump();
            return;
        }
        let escapes = match mode {
            Mode::Unquoted | Mode::ParamWord => true,
            Mode::DoubleQuoted => matches!(next, '$' | '`' | '"' | '\\'),
            Mode::HereDoc | Mode::Arith => matches!(next, '$' | '`' | '\\'),
        };
        if escapes {
            self.bump();
            parts.push(WordPart::Quoted(next.to_string()));
        } else {
            parts.push_char('\\');
        }
    }

    /// `~` or `~user`, when followed by `/` or the end of the word.
    fn tilde(&mut self, parts: &mut Parts) {
        let rest = &self.src[self.pos + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(rest.len());
        let after = rest[name_len..].chars().next();
        if after.is_none() || after == Some('/') || after.is_some_and(is_meta) {
            let name = rest[..name_len].to_string();
            self.pos += 1 + name_len;
            parts.push(WordPart::Tilde(name));
        }
    }

    /// Backquoted command substitution: the text up to the closing
    /// backquote, unescaped, parsed as a program of its own.
    fn backquote(&mut self, in_double_quotes: bool) -> Result<WordPart, ParseError> {
        let line = self.line;
        self.bump();
        let mut text = String::new();
        loop {
            match self.bump() {
                None => return Err(ParseError::unterminated("backquote (`)", line)),
                Some('`') => break,
                Some('\\') => match self.current() {
                    Some(c @ ('$' | '`' | '\\')) => {
                        self.bump();
                        text.push(c);
                    }
                    Some('"') if in_double_quotes => {
                        self.bump();
                        text.push('"');
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let mut parser = self.nested(&text);
        parser.line = line;
        let list = parser.program()?;
        Ok(WordPart::Command(Rc::new(list)))
    }

    /// Everything that starts with `$`.
    fn dollar(&mut self, parts: &mut Parts) -> Result<(), ParseError> {
        self.bump();
        match self.current() {
            Some('{') => {
                self.bump();
                let param = self.braced_param()?;
                parts.push(WordPart::Param(Box::new(param)));
            }
            Some('(') => {
                let part = self.dollar_paren()?;
                parts.push(part);
            }
            Some(c) if is_name_start(c) => {
                let name = self.take_while(is_name_char);
                parts.push(plain(ParamName::Named(name)));
            }
            Some(c) if c.is_ascii_digit() && c != '0' => {
                self.bump();
                let index = c.to_digit(10).unwrap_or(0) as usize;
                parts.push(plain(ParamName::Positional(index)));
            }
            Some(c) if is_special_param(c) => {
                self.bump();
                parts.push(plain(ParamName::Special(c)));
            }
            _ => parts.push_char('$'),
        }
        Ok(())
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut text = String::new();
        while let Some(c) = self.current().filter(|&c| keep(c)) {
            self.bump();
            text.push(c);
        }
        text
    }

    /// `$(...)` or `$((...))`, the `$` consumed.
    fn dollar_paren(&mut self) -> Result<WordPart, ParseError> {
        let line = self.line;
        if self.starts_with("((") {
            let (pos, saved_line) = (self.pos, self.line);
            self.pos += 2;
            if let Ok(expression) = self.word_parts(Mode::Arith)
                && self.starts_with("))")
            {
                self.pos += 2;
                return Ok(WordPart::Arith(expression));
            }
            // Not arithmetic after all: a subshell inside `$( )`.
            self.pos = pos;
            self.line = saved_line;
        }
        self.bump();
        let list = self.substitution_body()?;
        if !self.starts_with(")") {
            return Err(ParseError::unterminated("command substitution ($()", line));
        }
        self.bump();
        Ok(WordPart::Command(Rc::new(list)))
    }

    /// `${...}`, the `${` consumed.
    fn braced_param(&mut self) -> Result<Param, ParseError> {
        let line = self.line;
        let bad = |_: &Parser| ParseError::new("bad substitution", line);
        // `${#name}`: the length; `${#}` alone is `$#`.
        if self.current() == Some('#') && !matches!(self.char_at(1), Some('}') | None) {
            let next = self.char_at(1);
            if next.is_some_and(|c| is_name_start(c) || c.is_ascii_digit() || is_special_param(c)) {
                self.bump();
                let name = self.param_name().ok_or_else(|| bad(self))?;
                if self.bump() != Some('}') {
                    return Err(bad(self));
                }
                return Ok(Param {
                    name,
                    op: ParamOp::Length,
                });
            }
        }
        let name = self.param_name().ok_or_else(|| bad(self))?;
        let op = match self.current() {
            Some('}') => {
                self.bump();
                return Ok(Param {
                    name,
                    op: ParamOp::Plain,
                });
            }
            None => return Err(ParseError::unterminated("parameter expansion (${)", line)),
            Some(c) => c,
        };
        let colon = op == ':';
        let op = if colon {
            self.bump();
            self.current().unwrap_or('}')
        } else {
            op
        };
        let op = match op {
            '-' => Some(TestKind::Default),
            '=' => Some(TestKind::Assign),
            '?' => Some(TestKind::Error),
            '+' => Some(TestKind::Alternative),
            _ => None,
        }
        .map(|kind| (kind, None))
        .or(match op {
            '%' if !colon => Some((TestKind::Default, Some(true))),
            '#' if !colon => Some((TestKind::Default, Some(false))),
            _ => None,
        })
        .ok_or_else(|| bad(self))?;
        self.bump();
        let (kind, trim) = op;
        let longest = match trim {
            Some(suffix) if self.current() == Some(if suffix { '%' } else { '#' }) => {
                self.bump();
                true
            }
            _ => false,
        };
        let word = self.word_parts(Mode::ParamWord)?;
        if self.bump() != Some('}') {
            return Err(ParseError::unterminated("parameter expansion (${)", line));
        }
        let op = match trim {
            Some(suffix) => ParamOp::Trim {
                suffix,
                longest,
                pattern: word,
            },
            None => ParamOp::Test { kind, colon, word },
        };
        Ok(Param { name, op })
    }

    fn param_name(&mut self) -> Option<ParamName> {
        let c = self.current()?;
        if is_name_start(c) {
            return Some(ParamName::Named(self.take_while(is_name_char)));
        }
        if c.is_ascii_digit() {
            let digits = self.take_while(|c| c.is_ascii_digit());
            return match digits.parse::<usize>().ok()? {
                0 => Some(ParamName::Special('0')),
                index => Some(ParamName::Positional(index)),
            };
        }
        if is_special_param(c) {
            self.bump();
            return Some(ParamName::Special(c));
        }
        None
    }
}

fn plain(name: ParamName) -> WordPart {
    WordPart::Param(Box::new(Param {
        name,
        op: ParamOp::Plain,
    }))
}
