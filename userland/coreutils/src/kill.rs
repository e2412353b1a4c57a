//! kill: signals through the kernel (`wasmux-sys` kill). `kill [-SIG | -s
//! SIG | -n NUM] PID|-PGID...`, `kill -l [SIG|STATUS]`, `kill -L`. Signal
//! numbers are WASI's (kernel/uapi), which Linux's match for 1-15.

use std::ffi::OsString;

use wasmux_sys::Signal;

use crate::common::{reason, text};

/// A signal by number ("9"), name ("KILL", "kill") or SIG name
/// ("SIGKILL"); `Some(None)` is signal 0 (only check).
pub fn parse_signal(word: &str) -> Option<Option<Signal>> {
    if let Ok(number) = word.parse::<u8>() {
        return if number == 0 {
            Some(None)
        } else {
            Signal::from_raw(number).map(Some)
        };
    }
    let upper = word.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    Signal::ALL
        .iter()
        .find(|signal| signal.name() == name)
        .map(|&signal| Some(signal))
}

/// `kill -l`'s list: the names, space-separated, lines under 80 columns.
pub fn list() -> String {
    let mut out = String::new();
    let mut line = String::new();
    for signal in Signal::ALL {
        if !line.is_empty() && line.len() + 1 + signal.name().len() >= 80 {
            out += &line;
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += signal.name();
    }
    out + &line + "\n"
}

/// `kill -L`'s table: "NN NAME" cells, seven a line.
pub fn table() -> String {
    let cells: Vec<String> = Signal::ALL
        .iter()
        .map(|s| format!("{:>2} {:<8}", s.raw(), s.name()))
        .collect();
    let lines: Vec<String> = cells
        .chunks(7)
        .map(|row| row.concat().trim_end().to_string())
        .collect();
    lines.join("\n") + "\n"
}

/// `kill -l WORD`: a number (or an exit status over 128) gives the name, a
/// name the number.
pub fn lookup(word: &str) -> Option<String> {
    if let Ok(mut number) = word.parse::<u32>() {
        if number > 128 {
            number -= 128;
        }
        let signal = u8::try_from(number).ok().and_then(Signal::from_raw)?;
        return Some(signal.name().to_string());
    }
    match parse_signal(word)? {
        Some(signal) => Some(signal.raw().to_string()),
        None => Some("0".to_string()),
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    List(Option<String>),
    Table,
    /// Send the signal (None: check only) to each target (negative: a group).
    Send(Option<Signal>, Vec<String>),
}

/// Reads kill's arguments. Errors: the message to print.
pub fn parse_args(args: &[String]) -> Result<Request, String> {
    let mut signal = Some(Signal::Term);
    let mut index = 0;
    let named = |word: &str| parse_signal(word).ok_or_else(|| format!("unknown signal: {word}"));
    while let Some(arg) = args.get(index) {
        index += 1;
        match arg.as_str() {
            "-l" | "--list" => return Ok(Request::List(args.get(index).cloned())),
            "-L" | "--table" => return Ok(Request::Table),
            "-s" | "--signal" | "-n" => {
                let word = args
                    .get(index)
                    .ok_or_else(|| format!("option '{arg}' requires an argument"))?;
                signal = named(word)?;
                index += 1;
            }
            "--" => break,
            word if word.starts_with('-') && word.len() > 1 && index == 1 => {
                signal = named(&word[1..])?
            }
            _ => {
                index -= 1;
                break;
            }
        }
    }
    let targets = args[index..].to_vec();
    if targets.is_empty() {
        return Err("not enough arguments".to_string());
    }
    Ok(Request::Send(signal, targets))
}

/// `kill ...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args.iter().skip(1).map(|arg| text(arg)).collect();
    let request = match parse_args(&args) {
        Ok(request) => request,
        Err(message) => {
            eprintln!("kill: {message}");
            eprintln!("Usage: kill [-s SIGNAL | -SIGNAL] PID... | kill -l [SIGNAL]");
            return 1;
        }
    };
    match request {
        Request::Table => print!("{}", table()),
        Request::List(None) => print!("{}", list()),
        Request::List(Some(word)) => match lookup(&word) {
            Some(answer) => println!("{answer}"),
            None => {
                eprintln!("kill: unknown signal: {word}");
                return 1;
            }
        },
        Request::Send(signal, targets) => {
            let mut status = 0;
            for target in targets {
                let Ok(pid) = target.parse::<i32>() else {
                    eprintln!("kill: failed to parse argument: '{target}'");
                    status = 1;
                    continue;
                };
                let result = match signal {
                    Some(signal) => wasmux_sys::kill(pid, signal),
                    None if wasmux_sys::exists(pid) => Ok(()),
                    None => Err(std::io::Error::from_raw_os_error(
                        wasmux_sys::Errno::Srch as i32,
                    )),
                };
                if let Err(error) = result {
                    eprintln!("kill: ({pid}) - {}", reason(&error));
                    status = 1;
                }
            }
            return status;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn signals_parse_by_number_and_name() {
        assert_eq!(parse_signal("9"), Some(Some(Signal::Kill)));
        assert_eq!(parse_signal("sigint"), Some(Some(Signal::Int)));
        assert_eq!(parse_signal("HUP"), Some(Some(Signal::Hup)));
        assert_eq!(parse_signal("0"), Some(None));
        assert_eq!(parse_signal("NOPE"), None);
    }

    #[test]
    fn arguments_select_signal_and_targets() {
        let send = |signal, targets: &[&str]| Ok(Request::Send(signal, words(targets)));
        assert_eq!(
            parse_args(&words(&["12"])),
            send(Some(Signal::Term), &["12"])
        );
        assert_eq!(
            parse_args(&words(&["-9", "-12", "4"])),
            send(Some(Signal::Kill), &["-12", "4"])
        );
        assert_eq!(
            parse_args(&words(&["-s", "USR1", "3"])),
            send(Some(Signal::Usr1), &["3"])
        );
        assert_eq!(
            parse_args(&words(&["--", "-7"])),
            send(Some(Signal::Term), &["-7"])
        );
        assert_eq!(parse_args(&words(&["-0", "5"])), send(None, &["5"]));
        assert_eq!(
            parse_args(&words(&["-l", "15"])),
            Ok(Request::List(Some("15".into())))
        );
        assert_eq!(
            parse_args(&words(&["-BOGUS", "1"])),
            Err("unknown signal: BOGUS".into())
        );
        assert_eq!(
            parse_args(&words(&["-9"])),
            Err("not enough arguments".into())
        );
    }

    #[test]
    fn lists_name_and_number_signals() {
        assert!(
            list().starts_with(
                "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM"
            )
        );
        assert!(list().lines().all(|line| line.len() < 80));
        assert!(table().starts_with(" 1 HUP      2 INT      3 QUIT"));
        assert_eq!(lookup("15").as_deref(), Some("TERM"));
        assert_eq!(lookup("137").as_deref(), Some("KILL"));
        assert_eq!(lookup("SIGINT").as_deref(), Some("2"));
    }
}
