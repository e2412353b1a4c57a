//! xargs: builds command lines from stdin and runs them one after another
//! (`-P` beyond 1 and `-L` are not offered). Statuses as GNU's: 123 if a command
//! failed with 1-125, 124 if one exited 255, 125 if one was killed, 126 /
//! 127 if the command could not be run / was not found.

use std::ffi::OsString;
use std::io::{self, Read};

use wasmux_sys::WaitStatus;
use wasmux_sys::process::{Command, Stdio};

use super::not_started;
use crate::common::{Spec, text, usage_error};

/// How the input is cut into arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Blanks and newlines separate; quotes and backslashes protect.
    Blanks,
    /// Each line is one argument, leading blanks removed (-I).
    Lines,
    /// A single byte separates (-0, -d).
    Delimiter(u8),
}

/// The arguments in `input`. Errors: an unmatched quote.
pub fn split_input(input: &[u8], split: Split) -> Result<Vec<String>, String> {
    let owned = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match split {
        Split::Delimiter(delimiter) => {
            let mut items: Vec<String> = input.split(|&b| b == delimiter).map(owned).collect();
            if input.last() == Some(&delimiter) || input.is_empty() {
                items.pop();
            }
            Ok(items)
        }
        Split::Lines => Ok(input
            .split(|&b| b == b'\n')
            .map(|line| owned(line).trim_start().to_string())
            .filter(|line| !line.is_empty())
            .collect()),
        Split::Blanks => {
            let (mut items, mut current, mut started) = (Vec::new(), Vec::new(), false);
            let mut bytes = input.iter().copied();
            while let Some(byte) = bytes.next() {
                match byte {
                    b' ' | b'\t' | b'\n' => {
                        if started {
                            items.push(owned(&current));
                            current.clear();
                            started = false;
                        }
                    }
                    b'\'' | b'"' => {
                        started = true;
                        loop {
                            match bytes.next() {
                                Some(b'\n') | None => {
                                    let kind = if byte == b'"' { "double" } else { "single" };
                                    return Err(format!(
                                        "unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option"
                                    ));
                                }
                                Some(inner) if inner == byte => break,
                                Some(inner) => current.push(inner),
                            }
                        }
                    }
                    b'\\' => {
                        started = true;
                        current.extend(bytes.next());
                    }
                    other => {
                        started = true;
                        current.push(other);
                    }
                }
            }
            if started {
                items.push(owned(&current));
            }
            Ok(items)
        }
    }
}

/// Runs one command line; returns the status it leaves xargs with
/// (`Err` to stop at once).
fn run(command: &[String], trace: bool) -> Result<i32, i32> {
    if trace {
        eprintln!("{}", command.join(" "));
    }
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::null())
        .status();
    match status {
        Ok(WaitStatus::Exited(0)) => Ok(0),
        Ok(WaitStatus::Exited(255)) => {
            eprintln!("xargs: {}: exited with status 255; aborting", command[0]);
            Err(124)
        }
        Ok(WaitStatus::Exited(_)) => Ok(123),
        Ok(status) => {
            let signal = status.signal().map_or(0, |signal| signal.raw());
            eprintln!("xargs: {}: terminated by signal {signal}", command[0]);
            Err(125)
        }
        Err(error) => Err(not_started("xargs", &command[0], &error)),
    }
}

const SPEC: Spec = Spec {
    short: "0d:n:I:rts:P:x",
    long: &[
        ("null", '0', false),
        ("delimiter", 'd', true),
        ("max-args", 'n', true),
        ("replace", 'I', true),
        ("no-run-if-empty", 'r', false),
        ("verbose", 't', false),
        ("max-chars", 's', true),
        ("max-procs", 'P', true),
        ("exit", 'x', false),
    ],
    stop_at_operand: true,
};

