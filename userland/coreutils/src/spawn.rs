//! The tools that start programs, through `wasmux-sys`'s Command (Wasmux
//! has no fork; std's Command is unsupported on WASI): env, xargs, and
//! which (the PATH search they share).

mod xargs;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use wasmux_sys::Errno;
use wasmux_sys::process::{Command, DEFAULT_PATH};

use crate::common::{reason, text, usage_error};
pub use xargs::{main as xargs, split_input};

/// env's and xargs' status for a program that could not be started:
/// 127 when it does not exist, 126 otherwise.
pub fn not_started(tool: &str, program: &str, error: &io::Error) -> i32 {
    eprintln!("{tool}: '{program}': {}", reason(error));
    if wasmux_sys::is_errno(error, Errno::NoEnt) {
        127
    } else {
        126
    }
}

/// Where `name` would run from: itself if it holds a "/", else the first
/// PATH directory (`path`, or /bin:/usr/bin) holding a regular file of
/// that name. WASI shows no execute bits, so any regular file counts.
pub fn search_path(name: &str, path: Option<&str>, all: bool) -> Vec<PathBuf> {
    let runnable = |candidate: &Path| std::fs::metadata(candidate).is_ok_and(|m| m.is_file());
    if name.contains('/') {
        return if runnable(Path::new(name)) {
            vec![PathBuf::from(name)]
        } else {
            Vec::new()
        };
    }
    let mut found = Vec::new();
    for dir in path.unwrap_or(DEFAULT_PATH).split(':') {
        let candidate = Path::new(if dir.is_empty() { "." } else { dir }).join(name);
        if runnable(&candidate) {
            found.push(candidate);
            if !all {
                break;
            }
        }
    }
    found
}

/// `which [-a] NAME...`: status 1 if any is not found.
pub fn which(args: Vec<OsString>) -> i32 {
    let spec = crate::common::Spec {
        short: "a",
        long: &[("all", 'a', false)],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("which", &message, 2),
    };
    let path = std::env::var("PATH").ok();
    let mut status = 0;
    for name in &parsed.operands {
        let found = search_path(&text(name), path.as_deref(), parsed.has('a'));
        if found.is_empty() {
            status = 1;
        }
        for path in found {
            println!("{}", path.display());
        }
    }
    status
}

/// `env [-i] [-0] [-u NAME]... [-C DIR] [NAME=VALUE]... [COMMAND [ARG]...]`:
/// prints the environment, or runs COMMAND in the changed one (replacing
/// env, as exec does).
pub fn env(args: Vec<OsString>) -> i32 {
    let mut args = args.into_iter().skip(1).peekable();
    let (mut clear, mut null, mut unset, mut dir) = (false, false, Vec::new(), None);
    while let Some(arg) = args.next_if(|arg| text(arg).starts_with('-')) {
        let arg = text(&arg);
        let mut value = |name: &str| {
            args.next()
                .map(|v| text(&v))
                .ok_or_else(|| format!("option requires an argument -- '{name}'"))
        };
        let error = match arg.as_str() {
            "-" | "-i" | "--ignore-environment" => {
                clear = true;
                continue;
            }
            "-0" | "--null" => {
                null = true;
                continue;
            }
            "-u" | "--unset" => match value("u") {
                Ok(name) => {
                    unset.push(name);
                    continue;
                }
                Err(message) => message,
            },
            "-C" | "--chdir" => match value("C") {
                Ok(path) => {
                    dir = Some(path);
                    continue;
                }
                Err(message) => message,
            },
            "--" => break,
            other => format!("invalid option -- '{}'", other.trim_start_matches('-')),
        };
        return usage_error("env", &error, 125);
    }
    let mut assignments = Vec::new();
    while let Some(arg) = args.next_if(|arg| text(arg).contains('=')) {
        let arg = text(&arg);
        if let Some((name, value)) = arg.split_once('=') {
            assignments.push((name.to_string(), value.to_string()));
        }
    }
    let rest: Vec<OsString> = args.collect();
    let Some((program, program_args)) = rest.split_first() else {
        let mut vars: Vec<(String, String)> = if clear {
            Vec::new()
        } else {
            std::env::vars().collect()
        };
        vars.retain(|(name, _)| !unset.contains(name));
        for (name, value) in assignments {
            vars.retain(|(known, _)| *known != name);
            vars.push((name, value));
        }
        let mut out = io::stdout().lock();
        for (name, value) in vars {
            let _ = write!(out, "{name}={value}{}", if null { '\0' } else { '\n' });
        }
        return 0;
    };
    let mut command = Command::new(program);
    command.args(program_args);
    if clear {
        command.env_clear();
    }
    for name in &unset {
        command.env_remove(name);
    }
    for (name, value) in &assignments {
        command.env(name, value);
    }
    if let Some(dir) = &dir {
        command.current_dir(dir);
    }
    let error = command.exec();
    not_started("env", &text(program), &error)
}
