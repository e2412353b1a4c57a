//! Control and evaluation: exit, return, break, continue, eval, `.`,
//! exec, trap.

use std::os::fd::{FromRawFd, OwnedFd};

use wasmux_sys::{Errno, is_errno};

use super::{failure, usage, write_out};
use crate::exec::Flow;
use crate::shell::fds::Target;
use crate::shell::{Shell, error_text};
use crate::syntax::Parser;
use crate::traps::{Action, parse_signal};
use crate::util::quote;

fn status_argument(shell: &Shell, name: &str, argv: &[String]) -> Result<i32, i32> {
    match argv.get(1) {
        None => Ok(shell.status),
        Some(text) => match text.parse::<i64>() {
            Ok(value) => Ok((value & 0xff) as i32),
            Err(_) => Err(usage(
                shell,
                name,
                &format!("{text}: numeric argument required"),
            )),
        },
    }
}

pub fn exit(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    match status_argument(shell, "exit", argv) {
        Ok(status) => Err(Flow::Exit(status)),
        Err(status) => Err(Flow::Exit(status)),
    }
}

pub fn return_(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    if shell.function_depth == 0 && shell.source_depth == 0 {
        return Ok(failure(
            shell,
            "return",
            "can only `return' from a function or sourced script",
        ));
    }
    let status = status_argument(shell, "return", argv).unwrap_or(2);
    shell.status = status;
    Err(Flow::Return)
}

fn loop_count(shell: &Shell, name: &str, argv: &[String]) -> Result<usize, i32> {
    let count = match argv.get(1) {
        None => 1,
        Some(text) => match text.parse::<usize>() {
            Ok(count) if count > 0 => count,
            _ => {
                return Err(failure(
                    shell,
                    name,
                    &format!("{text}: loop count out of range"),
                ));
            }
        },
    };
    if shell.loop_depth == 0 {
        return Err(0);
    }
    Ok(count.min(shell.loop_depth))
}

pub fn break_(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    match loop_count(shell, "break", argv) {
        Ok(count) => Err(Flow::Break(count)),
        Err(status) => Ok(status),
    }
}

pub fn continue_(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    match loop_count(shell, "continue", argv) {
        Ok(count) => Err(Flow::Continue(count)),
        Err(status) => Ok(status),
    }
}

impl Shell {
    /// Parses and runs `text` in this shell (eval, traps, `.`); returns `$?`.
    pub fn eval_text(&mut self, text: &str) -> Result<i32, Flow> {
        let aliases = self.aliases.clone();
        let mut parser = Parser::new(text, Some(&aliases));
        loop {
            match parser.next_command() {
                Ok(Some(list)) => self.run_list(&list)?,
                Ok(None) => return Ok(self.status),
                Err(error) => {
                    self.error(&error.message);
                    self.status = 2;
                    if !self.interactive {
                        return Err(Flow::Exit(2));
                    }
                    return Ok(2);
                }
            }
        }
    }
}

pub fn eval(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let text = argv[1..].join(" ");
    shell.status = 0;
    shell.eval_text(&text)
}

pub fn dot(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let name = &argv[0];
    let Some(file) = argv.get(1) else {
        return Ok(usage(shell, name, "filename argument required"));
    };
    let path = if file.contains('/') {
        file.clone()
    } else {
        let search = shell.var("PATH").unwrap_or_default().to_string();
        search
            .split(':')
            .map(|dir| format!("{}/{file}", if dir.is_empty() { "." } else { dir }))
            .find(|path| std::fs::metadata(path).is_ok_and(|m| m.is_file()))
            .unwrap_or_else(|| file.clone())
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            shell.error(&format!("{name}: {file}: {}", error_text(&error)));
            return if shell.interactive {
                Ok(1)
            } else {
                Err(Flow::Exit(1))
            };
        }
    };
    let saved =
        (argv.len() > 2).then(|| std::mem::replace(&mut shell.positional, argv[2..].to_vec()));
    shell.source_depth += 1;
    shell.status = 0;
    let result = shell.eval_text(&text);
    shell.source_depth -= 1;
    if let Some(saved) = saved {
        shell.positional = saved;
    }
    match result {
        Err(Flow::Return) => Ok(shell.status),
        other => other,
    }
}

