//! The console session: who it runs as, its environment and directory, and
//! how it comes to own the terminal.
//!
//! Wasmux has no fork, so the getty/login step "become a session leader,
//! take the terminal, then exec the shell" is done by init's own binary:
//! init spawns `/sbin/init --session PROGRAM ARGS...` as the leader of a new
//! session (spawn's SETSID), and that process makes its group the
//! terminal's foreground group (tcsetpgrp, allowed only inside the session)
//! and execs PROGRAM, which keeps the pid, the session and the terminal.

use std::ffi::OsString;
use std::io;

use wasmux_sys::process::Command;

use crate::passwd::{self, Account};

/// The argument that runs init's binary as the session leader.
pub const SESSION_FLAG: &str = "--session";

/// PATH when init's environment has none.
pub const DEFAULT_PATH: &str = "/bin:/usr/bin:/sbin:/usr/sbin";

/// TERM when init's environment has none.
pub const DEFAULT_TERM: &str = "vt100";

/// What the console session runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// The interactive login: the inittab's `console` command, else the
    /// user's shell with `-l`.
    Login(Option<Vec<String>>),
    /// `init -c COMMAND`: `/bin/sh -c COMMAND`, and init's exit status is its.
    Command(String),
}

/// A session ready to start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: String,
}

impl Session {
    /// The session for `kind`, run as `account`, with `inherited` (init's
    /// environment) providing TERM and PATH.
    pub fn new(kind: &SessionKind, account: &Account, inherited: &[(String, String)]) -> Session {
        let argv = match kind {
            SessionKind::Login(Some(argv)) => argv.clone(),
            SessionKind::Login(None) => vec![account.shell.clone(), "-l".to_string()],
            SessionKind::Command(command) => {
                vec![
                    passwd::DEFAULT_SHELL.to_string(),
                    "-c".to_string(),
                    command.clone(),
                ]
            }
        };
        let inherited_or = |key: &str, default: &str| {
            inherited
                .iter()
                .find(|(name, _)| name == key)
                .map_or_else(|| default.to_string(), |(_, value)| value.clone())
        };
        let env = vec![
            ("HOME".to_string(), account.home.clone()),
            ("LOGNAME".to_string(), account.name.clone()),
            ("PATH".to_string(), inherited_or("PATH", DEFAULT_PATH)),
            ("SHELL".to_string(), account.shell.clone()),
            ("TERM".to_string(), inherited_or("TERM", DEFAULT_TERM)),
            ("USER".to_string(), account.name.clone()),
        ];
        Session {
            argv,
            env,
            cwd: account.home.clone(),
        }
    }

    /// A command that starts the session through `init_path` (this binary)
    /// as the leader of a new session; the caller sets stdio and signals.
    pub fn command(&self, init_path: &str) -> Command {
        let mut command = Command::new(init_path);
        command
            .arg(SESSION_FLAG)
            .args(&self.argv)
            .env_clear()
            .envs_from(&self.env)
            .setsid();
        if std::path::Path::new(&self.cwd).is_dir() {
            command.current_dir(&self.cwd);
        } else {
            command.current_dir("/");
        }
        command
    }
}

/// Sets each pair on a command (a small helper trait, so the builder chain
/// above stays one expression).
trait EnvsFrom {
    fn envs_from(&mut self, pairs: &[(String, String)]) -> &mut Self;
}

impl EnvsFrom for Command {
    fn envs_from(&mut self, pairs: &[(String, String)]) -> &mut Self {
        for (key, value) in pairs {
            self.env(key, value);
        }
        self
    }
}

/// `init --session PROGRAM ARGS...`: takes the terminal for this process's
/// group (a stdin that is not a terminal is fine) and execs PROGRAM.
/// Returns only on failure, with the exit status to use (126 or 127, as a
/// shell does).
pub fn lead(argv: &[OsString]) -> i32 {
    let Some((program, args)) = argv.split_first() else {
        eprintln!("init: {SESSION_FLAG} needs a program");
        return 2;
    };
    match wasmux_sys::termios::tcsetpgrp(io::stdin(), wasmux_sys::getpgrp()) {
        Ok(()) => {}
        Err(error) if error.raw_os_error() == Some(wasmux_sys::Errno::NoTty as i32) => {}
        Err(error) => eprintln!("init: cannot take the terminal: {error}"),
    }
    let error = Command::new(program).args(args).exec();
    eprintln!("init: {}: {error}", program.to_string_lossy());
    if error.kind() == io::ErrorKind::NotFound {
        127
    } else {
        126
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Account {
        Account::fallback(0)
    }

    fn value<'a>(session: &'a Session, key: &str) -> &'a str {
        session
            .env
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    }

    #[test]
    fn a_login_runs_the_users_shell_in_home() {
        let inherited = [("TERM".to_string(), "xterm".to_string())];
        let session = Session::new(&SessionKind::Login(None), &root(), &inherited);
        assert_eq!(session.argv, ["/bin/sh", "-l"]);
        assert_eq!(session.cwd, "/root");
        assert_eq!(value(&session, "TERM"), "xterm");
        assert_eq!(value(&session, "PATH"), DEFAULT_PATH);
        assert_eq!(value(&session, "USER"), "root");
        assert_eq!(value(&session, "SHELL"), "/bin/sh");
    }

    #[test]
    fn a_command_session_is_sh_dash_c() {
        let session = Session::new(&SessionKind::Command("echo hi".into()), &root(), &[]);
        assert_eq!(session.argv, ["/bin/sh", "-c", "echo hi"]);
        assert_eq!(value(&session, "TERM"), DEFAULT_TERM);
    }

    #[test]
    fn the_inittab_console_line_replaces_the_shell() {
        let kind = SessionKind::Login(Some(vec!["/bin/other".into()]));
        assert_eq!(Session::new(&kind, &root(), &[]).argv, ["/bin/other"]);
    }
}
