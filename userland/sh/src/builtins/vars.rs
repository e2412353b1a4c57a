//! Variables and parameters: export, readonly, unset, set, shift, local.

use super::{failure, usage, write_out};
use crate::exec::Flow;
use crate::shell::Shell;
use crate::shell::options::NAMES;
use crate::syntax::is_name;
use crate::util::quote;

/// `NAME` or `NAME=value`, checked.
fn split_assignment(arg: &str) -> Result<(&str, Option<String>), String> {
    let (name, value) = match arg.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (arg, None),
    };
    if !is_name(name) {
        return Err(format!("`{arg}': not a valid identifier"));
    }
    Ok((name, value))
}

pub fn export(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut args = &argv[1..];
    let mut unexport = false;
    while let Some(flag) = args.first().filter(|arg| arg.starts_with('-')) {
        match flag.as_str() {
            "-p" => {}
            "-n" => unexport = true,
            "--" => {
                args = &args[1..];
                break;
            }
            flag => return Ok(usage(shell, "export", &format!("{flag}: invalid option"))),
        }
        args = &args[1..];
    }
    if args.is_empty() {
        let mut text = String::new();
        for (name, var) in shell.vars.sorted() {
            if var.exported {
                text.push_str(&format!("export {name}={}\n", quote(&var.value)));
            }
        }
        return Ok(write_out(shell, "export", &text));
    }
    let mut status = 0;
    for arg in args {
        match split_assignment(arg) {
            Ok((name, value)) if unexport => {
                let current = shell.vars.var(name).cloned();
                if let Some(mut var) = current {
                    var.exported = false;
                    if let Some(value) = value {
                        var.value = value;
                    }
                    shell.vars.restore(name, Some(var));
                }
            }
            Ok((name, value)) => {
                if name == "PATH" {
                    shell.path_cache.clear();
                }
                if let Err(message) = shell.vars.export(name, value) {
                    status = failure(shell, "export", &message);
                }
            }
            Err(message) => status = failure(shell, "export", &message),
        }
    }
    Ok(status)
}

pub fn readonly(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let args: Vec<&String> = argv[1..].iter().filter(|arg| *arg != "-p").collect();
    if args.is_empty() {
        let mut text = String::new();
        for (name, var) in shell.vars.sorted() {
            if var.readonly {
                text.push_str(&format!("readonly {name}={}\n", quote(&var.value)));
            }
        }
        return Ok(write_out(shell, "readonly", &text));
    }
    let mut status = 0;
    for arg in args {
        match split_assignment(arg) {
            Ok((name, value)) => {
                if let Some(value) = value
                    && let Err(message) = shell.set_var(name, value)
                {
                    status = failure(shell, "readonly", &message);
                    continue;
                }
                shell.vars.set_readonly(name);
            }
            Err(message) => status = failure(shell, "readonly", &message),
        }
    }
    Ok(status)
}

pub fn unset(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut functions = false;
    let mut variables = false;
    let mut args = &argv[1..];
    while let Some(flag) = args.first() {
        match flag.as_str() {
            "-f" => functions = true,
            "-v" => variables = true,
            "--" => {
                args = &args[1..];
                break;
            }
            _ => break,
        }
        args = &args[1..];
    }
    let mut status = 0;
    for name in args {
        if functions {
            shell.functions.remove(name.as_str());
            continue;
        }
        if !is_name(name) {
            status = failure(shell, "unset", &format!("`{name}': not a valid identifier"));
            continue;
        }
        let existed = shell.vars.var(name).is_some();
        if let Err(message) = shell.vars.unset(name) {
            status = failure(shell, "unset", &message);
        }
        if name == "PATH" {
            shell.path_cache.clear();
        }
        if !existed && !variables {
            shell.functions.remove(name.as_str());
        }
    }
    Ok(status)
}

