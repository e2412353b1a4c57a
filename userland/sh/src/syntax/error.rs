//! Syntax errors, worded as POSIX shells word them.

use std::fmt;

/// A syntax error, or input that ends in the middle of a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What went wrong, e.g. "syntax error near unexpected token `fi'".
    pub message: String,
    /// The source line (1-based) where it was noticed.
    pub line: usize,
    /// The input ended inside a command (an open quote, `if` without `fi`,
    /// a trailing `|`): more lines may complete it.
    pub incomplete: bool,
}

impl ParseError {
    pub fn new(message: impl Into<String>, line: usize) -> ParseError {
        ParseError {
            message: message.into(),
            line,
            incomplete: false,
        }
    }

    /// "syntax error near unexpected token `TOKEN'".
    pub fn unexpected(token: &str, line: usize) -> ParseError {
        ParseError::new(
            format!("syntax error near unexpected token `{token}'"),
            line,
        )
    }

    /// The input ended where more was needed.
    pub fn end_of_input(line: usize) -> ParseError {
        ParseError {
            message: "syntax error: unexpected end of file".to_string(),
            line,
            incomplete: true,
        }
    }

    /// An open quote or substitution at the end of the input.
    pub fn unterminated(what: &str, line: usize) -> ParseError {
        ParseError {
            message: format!("syntax error: unterminated {what}"),
            line,
            incomplete: true,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}
