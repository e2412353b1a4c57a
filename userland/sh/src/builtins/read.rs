//! `read` (a line split into variables by IFS) and `getopts`.

use super::{failure, usage};
use crate::exec::Flow;
use crate::shell::Shell;
use crate::syntax::is_name;

/// Splits a line read by `read` into `count` values: one field each, the
/// rest of the line (trailing IFS white space removed) for the last.
/// Characters marked `true` were escaped by a backslash: never delimiters.
pub fn split_line(line: &[(char, bool)], ifs: &str, count: usize) -> Vec<String> {
    let is_white = |c: char| ifs.contains(c) && c.is_whitespace();
    let is_delimiter = |&(c, escaped): &(char, bool)| !escaped && ifs.contains(c);
    let mut values = Vec::new();
    let mut at = 0;
    let skip_white = |at: &mut usize| {
        while line
            .get(*at)
            .is_some_and(|&(c, escaped)| !escaped && is_white(c))
        {
            *at += 1;
        }
    };
    skip_white(&mut at);
    while values.len() + 1 < count && at < line.len() {
        let start = at;
        while line.get(at).is_some_and(|entry| !is_delimiter(entry)) {
            at += 1;
        }
        values.push(line[start..at].iter().map(|&(c, _)| c).collect());
        // The delimiter: white space, at most one other IFS character,
        // and white space after it.
        skip_white(&mut at);
        if line
            .get(at)
            .is_some_and(|entry| is_delimiter(entry) && !is_white(entry.0))
        {
            at += 1;
            skip_white(&mut at);
        }
    }
    let mut rest: Vec<(char, bool)> = line[at.min(line.len())..].to_vec();
    while rest
        .last()
        .is_some_and(|&(c, escaped)| !escaped && is_white(c))
    {
        rest.pop();
    }
    if count > 0 {
        values.push(rest.iter().map(|&(c, _)| c).collect());
    }
    while values.len() < count {
        values.push(String::new());
    }
    values
}

