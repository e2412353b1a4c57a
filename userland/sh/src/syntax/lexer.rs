//! Tokens: words, io numbers, operators and newlines, read on demand by
//! the parser (the shell's grammar decides how the next characters lex,
//! so there is no separate token stream).

use std::rc::Rc;

use super::ast::{HereDoc, Word, WordPart};
use super::error::ParseError;
use super::parser::Parser;
use super::word::Mode;

#[derive(Clone, Debug)]
pub enum Token {
    Word(Word),
    /// The digits of `2>`: the fd of the redirection that follows.
    IoNumber(u32),
    Op(Op),
    Newline,
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    AndIf,
    OrIf,
    DSemi,
    Semi,
    Amp,
    Pipe,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    LessAnd,
    GreatAnd,
    LessGreat,
    DLess,
    DLessDash,
    Clobber,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::DSemi => ";;",
            Op::Semi => ";",
            Op::Amp => "&",
            Op::Pipe => "|",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::Clobber => ">|",
        }
    }

    pub fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DGreat
                | Op::LessAnd
                | Op::GreatAnd
                | Op::LessGreat
                | Op::DLess
                | Op::DLessDash
                | Op::Clobber
        )
    }
}

impl Token {
    /// Whether this is the operator `op`.
    pub fn is_op(&self, op: Op) -> bool {
        matches!(self, Token::Op(this) if *this == op)
    }

    /// How an error message shows the token.
    pub fn describe(&self) -> String {
        match self {
            Token::Word(word) => word.text.clone(),
            Token::IoNumber(number) => number.to_string(),
            Token::Op(op) => op.text().to_string(),
            Token::Newline => "newline".to_string(),
            Token::Eof => "end of file".to_string(),
        }
    }
}

/// A token with where it starts.
#[derive(Clone, Debug)]
pub struct Spanned {
    pub token: Token,
    pub start: usize,
    pub line: usize,
}

/// Characters that end an unquoted word.
pub fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

impl Parser {
    pub(super) fn current(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(super) fn char_at(&self, offset: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(offset)
    }

    pub(super) fn starts_with(&self, text: &str) -> bool {
        self.src[self.pos..].starts_with(text)
    }

    /// Moves past the current character, counting lines.
    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.current()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Skips blanks, line continuations and a comment.
    fn skip_blanks(&mut self) {
        loop {
            match self.current() {
                Some(' ' | '\t') => {
                    self.bump();
                }
                Some('\\') if self.char_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while self.current().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    /// Lexes the next token.
    pub(super) fn lex(&mut self) -> Result<Spanned, ParseError> {
        self.skip_blanks();
        let start = self.pos;
        let line = self.line;
        let spanned = |token| Spanned { token, start, line };
        let Some(c) = self.current() else {
            return Ok(spanned(Token::Eof));
        };
        if c == '\n' {
            self.bump();
            self.read_here_documents()?;
            return Ok(spanned(Token::Newline));
        }
        if let Some(op) = self.operator() {
            return Ok(spanned(Token::Op(op)));
        }
        if c.is_ascii_digit() {
            let digits: String = self.src[self.pos..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let after = self.src[self.pos + digits.len()..].chars().next();
            if matches!(after, Some('<' | '>'))
                && let Ok(number) = digits.parse()
            {
                self.pos += digits.len();
                return Ok(spanned(Token::IoNumber(number)));
            }
        }
        let parts = self.word_parts(Mode::Unquoted)?;
        let text = self.src[start..self.pos].to_string();
        Ok(spanned(Token::Word(Word { text, parts })))
    }

    /// An operator at the current position, consumed.
    fn operator(&mut self) -> Option<Op> {
        const OPERATORS: [(&str, Op); 17] = [
            ("<<-", Op::DLessDash),
            ("&&", Op::AndIf),
            ("||", Op::OrIf),
            (";;", Op::DSemi),
            ("<<", Op::DLess),
            (">>", Op::DGreat),
            ("<&", Op::LessAnd),
            (">&", Op::GreatAnd),
            ("<>", Op::LessGreat),
            (">|", Op::Clobber),
            (";", Op::Semi),
            ("&", Op::Amp),
            ("|", Op::Pipe),
            ("(", Op::LParen),
            (")", Op::RParen),
            ("<", Op::Less),
            (">", Op::Great),
        ];
        let (text, op) = OPERATORS.iter().find(|(text, _)| self.starts_with(text))?;
        self.pos += text.len();
        Some(*op)
    }

    /// Reads the bodies of the here-documents whose operators were on the
    /// line that just ended.
    fn read_here_documents(&mut self) -> Result<(), ParseError> {
        for doc in std::mem::take(&mut self.pending) {
            let body = self.here_document_body(&doc)?;
            let parts = if doc.quoted {
                vec![WordPart::Quoted(body.clone())]
            } else {
                let mut parser = self.nested(&body);
                parser.line = self.line;
                parser.word_parts(Mode::HereDoc)?
            };
            // A here-document's body is set exactly once, here.
            let _ = doc.body.set((parts, body));
        }
        Ok(())
    }

    fn here_document_body(&mut self, doc: &Rc<HereDoc>) -> Result<String, ParseError> {
        let mut body = String::new();
        loop {
            if self.pos >= self.src.len() {
                if self.partial {
                    return Err(ParseError::unterminated(
                        &format!("here-document (wanted `{}')", doc.delimiter),
                        self.line,
                    ));
                }
                return Ok(body);
            }
            let rest = &self.src[self.pos..];
            let end = rest.find('\n').map_or(rest.len(), |at| at + 1);
            let raw = &rest[..end];
            let content = raw.strip_suffix('\n').unwrap_or(raw);
            let content = if doc.strip_tabs {
                content.trim_start_matches('\t')
            } else {
                content
            };
            let finished = content == doc.delimiter;
            if !finished {
                body.push_str(content);
                body.push('\n');
            }
            self.pos += end;
            self.line += 1;
            if finished {
                return Ok(body);
            }
        }
    }
}
