//! `printf FORMAT [ARGUMENT...]`: C's conversions on shell words; the
//! format is reused while arguments remain.

use super::echo::unescape;
use super::{failure, usage, write_out};
use crate::exec::Flow;
use crate::expand::parse_number;
use crate::shell::Shell;

/// One conversion's flags, width and precision.
#[derive(Default)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alternate: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    fn pad(&self, text: String, numeric: bool) -> String {
        let width = self.width.unwrap_or(0);
        let length = text.chars().count();
        if length >= width {
            return text;
        }
        let fill = width - length;
        if self.left {
            format!("{text}{}", " ".repeat(fill))
        } else if self.zero && numeric {
            let sign_length = text
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(0)
                .min(text.len());
            let (sign, digits) = text.split_at(sign_length);
            format!("{sign}{}{digits}", "0".repeat(fill))
        } else {
            format!("{}{text}", " ".repeat(fill))
        }
    }

    fn sign(&self, negative: bool) -> &'static str {
        if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        }
    }
}

/// The state of one `printf` run: arguments consumed and errors met.
pub struct Formatter<'a> {
    args: &'a [String],
    next: usize,
    pub failed: bool,
    pub errors: Vec<String>,
}

impl<'a> Formatter<'a> {
    pub fn new(args: &'a [String]) -> Formatter<'a> {
        Formatter {
            args,
            next: 0,
            failed: false,
            errors: Vec::new(),
        }
    }

    fn arg(&mut self) -> Option<&'a str> {
        let arg = self.args.get(self.next)?;
        self.next += 1;
        Some(arg)
    }

    fn integer(&mut self) -> i64 {
        let Some(arg) = self.arg() else {
            return 0;
        };
        if let Some(quoted) = arg.strip_prefix(['\'', '"']) {
            return quoted.chars().next().map_or(0, |c| i64::from(u32::from(c)));
        }
        match parse_number(arg) {
            Some(value) => value,
            None => {
                self.failed = true;
                self.errors.push(format!("{arg}: invalid number"));
                0
            }
        }
    }

    fn float(&mut self) -> f64 {
        let Some(arg) = self.arg() else {
            return 0.0;
        };
        match arg.trim().parse::<f64>() {
            Ok(value) => value,
            Err(_) => match parse_number(arg) {
                Some(value) => value as f64,
                None => {
                    self.failed = true;
                    self.errors.push(format!("{arg}: invalid number"));
                    0.0
                }
            },
        }
    }

