//! Shell syntax: tokens, words and the parser that turns source into an
//! [`ast::List`], and the printer that turns it back.

pub mod ast;
mod compound;
mod error;
mod lexer;
mod parser;
pub mod print;
#[cfg(test)]
mod tests;
mod word;

pub use error::ParseError;
pub use parser::{Aliases, Parser};
pub use word::is_name;

/// Parses a whole program.
pub fn parse(src: &str) -> Result<ast::List, ParseError> {
    Parser::new(src, None).program()
}
