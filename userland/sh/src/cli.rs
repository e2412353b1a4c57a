//! Starting the shell: its arguments (`-c`, a script, options, `-l`),
//! where its own program is, the profiles of a login shell, and which
//! input loop runs.

use std::ffi::OsString;

use crate::exec::Flow;
use crate::shell::{Shell, Source};

/// What the command line asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    /// `-c STRING`
    pub command: Option<String>,
    /// A script file (or, with `-c`, the command name for `$0`).
    pub script: Option<String>,
    pub args: Vec<String>,
    /// `-i`
    pub interactive: bool,
    /// `-l`, `--login`, or argv\[0\] starting with `-`.
    pub login: bool,
    /// `-s`: commands from stdin even with operands.
    pub stdin: bool,
    /// Option letters and long names, on or off, in order.
    pub options: Vec<(String, bool)>,
}

/// Parses the shell's arguments (argv\[0\] included).
pub fn parse_args(argv: &[String]) -> Result<Invocation, String> {
    let mut invocation = Invocation {
        login: argv.first().is_some_and(|arg0| arg0.starts_with('-')),
        ..Invocation::default()
    };
    let mut args = argv.iter().skip(1).peekable();
    let mut want_command = false;
    while let Some(arg) = args.peek() {
        let (on, flags) = match arg.as_bytes().first() {
            _ if *arg == "--login" => {
                invocation.login = true;
                args.next();
                continue;
            }
            _ if *arg == "--" || *arg == "-" => {
                args.next();
                break;
            }
            Some(b'-') if arg.len() > 1 => (true, arg[1..].to_string()),
            Some(b'+') if arg.len() > 1 => (false, arg[1..].to_string()),
            _ => break,
        };
        args.next();
        for flag in flags.chars() {
            match flag {
                'c' if on => want_command = true,
                'i' => invocation.interactive = on,
                'l' => invocation.login = on,
                's' => invocation.stdin = on,
                'o' => match args.next() {
                    Some(name) => invocation.options.push((name.clone(), on)),
                    None => return Err("-o: option requires an argument".to_string()),
                },
                letter => invocation.options.push((letter.to_string(), on)),
            }
        }
    }
    let rest: Vec<String> = args.cloned().collect();
    if want_command {
        let mut rest = rest.into_iter();
        invocation.command = Some(rest.next().ok_or("-c: option requires an argument")?);
        invocation.script = rest.next();
        invocation.args = rest.collect();
    } else if invocation.stdin || rest.is_empty() {
        invocation.args = rest;
    } else {
        let mut rest = rest.into_iter();
        invocation.script = rest.next();
        invocation.args = rest.collect();
    }
    Ok(invocation)
}

fn lossy(text: OsString) -> String {
    text.into_string()
        .unwrap_or_else(|text| text.to_string_lossy().into_owned())
}

