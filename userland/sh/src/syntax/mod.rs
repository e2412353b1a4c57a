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

/// Parses text as a here-document body is (expansions, backslashes
/// before `$`, `` ` `` and `\\`; quotes are plain characters): PS1, PS2.
pub fn parse_text(src: &str) -> Result<Vec<ast::WordPart>, ParseError> {
    let mut parser = Parser::new(src, None);
    parser.word_parts(word::Mode::HereDoc)
}

/// Parses a whole program.
pub fn parse(src: &str) -> Result<ast::List, ParseError> {
    Parser::new(src, None).program()
}
