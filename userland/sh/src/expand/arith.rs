//! Arithmetic expansion `$((...))`: C's integer operators on i64, with
//! variables read and assigned by name (XCU 2.6.4, plus `**`, `++`, `--`).
//!
//! The text (already expanded) is parsed into a tree, then evaluated, so
//! the branch not taken by `&&`, `||` and `?:` has no side effects.

use super::ExpandError;

/// Variable access for arithmetic.
pub trait ArithVars {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: String) -> Result<(), ExpandError>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bin {
    Mul,
    Div,
    Rem,
    Pow,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
}

#[derive(Debug)]
enum Expr {
    Num(i64),
    Var(String),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Complement(Box<Expr>),
    Binary(Bin, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `name = e`, `name += e`, ...
    Assign(Option<Bin>, String, Box<Expr>),
    /// `++name` (pre) or `name++`, by `delta`.
    Step {
        name: String,
        delta: i64,
        pre: bool,
    },
}

/// Evaluates `text`.
pub fn evaluate(text: &str, vars: &mut dyn ArithVars) -> Result<i64, ExpandError> {
    evaluate_at_depth(text, vars, 0)
}

fn evaluate_at_depth(text: &str, vars: &mut dyn ArithVars, depth: u32) -> Result<i64, ExpandError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut parser = ExprParser { tokens, at: 0 };
    let expr = parser.assignment()?;
    if let Some(token) = parser.tokens.get(parser.at) {
        return Err(syntax(text, token));
    }
    Evaluator { vars, depth }.eval(&expr)
}

fn syntax(text: &str, near: &str) -> ExpandError {
    ExpandError::new(format!(
        "{}: arithmetic syntax error (error token is \"{near}\")",
        text.trim()
    ))
}

fn tokenize(text: &str) -> Result<Vec<String>, ExpandError> {
    const OPERATORS: [&str; 36] = [
        "<<=", ">>=", "**", "++", "--", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+=", "-=",
        "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&",
        "^", "|", "?", ":",
    ];
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '#'))
                .unwrap_or(rest.len());
            tokens.push(rest[..end].to_string());
            rest = &rest[end..];
            continue;
        }
        if c == '(' || c == ')' {
            tokens.push(c.to_string());
            rest = &rest[1..];
            continue;
        }
        match OPERATORS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                tokens.push(op.to_string());
                rest = &rest[op.len()..];
            }
            None => return Err(syntax(text, rest)),
        }
    }
    Ok(tokens)
}

