//! `echo` (bash's: escapes only with `-e`) and the backslash escapes it
//! shares with `printf`.

use super::write_out;
use crate::exec::Flow;
use crate::shell::Shell;

/// Replaces backslash escapes in `text`; the bool is false when `\c`
/// asked to stop all output there. `printf_octal`: `\NNN` (printf's
/// format) rather than `\0NNN` (echo and `%b`).
pub fn unescape(text: &str, printf_octal: bool) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        match next {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'c' => return (out, false),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '0'..='7' if printf_octal || next == '0' => {
                let mut value = if printf_octal {
                    next.to_digit(8).unwrap_or(0)
                } else {
                    0
                };
                let max = if printf_octal { 2 } else { 3 };
                for _ in 0..max {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from((value & 0xff) as u8));
            }
            'x' | 'u' | 'U' => {
                let max = match next {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut digits = String::new();
                while digits.len() < max {
                    match chars.peek() {
                        Some(c) if c.is_ascii_hexdigit() => {
                            digits.push(*c);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                match u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(c) => out.push(c),
                    None => {
                        out.push('\\');
                        out.push(next);
                        out.push_str(&digits);
                    }
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, true)
}

pub fn echo(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut newline = true;
    let mut escapes = false;
    let mut args = &argv[1..];
    while let Some(arg) = args.first() {
        let Some(flags) = arg.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for flag in flags.chars() {
            match flag {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        args = &args[1..];
    }
    let mut text = args.join(" ");
    if escapes {
        let (unescaped, go_on) = unescape(&text, false);
        text = unescaped;
        newline &= go_on;
    }
    if newline {
        text.push('\n');
    }
    Ok(write_out(shell, "echo", &text))
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r"a\tb\\n\n", false),
            ("a\tb\\n\n".to_string(), true)
        );
        assert_eq!(unescape(r"\0101\x41\u00e9", false).0, "AAé");
        assert_eq!(unescape(r"\101", true).0, "A");
        assert_eq!(unescape(r"\101", false).0, "\\101");
        assert_eq!(unescape(r"stop\cnot", false), ("stop".to_string(), false));
        assert_eq!(unescape(r"\q", false).0, "\\q");
    }
}