/// Where this shell's program is, to start child shells: argv\[0\] if it
/// names a file here, else `sh` in PATH, else /bin/sh.
fn find_self(shell: &mut Shell, arg0: &str) -> String {
    let name = arg0.trim_start_matches('-');
    if name.contains('/') && std::fs::metadata(name).is_ok_and(|m| m.is_file()) {
        if name.starts_with('/') {
            return name.to_string();
        }
        if let Ok(cwd) = std::env::current_dir() {
            return format!("{}/{name}", cwd.display());
        }
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    if base == "sh"
        && let Some(path) = shell.find_program("sh")
        && path.starts_with('/')
    {
        return path;
    }
    "/bin/sh".to_string()
}

/// The shell's main: returns the exit status.
pub fn main() -> i32 {
    let argv: Vec<String> = std::env::args_os().map(lossy).collect();
    let environment = std::env::vars_os()
        .map(|(name, value)| (lossy(name), lossy(value)))
        .collect();
    let mut shell = Shell::new(environment);
    let invocation = match parse_args(&argv) {
        Ok(invocation) => invocation,
        Err(message) => {
            shell.error(&message);
            return 2;
        }
    };
    let arg0 = argv.first().cloned().unwrap_or_else(|| "sh".to_string());
    shell.self_path = find_self(&mut shell, &arg0);
    for (name, on) in &invocation.options {
        let known = match name.chars().count() {
            1 => name
                .chars()
                .next()
                .is_some_and(|letter| shell.options.set_letter(letter, *on)),
            _ => shell.options.set_named(name, *on),
        };
        if !known {
            shell.error(&format!("{name}: invalid option"));
            return 2;
        }
    }
    shell.positional = invocation.args.clone();
    shell.arg0 = arg0;
    if let Some(command) = &invocation.command {
        shell.source = Source::String;
        if let Some(name) = &invocation.script {
            shell.arg0 = name.clone();
        }
        if invocation.login {
            shell.run_profiles();
        }
        let status = shell.run_text(command);
        return shell.finish(status);
    }
    if let Some(script) = &invocation.script {
        shell.arg0 = script.clone();
        shell.source = Source::Script(script.clone());
        let text = match std::fs::read(script) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) => {
                shell.source = Source::String;
                shell.error(&format!("{script}: {}", crate::shell::error_text(&error)));
                return if error.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
            }
        };
        let status = shell.run_text(&text);
        return shell.finish(status);
    }
    shell.source = Source::Stdin;
    let interactive = invocation.interactive || crate::interactive::stdin_is_terminal();
    if interactive {
        shell.interactive = true;
        shell.start_interactive();
    }
    if invocation.login {
        shell.run_profiles();
    }
    if interactive {
        if let Some(env) = shell
            .var("ENV")
            .map(str::to_string)
            .filter(|env| !env.is_empty())
        {
            shell.source_file(&env);
        }
        let status = shell.interactive_loop();
        return shell.finish(status);
    }
    let status = shell.run_stdin();
    shell.finish(status)
}

impl Shell {
    /// A login shell reads /etc/profile, then ~/.profile.
    pub fn run_profiles(&mut self) {
        self.source_file("/etc/profile");
        if let Some(home) = self.var("HOME").map(str::to_string) {
            self.source_file(&format!("{home}/.profile"));
        }
    }

    /// Runs a file's commands if it exists (profiles, $ENV).
    pub fn source_file(&mut self, path: &str) {
        if let Ok(text) = std::fs::read_to_string(path) {
            let saved = std::mem::replace(&mut self.source, Source::Script(path.to_string()));
            self.source_depth += 1;
            let result = self.eval_text(&text);
            self.source_depth -= 1;
            self.source = saved;
            if let Err(Flow::Exit(status)) = result {
                std::process::exit(self.finish(status));
            }
        }
    }

    /// The end of the shell: the EXIT trap, then the status to exit with.
    pub fn finish(&mut self, status: i32) -> i32 {
        self.status = status;
        self.run_exit_trap();
        self.save_history();
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Invocation {
        let argv: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        parse_args(&argv).unwrap()
    }

    #[test]
    fn command_strings_take_a_name_and_arguments() {
        let invocation = parse(&["sh", "-ec", "echo $0 $1", "name", "one"]);
        assert_eq!(invocation.command.as_deref(), Some("echo $0 $1"));
        assert_eq!(invocation.script.as_deref(), Some("name"));
        assert_eq!(invocation.args, ["one"]);
        assert_eq!(invocation.options, [("e".to_string(), true)]);
    }

    #[test]
    fn scripts_stdin_and_login() {
        let invocation = parse(&["sh", "-x", "script.sh", "a", "-b"]);
        assert_eq!(invocation.script.as_deref(), Some("script.sh"));
        assert_eq!(invocation.args, ["a", "-b"]);
        let invocation = parse(&["-sh"]);
        assert!(invocation.login && invocation.script.is_none());
        let invocation = parse(&["sh", "-s", "a", "b"]);
        assert!(invocation.script.is_none());
        assert_eq!(invocation.args, ["a", "b"]);
        let invocation = parse(&["sh", "-o", "pipefail", "+u", "--login"]);
        assert_eq!(
            invocation.options,
            [("pipefail".to_string(), true), ("u".to_string(), false)]
        );
        assert!(invocation.login);
        assert!(parse_args(&["sh".to_string(), "-c".to_string()]).is_err());
    }
}