/// A number as C writes it (`12`, `0x1f`, `017`) or as `base#digits`.
pub fn parse_number(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some((base, digits)) = digits.split_once('#') {
        let base: u32 = base.parse().ok().filter(|base| (2..=36).contains(base))?;
        i64::from_str_radix(digits, base).ok()?
    } else if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

struct ExprParser {
    tokens: Vec<String>,
    at: usize,
}

impl ExprParser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Option<String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn error(&self) -> ExpandError {
        let near = self.peek().unwrap_or("end of expression");
        ExpandError::new(format!(
            "arithmetic syntax error (error token is \"{near}\")"
        ))
    }

    fn assignment(&mut self) -> Result<Expr, ExpandError> {
        let is_name = |token: &str| {
            token
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        };
        if let (Some(name), Some(op)) = (self.tokens.get(self.at), self.tokens.get(self.at + 1)) {
            let compound = match op.as_str() {
                "=" => Some(None),
                "*=" => Some(Some(Bin::Mul)),
                "/=" => Some(Some(Bin::Div)),
                "%=" => Some(Some(Bin::Rem)),
                "+=" => Some(Some(Bin::Add)),
                "-=" => Some(Some(Bin::Sub)),
                "<<=" => Some(Some(Bin::Shl)),
                ">>=" => Some(Some(Bin::Shr)),
                "&=" => Some(Some(Bin::BitAnd)),
                "^=" => Some(Some(Bin::BitXor)),
                "|=" => Some(Some(Bin::BitOr)),
                _ => None,
            };
            if let Some(op) = compound.filter(|_| is_name(name)) {
                let name = name.clone();
                self.at += 2;
                let value = self.assignment()?;
                return Ok(Expr::Assign(op, name, Box::new(value)));
            }
        }
        self.conditional()
    }

    fn conditional(&mut self) -> Result<Expr, ExpandError> {
        let condition = self.binary(0)?;
        if self.peek() != Some("?") {
            return Ok(condition);
        }
        self.at += 1;
        let yes = self.assignment()?;
        if self.next().as_deref() != Some(":") {
            return Err(self.error());
        }
        let no = self.assignment()?;
        Ok(Expr::Cond(Box::new(condition), Box::new(yes), Box::new(no)))
    }

    /// Binary operators by precedence level, lowest first.
    fn binary(&mut self, level: usize) -> Result<Expr, ExpandError> {
        const LEVELS: [&[(&str, Bin)]; 10] = [
            &[("||", Bin::Or)],
            &[("&&", Bin::And)],
            &[("|", Bin::BitOr)],
            &[("^", Bin::BitXor)],
            &[("&", Bin::BitAnd)],
            &[("==", Bin::Eq), ("!=", Bin::Ne)],
            &[
                ("<", Bin::Lt),
                ("<=", Bin::Le),
                (">", Bin::Gt),
                (">=", Bin::Ge),
            ],
            &[("<<", Bin::Shl), (">>", Bin::Shr)],
            &[("+", Bin::Add), ("-", Bin::Sub)],
            &[("*", Bin::Mul), ("/", Bin::Div), ("%", Bin::Rem)],
        ];
        let Some(operators) = LEVELS.get(level) else {
            return self.power();
        };
        let mut left = self.binary(level + 1)?;
        while let Some(&(_, op)) = operators.iter().find(|(text, _)| self.peek() == Some(text)) {
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn power(&mut self) -> Result<Expr, ExpandError> {
        let base = self.unary()?;
        if self.peek() == Some("**") {
            self.at += 1;
            let exponent = self.power()?;
            return Ok(Expr::Binary(Bin::Pow, Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<Expr, ExpandError> {
        match self.peek() {
            Some("-") => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary()?)))
            }
            Some("+") => {
                self.at += 1;
                self.unary()
            }
            Some("!") => {
                self.at += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some("~") => {
                self.at += 1;
                Ok(Expr::Complement(Box::new(self.unary()?)))
            }
            Some(op @ ("++" | "--")) => {
                let delta = if op == "++" { 1 } else { -1 };
                self.at += 1;
                match self.next() {
                    Some(name)
                        if name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') =>
                    {
                        Ok(Expr::Step {
                            name,
                            delta,
                            pre: true,
                        })
                    }
                    _ => Err(self.error()),
                }
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Expr, ExpandError> {
        let token = self.next().ok_or_else(|| self.error())?;
        if token == "(" {
            let inner = self.assignment()?;
            if self.next().as_deref() != Some(")") {
                return Err(self.error());
            }
            return Ok(inner);
        }
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            return parse_number(&token).map(Expr::Num).ok_or_else(|| {
                ExpandError::new(format!("{token}: value too great for base or bad number"))
            });
        }
        if !token.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            self.at -= 1;
            return Err(self.error());
        }
        if let Some(op @ ("++" | "--")) = self.peek() {
            let delta = if op == "++" { 1 } else { -1 };
            self.at += 1;
            return Ok(Expr::Step {
                name: token,
                delta,
                pre: false,
            });
        }
        Ok(Expr::Var(token))
    }
}

struct Evaluator<'a> {
    vars: &'a mut dyn ArithVars,
    depth: u32,
}

impl Evaluator<'_> {
    fn var(&mut self, name: &str) -> Result<i64, ExpandError> {
        let value = self.vars.get(name).unwrap_or_default();
        if value.trim().is_empty() {
            return Ok(0);
        }
        if let Some(number) = parse_number(&value) {
            return Ok(number);
        }
        // A variable holding an expression: evaluate it, not forever.
        if self.depth > 32 {
            return Err(ExpandError::new(format!(
                "{name}: expression recursion level exceeded"
            )));
        }
        evaluate_at_depth(&value, self.vars, self.depth + 1)
    }

    fn eval(&mut self, expr: &Expr) -> Result<i64, ExpandError> {
        Ok(match expr {
            Expr::Num(value) => *value,
            Expr::Var(name) => self.var(name)?,
            Expr::Neg(inner) => self.eval(inner)?.wrapping_neg(),
            Expr::Not(inner) => i64::from(self.eval(inner)? == 0),
            Expr::Complement(inner) => !self.eval(inner)?,
            Expr::Binary(Bin::And, left, right) => {
                i64::from(self.eval(left)? != 0 && self.eval(right)? != 0)
            }
            Expr::Binary(Bin::Or, left, right) => {
                i64::from(self.eval(left)? != 0 || self.eval(right)? != 0)
            }
            Expr::Binary(op, left, right) => {
                let left = self.eval(left)?;
                let right = self.eval(right)?;
                apply(*op, left, right)?
            }
            Expr::Cond(condition, yes, no) => {
                if self.eval(condition)? != 0 {
                    self.eval(yes)?
                } else {
                    self.eval(no)?
                }
            }
            Expr::Assign(op, name, value) => {
                let value = self.eval(value)?;
                let value = match op {
                    Some(op) => apply(*op, self.var(name)?, value)?,
                    None => value,
                };
                self.vars.set(name, value.to_string())?;
                value
            }
            Expr::Step { name, delta, pre } => {
                let old = self.var(name)?;
                let new = old.wrapping_add(*delta);
                self.vars.set(name, new.to_string())?;
                if *pre { new } else { old }
            }
        })
    }
}

fn apply(op: Bin, left: i64, right: i64) -> Result<i64, ExpandError> {
    let zero = || ExpandError::new("division by 0");
    Ok(match op {
        Bin::Mul => left.wrapping_mul(right),
        Bin::Div if right == 0 => return Err(zero()),
        Bin::Div => left.wrapping_div(right),
        Bin::Rem if right == 0 => return Err(zero()),
        Bin::Rem => left.wrapping_rem(right),
        Bin::Pow if right < 0 => return Err(ExpandError::new("exponent less than 0")),
        Bin::Pow => left.wrapping_pow(u32::try_from(right).unwrap_or(u32::MAX)),
        Bin::Add => left.wrapping_add(right),
        Bin::Sub => left.wrapping_sub(right),
        Bin::Shl => left.wrapping_shl(right as u32),
        Bin::Shr => left.wrapping_shr(right as u32),
        Bin::Lt => i64::from(left < right),
        Bin::Le => i64::from(left <= right),
        Bin::Gt => i64::from(left > right),
        Bin::Ge => i64::from(left >= right),
        Bin::Eq => i64::from(left == right),
        Bin::Ne => i64::from(left != right),
        Bin::BitAnd => left & right,
        Bin::BitXor => left ^ right,
        Bin::BitOr => left | right,
        Bin::And => i64::from(left != 0 && right != 0),
        Bin::Or => i64::from(left != 0 || right != 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Vars(HashMap<String, String>);

    impl ArithVars for Vars {
        fn get(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }

        fn set(&mut self, name: &str, value: String) -> Result<(), ExpandError> {
            self.0.insert(name.to_string(), value);
            Ok(())
        }
    }

    fn eval(text: &str) -> i64 {
        evaluate(text, &mut Vars::default()).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn precedence_and_associativity_follow_c() {
        assert_eq!(eval("1 + 2 * 3"), 7);
        assert_eq!(eval("(1 + 2) * 3"), 9);
        assert_eq!(eval("10 - 3 - 2"), 5);
        assert_eq!(eval("2 ** 3 ** 2"), 512);
        assert_eq!(eval("-7 / 2"), -3);
        assert_eq!(eval("-7 % 3"), -1);
        assert_eq!(eval("1 < 2 && 3 >= 3"), 1);
        assert_eq!(eval("!0 + ~0"), 0);
        assert_eq!(eval("1 << 4 | 1"), 17);
        assert_eq!(eval("0 ? 1 : 2 ? 3 : 4"), 3);
        assert_eq!(eval("0x1f + 010 + 2#101"), 31 + 8 + 5);
        assert_eq!(eval(""), 0);
    }

    #[test]
    fn variables_are_read_and_assigned() {
        let mut vars = Vars::default();
        vars.0.insert("x".into(), "5".into());
        vars.0.insert("e".into(), "x * 2".into());
        assert_eq!(evaluate("x + e + unset", &mut vars).unwrap(), 15);
        assert_eq!(evaluate("y = x += 2", &mut vars).unwrap(), 7);
        assert_eq!(vars.0["y"], "7");
        assert_eq!(evaluate("x++ + ++x", &mut vars).unwrap(), 7 + 9);
        assert_eq!(evaluate("0 && (z = 1)", &mut vars).unwrap(), 0);
        assert!(
            !vars.0.contains_key("z"),
            "the untaken branch has no effect"
        );
    }

    #[test]
    fn errors_are_reported() {
        let mut vars = Vars::default();
        assert_eq!(
            evaluate("1 / 0", &mut vars).unwrap_err().message,
            "division by 0"
        );
        assert!(evaluate("1 +", &mut vars).is_err());
        assert!(evaluate("(1", &mut vars).is_err());
        assert!(evaluate("1 2", &mut vars).is_err());
        vars.0.insert("a".into(), "a".into());
        assert!(evaluate("a", &mut vars).is_err(), "self reference ends");
    }

    proptest! {
        /// Sums and products agree with Rust's wrapping arithmetic.
        #[test]
        fn agrees_with_rust(a in -1000i64..1000, b in -1000i64..1000, c in 1i64..100) {
            let text = format!("{a} + {b} * {c} - ({a} / {c}) % {c}");
            prop_assert_eq!(eval(&text), a + b * c - (a / c) % c);
        }
    }
}
