//! Running child processes: echo the command line, fail with a clear message.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process;

/// A command to run, echoed before it runs.
#[derive(Debug)]
pub struct Command {
    program: OsString,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    current_dir: Option<PathBuf>,
    quiet: bool,
}

impl Command {
    pub fn new(program: impl Into<OsString>) -> Self {
        Command {
            program: program.into(),
            args: Vec::new(),
            envs: Vec::new(),
            current_dir: None,
            quiet: false,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.current_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Do not echo the command line.
    pub fn quiet(mut self) -> Self {
        self.quiet = true;
        self
    }

    fn describe(&self) -> String {
        let mut words = vec![self.program.to_string_lossy().into_owned()];
        words.extend(
            self.args
                .iter()
                .map(|arg| arg.to_string_lossy().into_owned()),
        );
        words.join(" ")
    }

    fn build(&self) -> process::Command {
        let mut command = process::Command::new(&self.program);
        command.args(&self.args);
        command.envs(self.envs.iter().map(|(key, value)| (key, value)));
        if let Some(dir) = &self.current_dir {
            command.current_dir(dir);
        }
        command
    }

    /// Runs to completion with inherited stdio; an error unless it exits 0.
    pub fn run(&self) -> Result<(), String> {
        if !self.quiet {
            eprintln!("+ {}", self.describe());
        }
        let status = self
            .build()
            .status()
            .map_err(|error| format!("cannot run {}: {error}", self.describe()))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.describe()))
        }
    }

    /// Runs and returns stdout if it exits 0 (stderr passes through).
    pub fn output(&self) -> Result<String, String> {
        let output = self
            .build()
            .stderr(process::Stdio::inherit())
            .output()
            .map_err(|error| format!("cannot run {}: {error}", self.describe()))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!("`{}` failed ({})", self.describe(), output.status))
        }
    }

    /// True when the command runs and exits 0, with all output discarded.
    pub fn succeeds_silently(&self) -> bool {
        self.build()
            .stdout(process::Stdio::null())
            .stderr(process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }
}

/// What a captured run produced.
#[derive(Debug)]
pub struct Captured {
    /// The exit code; None when killed by a signal or by the timeout.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Runs `argv` in `dir` with stdin closed, capturing stdout and stderr, and
/// kills it after `timeout`.
pub fn run_captured(
    argv: &[String],
    dir: &Path,
    timeout: std::time::Duration,
) -> Result<Captured, String> {
    use std::io::Read;

    let (program, args) = argv.split_first().ok_or("empty command line")?;
    let mut child = process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(process::Stdio::null())
        .stdout(process::Stdio::piped())
        .stderr(process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {program}: {error}"))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
    );

    let deadline = std::time::Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait().map_err(|error| error.to_string())? {
            Some(status) => break status,
            None if std::time::Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(|error| error.to_string())?;
            }
            None => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    };
    Ok(Captured {
        code: if timed_out { None } else { status.code() },
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        timed_out,
    })
}
