//! chmod: checks its mode and files like GNU chmod, then reports that the
//! change cannot be made. WASI preview1 has no call that sets mode bits and
//! the wasmux module has none yet, so there is nothing honest to do
//! (uutils' chmod is Unix-only, and std's set_permissions is unsupported
//! on WASI). Exit status 1 whenever a file was named.

use std::ffi::OsString;

use crate::common::{reason, text, usage_error};

/// Whether `mode` is a mode chmod accepts: octal (up to 4 digits) or
/// symbolic clauses `[ugoa]*([-+=]([rwxXst]*|[ugo]))+`, comma-separated.
pub fn valid_mode(mode: &str) -> bool {
    if !mode.is_empty() && mode.chars().all(|c| c.is_digit(8)) {
        return mode.len() <= 4;
    }
    !mode.is_empty()
        && mode.split(',').all(|clause| {
            let ops = clause.trim_start_matches(['u', 'g', 'o', 'a']);
            if ops.is_empty() {
                return false;
            }
            let mut chars = ops.chars().peekable();
            while let Some(op) = chars.next() {
                if !matches!(op, '+' | '-' | '=') {
                    return false;
                }
                let mut perms = String::new();
                while let Some(&c) = chars.peek().filter(|c| !matches!(c, '+' | '-' | '=')) {
                    perms.push(c);
                    chars.next();
                }
                let copy = matches!(perms.as_str(), "u" | "g" | "o");
                if !copy && !perms.chars().all(|c| "rwxXst".contains(c)) {
                    return false;
                }
            }
            true
        })
}

/// `chmod [-R] [-f] [-v] MODE FILE...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let mut quiet = false;
    let mut words = Vec::new();
    for arg in args.iter().skip(1).map(|arg| text(arg)) {
        match arg.as_str() {
            "-f" | "--silent" | "--quiet" => quiet = true,
            "-R" | "--recursive" | "-v" | "--verbose" | "-c" | "--changes" => {}
            // A mode such as -w or -x is an operand, not an option.
            other if other.starts_with("--") => {
                return usage_error("chmod", &format!("unrecognized option '{other}'"), 1);
            }
            other => words.push(other.to_string()),
        }
    }
    let Some((mode, files)) = words.split_first() else {
        return usage_error("chmod", "missing operand", 1);
    };
    if files.is_empty() {
        return usage_error("chmod", &format!("missing operand after '{mode}'"), 1);
    }
    if !valid_mode(mode) {
        eprintln!("chmod: invalid mode: '{mode}'");
        eprintln!("Try 'chmod --help' for more information.");
        return 1;
    }
    for file in files {
        match std::fs::metadata(file) {
            Err(error) => eprintln!("chmod: cannot access '{file}': {}", reason(&error)),
            Ok(_) if quiet => {}
            Ok(_) => eprintln!(
                "chmod: changing permissions of '{file}': Operation not supported (Wasmux has no chmod call yet)"
            ),
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_checked_like_gnu() {
        for good in [
            "755",
            "0644",
            "u+x",
            "a-w",
            "go=rx",
            "u+x,g-w",
            "+x",
            "o=u",
            "u=rwX,g+s",
        ] {
            assert!(valid_mode(good), "{good}");
        }
        for bad in ["", "8", "12345", "u", "z+x", "u+q", "u+x,"] {
            assert!(!valid_mode(bad), "{bad}");
        }
    }
}
