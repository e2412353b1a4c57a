//! `cd` and `pwd`: the working directory, logical (as reached through
//! symbolic links, in PWD) unless `-P` asks for the physical one.

use super::{failure, options, usage, write_out};
use crate::exec::Flow;
use crate::shell::{Shell, error_text};

/// `path` with `.` and `..` resolved by text, as `cd -L` does.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

fn current_dir(shell: &Shell) -> String {
    match shell.var("PWD") {
        Some(pwd) if pwd.starts_with('/') => pwd.to_string(),
        _ => wasmux_sys::getcwd()
            .or_else(|_| std::env::current_dir())
            .map(|dir| dir.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/".to_string()),
    }
}

fn is_dir(path: &str) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir())
}

pub fn cd(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let (letters, args) = match options(&argv[1..], "LP") {
        Ok(parsed) => parsed,
        Err(message) => return Ok(usage(shell, "cd", &message)),
    };
    let physical = letters.last() == Some(&'P');
    let mut print = false;
    let target = match args {
        [] => match shell.var("HOME") {
            Some(home) if !home.is_empty() => home.to_string(),
            _ => return Ok(failure(shell, "cd", "HOME not set")),
        },
        [dash] if dash == "-" => match shell.var("OLDPWD") {
            Some(old) => {
                print = true;
                old.to_string()
            }
            None => return Ok(failure(shell, "cd", "OLDPWD not set")),
        },
        [dir] => dir.clone(),
        _ => return Ok(failure(shell, "cd", "too many arguments")),
    };
    let current = current_dir(shell);
    let joined = if target.starts_with('/') {
        target.clone()
    } else {
        let mut joined = format!("{current}/{target}");
        let explicit = target == "."
            || target == ".."
            || target.starts_with("./")
            || target.starts_with("../");
        let cdpath = shell
            .var("CDPATH")
            .map(str::to_string)
            .filter(|_| !explicit);
        for dir in cdpath.iter().flat_map(|cdpath| cdpath.split(':')) {
            let prefix = match dir {
                "" => current.clone(),
                dir if dir.starts_with('/') => dir.to_string(),
                dir => format!("{current}/{dir}"),
            };
            let candidate = format!("{prefix}/{target}");
            if is_dir(&candidate) {
                joined = candidate;
                print = !dir.is_empty();
                break;
            }
        }
        joined
    };
    let destination = if physical {
        joined.clone()
    } else {
        normalize(&joined)
    };
    if let Err(error) = wasmux_sys::chdir(&destination) {
        return Ok(failure(
            shell,
            "cd",
            &format!("{target}: {}", error_text(&error)),
        ));
    }
    let new = if physical {
        wasmux_sys::getcwd()
            .map(|dir| dir.to_string_lossy().into_owned())
            .unwrap_or(destination)
    } else {
        destination
    };
    let _ = shell.vars.export("OLDPWD", Some(current));
    let _ = shell.vars.export("PWD", Some(new.clone()));
    if print {
        return Ok(write_out(shell, "cd", &format!("{new}\n")));
    }
    Ok(0)
}

pub fn pwd(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    let (letters, _) = match options(&argv[1..], "LP") {
        Ok(parsed) => parsed,
        Err(message) => return Ok(usage(shell, "pwd", &message)),
    };
    let dir = if letters.last() == Some(&'P') {
        match wasmux_sys::getcwd().or_else(|_| std::env::current_dir()) {
            Ok(dir) => dir.to_string_lossy().into_owned(),
            Err(error) => return Ok(failure(shell, "pwd", &error_text(&error))),
        }
    } else {
        current_dir(shell)
    };
    Ok(write_out(shell, "pwd", &format!("{dir}\n")))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn dots_resolve_by_text() {
        assert_eq!(normalize("/a/b/../c/./d/"), "/a/c/d");
        assert_eq!(normalize("/../.."), "/");
        assert_eq!(normalize("/"), "/");
        assert_eq!(normalize("/a//b"), "/a/b");
    }
}
