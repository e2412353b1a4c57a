//! [`Command`]: a process builder in the shape of `std::process::Command`,
//! over the kernel's `spawn` (posix_spawn with file actions) and `exec`.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::os::fd::RawFd;
use std::path::{Path, PathBuf};

use wasmux_uapi::Errno;

use super::child::{Child, Output};
use super::request::{self, FileAction, Request, string_list};
use super::stdio::{Kind, Plan, Stdio, Unset};
use crate::signal::SigSet;
use crate::{WaitStatus, bytes};

/// Where PATH lookups go when the program's environment has no PATH.
pub const DEFAULT_PATH: &str = "/bin:/usr/bin";

/// A program to start, with its arguments, environment, working directory,
/// standard fds, process group and signal settings.
#[derive(Debug)]
pub struct Command {
    program: OsString,
    /// argv[0] when it is not the program (as a shell passes the name typed).
    arg0: Option<OsString>,
    args: Vec<OsString>,
    env_clear: bool,
    /// `None` removes the variable.
    env: BTreeMap<OsString, Option<OsString>>,
    cwd: Option<PathBuf>,
    stdio: [Option<Stdio>; 3],
    pgroup: Option<u32>,
    setsid: bool,
    sigmask: Option<SigSet>,
    sigdefault: Option<SigSet>,
}