pub fn set(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut args = &argv[1..];
    if args.is_empty() {
        let mut text = String::new();
        for (name, var) in shell.vars.sorted() {
            text.push_str(&format!("{name}={}\n", quote(&var.value)));
        }
        return Ok(write_out(shell, "set", &text));
    }
    let mut positional = None;
    while let Some(arg) = args.first() {
        let (on, flags) = match arg.as_bytes().first() {
            Some(b'-') => (true, &arg[1..]),
            Some(b'+') => (false, &arg[1..]),
            _ => break,
        };
        args = &args[1..];
        if flags.is_empty() {
            if on {
                // `set -`: the end of options, and -x -v off.
                shell.options.xtrace = false;
                shell.options.verbose = false;
            }
            positional = Some(args);
            break;
        }
        if flags == "-" {
            positional = Some(args);
            break;
        }
        for flag in flags.chars() {
            if flag == 'o' {
                match args.first() {
                    Some(name) => {
                        args = &args[1..];
                        if !shell.options.set_named(name, on) {
                            return Ok(usage(
                                shell,
                                "set",
                                &format!("{name}: invalid option name"),
                            ));
                        }
                    }
                    None => {
                        let text = option_listing(shell, on);
                        return Ok(write_out(shell, "set", &text));
                    }
                }
            } else if flag == 'i' || flag == 's' || flag == 'c' || flag == 'b' || flag == 'h' {
                // Accepted for compatibility; they change nothing here.
            } else if !shell.options.set_letter(flag, on) {
                return Ok(usage(
                    shell,
                    "set",
                    &format!("{}{flag}: invalid option", if on { '-' } else { '+' }),
                ));
            }
        }
    }
    if !args.is_empty() && positional.is_none() {
        positional = Some(args);
    }
    if let Some(args) = positional {
        shell.positional = args.to_vec();
    }
    Ok(0)
}

/// `set -o` (a table) and `set +o` (commands that restore the options).
fn option_listing(shell: &Shell, table: bool) -> String {
    let mut text = String::new();
    for (_, name) in NAMES {
        let on = shell.options.get_named(name) == Some(true);
        if table {
            text.push_str(&format!("{name:<15}{}\n", if on { "on" } else { "off" }));
        } else {
            text.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
        }
    }
    text
}

pub fn shift(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let count = match argv.get(1) {
        None => 1,
        Some(count) => match count.parse::<usize>() {
            Ok(count) => count,
            Err(_) => {
                return Ok(usage(
                    shell,
                    "shift",
                    &format!("{count}: numeric argument required"),
                ));
            }
        },
    };
    if count > shell.positional.len() {
        return Ok(failure(shell, "shift", "shift count out of range"));
    }
    shell.positional.drain(..count);
    Ok(0)
}

pub fn local(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    if shell.locals.is_empty() {
        return Ok(failure(shell, "local", "can only be used in a function"));
    }
    let mut status = 0;
    for arg in &argv[1..] {
        let (name, value) = match split_assignment(arg) {
            Ok(split) => split,
            Err(message) => {
                status = failure(shell, "local", &message);
                continue;
            }
        };
        let saved = shell.vars.var(name).cloned();
        if let Some(frame) = shell.locals.last_mut()
            && !frame.iter().any(|(saved_name, _)| saved_name == name)
        {
            frame.push((name.to_string(), saved));
        }
        if let Some(value) = value
            && let Err(message) = shell.set_var(name, value)
        {
            status = failure(shell, "local", &message);
        }
    }
    Ok(status)
}

/// `__wasmux_subshell PID LAST_BACKGROUND STATUS`: a child shell takes its
/// parent's `$$`, `$!` and `$?` (the first line of its script).
pub fn subshell_state(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let number = |index: usize| argv.get(index).and_then(|arg| arg.parse::<i64>().ok());
    if let Some(pid) = number(1) {
        shell.pid = pid as u32;
    }
    shell.last_background = number(2).filter(|&pid| pid > 0).map(|pid| pid as u32);
    Ok(number(3).unwrap_or(0) as i32)
}
