//! The recursive-descent parser: lists, and-or lists, pipelines and simple
//! commands here; compound commands in `compound.rs`.
//!
//! The grammar is POSIX's (XCU 2.10). Reserved words are recognised only
//! where a command may start; aliases are expanded there by splicing their
//! text into the source, so an alias may hold any syntax.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{
    AndOr, Assignment, Command, Connector, HereDoc, Item, List, Pipeline, Redirect, RedirectKind,
    RedirectTarget, SimpleCommand, Word, WordPart,
};
use super::error::ParseError;
use super::lexer::{Op, Spanned, Token};
use super::word::is_name;

/// Alias names and their text.
pub type Aliases = HashMap<String, String>;

const RESERVED: [&str; 16] = [
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{",
    "}", "!", "in",
];

/// Words that end a compound list.
const CLOSERS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

#[derive(Debug)]
pub struct Parser {
    pub(super) src: String,
    pub(super) pos: usize,
    pub(super) line: usize,
    peeked: Option<Spanned>,
    /// Here-documents whose bodies start after the current line.
    pub(super) pending: Vec<Rc<HereDoc>>,
    /// The aliases in force (empty: none).
    pub(super) aliases: Aliases,
    /// Aliases being expanded, with where their text ends in `src`.
    alias_stack: Vec<(String, usize)>,
    /// The last alias ended with a blank: the next word is checked too.
    alias_next: bool,
    /// More input may follow (an interactive shell or a pipe): a
    /// here-document cut off by the end is incomplete, not finished.
    pub(super) partial: bool,
}

impl Parser {
    /// A parser over a whole program text.
    pub fn new(src: &str, aliases: Option<&Aliases>) -> Parser {
        Parser {
            src: src.to_string(),
            pos: 0,
            line: 1,
            peeked: None,
            pending: Vec::new(),
            aliases: aliases.cloned().unwrap_or_default(),
            alias_stack: Vec::new(),
            alias_next: false,
            partial: false,
        }
    }

    /// A parser for text inside another (backquotes, here-documents).
    pub(super) fn nested(&self, src: &str) -> Parser {
        Parser::new(src, Some(&self.aliases))
    }

    /// Uses `aliases` from the next command on (a script's `alias`
    /// commands apply to the commands after them).
    pub fn set_aliases(&mut self, aliases: &Aliases) {
        if self.aliases != *aliases {
            self.aliases = aliases.clone();
        }
    }

    /// Treat the end of the text as possibly not the end of the input.
    pub fn set_partial(&mut self, partial: bool) {
        self.partial = partial;
    }

    /// The line the parser has reached.
    pub fn line(&self) -> usize {
        self.peeked.as_ref().map_or(self.line, |token| token.line)
    }

    /// Parses the whole text.
    pub fn program(&mut self) -> Result<List, ParseError> {
        let mut list = List::default();
        while let Some(command) = self.next_command()? {
            list.items.extend(command.items);
        }
        Ok(list)
    }

    /// The next complete command (the and-or lists of one line), or `None`
    /// at the end of the input.
    pub fn next_command(&mut self) -> Result<Option<List>, ParseError> {
        self.skip_newlines()?;
        if matches!(self.peek()?, Token::Eof) {
            return Ok(None);
        }
        let mut list = List::default();
        loop {
            let and_or = self.and_or()?;
            let (background, separated) = match self.peek()? {
                Token::Op(Op::Amp) => (true, true),
                Token::Op(Op::Semi) => (false, true),
                _ => (false, false),
            };
            if separated {
                self.advance()?;
            }
            list.items.push(Item { and_or, background });
            match self.peek()? {
                Token::Newline => {
                    self.advance()?;
                    return Ok(Some(list));
                }
                Token::Eof => return Ok(Some(list)),
                _ if separated => {}
                _ => {
                    let token = self.peek()?.clone();
                    return Err(self.unexpected(&token));
                }
            }
        }
    }

    pub(super) fn peek(&mut self) -> Result<&Token, ParseError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex()?);
        }
        match &self.peeked {
            Some(spanned) => Ok(&spanned.token),
            None => unreachable!("just filled"),
        }
    }

    pub(super) fn advance(&mut self) -> Result<Token, ParseError> {
        match self.peeked.take() {
            Some(spanned) => Ok(spanned.token),
            None => Ok(self.lex()?.token),
        }
    }

    /// The peeked token, if it is this reserved word.
    pub(super) fn at_word(&mut self, word: &str) -> Result<bool, ParseError> {
        Ok(matches!(self.peek()?, Token::Word(w) if w.as_literal() == Some(word)))
    }

    /// Consumes the reserved word `word`, or fails on what is there.
    pub(super) fn expect_word(&mut self, word: &str) -> Result<(), ParseError> {
        if self.at_word(word)? {
            self.advance()?;
            return Ok(());
        }
        let token = self.peek()?.clone();
        Err(self.unexpected(&token))
    }

    pub(super) fn expect_op(&mut self, op: Op) -> Result<(), ParseError> {
        if self.peek()?.is_op(op) {
            self.advance()?;
            return Ok(());
        }
        let token = self.peek()?.clone();
        Err(self.unexpected(&token))
    }

    pub(super) fn unexpected(&self, token: &Token) -> ParseError {
        match token {
            Token::Eof => ParseError::end_of_input(self.line()),
            token => ParseError::unexpected(&token.describe(), self.line()),
        }
    }

    pub(super) fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while matches!(self.peek()?, Token::Newline) {
            self.advance()?;
        }
        Ok(())
    }

    /// Whether the peeked token ends a compound list.
    fn at_list_end(&mut self) -> Result<bool, ParseError> {
        Ok(match self.peek()? {
            Token::Eof | Token::Op(Op::RParen | Op::DSemi) => true,
            Token::Word(word) => word.as_literal().is_some_and(|w| CLOSERS.contains(&w)),
            _ => false,
        })
    }

    /// Commands separated by `;`, `&` or newlines, up to a closing word,
    /// `)`, `;;` or the end. Empty lists are the caller's to reject.
    pub(super) fn compound_list(&mut self) -> Result<List, ParseError> {
        let mut list = List::default();
        self.skip_newlines()?;
        while !self.at_list_end()? {
            let and_or = self.and_or()?;
            let mut background = false;
            let separated = match self.peek()? {
                Token::Op(Op::Amp) => {
                    background = true;
                    self.advance()?;
                    true
                }
                Token::Op(Op::Semi) | Token::Newline => {
                    self.advance()?;
                    true
                }
                _ => false,
            };
            list.items.push(Item { and_or, background });
            self.skip_newlines()?;
            if !separated {
                break;
            }
        }
        Ok(list)
    }

    /// A compound list that must not be empty (`if`, `while`, `{`, ...).
    pub(super) fn nonempty_list(&mut self) -> Result<List, ParseError> {
        let list = self.compound_list()?;
        if list.items.is_empty() {
            let token = self.peek()?.clone();
            return Err(self.unexpected(&token));
        }
        Ok(list)
    }

    /// The body of `$(...)`: a compound list ending at `)`, which is left
    /// for the caller (the word reader) to consume as a character.
    pub(super) fn substitution_body(&mut self) -> Result<List, ParseError> {
        let list = self.compound_list()?;
        match self.peeked.take() {
            Some(Spanned {
                token: Token::Op(Op::RParen),
                start,
                ..
            }) => {
                self.pos = start;
                Ok(list)
            }
            Some(Spanned {
                token: Token::Eof, ..
            }) => Err(ParseError::unterminated(
                "command substitution ($()",
                self.line,
            )),
            Some(spanned) => Err(self.unexpected(&spanned.token)),
            None => Err(ParseError::end_of_input(self.line)),
        }
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Token::Op(Op::AndIf) => Connector::And,
                Token::Op(Op::OrIf) => Connector::Or,
                _ => break,
            };
            self.advance()?;
            self.skip_newlines()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.expand_aliases()?;
        let line = self.line();
        let negated = self.at_word("!")?;
        if negated {
            self.advance()?;
        }
        let mut commands = vec![self.command()?];
        while self.peek()?.is_op(Op::Pipe) {
            self.advance()?;
            self.skip_newlines()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline {
            negated,
            commands,
            line,
        })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        self.expand_aliases()?;
        let token = self.peek()?.clone();
        match &token {
            Token::Op(Op::LParen) => return self.compound_command(),
            Token::Word(word) => match word.as_literal() {
                Some("{" | "if" | "while" | "until" | "for" | "case") => {
                    return self.compound_command();
                }
                Some("function") => return self.function_keyword(),
                Some(reserved) if RESERVED.contains(&reserved) && reserved != "in" => {
                    return Err(self.unexpected(&token));
                }
                _ => {}
            },
            Token::IoNumber(_) => {}
            Token::Op(op) if op.is_redirect() => {}
            token => return Err(self.unexpected(token)),
        }
        self.simple_command()
    }

    fn simple_command(&mut self) -> Result<Command, ParseError> {
        let mut command = SimpleCommand::default();
        loop {
            if !command.words.is_empty() && self.alias_next {
                self.alias_next = false;
                self.expand_aliases()?;
            }
            match self.peek()?.clone() {
                Token::IoNumber(fd) => {
                    self.advance()?;
                    let redirect = self.redirect(Some(fd))?;
                    command.redirects.push(redirect);
                }
                Token::Op(op) if op.is_redirect() => {
                    let redirect = self.redirect(None)?;
                    command.redirects.push(redirect);
                }
                Token::Word(word) => {
                    if command.words.is_empty()
                        && let Some(assignment) = assignment(&word)
                    {
                        self.advance()?;
                        command.assignments.push(assignment);
                        continue;
                    }
                    self.advance()?;
                    let first = command.words.is_empty()
                        && command.assignments.is_empty()
                        && command.redirects.is_empty();
                    if first && is_name(&word.text) && self.peek()?.is_op(Op::LParen) {
                        self.advance()?;
                        self.expect_op(Op::RParen)?;
                        return self.function_body(word.text);
                    }
                    command.words.push(word);
                }
                _ => break,
            }
        }
        if command.words.is_empty()
            && command.assignments.is_empty()
            && command.redirects.is_empty()
        {
            let token = self.peek()?.clone();
            return Err(self.unexpected(&token));
        }
        Ok(Command::Simple(command))
    }

    /// A redirection operator (its fd already read) and its target.
    pub(super) fn redirect(&mut self, fd: Option<u32>) -> Result<Redirect, ParseError> {
        let Token::Op(op) = self.advance()? else {
            let token = self.peek()?.clone();
            return Err(self.unexpected(&token));
        };
        let kind = match op {
            Op::Less => RedirectKind::Input,
            Op::Great => RedirectKind::Output,
            Op::Clobber => RedirectKind::Clobber,
            Op::DGreat => RedirectKind::Append,
            Op::LessGreat => RedirectKind::ReadWrite,
            Op::LessAnd => RedirectKind::DupInput,
            Op::GreatAnd => RedirectKind::DupOutput,
            Op::DLess | Op::DLessDash => RedirectKind::HereDoc,
            _ => return Err(self.unexpected(&Token::Op(op))),
        };
        let word = match self.advance()? {
            Token::Word(word) => word,
            token => return Err(self.unexpected(&token)),
        };
        let target = if kind == RedirectKind::HereDoc {
            let doc = Rc::new(HereDoc {
                delimiter: unquote(&word.text),
                quoted: word.has_quotes() || word.text.contains('\\'),
                strip_tabs: op == Op::DLessDash,
                body: Default::default(),
            });
            self.pending.push(doc.clone());
            RedirectTarget::HereDoc(doc)
        } else {
            RedirectTarget::Word(word)
        };
        Ok(Redirect { fd, kind, target })
    }

    /// Replaces an alias at the peeked word with its text, repeatedly.
    fn expand_aliases(&mut self) -> Result<(), ParseError> {
        if self.aliases.is_empty() {
            return Ok(());
        }
        loop {
            let (start, name) = match &self.peeked {
                None => {
                    self.peek()?;
                    continue;
                }
                Some(Spanned {
                    token: Token::Word(word),
                    start,
                    ..
                }) => match word.as_literal() {
                    Some(name) => (*start, name.to_string()),
                    None => return Ok(()),
                },
                Some(_) => return Ok(()),
            };
            self.alias_stack.retain(|(_, end)| *end > start);
            let Some(value) = self.aliases.get(&name).cloned() else {
                return Ok(());
            };
            if self.alias_stack.iter().any(|(active, _)| *active == name) {
                return Ok(());
            }
            let end = self.pos;
            let grow = value.len() as isize - (end - start) as isize;
            for (_, stack_end) in &mut self.alias_stack {
                *stack_end = (*stack_end as isize + grow) as usize;
            }
            self.src.replace_range(start..end, &value);
            self.pos = start;
            self.peeked = None;
            self.alias_stack.push((name, start + value.len()));
            self.alias_next = value.ends_with([' ', '\t']);
        }
    }
}