pub fn exec(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let Some(name) = argv.get(1) else {
        return Ok(0);
    };
    let args = &argv[1..];
    if shell.subshell_depth > 0 {
        // A subshell run by this process: run the command, then end the
        // subshell with its status, which is what exec would look like.
        let resolved = shell.resolve(name);
        let prepared = crate::exec::Prepared {
            argv: args.to_vec(),
            assignments: Vec::new(),
            fds: shell.fds.clone(),
            redirected: false,
        };
        shell.dispatch(prepared, resolved)?;
        return Err(Flow::Exit(shell.status));
    }
    let Some(path) = shell.find_program(name) else {
        shell.error(&format!("{name}: not found"));
        return if shell.interactive {
            Ok(127)
        } else {
            Err(Flow::Exit(127))
        };
    };
    // The process keeps its fds: make the real ones what the table says.
    for fd in 0..10u32 {
        match shell.fds.get(fd).clone() {
            Target::Fd(handle) if handle.raw() != fd as i32 => {
                let _ = wasmux_sys::dup2(handle.file(), fd as i32);
            }
            Target::Closed if fd < 3 => {
                // SAFETY: closing a standard fd the table says is closed;
                // nothing in the shell uses it past this point.
                drop(unsafe { OwnedFd::from_raw_fd(fd as i32) });
            }
            _ => {}
        }
    }
    shell.run_exit_trap();
    let env: Vec<String> = shell
        .vars
        .environment()
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let mut error = wasmux_sys::process::exec(&path, args, &env);
    if is_errno(&error, Errno::NoExec) {
        let mut script = vec!["sh".to_string(), path.clone()];
        script.extend(args[1..].iter().cloned());
        error = wasmux_sys::process::exec(&shell.self_path, &script, &env);
    }
    let (message, status) = if is_errno(&error, Errno::NoEnt) {
        ("not found".to_string(), 127)
    } else {
        (error_text(&error), 126)
    };
    shell.error(&format!("{name}: {message}"));
    if shell.interactive {
        Ok(status)
    } else {
        Err(Flow::Exit(status))
    }
}

pub fn trap(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let mut args = &argv[1..];
    if args.first().is_some_and(|arg| arg == "--") {
        args = &args[1..];
    }
    match args.first().map(String::as_str) {
        None | Some("-p") => {
            let mut text = String::new();
            for (name, action) in shell.traps.list() {
                let command = match action {
                    Action::Ignore => String::new(),
                    Action::Run(text) => text.clone(),
                };
                text.push_str(&format!("trap -- {} {name}\n", quote(&command)));
            }
            return Ok(write_out(shell, "trap", &text));
        }
        Some("-l") => {
            let names: Vec<String> = wasmux_sys::Signal::ALL
                .iter()
                .map(|signal| format!("{}) SIG{}", signal.raw(), signal.name()))
                .collect();
            return Ok(write_out(shell, "trap", &format!("{}\n", names.join("\n"))));
        }
        _ => {}
    }
    // `trap SIG...` (the first operand a number): reset them.
    let (action, conditions) = if args.first().is_some_and(|arg| arg.parse::<u8>().is_ok()) {
        (None, args)
    } else {
        let action = match args[0].as_str() {
            "-" => None,
            "" => Some(Action::Ignore),
            text => Some(Action::Run(text.to_string())),
        };
        (action, &args[1..])
    };
    let mut status = 0;
    for condition in conditions {
        let Some(signal) = parse_signal(condition) else {
            status = failure(
                shell,
                "trap",
                &format!("{condition}: invalid signal specification"),
            );
            continue;
        };
        if let Err(error) = shell.traps.set(signal, action.clone()) {
            status = failure(
                shell,
                "trap",
                &format!("{condition}: {}", error_text(&error)),
            );
        }
    }
    Ok(status)
}
