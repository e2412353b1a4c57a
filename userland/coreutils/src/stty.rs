//! `stty`: the terminal on standard input, as far as scripts ask about it.
//! `stty size` prints "ROWS COLS"; `stty` alone the speed and the size;
//! `stty rows N cols N` sets the size (the kernel's TIOCGWINSZ and
//! TIOCSWINSZ through `wasmux_sys::termios`). The console has no line
//! speed: 38400, as Linux reports for its virtual terminals.

use std::ffi::OsString;

use wasmux_sys::termios::{self, Winsize};

use crate::common::{text, usage_error};

const HELP: &str = "Usage: stty [SETTING]...
Print or change the terminal on standard input.

  size        print the number of rows and columns
  rows N      set the number of rows
  cols N      set the number of columns (also: columns N)
  -a, --all   print the settings (the same as no setting)
";

/// What the arguments ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    /// Print the settings.
    Show,
    /// Print "ROWS COLS".
    Size,
    /// Change the size: new rows and columns, each if given.
    Resize(Option<u16>, Option<u16>),
    Help,
}

/// Parses stty's arguments (without argv\[0\]).
pub fn parse(args: &[String]) -> Result<Request, String> {
    let mut rest = args.iter();
    let (mut rows, mut cols) = (None, None);
    let mut request = None;
    while let Some(arg) = rest.next() {
        let one = |request: &mut Option<Request>, new: Request| match request {
            None => {
                *request = Some(new);
                Ok(())
            }
            Some(_) => Err(format!("invalid argument '{arg}'")),
        };
        match arg.as_str() {
            "--help" => return Ok(Request::Help),
            "-a" | "--all" => one(&mut request, Request::Show)?,
            "size" => one(&mut request, Request::Size)?,
            "rows" | "cols" | "columns" => {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("missing argument to '{arg}'"))?;
                let value = value
                    .parse::<u16>()
                    .map_err(|_| format!("invalid integer argument: '{value}'"))?;
                if arg == "rows" {
                    rows = Some(value);
                } else {
                    cols = Some(value);
                }
            }
            _ => return Err(format!("invalid argument '{arg}'")),
        }
    }
    match request {
        Some(_) if rows.is_some() || cols.is_some() => {
            Err("only one of printing and setting at a time".into())
        }
        Some(request) => Ok(request),
        None if rows.is_some() || cols.is_some() => Ok(Request::Resize(rows, cols)),
        None => Ok(Request::Show),
    }
}

/// `stty`'s settings line for a terminal of `size`.
pub fn describe(size: &Winsize) -> String {
    format!(
        "speed 38400 baud; rows {}; columns {}; line = 0;",
        size.rows, size.cols
    )
}

pub fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args.iter().skip(1).map(|arg| text(arg)).collect();
    let request = match parse(&args) {
        Ok(request) => request,
        Err(message) => return usage_error("stty", &message, 1),
    };
    if request == Request::Help {
        print!("{HELP}");
        return 0;
    }
    let stdin = std::io::stdin();
    if !termios::isatty(&stdin) {
        eprintln!("stty: standard input: Not a tty");
        return 1;
    }
    let size = match termios::window_size(&stdin) {
        Ok(size) => size,
        Err(error) => {
            crate::common::report("stty", "standard input", &error);
            return 1;
        }
    };
    match request {
        Request::Size => println!("{} {}", size.rows, size.cols),
        Request::Resize(rows, cols) => {
            let new = Winsize {
                rows: rows.unwrap_or(size.rows),
                cols: cols.unwrap_or(size.cols),
                ..size
            };
            if let Err(error) = termios::set_window_size(&stdin, new) {
                crate::common::report("stty", "standard input", &error);
                return 1;
            }
        }
        Request::Show | Request::Help => println!("{}", describe(&size)),
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn size_settings_and_nothing_are_understood() {
        assert_eq!(parse(&args("")), Ok(Request::Show));
        assert_eq!(parse(&args("-a")), Ok(Request::Show));
        assert_eq!(parse(&args("size")), Ok(Request::Size));
        assert_eq!(parse(&args("--help")), Ok(Request::Help));
        assert_eq!(parse(&args("rows 30")), Ok(Request::Resize(Some(30), None)));
        assert_eq!(
            parse(&args("cols 100 rows 40")),
            Ok(Request::Resize(Some(40), Some(100)))
        );
        assert_eq!(
            parse(&args("columns 7")),
            Ok(Request::Resize(None, Some(7)))
        );
    }

    #[test]
    fn bad_settings_are_refused_as_gnu_words_them() {
        assert_eq!(parse(&args("raw")), Err("invalid argument 'raw'".into()));
        assert_eq!(
            parse(&args("rows")),
            Err("missing argument to 'rows'".into())
        );
        assert_eq!(
            parse(&args("rows x")),
            Err("invalid integer argument: 'x'".into())
        );
        assert!(parse(&args("size size")).is_err());
        assert!(parse(&args("size rows 3")).is_err());
    }

    #[test]
    fn the_settings_line_has_speed_rows_and_columns() {
        let size = Winsize {
            rows: 24,
            cols: 80,
            xpixel: 0,
            ypixel: 0,
        };
        assert_eq!(
            describe(&size),
            "speed 38400 baud; rows 24; columns 80; line = 0;"
        );
    }

    #[test]
    fn stdin_that_is_not_a_terminal_is_an_error() {
        // On the host wasmux-sys has no kernel: never a terminal.
        if !termios::isatty(std::io::stdin()) {
            assert_eq!(main(vec!["stty".into(), "size".into()]), 1);
        }
    }
}