    /// Formats once through `format`; the bool is false when `\c` (in the
    /// format or a `%b` argument) stopped output.
    pub fn format(&mut self, format: &str) -> (String, bool) {
        let mut out = String::new();
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let mut escape = String::from('\\');
                if let Some(next) = chars.next() {
                    escape.push(next);
                    if next.is_digit(8) {
                        while escape.len() < 4 && chars.peek().is_some_and(|c| c.is_digit(8)) {
                            escape.extend(chars.next());
                        }
                    } else if next == 'x' {
                        while escape.len() < 4 && chars.peek().is_some_and(char::is_ascii_hexdigit)
                        {
                            escape.extend(chars.next());
                        }
                    }
                }
                let (text, go_on) = unescape(&escape, true);
                out.push_str(&text);
                if !go_on {
                    return (out, false);
                }
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = Spec::default();
            while let Some(&flag) = chars.peek() {
                match flag {
                    '-' => spec.left = true,
                    '0' => spec.zero = true,
                    '+' => spec.plus = true,
                    ' ' => spec.space = true,
                    '#' => spec.alternate = true,
                    _ => break,
                }
                chars.next();
            }
            spec.width = self.number_or_star(&mut chars, &mut spec.left);
            if chars.peek() == Some(&'.') {
                chars.next();
                let mut ignored = false;
                spec.precision = Some(self.number_or_star(&mut chars, &mut ignored).unwrap_or(0));
            }
            let Some(conversion) = chars.next() else {
                out.push('%');
                break;
            };
            match self.convert(conversion, &spec) {
                Some((text, go_on)) => {
                    out.push_str(&text);
                    if !go_on {
                        return (out, false);
                    }
                }
                None => {
                    self.failed = true;
                    self.errors
                        .push(format!("%{conversion}: invalid directive"));
                }
            }
        }
        (out, true)
    }

    fn number_or_star(
        &mut self,
        chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
        left: &mut bool,
    ) -> Option<usize> {
        if chars.peek() == Some(&'*') {
            chars.next();
            let value = self.integer();
            if value < 0 {
                *left = true;
            }
            return Some(value.unsigned_abs() as usize);
        }
        let mut digits = String::new();
        while let Some(c) = chars.peek().filter(|c| c.is_ascii_digit()) {
            digits.push(*c);
            chars.next();
        }
        digits.parse().ok()
    }

    fn convert(&mut self, conversion: char, spec: &Spec) -> Option<(String, bool)> {
        let text = match conversion {
            '%' => "%".to_string(),
            's' => {
                let mut text = self.arg().unwrap_or("").to_string();
                if let Some(precision) = spec.precision {
                    text = text.chars().take(precision).collect();
                }
                spec.pad(text, false)
            }
            'b' => {
                let (mut text, go_on) = unescape(self.arg().unwrap_or(""), false);
                if let Some(precision) = spec.precision {
                    text = text.chars().take(precision).collect();
                }
                return Some((spec.pad(text, false), go_on));
            }
            'c' => {
                let text: String = self.arg().unwrap_or("").chars().take(1).collect();
                spec.pad(text, false)
            }
            'd' | 'i' => {
                let value = self.integer();
                let mut digits = value.unsigned_abs().to_string();
                if let Some(precision) = spec.precision {
                    digits = format!("{digits:0>precision$}");
                }
                spec.pad(
                    format!("{}{digits}", spec.sign(value < 0)),
                    spec.precision.is_none(),
                )
            }
            'o' | 'u' | 'x' | 'X' => {
                let value = self.integer() as u64;
                let mut digits = match conversion {
                    'o' => format!("{value:o}"),
                    'u' => value.to_string(),
                    'x' => format!("{value:x}"),
                    _ => format!("{value:X}"),
                };
                if let Some(precision) = spec.precision {
                    digits = format!("{digits:0>precision$}");
                }
                if spec.alternate && value != 0 {
                    digits = match conversion {
                        'o' => format!("0{digits}"),
                        'x' => format!("0x{digits}"),
                        'X' => format!("0X{digits}"),
                        _ => digits,
                    };
                }
                spec.pad(digits, spec.precision.is_none())
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let value = self.float();
                let precision = spec.precision.unwrap_or(6);
                let body = match conversion {
                    'f' | 'F' => format!("{:.*}", precision, value.abs()),
                    'e' | 'E' => exponent(value.abs(), precision, conversion == 'E'),
                    _ => general(value.abs(), precision, conversion == 'G', spec.alternate),
                };
                let body = if value.is_nan() {
                    "nan".to_string()
                } else if value.is_infinite() {
                    "inf".to_string()
                } else {
                    body
                };
                spec.pad(
                    format!(
                        "{}{body}",
                        spec.sign(value.is_sign_negative() && value != 0.0)
                    ),
                    true,
                )
            }
            _ => return None,
        };
        Some((text, true))
    }

    /// Whether arguments are left for another pass of the format.
    pub fn more(&self) -> bool {
        self.next > 0 && self.next < self.args.len()
    }
}

/// `%e`: d.ddde±XX.
fn exponent(value: f64, precision: usize, upper: bool) -> String {
    let (mantissa, exp) = if value == 0.0 {
        (0.0, 0)
    } else {
        let mut exp = value.log10().floor() as i32;
        let mut mantissa = value / 10f64.powi(exp);
        let rounded: f64 = format!("{:.*}", precision, mantissa)
            .parse()
            .unwrap_or(mantissa);
        if rounded >= 10.0 {
            exp += 1;
            mantissa = value / 10f64.powi(exp);
        }
        (mantissa, exp)
    };
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!(
        "{:.*}{e}{sign}{:02}",
        precision,
        mantissa,
        exp.unsigned_abs()
    )
}

