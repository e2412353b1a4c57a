//! The small builtins: `:`, true, false, alias, unalias, command, type,
//! hash, umask, times, ulimit, help.

use super::{failure, usage, write_out};
use crate::exec::{Flow, Prepared, Resolved};
use crate::shell::Shell;
use crate::syntax::print::function_source;
use crate::util::quote;

pub fn colon(_: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    Ok(0)
}

pub fn true_(_: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    Ok(0)
}

pub fn false_(_: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    Ok(1)
}

pub fn times(shell: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    Ok(write_out(
        shell,
        "times",
        "0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n",
    ))
}

pub fn ulimit(shell: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    Ok(write_out(shell, "ulimit", "unlimited\n"))
}

pub fn help(shell: &mut Shell, _: &[String]) -> Result<i32, Flow> {
    let mut names: Vec<&str> = super::TABLE
        .iter()
        .map(|entry| entry.name)
        .filter(|name| !name.starts_with("__"))
        .collect();
    names.sort_unstable();
    let text = format!("wasmux sh: a POSIX shell. Builtins:\n{}\n", names.join(" "));
    Ok(write_out(shell, "help", &text))
}

/// `history [N]`: the last N (else all) entries, numbered.
pub fn history(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let Some(editor) = &shell.editor else {
        return Ok(0);
    };
    let entries = editor.history().entries();
    let count = match argv.get(1) {
        Some(count) => match count.parse::<usize>() {
            Ok(count) => count,
            Err(_) => {
                return Ok(usage(
                    shell,
                    "history",
                    &format!("{count}: numeric argument required"),
                ));
            }
        },
        None => entries.len(),
    };
    let start = entries.len().saturating_sub(count);
    let text: String = entries[start..]
        .iter()
        .enumerate()
        .map(|(index, line)| format!("{:5}  {line}\n", start + index + 1))
        .collect();
    Ok(write_out(shell, "history", &text))
}

pub fn alias(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let args: Vec<&String> = argv[1..].iter().filter(|arg| *arg != "-p").collect();
    if args.is_empty() {
        let mut aliases: Vec<_> = shell.aliases.iter().collect();
        aliases.sort();
        let text: String = aliases
            .iter()
            .map(|(name, value)| format!("alias {name}={}\n", quote(value)))
            .collect();
        return Ok(write_out(shell, "alias", &text));
    }
    let mut status = 0;
    for arg in args {
        match arg.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                shell.aliases.insert(name.to_string(), value.to_string());
            }
            _ => match shell.aliases.get(arg.as_str()) {
                Some(value) => {
                    let text = format!("alias {arg}={}\n", quote(value));
                    status = status.max(write_out(shell, "alias", &text));
                }
                None => status = failure(shell, "alias", &format!("{arg}: not found")),
            },
        }
    }
    Ok(status)
}

pub fn unalias(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut status = 0;
    for name in &argv[1..] {
        if name == "-a" {
            shell.aliases.clear();
        } else if shell.aliases.remove(name.as_str()).is_none() {
            status = failure(shell, "unalias", &format!("{name}: not found"));
        }
    }
    Ok(status)
}

