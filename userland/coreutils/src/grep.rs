//! grep: the `regex` crate behind GNU grep's options (-i -v -c -n -l -L -r
//! -R -E -F -G -e -f -q -s -h -H -w -x -o -m). Exit status 0 when a line
//! was selected, 1 when none was, 2 on an error (0 with -q once a line is
//! selected, whatever else failed).
//!
//! Basic regular expressions (the default) are rewritten into the regex
//! crate's syntax ([`basic_to_extended`]); back-references are not
//! supported (the crate has none), and such a pattern is an error.

mod search;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

use regex::bytes::{Regex, RegexBuilder};

use crate::common::{Spec, report, text};
pub use search::{Matcher, Output};

/// How patterns are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
    Fixed,
}

/// A basic regular expression (POSIX BRE) in the regex crate's syntax:
/// `\(`, `\)`, `\{`, `\}`, `\|`, `\+`, `\?` become operators and their bare
/// forms literals; `*` leading an expression, `^` not leading one and `$`
/// not ending one are literals.
pub fn basic_to_extended(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut index = 0;
    // At the start of an expression: after nothing, `\(` or `\|`.
    let mut leading = true;
    while index < chars.len() {
        let c = chars[index];
        let was_leading = leading;
        leading = false;
        match c {
            '\\' if index + 1 < chars.len() => {
                index += 1;
                match chars[index] {
                    open @ ('(' | '|') => {
                        out.push(open);
                        leading = true;
                    }
                    op @ (')' | '{' | '}' | '+' | '?') => out.push(op),
                    '<' | '>' | 'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(chars[index]);
                    }
                    other => out.push_str(&regex::escape(&other.to_string())),
                }
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => out.push_str(&regex::escape(&c.to_string())),
            '*' if was_leading => out.push_str("\\*"),
            '^' if was_leading => {
                out.push('^');
                leading = true;
            }
            '^' => out.push_str("\\^"),
            '$' => {
                let rest = &chars[index + 1..];
                let ends = rest.is_empty()
                    || rest.starts_with(&['\\', ')'])
                    || rest.starts_with(&['\\', '|']);
                out.push_str(if ends { "$" } else { "\\$" });
            }
            '[' => index = bracket(&chars, index, &mut out),
            other => out.push(other),
        }
        index += 1;
    }
    out
}

/// Copies the bracket expression starting at `chars[start]` (a `[`) into
/// `out` in the regex crate's syntax; returns the index of its `]`. A `]`
/// first is a member, a backslash is literal, `[:class:]` stays as is.
fn bracket(chars: &[char], start: usize, out: &mut String) -> usize {
    let mut index = start + 1;
    out.push('[');
    if chars.get(index) == Some(&'^') {
        out.push('^');
        index += 1;
    }
    if chars.get(index) == Some(&']') {
        out.push_str("\\]");
        index += 1;
    }
    while index < chars.len() && chars[index] != ']' {
        match chars[index] {
            '[' if matches!(chars.get(index + 1), Some(':' | '.' | '=')) => {
                let close = chars[index + 1];
                out.push('[');
                index += 1;
                while index < chars.len() {
                    out.push(chars[index]);
                    if chars[index] == close && chars.get(index + 1) == Some(&']') {
                        out.push(']');
                        index += 1;
                        break;
                    }
                    index += 1;
                }
            }
            // Set operators and nesting in the regex crate's classes.
            c @ ('[' | '&' | '~' | '\\') => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        index += 1;
    }
    if index < chars.len() {
        out.push(']');
    }
    index
}

/// One regex matching any of `patterns`. Errors: the regex crate's message.
pub fn build_regex(
    patterns: &[String],
    syntax: Syntax,
    ignore_case: bool,
    word: bool,
    line: bool,
) -> Result<Regex, String> {
    let alternatives: Vec<String> = patterns
        .iter()
        .map(|pattern| match syntax {
            Syntax::Basic => basic_to_extended(pattern),
            Syntax::Extended => pattern.clone(),
            Syntax::Fixed => regex::escape(pattern),
        })
        .map(|pattern| format!("(?:{pattern})"))
        .collect();
    let mut joined = alternatives.join("|");
    if word {
        joined = format!(r"\b(?:{joined})\b");
    }
    if line {
        joined = format!("^(?:{joined})$");
    }
    RegexBuilder::new(&joined)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|error| {
            error
                .to_string()
                .lines()
                .last()
                .unwrap_or("invalid pattern")
                .trim()
                .trim_start_matches("error: ")
                .to_string()
        })
}

