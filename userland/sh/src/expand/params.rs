//! Parameter expansion: `$x`, `$@`, `${#x}`, `${x:-word}` and the other
//! tests, `${x%pat}` and the other trims.

use super::word::{operand_pieces, pieces, text};
use super::{Context, ExpandError, Piece, join_pieces, pattern_of};
use crate::syntax::ast::{Param, ParamName, ParamOp, TestKind};

/// How error messages name a parameter.
fn display(name: &ParamName) -> String {
    match name {
        ParamName::Named(name) => name.clone(),
        ParamName::Positional(index) => index.to_string(),
        ParamName::Special(c) => c.to_string(),
    }
}

/// The value of a parameter as one string (`$@` and `$*` joined by spaces).
fn lookup(ctx: &dyn Context, name: &ParamName) -> Option<String> {
    match name {
        ParamName::Named(name) => ctx.var(name),
        ParamName::Positional(index) => ctx.positional().get(index.checked_sub(1)?).cloned(),
        ParamName::Special('#') => Some(ctx.positional().len().to_string()),
        ParamName::Special('@' | '*') => Some(ctx.positional().join(" ")),
        ParamName::Special(c) => ctx.special(*c),
    }
}

/// [`lookup`], failing under `set -u` when the parameter is unset.
fn require(ctx: &dyn Context, name: &ParamName) -> Result<String, ExpandError> {
    match lookup(ctx, name) {
        Some(value) => Ok(value),
        None if ctx.nounset() => Err(ExpandError::fatal(format!(
            "{}: unbound variable",
            display(name)
        ))),
        None => Ok(String::new()),
    }
}

/// `$@` and `$*`.
fn positional(ctx: &dyn Context, star: bool, quoted: bool, out: &mut Vec<Piece>) {
    let params = ctx.positional().to_vec();
    if quoted && star {
        let separator = match ctx.var("IFS") {
            Some(ifs) => ifs.chars().next().map(String::from).unwrap_or_default(),
            None => " ".to_string(),
        };
        out.push(text(params.join(&separator), true));
        return;
    }
    for (index, param) in params.into_iter().enumerate() {
        if index > 0 {
            out.push(Piece::Break);
        }
        out.push(text(param, quoted));
    }
}

pub fn expand(
    ctx: &mut dyn Context,
    param: &Param,
    quoted: bool,
    out: &mut Vec<Piece>,
) -> Result<(), ExpandError> {
    let name = &param.name;
    match &param.op {
        ParamOp::Plain => match name {
            ParamName::Special(c @ ('@' | '*')) => positional(ctx, *c == '*', quoted, out),
            _ => out.push(text(require(ctx, name)?, quoted)),
        },
        ParamOp::Length => {
            let length = match name {
                ParamName::Special('@' | '*') => ctx.positional().len(),
                _ => require(ctx, name)?.chars().count(),
            };
            out.push(text(length.to_string(), quoted));
        }
        ParamOp::Test { kind, colon, word } => {
            let value = lookup(ctx, name);
            let set = value
                .as_ref()
                .is_some_and(|value| !*colon || !value.is_empty());
            let value_pieces = |ctx: &mut dyn Context, out: &mut Vec<Piece>| match name {
                ParamName::Special(c @ ('@' | '*')) => positional(ctx, *c == '*', quoted, out),
                _ => out.push(text(value.clone().unwrap_or_default(), quoted)),
            };
            match (kind, set) {
                (TestKind::Default, false) | (TestKind::Alternative, true) => {
                    operand_pieces(ctx, word, quoted, out)?;
                }
                (TestKind::Alternative, false) => {}
                (TestKind::Default | TestKind::Error | TestKind::Assign, true) => {
                    value_pieces(ctx, out);
                }
                (TestKind::Assign, false) => {
                    let ParamName::Named(variable) = name else {
                        return Err(ExpandError::fatal(format!(
                            "${}: cannot assign in this way",
                            display(name)
                        )));
                    };
                    let value = join_pieces(&pieces(ctx, word, quoted)?);
                    ctx.set_var(variable, value.clone())?;
                    out.push(text(value, quoted));
                }
                (TestKind::Error, false) => {
                    let message = join_pieces(&pieces(ctx, word, quoted)?);
                    let message = match (message.is_empty(), colon) {
                        (false, _) => message,
                        (true, true) => "parameter null or not set".to_string(),
                        (true, false) => "parameter not set".to_string(),
                    };
                    return Err(ExpandError::fatal(format!("{}: {message}", display(name))));
                }
            }
        }
        ParamOp::Trim {
            suffix,
            longest,
            pattern,
        } => {
            let value = require(ctx, name)?;
            // Inside double quotes too, the unquoted part of the pattern is a pattern.
            let pattern = pattern_of(&pieces(ctx, pattern, false)?);
            out.push(text(pattern.trim(&value, *suffix, *longest), quoted));
        }
    }
    Ok(())
}