const KEYWORDS: [&str; 16] = [
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{",
    "}", "!", "in",
];

/// What `name` is, for `type` (`verbose`) or `command -v`.
fn describe(shell: &mut Shell, name: &str, verbose: bool) -> Option<String> {
    if let Some(value) = shell.aliases.get(name) {
        return Some(if verbose {
            format!("{name} is aliased to `{value}'")
        } else {
            format!("alias {name}={}", quote(value))
        });
    }
    if KEYWORDS.contains(&name) {
        return Some(if verbose {
            format!("{name} is a shell keyword")
        } else {
            name.to_string()
        });
    }
    match shell.resolve(name) {
        Resolved::Special(_) if verbose => Some(format!("{name} is a special shell builtin")),
        Resolved::Builtin(_) if verbose => Some(format!("{name} is a shell builtin")),
        Resolved::Function(function) if verbose => Some(format!(
            "{name} is a function\n{}",
            function_source(&function).trim_end()
        )),
        Resolved::Special(_) | Resolved::Builtin(_) | Resolved::Function(_) => {
            Some(name.to_string())
        }
        Resolved::External(path) if verbose => Some(format!("{name} is {path}")),
        Resolved::External(path) => Some(path),
        Resolved::NotFound => None,
    }
}

pub fn type_(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut status = 0;
    let mut text = String::new();
    for name in argv[1..].iter().filter(|arg| !arg.starts_with('-')) {
        match describe(shell, name, true) {
            Some(line) => {
                text.push_str(&line);
                text.push('\n');
            }
            None => status = failure(shell, "type", &format!("{name}: not found")),
        }
    }
    let written = write_out(shell, "type", &text);
    Ok(status.max(written))
}

pub fn command(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut args = &argv[1..];
    let mut mode = None;
    while let Some(flag) = args.first().filter(|arg| arg.starts_with('-')) {
        match flag.as_str() {
            "-v" => mode = Some(false),
            "-V" => mode = Some(true),
            "-p" => {}
            "--" => {
                args = &args[1..];
                break;
            }
            flag => return Ok(usage(shell, "command", &format!("{flag}: invalid option"))),
        }
        args = &args[1..];
    }
    if let Some(verbose) = mode {
        let mut status = 0;
        let mut text = String::new();
        for name in args {
            match describe(shell, name, verbose) {
                Some(line) => {
                    text.push_str(&line);
                    text.push('\n');
                }
                None if verbose => {
                    status = failure(shell, "command", &format!("{name}: not found"))
                }
                None => status = 1,
            }
        }
        let written = write_out(shell, "command", &text);
        return Ok(status.max(written));
    }
    let Some(name) = args.first() else {
        return Ok(0);
    };
    // Functions are skipped: `command ls` runs the program even if a
    // function `ls` exists.
    let resolved = match crate::builtins::find(name) {
        Some(entry) => Resolved::Builtin(entry),
        None => match shell.find_program(name) {
            Some(path) => Resolved::External(path),
            None => Resolved::NotFound,
        },
    };
    let prepared = Prepared {
        argv: args.to_vec(),
        assignments: Vec::new(),
        fds: shell.fds.clone(),
        redirected: false,
    };
    shell.dispatch(prepared, resolved)?;
    Ok(shell.status)
}

pub fn hash(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let args = &argv[1..];
    if args.first().is_some_and(|arg| arg == "-r") {
        shell.path_cache.clear();
        return Ok(0);
    }
    if args.is_empty() {
        let mut paths: Vec<&String> = shell.path_cache.values().collect();
        paths.sort();
        let text: String = paths.iter().map(|path| format!("{path}\n")).collect();
        return Ok(write_out(shell, "hash", &text));
    }
    let mut status = 0;
    for name in args {
        if shell.find_program(name).is_none() {
            status = failure(shell, "hash", &format!("{name}: not found"));
        }
    }
    Ok(status)
}

/// A symbolic mode such as `u=rwx,g=rx,o=` applied to the mask `mask`.
fn symbolic_umask(mask: u32, text: &str) -> Option<u32> {
    let mut allowed = !mask & 0o777;
    for clause in text.split(',') {
        let op_at = clause.find(['=', '+', '-'])?;
        let (who, rest) = clause.split_at(op_at);
        let mut chars = rest.chars();
        let op = chars.next()?;
        let mut bits = 0;
        for c in chars {
            bits |= match c {
                'r' => 0o4,
                'w' => 0o2,
                'x' => 0o1,
                _ => return None,
            };
        }
        let who = if who.is_empty() { "ugo" } else { who };
        for w in who.chars() {
            let shift = match w {
                'u' => 6,
                'g' => 3,
                'o' => 0,
                'a' => {
                    for shift in [6, 3, 0] {
                        allowed = apply(allowed, op, bits, shift);
                    }
                    continue;
                }
                _ => return None,
            };
            allowed = apply(allowed, op, bits, shift);
        }
    }
    Some(!allowed & 0o777)
}

fn apply(allowed: u32, op: char, bits: u32, shift: u32) -> u32 {
    match op {
        '=' => (allowed & !(0o7 << shift)) | (bits << shift),
        '+' => allowed | (bits << shift),
        _ => allowed & !(bits << shift),
    }
}

pub fn umask(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let symbolic = argv.get(1).is_some_and(|arg| arg == "-S");
    let operand = argv[1..].iter().find(|arg| *arg != "-S");
    let current = wasmux_sys::umask(0);
    wasmux_sys::umask(current);
    let Some(operand) = operand else {
        let text = if symbolic {
            let part = |shift: u32| {
                let allowed = !current >> shift & 0o7;
                let mut text = String::new();
                for (bit, letter) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                    if allowed & bit != 0 {
                        text.push(letter);
                    }
                }
                text
            };
            format!("u={},g={},o={}\n", part(6), part(3), part(0))
        } else {
            format!("{current:04o}\n")
        };
        return Ok(write_out(shell, "umask", &text));
    };
    let mask = if operand.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        u32::from_str_radix(operand, 8).ok()
    } else {
        symbolic_umask(current, operand)
    };
    match mask {
        Some(mask) => {
            wasmux_sys::umask(mask);
            Ok(0)
        }
        None => Ok(failure(shell, "umask", &format!("{operand}: invalid mode"))),
    }
}

#[cfg(test)]
mod tests {
    use super::symbolic_umask;

    #[test]
    fn symbolic_modes_set_the_mask() {
        assert_eq!(symbolic_umask(0o022, "u=rwx,g=rx,o="), Some(0o027));
        assert_eq!(symbolic_umask(0o077, "g+r"), Some(0o037));
        assert_eq!(symbolic_umask(0o000, "a-w"), Some(0o222));
        assert_eq!(symbolic_umask(0o022, "q=r"), None);
    }
}