impl Command {
    /// `program`: a path (relative to the working directory if it does not
    /// start with "/"), or a bare name looked up in PATH as a shell does.
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        Command {
            program: program.as_ref().to_owned(),
            arg0: None,
            args: Vec::new(),
            env_clear: false,
            env: BTreeMap::new(),
            cwd: None,
            stdio: [None, None, None],
            pgroup: None,
            setsid: false,
            sigmask: None,
            sigdefault: None,
        }
    }

    /// The child's argv\[0\] (else the program as given), as std's
    /// `CommandExt::arg0`: a shell passes the name the user typed while
    /// spawning the path it found.
    pub fn arg0(&mut self, arg0: impl AsRef<OsStr>) -> &mut Command {
        self.arg0 = Some(arg0.as_ref().to_owned());
        self
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut Command {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        self.env
            .insert(key.as_ref().to_owned(), Some(value.as_ref().to_owned()));
        self
    }

    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.env.insert(key.as_ref().to_owned(), None);
        self
    }

    /// Start from an empty environment instead of the caller's.
    pub fn env_clear(&mut self) -> &mut Command {
        self.env_clear = true;
        self.env.clear();
        self
    }

    /// The child's working directory (relative to the caller's).
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Command {
        self.cwd = Some(dir.as_ref().to_owned());
        self
    }

    pub fn stdin(&mut self, stdio: impl Into<Stdio>) -> &mut Command {
        self.stdio[0] = Some(stdio.into());
        self
    }

    pub fn stdout(&mut self, stdio: impl Into<Stdio>) -> &mut Command {
        self.stdio[1] = Some(stdio.into());
        self
    }

    pub fn stderr(&mut self, stdio: impl Into<Stdio>) -> &mut Command {
        self.stdio[2] = Some(stdio.into());
        self
    }

    /// Puts the child in process group `pgid`, or a new one it leads (0).
    pub fn process_group(&mut self, pgid: u32) -> &mut Command {
        self.pgroup = Some(pgid);
        self
    }

    /// Makes the child lead a new session (and process group).
    pub fn setsid(&mut self) -> &mut Command {
        self.setsid = true;
        self
    }

    /// The child's blocked signal mask (else the caller's).
    pub fn signal_mask(&mut self, mask: SigSet) -> &mut Command {
        self.sigmask = Some(mask);
        self
    }

    /// Signals whose disposition goes back to default in the child.
    pub fn default_signals(&mut self, signals: SigSet) -> &mut Command {
        self.sigdefault = Some(signals);
        self
    }

    /// Starts the program; unset stdio is inherited.
    /// Errors: as ABI.md's `spawn` (`ENOENT` when PATH has no such program).
    pub fn spawn(&mut self) -> io::Result<Child> {
        self.start([Unset::Inherit; 3])
    }

    /// Runs the program to its end with unset stdio inherited.
    pub fn status(&mut self) -> io::Result<WaitStatus> {
        self.start([Unset::Inherit; 3])?.wait()
    }

    /// Runs the program to its end, capturing stdout and stderr (unless
    /// set otherwise); stdin is [`Stdio::null`] unless set.
    pub fn output(&mut self) -> io::Result<Output> {
        self.start([Unset::Null, Unset::Piped, Unset::Piped])?
            .wait_with_output()
    }

    fn start(&mut self, defaults: [Unset; 3]) -> io::Result<Child> {
        let mut plan = Plan::default();
        let mut ends: [Option<File>; 3] = [None, None, None];
        for (fd, (stdio, default)) in self.stdio.iter().zip(defaults).enumerate() {
            let kind = match (stdio.as_ref().map(|stdio| &stdio.0), default) {
                (Some(kind), _) => kind,
                (None, Unset::Inherit) => &Kind::Inherit,
                (None, Unset::Null) => &Kind::Null,
                (None, Unset::Piped) => &Kind::Piped,
            };
            ends[fd] = plan.add(fd as u32, kind)?;
        }
        let envp = self.envp()?;
        let argv = self.argv()?;
        let cwd = self
            .cwd
            .as_deref()
            .map_or(&[][..], |dir| bytes(dir.as_os_str()));
        if self.cwd.is_some() && cwd.is_empty() {
            return Err(io::Error::from_raw_os_error(Errno::NoEnt as i32));
        }
        let actions: Vec<_> = plan.actions.iter().map(FileAction::encode).collect();
        let pid = self.each_candidate(|path| {
            Request {
                path,
                argv: &argv,
                envp: &envp,
                cwd,
                actions: &actions,
                pgroup: self.pgroup,
                setsid: self.setsid,
                sigmask: self.sigmask,
                sigdefault: self.sigdefault,
            }
            .spawn()
        })?;
        // The child has its copies; the caller's close with `plan` here.
        drop(plan);
        let [stdin, stdout, stderr] = ends;
        Ok(Child::new(pid, stdin, stdout, stderr))
    }

    /// Replaces the caller's program with this one (PATH lookup, arguments,
    /// environment). The working directory, stdio given as files or null,
    /// process group, session and signal settings are applied to the caller
    /// first and stay applied if exec fails. Returns only on failure
    /// (`InvalidInput` for piped stdio).
    pub fn exec(&mut self) -> io::Error {
        match self.prepare_exec() {
            Ok((argv, envp)) => {
                match self.each_candidate(|path| Err(request::exec(path, &argv, &envp))) {
                    Err(error) => error,
                    Ok(()) => io::Error::other("exec returned"),
                }
            }
            Err(error) => error,
        }
    }

    fn prepare_exec(&self) -> io::Result<(Vec<u8>, Vec<u8>)> {
        let (argv, envp) = (self.argv()?, self.envp()?);
        for (fd, stdio) in self.stdio.iter().enumerate() {
            match stdio.as_ref().map(|stdio| &stdio.0) {
                None | Some(Kind::Inherit) => {}
                Some(Kind::Null) if fd == 0 => crate::dup2(File::open("/dev/null")?, 0)?,
                Some(Kind::Null) => crate::dup2(File::create("/dev/null")?, fd as RawFd)?,
                Some(Kind::Piped) => return Err(io::Error::from(io::ErrorKind::InvalidInput)),
                Some(Kind::Fd(file)) => crate::dup2(file, fd as RawFd)?,
            }
        }
        if self.setsid {
            crate::setsid()?;
        } else if let Some(pgid) = self.pgroup {
            crate::setpgid(0, pgid as i32)?;
        }
        if let Some(mask) = self.sigmask {
            crate::signal::sigprocmask(crate::signal::How::SetMask, Some(mask))?;
        }
        for signal in self.sigdefault.unwrap_or_default().iter() {
            crate::signal::reset(signal)?;
        }
        if let Some(dir) = &self.cwd {
            crate::chdir(dir)?;
        }
        Ok((argv, envp))
    }

    fn argv(&self) -> io::Result<Vec<u8>> {
        string_list(
            std::iter::once(self.arg0.as_ref().unwrap_or(&self.program))
                .chain(&self.args)
                .map(|arg| bytes(arg)),
        )
    }

    /// The child's environment: the caller's (unless cleared) with the changes.
    fn child_env(&self) -> BTreeMap<OsString, OsString> {
        let mut vars: BTreeMap<OsString, OsString> = if self.env_clear {
            BTreeMap::new()
        } else {
            std::env::vars_os().collect()
        };
        for (key, value) in &self.env {
            match value {
                Some(value) => vars.insert(key.clone(), value.clone()),
                None => vars.remove(key),
            };
        }
        vars
    }

    fn envp(&self) -> io::Result<Vec<u8>> {
        let entries: Vec<Vec<u8>> = self
            .child_env()
            .iter()
            .map(|(key, value)| [bytes(key), b"=", bytes(value)].concat())
            .collect();
        string_list(entries.iter().map(Vec::as_slice))
    }

    /// Calls `attempt` with each path the program may be at, as execvp
    /// does: a name with a "/" is used as is; a bare name is tried in each
    /// PATH directory (the child's PATH if the command sets one) until one
    /// is found. ENOENT, ENOTDIR and EACCES move on; EACCES is reported if
    /// nothing was found.
    fn each_candidate<T>(&self, mut attempt: impl FnMut(&[u8]) -> io::Result<T>) -> io::Result<T> {
        let program = bytes(&self.program);
        if program.contains(&b'/') {
            return attempt(program);
        }
        let not_found = || io::Error::from_raw_os_error(Errno::NoEnt as i32);
        if program.is_empty() {
            return Err(not_found());
        }
        let search = if self.env_clear || self.env.contains_key(OsStr::new("PATH")) {
            self.child_env().get(OsStr::new("PATH")).cloned()
        } else {
            std::env::var_os("PATH")
        };
        let search = search.unwrap_or_else(|| DEFAULT_PATH.into());
        let mut denied = None;
        for dir in bytes(&search).split(|&byte| byte == b':') {
            let dir = if dir.is_empty() { &b"."[..] } else { dir };
            let path = [dir, b"/", program].concat();
            match attempt(&path) {
                Err(error) if is_errno(&error, &[Errno::NoEnt, Errno::NotDir]) => {}
                Err(error) if is_errno(&error, &[Errno::Access]) => denied = Some(error),
                other => return other,
            }
        }
        Err(denied.unwrap_or_else(not_found))
    }
}

fn is_errno(error: &io::Error, errnos: &[Errno]) -> bool {
    errnos
        .iter()
        .any(|&errno| error.raw_os_error() == Some(errno as i32))
}
