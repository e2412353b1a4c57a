//! Compound commands: `{ }`, `( )`, if, while/until, for, case, and
//! function definitions.

use std::rc::Rc;

use super::ast::{CaseArm, Command, Compound, FunctionDef, Redirect};
use super::error::ParseError;
use super::lexer::{Op, Token};
use super::parser::Parser;
use super::word::is_name;

impl Parser {
    /// A compound command and the redirections after it.
    pub(super) fn compound_command(&mut self) -> Result<Command, ParseError> {
        let compound = self.compound()?;
        let redirects = self.redirects()?;
        Ok(Command::Compound(compound, redirects))
    }

    fn compound(&mut self) -> Result<Compound, ParseError> {
        let token = self.advance()?;
        match &token {
            Token::Op(Op::LParen) => {
                let list = self.nonempty_list()?;
                self.expect_op(Op::RParen)?;
                Ok(Compound::Subshell(list))
            }
            Token::Word(word) => match word.as_literal() {
                Some("{") => {
                    let list = self.nonempty_list()?;
                    self.expect_word("}")?;
                    Ok(Compound::Group(list))
                }
                Some("if") => self.if_clause(),
                Some("while") => self.loop_clause(false),
                Some("until") => self.loop_clause(true),
                Some("for") => self.for_clause(),
                Some("case") => self.case_clause(),
                _ => Err(self.unexpected(&token)),
            },
            _ => Err(self.unexpected(&token)),
        }
    }

    fn redirects(&mut self) -> Result<Vec<Redirect>, ParseError> {
        let mut redirects = Vec::new();
        loop {
            match *self.peek()? {
                Token::IoNumber(fd) => {
                    self.advance()?;
                    redirects.push(self.redirect(Some(fd))?);
                }
                Token::Op(op) if op.is_redirect() => redirects.push(self.redirect(None)?),
                _ => return Ok(redirects),
            }
        }
    }

    /// What follows `name()`: a compound command with redirections.
    pub(super) fn function_body(&mut self, name: String) -> Result<Command, ParseError> {
        self.skip_newlines()?;
        let body = self.compound()?;
        let redirects = self.redirects()?;
        Ok(Command::Function(Rc::new(FunctionDef {
            name,
            body,
            redirects,
        })))
    }

    /// `function name [()] compound-command` (ksh and bash syntax).
    pub(super) fn function_keyword(&mut self) -> Result<Command, ParseError> {
        self.advance()?;
        let name = match self.advance()? {
            Token::Word(word) if is_name(&word.text) => word.text,
            token => return Err(self.unexpected(&token)),
        };
        if self.peek()?.is_op(Op::LParen) {
            self.advance()?;
            self.expect_op(Op::RParen)?;
        }
        self.function_body(name)
    }

    fn if_clause(&mut self) -> Result<Compound, ParseError> {
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.nonempty_list()?;
            self.expect_word("then")?;
            let body = self.nonempty_list()?;
            branches.push((condition, body));
            if self.at_word("elif")? {
                self.advance()?;
                continue;
            }
            if self.at_word("else")? {
                self.advance()?;
                otherwise = Some(self.nonempty_list()?);
            }
            self.expect_word("fi")?;
            return Ok(Compound::If {
                branches,
                otherwise,
            });
        }
    }

    fn loop_clause(&mut self, until: bool) -> Result<Compound, ParseError> {
        let condition = self.nonempty_list()?;
        self.expect_word("do")?;
        let body = self.nonempty_list()?;
        self.expect_word("done")?;
        Ok(Compound::Loop {
            until,
            condition,
            body,
        })
    }

    fn for_clause(&mut self) -> Result<Compound, ParseError> {
        let variable = match self.advance()? {
            Token::Word(word) if is_name(&word.text) => word.text,
            token => return Err(self.unexpected(&token)),
        };
        self.skip_newlines()?;
        let words = if self.at_word("in")? {
            self.advance()?;
            let mut words = Vec::new();
            while let Token::Word(word) = self.peek()? {
                words.push(word.clone());
                self.advance()?;
            }
            match self.peek()? {
                Token::Op(Op::Semi) | Token::Newline => {
                    self.advance()?;
                }
                _ => {
                    let token = self.peek()?.clone();
                    return Err(self.unexpected(&token));
                }
            }
            Some(words)
        } else {
            if self.peek()?.is_op(Op::Semi) {
                self.advance()?;
            }
            None
        };
        self.skip_newlines()?;
        self.expect_word("do")?;
        let body = self.nonempty_list()?;
        self.expect_word("done")?;
        Ok(Compound::For {
            variable,
            words,
            body,
        })
    }

    fn case_clause(&mut self) -> Result<Compound, ParseError> {
        let subject = match self.advance()? {
            Token::Word(word) => word,
            token => return Err(self.unexpected(&token)),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        self.skip_newlines()?;
        let mut arms = Vec::new();
        loop {
            if self.at_word("esac")? {
                self.advance()?;
                return Ok(Compound::Case { subject, arms });
            }
            if self.peek()?.is_op(Op::LParen) {
                self.advance()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.advance()? {
                    Token::Word(word) => patterns.push(word),
                    token => return Err(self.unexpected(&token)),
                }
                match self.advance()? {
                    Token::Op(Op::Pipe) => {}
                    Token::Op(Op::RParen) => break,
                    token => return Err(self.unexpected(&token)),
                }
            }
            let body = self.compound_list()?;
            arms.push(CaseArm { patterns, body });
            match self.peek()? {
                Token::Op(Op::DSemi) => {
                    self.advance()?;
                    self.skip_newlines()?;
                }
                Token::Word(word) if word.as_literal() == Some("esac") => {}
                _ => {
                    let token = self.peek()?.clone();
                    return Err(self.unexpected(&token));
                }
            }
        }
    }
}