const SPEC: Spec = Spec {
    short: "ivcnlLrREFGe:f:qshHwxom:",
    long: &[
        ("ignore-case", 'i', false),
        ("invert-match", 'v', false),
        ("count", 'c', false),
        ("line-number", 'n', false),
        ("files-with-matches", 'l', false),
        ("files-without-match", 'L', false),
        ("recursive", 'r', false),
        ("dereference-recursive", 'R', false),
        ("extended-regexp", 'E', false),
        ("fixed-strings", 'F', false),
        ("basic-regexp", 'G', false),
        ("regexp", 'e', true),
        ("file", 'f', true),
        ("quiet", 'q', false),
        ("silent", 'q', false),
        ("no-messages", 's', false),
        ("no-filename", 'h', false),
        ("with-filename", 'H', false),
        ("word-regexp", 'w', false),
        ("line-regexp", 'x', false),
        ("only-matching", 'o', false),
        ("max-count", 'm', true),
    ],
    stop_at_operand: false,
};

/// `grep [OPTION]... PATTERNS [FILE]...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let parsed = match SPEC.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("grep: {message}\nUsage: grep [OPTION]... PATTERNS [FILE]...");
            eprintln!("Try 'grep --help' for more information.");
            return 2;
        }
    };
    let mut operands = parsed.operands.clone().into_iter();
    let mut patterns: Vec<String> = parsed.values('e').map(text).collect();
    for file in parsed.values('f') {
        match std::fs::read_to_string(file) {
            Ok(list) => patterns.extend(list.lines().map(str::to_owned)),
            Err(error) => {
                report("grep", file.to_string_lossy(), &error);
                return 2;
            }
        }
    }
    if !parsed.has('e') && !parsed.has('f') {
        match operands.next() {
            Some(pattern) => patterns.push(text(&pattern)),
            None => {
                eprintln!("Usage: grep [OPTION]... PATTERNS [FILE]...");
                eprintln!("Try 'grep --help' for more information.");
                return 2;
            }
        }
    }
    let patterns: Vec<String> = patterns
        .iter()
        .flat_map(|p| p.split('\n').map(str::to_owned))
        .collect();
    let syntax = match parsed
        .options
        .iter()
        .rev()
        .find(|(c, _)| matches!(c, 'E' | 'F' | 'G'))
    {
        Some(('E', _)) => Syntax::Extended,
        Some(('F', _)) => Syntax::Fixed,
        _ => Syntax::Basic,
    };
    let regex = match build_regex(
        &patterns,
        syntax,
        parsed.has('i'),
        parsed.has('w'),
        parsed.has('x'),
    ) {
        Ok(regex) => regex,
        Err(message) => {
            eprintln!("grep: {message}");
            return 2;
        }
    };
    let output = if parsed.has('q') {
        Output::Quiet
    } else if parsed.has('l') {
        Output::FilesWithMatches
    } else if parsed.has('L') {
        Output::FilesWithoutMatch
    } else if parsed.has('c') {
        Output::Count
    } else if parsed.has('o') {
        Output::OnlyMatching
    } else {
        Output::Lines
    };
    let max_count = match parsed.value('m').map(|m| text(m).parse::<u64>()) {
        None => None,
        Some(Ok(count)) => Some(count),
        Some(Err(_)) => {
            eprintln!("grep: invalid max count");
            return 2;
        }
    };
    let recursive = parsed.has('r') || parsed.has('R');
    let mut files: Vec<OsString> = operands.collect();
    let implicit_dot = files.is_empty() && recursive;
    if files.is_empty() {
        files.push(if recursive { ".".into() } else { "-".into() });
    }
    let mut matcher = Matcher {
        regex,
        invert: parsed.has('v'),
        line_number: parsed.has('n'),
        output,
        max_count,
        with_filename: (files.len() > 1 || recursive) && !parsed.has('h') || parsed.has('H'),
        follow_links: parsed.has('R'),
        recursive,
        quiet_errors: parsed.has('s'),
        selected: false,
        failed: false,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for file in &files {
        let path = Path::new(file);
        if implicit_dot {
            matcher.search_dir(path, true, &mut out);
        } else {
            matcher.search_operand(path, &mut out);
        }
        if matcher.selected && output == Output::Quiet {
            break;
        }
    }
    let _ = out.flush();
    match (matcher.selected, matcher.failed) {
        (true, _) if output == Output::Quiet => 0,
        (_, true) => 2,
        (true, false) => 0,
        (false, false) => 1,
    }
}

#[cfg(test)]
mod tests;