/// `NAME=value` as an assignment, if `word` is one.
fn assignment(word: &Word) -> Option<Assignment> {
    let Some(WordPart::Literal(first)) = word.parts.first() else {
        return None;
    };
    let (name, value) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    push_assignment_value(value, &mut parts);
    parts.extend(word.parts[1..].iter().cloned());
    let text = word.text[name.len() + 1..].to_string();
    Some(Assignment {
        name: name.to_string(),
        value: Word { text, parts },
    })
}

/// The literal start of an assignment's value, with tildes after `=` and
/// `:` recognised (`PATH=~/bin:~/tools`).
fn push_assignment_value(value: &str, parts: &mut Vec<WordPart>) {
    for (index, piece) in value.split(':').enumerate() {
        if index > 0 {
            parts.push(WordPart::Literal(":".to_string()));
        }
        match piece.strip_prefix('~') {
            Some(rest) => {
                let (user, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                parts.push(WordPart::Tilde(user.to_string()));
                if !path.is_empty() {
                    parts.push(WordPart::Literal(path.to_string()));
                }
            }
            None if !piece.is_empty() => parts.push(WordPart::Literal(piece.to_string())),
            None => {}
        }
    }
}

/// A word's text with quotes removed (for here-document delimiters).
fn unquote(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    let mut quote = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (None | Some('"'), '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}
