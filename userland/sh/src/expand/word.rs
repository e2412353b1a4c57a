//! Words to pieces: quoting, tildes, parameters, command substitution and
//! arithmetic, before any splitting.

use super::{Context, ExpandError, Piece, join_pieces, params};
use crate::syntax::ast::{ParamName, WordPart};

/// The pieces of `parts`. `quoted`: inside double quotes (or a
/// here-document), where nothing is split or globbed.
pub fn pieces(
    ctx: &mut dyn Context,
    parts: &[WordPart],
    quoted: bool,
) -> Result<Vec<Piece>, ExpandError> {
    let mut out = Vec::new();
    for part in parts {
        part_pieces(ctx, part, quoted, false, &mut out)?;
    }
    Ok(out)
}

/// As [`pieces`], for the word of `${x-word}`: its unquoted literal text
/// is split like the expansion it stands for (`${x-a b}` is two fields).
pub fn operand_pieces(
    ctx: &mut dyn Context,
    parts: &[WordPart],
    quoted: bool,
    out: &mut Vec<Piece>,
) -> Result<(), ExpandError> {
    for part in parts {
        part_pieces(ctx, part, quoted, !quoted, out)?;
    }
    Ok(())
}

pub fn text(text: String, quoted: bool) -> Piece {
    Piece::Text {
        text,
        quoted,
        split: !quoted,
    }
}

fn part_pieces(
    ctx: &mut dyn Context,
    part: &WordPart,
    quoted: bool,
    literal_split: bool,
    out: &mut Vec<Piece>,
) -> Result<(), ExpandError> {
    match part {
        WordPart::Literal(literal) => out.push(Piece::Text {
            text: literal.clone(),
            quoted,
            split: literal_split,
        }),
        WordPart::Quoted(literal) => out.push(Piece::Text {
            text: literal.clone(),
            quoted: true,
            split: false,
        }),
        WordPart::DoubleQuoted(inner) => {
            for part in inner {
                part_pieces(ctx, part, true, false, out)?;
            }
            // `""` is an (empty) field; `"$@"` with no parameters is none.
            let has_at = inner.iter().any(|part| {
                matches!(part, WordPart::Param(param) if param.name == ParamName::Special('@'))
            });
            if !has_at {
                out.push(Piece::Text {
                    text: String::new(),
                    quoted: true,
                    split: false,
                });
            }
        }
        WordPart::Param(param) => params::expand(ctx, param, quoted, out)?,
        WordPart::Command(list) => {
            let mut output = ctx.command_substitution(list)?;
            let kept = output.trim_end_matches('\n').len();
            output.truncate(kept);
            out.push(text(output, quoted));
        }
        WordPart::Arith(inner) => {
            let expression = join_pieces(&pieces(ctx, inner, true)?);
            let value = super::arithmetic(ctx, &expression)?;
            out.push(text(value.to_string(), quoted));
        }
        WordPart::Tilde(user) => match ctx.home(user) {
            Some(home) => out.push(Piece::Text {
                text: home,
                quoted: true,
                split: false,
            }),
            None => out.push(Piece::Text {
                text: format!("~{user}"),
                quoted,
                split: false,
            }),
        },
    }
    Ok(())
}