/// `%g`: `%e` or `%f`, whichever is shorter, without trailing zeros.
fn general(value: f64, precision: usize, upper: bool, alternate: bool) -> String {
    let precision = precision.max(1);
    let exp = if value == 0.0 {
        0
    } else {
        let e = exponent(value, precision - 1, false);
        e.rsplit('e')
            .next()
            .and_then(|x| x.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let text = if exp < -4 || exp >= precision as i32 {
        exponent(value, precision - 1, upper)
    } else {
        format!("{:.*}", (precision as i32 - 1 - exp).max(0) as usize, value)
    };
    if alternate {
        return text;
    }
    let (body, tail) = match text.find(['e', 'E']) {
        Some(at) => text.split_at(at),
        None => (text.as_str(), ""),
    };
    let body = if body.contains('.') {
        body.trim_end_matches('0').trim_end_matches('.')
    } else {
        body
    };
    format!("{body}{tail}")
}

pub fn printf(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let args = match argv.get(1).map(String::as_str) {
        Some("--") => &argv[2..],
        _ => &argv[1..],
    };
    let Some((format, args)) = args.split_first() else {
        return Ok(usage(shell, "printf", "usage: printf format [arguments]"));
    };
    let mut formatter = Formatter::new(args);
    let mut out = String::new();
    loop {
        let (text, go_on) = formatter.format(format);
        out.push_str(&text);
        if !go_on || !formatter.more() {
            break;
        }
    }
    for error in &formatter.errors {
        failure(shell, "printf", error);
    }
    let status = write_out(shell, "printf", &out);
    Ok(if formatter.failed { 1 } else { status })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printf(format: &str, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        let mut formatter = Formatter::new(&args);
        let mut out = String::new();
        loop {
            let (text, go_on) = formatter.format(format);
            out.push_str(&text);
            if !go_on || !formatter.more() {
                break;
            }
        }
        out
    }

    #[test]
    fn strings_and_integers() {
        assert_eq!(printf("%s-%s\\n", &["a", "b"]), "a-b\n");
        assert_eq!(printf("%s\\n", &["a", "b", "c"]), "a\nb\nc\n");
        assert_eq!(
            printf("[%5s|%-5s|%.2s]", &["ab", "cd", "xyz"]),
            "[   ab|cd   |xy]"
        );
        assert_eq!(
            printf(
                "%d %i %05d %+d %x %X %o %#x",
                &["42", "-7", "-42", "3", "255", "255", "8", "255"]
            ),
            "42 -7 -0042 +3 ff FF 10 0xff"
        );
        assert_eq!(printf("%d %d", &["0x10", "'A"]), "16 65");
        assert_eq!(printf("%c%c", &["hello", "w"]), "hw");
        assert_eq!(printf("%*d|%-*d|", &["4", "1", "3", "2"]), "   1|2  |");
        assert_eq!(printf("%s %s|", &["x"]), "x |");
        assert_eq!(printf("100%%", &[]), "100%");
    }

    #[test]
    fn escapes_and_b() {
        assert_eq!(printf("a\\tb\\101\\x42", &[]), "a\tbAB");
        assert_eq!(printf("%b", &["x\\ny\\0101"]), "x\nyA");
        assert_eq!(printf("%b|more", &["stop\\chere"]), "stop");
    }

    #[test]
    fn floats() {
        assert_eq!(printf("%.2f %f", &["3.14159", "2"]), "3.14 2.000000");
        assert_eq!(printf("%e", &["12345.678"]), "1.234568e+04");
        assert_eq!(printf("%.1E", &["0.000123"]), "1.2E-04");
        assert_eq!(
            printf("%g %g %g", &["100000", "1000000", "0.0001"]),
            "100000 1e+06 0.0001"
        );
        assert_eq!(printf("%g", &["3.5"]), "3.5");
        assert_eq!(printf("%8.3f|", &["-1.5"]), "  -1.500|");
    }

    #[test]
    fn bad_numbers_fail_but_print() {
        let args = vec!["abc".to_string()];
        let mut formatter = Formatter::new(&args);
        assert_eq!(formatter.format("%d").0, "0");
        assert!(formatter.failed);
    }
}