pub fn read(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut raw = false;
    let mut prompt = None;
    let mut delimiter = '\n';
    let mut args = &argv[1..];
    while let Some(flag) = args
        .first()
        .filter(|arg| arg.starts_with('-') && arg.len() > 1)
    {
        args = &args[1..];
        match flag.as_str() {
            "-r" => raw = true,
            "-p" | "-d" => {
                let Some(value) = args.first() else {
                    return Ok(usage(
                        shell,
                        "read",
                        &format!("{flag}: option requires an argument"),
                    ));
                };
                if flag == "-p" {
                    prompt = Some(value.clone());
                } else {
                    delimiter = value.chars().next().unwrap_or('\0');
                }
                args = &args[1..];
            }
            "-s" => {}
            "--" => break,
            flag => return Ok(usage(shell, "read", &format!("{flag}: invalid option"))),
        }
    }
    for name in args {
        if !is_name(name) {
            return Ok(failure(
                shell,
                "read",
                &format!("`{name}': not a valid identifier"),
            ));
        }
    }
    if let Some(prompt) = prompt {
        let _ = shell.fds.write(2, prompt.as_bytes());
    }
    let mut bytes = Vec::new();
    let mut escaped_at = Vec::new();
    let mut eof = false;
    loop {
        let byte = match shell.fds.read_byte(0) {
            Ok(Some(byte)) => byte,
            Ok(None) => {
                eof = true;
                break;
            }
            Err(error) => {
                return Ok(failure(
                    shell,
                    "read",
                    &format!("read error: {}", crate::shell::error_text(&error)),
                ));
            }
        };
        if !raw && byte == b'\\' {
            match shell.fds.read_byte(0) {
                Ok(Some(b'\n')) => continue,
                Ok(Some(next)) => {
                    escaped_at.push(bytes.len());
                    bytes.push(next);
                    continue;
                }
                _ => {
                    eof = true;
                    break;
                }
            }
        }
        if u32::from(byte) == u32::from(delimiter) {
            break;
        }
        bytes.push(byte);
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    // Byte offsets of escaped characters, as characters with flags.
    let mut line = Vec::new();
    for (offset, c) in text.char_indices() {
        line.push((c, escaped_at.contains(&offset)));
    }
    if args.is_empty() {
        let value: String = line.iter().map(|&(c, _)| c).collect();
        if let Err(message) = shell.set_var("REPLY", value) {
            return Ok(failure(shell, "read", &message));
        }
    } else {
        let ifs = shell.var("IFS").unwrap_or(" \t\n").to_string();
        let values = split_line(&line, &ifs, args.len());
        for (name, value) in args.iter().zip(values) {
            if let Err(message) = shell.set_var(name, value) {
                return Ok(failure(shell, "read", &message));
            }
        }
    }
    Ok(i32::from(eof))
}

pub fn getopts(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let (Some(spec), Some(name)) = (argv.get(1), argv.get(2)) else {
        return Ok(usage(
            shell,
            "getopts",
            "usage: getopts optstring name [arg ...]",
        ));
    };
    let args: Vec<String> = if argv.len() > 3 {
        argv[3..].to_vec()
    } else {
        shell.positional.clone()
    };
    let silent = spec.starts_with(':');
    let spec = spec.trim_start_matches(':');
    let optind: usize = shell
        .var("OPTIND")
        .and_then(|text| text.parse().ok())
        .unwrap_or(1)
        .max(1);
    // Where in a group like -abc the last call stopped.
    let (mut offset, last_index) = shell.getopts;
    if last_index != optind {
        offset = 0;
    }
    let set = |shell: &mut Shell, var: &str, value: String| {
        let _ = shell.set_var(var, value);
    };
    let finish = |shell: &mut Shell, optind: usize| {
        set(shell, name, "?".to_string());
        set(shell, "OPTIND", optind.to_string());
        shell.getopts = (0, optind);
        let _ = shell.vars.unset("OPTARG");
        Ok(1)
    };
    let Some(arg) = args.get(optind - 1) else {
        return finish(shell, optind);
    };
    if offset == 0 {
        if arg == "--" {
            return finish(shell, optind + 1);
        }
        if !arg.starts_with('-') || arg == "-" {
            return finish(shell, optind);
        }
        offset = 1;
    }
    let chars: Vec<char> = arg.chars().collect();
    let option = chars.get(offset).copied().unwrap_or('?');
    offset += 1;
    let mut next_index = optind;
    let advance = |offset: &mut usize, next_index: &mut usize| {
        if *offset >= chars.len() {
            *next_index += 1;
            *offset = 0;
        }
    };
    let position = spec.find(option).filter(|_| option != ':');
    match position {
        Some(at) if spec[at + option.len_utf8()..].starts_with(':') => {
            let value = if offset < chars.len() {
                let value: String = chars[offset..].iter().collect();
                next_index += 1;
                offset = 0;
                Some(value)
            } else if let Some(value) = args.get(optind) {
                next_index += 2;
                offset = 0;
                Some(value.clone())
            } else {
                next_index += 1;
                offset = 0;
                None
            };
            match value {
                Some(value) => {
                    set(shell, "OPTARG", value);
                    set(shell, name, option.to_string());
                }
                None if silent => {
                    set(shell, "OPTARG", option.to_string());
                    set(shell, name, ":".to_string());
                }
                None => {
                    shell.error(&format!("option requires an argument -- {option}"));
                    let _ = shell.vars.unset("OPTARG");
                    set(shell, name, "?".to_string());
                }
            }
        }
        Some(_) => {
            let _ = shell.vars.unset("OPTARG");
            set(shell, name, option.to_string());
            advance(&mut offset, &mut next_index);
        }
        None => {
            if silent {
                set(shell, "OPTARG", option.to_string());
            } else {
                shell.error(&format!("illegal option -- {option}"));
                let _ = shell.vars.unset("OPTARG");
            }
            set(shell, name, "?".to_string());
            advance(&mut offset, &mut next_index);
        }
    }
    set(shell, "OPTIND", next_index.to_string());
    shell.getopts = (offset, next_index);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::split_line;

    fn split(text: &str, ifs: &str, count: usize) -> Vec<String> {
        let line: Vec<(char, bool)> = text.chars().map(|c| (c, false)).collect();
        split_line(&line, ifs, count)
    }

    #[test]
    fn the_last_variable_takes_the_rest() {
        assert_eq!(split("  a b  c d  ", " \t\n", 2), ["a", "b  c d"]);
        assert_eq!(split("a", " ", 3), ["a", "", ""]);
        assert_eq!(split("  a b ", " ", 1), ["a b"]);
        assert_eq!(split("a:b::c", ":", 4), ["a", "b", "", "c"]);
        assert_eq!(split("a : b", " :", 2), ["a", "b"]);
    }

    #[test]
    fn escaped_characters_do_not_delimit() {
        let line = vec![
            ('a', false),
            (' ', true),
            ('b', false),
            (' ', false),
            ('c', false),
        ];
        assert_eq!(split_line(&line, " ", 2), ["a b", "c"]);
    }
}