/// `xargs [-0] [-d DELIM] [-n MAX] [-I REPLACE] [-r] [-t] [-s SIZE] [COMMAND [ARG]...]`.
pub fn main(args: Vec<OsString>) -> i32 {
    let parsed = match SPEC.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("xargs", &message, 1),
    };
    let number = |letter| {
        parsed
            .value(letter)
            .map(|value| text(value).parse::<usize>().ok().filter(|&n| n > 0))
    };
    let (max_args, max_chars) = match (number('n'), number('s'), number('P')) {
        (Some(None), ..) | (_, Some(None), _) => return usage_error("xargs", "invalid number", 1),
        (_, _, Some(procs)) if procs != Some(1) => {
            return usage_error("xargs", "only -P 1 is supported", 1);
        }
        (n, s, _) => (n.flatten(), s.flatten().unwrap_or(128 * 1024)),
    };
    let replace = parsed.value('I').map(text);
    let split = match (parsed.has('0'), parsed.value('d').map(text), &replace) {
        (true, ..) => Split::Delimiter(0),
        (_, Some(delimiter), _) => match delimiter.as_str() {
            "\\n" => Split::Delimiter(b'\n'),
            "\\t" => Split::Delimiter(b'\t'),
            "\\0" => Split::Delimiter(0),
            single if single.len() == 1 => Split::Delimiter(single.as_bytes()[0]),
            _ => return usage_error("xargs", "invalid delimiter", 1),
        },
        (_, None, Some(_)) => Split::Lines,
        _ => Split::Blanks,
    };
    let mut input = Vec::new();
    if let Err(error) = io::stdin().lock().read_to_end(&mut input) {
        eprintln!("xargs: standard input: {}", crate::common::reason(&error));
        return 1;
    }
    let items = match split_input(&input, split) {
        Ok(items) => items,
        Err(message) => {
            eprintln!("xargs: {message}");
            return 1;
        }
    };
    let mut base: Vec<String> = parsed.operands.iter().map(|arg| text(arg)).collect();
    if base.is_empty() {
        base.push("echo".to_string());
    }
    let trace = parsed.has('t');
    let mut worst = 0;
    if let Some(replace) = replace {
        for item in &items {
            let command: Vec<String> = base.iter().map(|arg| arg.replace(&replace, item)).collect();
            match run(&command, trace) {
                Ok(status) => worst = worst.max(status),
                Err(status) => return status,
            }
        }
        return worst;
    }
    if items.is_empty() && parsed.has('r') {
        return 0;
    }
    let base_size: usize = base.iter().map(|arg| arg.len() + 1).sum();
    let mut batches: Vec<Vec<String>> = vec![Vec::new()];
    let mut size = base_size;
    for item in items {
        let last = batches.last_mut().map_or(0, |batch| batch.len());
        if last > 0
            && (max_args.is_some_and(|max| last >= max) || size + item.len() + 1 > max_chars)
        {
            batches.push(Vec::new());
            size = base_size;
        }
        size += item.len() + 1;
        if let Some(batch) = batches.last_mut() {
            batch.push(item);
        }
    }
    for batch in batches {
        let command: Vec<String> = base.iter().cloned().chain(batch).collect();
        match run(&command, trace) {
            Ok(status) => worst = worst.max(status),
            Err(status) => return status,
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_quotes_and_backslashes_split_like_xargs() {
        let items = split_input(b"a  b\n'c d' \"e\"f g\\ h\n", Split::Blanks).unwrap();
        assert_eq!(items, ["a", "b", "c d", "ef", "g h"]);
        assert!(
            split_input(b"'open", Split::Blanks)
                .unwrap_err()
                .starts_with("unmatched single quote")
        );
        assert_eq!(split_input(b"''", Split::Blanks).unwrap(), [""]);
    }

    #[test]
    fn delimiters_and_lines() {
        assert_eq!(
            split_input(b"a b\0c\0", Split::Delimiter(0)).unwrap(),
            ["a b", "c"]
        );
        assert_eq!(
            split_input(b"x,,y", Split::Delimiter(b',')).unwrap(),
            ["x", "", "y"]
        );
        assert_eq!(
            split_input(b"  one two\n\nthree\n", Split::Lines).unwrap(),
            ["one two", "three"]
        );
        assert!(split_input(b"", Split::Delimiter(0)).unwrap().is_empty());
    }
}
