//! A scenario: one guest program run the same way on several runtimes, each
//! checked against the same expectations.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::locate;
use crate::process::{self, Finished};

/// Where a program runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// `wasmux run`, the system under test.
    Wasmux,
    /// Wasmtime through its Python bindings (tools/run-wasmtime).
    Wasmtime,
    /// Node's node:wasi (tools/run-node-wasi).
    NodeWasi,
}

impl fmt::Display for Runtime {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Runtime::Wasmux => "wasmux",
            Runtime::Wasmtime => "wasmtime",
            Runtime::NodeWasi => "node:wasi",
        })
    }
}

pub const BOTH_REFERENCES: &[Runtime] = &[Runtime::Wasmtime, Runtime::NodeWasi];
pub const WASMTIME: &[Runtime] = &[Runtime::Wasmtime];
pub const NODE_WASI: &[Runtime] = &[Runtime::NodeWasi];
pub const NO_REFERENCE: &[Runtime] = &[];

/// What every runtime must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Exit with exactly this status.
    Status(i32),
    /// End unsuccessfully: a non-zero status, or killed by a signal.
    Failure,
    /// Still be running when the time limit is reached (it is then killed).
    StillRunning,
}

/// What one run produced, with the sandbox it ran in: removed when the
/// outcome is dropped, kept when a check fails so it can be looked at.
#[derive(Debug)]
pub struct Outcome {
    pub runtime: Runtime,
    pub finished: Finished,
    /// The directory preopened as "/", for tests that inspect what was written.
    pub root: PathBuf,
    sandbox: PathBuf,
}

impl Drop for Outcome {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.sandbox);
    }
}

type Prepare = Box<dyn Fn(&Path)>;

/// One program, how to run it, and what it must produce everywhere.
pub struct Scenario {
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    root: bool,
    extra_dirs: Vec<String>,
    prepare: Vec<Prepare>,
    references: Vec<Runtime>,
    stdout: Option<String>,
    stderr_contains: Vec<String>,
    expected: Expected,
    limit: Duration,
    known_gap: Option<String>,
}

impl fmt::Debug for Scenario {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Scenario")
            .field("program", &self.program)
            .field("args", &self.args)
            .finish()
    }
}

impl Scenario {
    /// A scenario for the guest program `name` (tests/programs), run with a
    /// fresh root directory, expected to exit 0, checked on Wasmux only until
    /// references are named.
    pub fn new(name: &str) -> Self {
        Scenario {
            program: name.to_string(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: Vec::new(),
            root: true,
            extra_dirs: Vec::new(),
            prepare: Vec::new(),
            references: Vec::new(),
            stdout: None,
            stderr_contains: Vec::new(),
            expected: Expected::Status(0),
            limit: Duration::from_secs(60),
            known_gap: None,
        }
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|arg| arg.to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = bytes.to_vec();
        self
    }

    /// Run without any preopened directory.
    pub fn no_root(mut self) -> Self {
        self.root = false;
        self
    }

    /// Also preopen a fresh directory at `guest` (after the root).
    pub fn dir_at(mut self, guest: &str) -> Self {
        self.extra_dirs.push(guest.to_string());
        self
    }

    /// Writes `contents` at `path` (relative to the root) before each run.
    pub fn file(mut self, path: &str, contents: &str) -> Self {
        let (path, contents) = (path.to_string(), contents.to_string());
        self.prepare.push(Box::new(move |root| {
            let file = root.join(&path);
            if let Some(parent) = file.parent() {
                let _ = fs::create_dir_all(parent);
            }
            if let Err(error) = fs::write(&file, &contents) {
                panic!("cannot write {}: {error}", file.display());
            }
        }));
        self
    }

    /// The reference runtimes that must meet the same expectations.
    pub fn references(mut self, references: &[Runtime]) -> Self {
        self.references = references.to_vec();
        self
    }

    /// The exact stdout expected.
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_string());
        self
    }

    /// Text that stderr must contain.
    pub fn stderr_contains(mut self, text: &str) -> Self {
        self.stderr_contains.push(text.to_string());
        self
    }

    pub fn status(mut self, status: i32) -> Self {
        self.expected = Expected::Status(status);
        self
    }

    pub fn fails(mut self) -> Self {
        self.expected = Expected::Failure;
        self
    }

    /// Expect the program to be running still after `limit` (then kill it).
    pub fn still_running_after(mut self, limit: Duration) -> Self {
        self.expected = Expected::StillRunning;
        self.limit = limit;
        self
    }

    /// Marks a known Wasmux gap (a strict expected failure): Wasmux's run is
    /// reported, not asserted, and the test fails once Wasmux passes, so the
    /// mark is removed as soon as the gap is closed. References still assert.
    pub fn known_wasmux_gap(mut self, reason: &str) -> Self {
        self.known_gap = Some(reason.to_string());
        self
    }

    /// Runs on every listed reference (every reference when
    /// WASMUX_TESTS_ALL_REFERENCES is set), then on Wasmux when it exists, and
    /// panics with a full report at the first runtime that disagrees.
    /// Returns the outcomes for further checks (their roots are kept).
    pub fn check(&self) -> Vec<Outcome> {
        let mut runtimes = self.references.clone();
        if std::env::var_os("WASMUX_TESTS_ALL_REFERENCES").is_some() {
            // To re-survey where the references differ (tests/programs/README.md).
            runtimes = BOTH_REFERENCES.to_vec();
        }
        match locate::wasmux() {
            Some(_) => runtimes.push(Runtime::Wasmux),
            None => eprintln!(
                "note: no wasmux CLI in the workspace yet: {} checked on the references only",
                self.program
            ),
        }
        let mut outcomes = Vec::new();
        for runtime in runtimes {
            match (&self.known_gap, runtime) {
                (Some(reason), Runtime::Wasmux) => self.check_known_gap(reason),
                _ => outcomes.push(self.run_and_check(runtime)),
            }
        }
        outcomes
    }

    fn check_known_gap(&self, reason: &str) {
        let outcome = self.run(Runtime::Wasmux);
        match self.problem(&outcome.finished) {
            Some(problem) => eprintln!(
                "KNOWN GAP {} on wasmux ({reason}): {problem}\n--- stderr ---\n{}",
                self.program, outcome.finished.stderr
            ),
            None => panic!(
                "{} now passes on wasmux: remove known_wasmux_gap({reason:?})",
                self.program
            ),
        }
    }

    /// Runs once on `runtime` and checks the expectations.
    pub fn run_and_check(&self, runtime: Runtime) -> Outcome {
        let outcome = self.run(runtime);
        if let Some(problem) = self.problem(&outcome.finished) {
            let report = format!(
                "{} on {runtime}: {problem}\n--- stdout ---\n{}--- stderr ---\n{}--- sandbox: {}",
                self.program,
                outcome.finished.stdout,
                outcome.finished.stderr,
                outcome.root.display()
            );
            std::mem::forget(outcome); // keep the sandbox for a post-mortem
            panic!("{report}");
        }
        outcome
    }

    /// Runs once on `runtime` in a fresh sandbox, without checking anything.
    pub fn run(&self, runtime: Runtime) -> Outcome {
        let sandbox = locate::scratch_dir(&format!("{}-{runtime}", self.program).replace(':', "-"));
        let root = sandbox.join("root");
        let mut argv = match runtime {
            Runtime::Wasmux => match locate::wasmux() {
                Some(path) => vec![path.to_string_lossy().into_owned(), "run".to_string()],
                None => panic!("no wasmux CLI to run {}", self.program),
            },
            Runtime::Wasmtime => vec![locate::tool("run-wasmtime").to_string_lossy().into_owned()],
            Runtime::NodeWasi => vec![locate::tool("run-node-wasi").to_string_lossy().into_owned()],
        };
        // A file beside the root, for programs that try to escape it.
        let _ = fs::write(sandbox.join("outside.txt"), "outside\n");
        let mut dirs = Vec::new();
        if self.root {
            dirs.push((root.clone(), "/".to_string()));
        }
        for (index, guest) in self.extra_dirs.iter().enumerate() {
            dirs.push((sandbox.join(format!("extra{index}")), guest.clone()));
        }
        for (host, guest) in &dirs {
            if let Err(error) = fs::create_dir_all(host) {
                panic!("cannot create {}: {error}", host.display());
            }
            argv.push("--dir".to_string());
            argv.push(format!("{}::{guest}", host.display()));
        }
        for prepare in &self.prepare {
            prepare(&root);
        }
        for (key, value) in &self.env {
            argv.push("--env".to_string());
            argv.push(format!("{key}={value}"));
        }
        argv.push(locate::guest(&self.program).to_string_lossy().into_owned());
        argv.extend(self.args.iter().cloned());

        let finished = process::run(&argv, &self.stdin, self.limit)
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", argv.join(" ")));
        Outcome {
            runtime,
            finished,
            root,
            sandbox,
        }
    }

    /// What is wrong with a run, if anything.
    fn problem(&self, finished: &Finished) -> Option<String> {
        let status_ok = match self.expected {
            Expected::Status(status) => !finished.timed_out && finished.code == Some(status),
            Expected::Failure => !finished.timed_out && finished.code != Some(0),
            Expected::StillRunning => finished.timed_out,
        };
        if !status_ok {
            let seen = if finished.timed_out {
                "still running at the time limit".to_string()
            } else {
                format!("exit status {:?}", finished.code)
            };
            return Some(format!("{seen}, expected {:?}", self.expected));
        }
        if let Some(expected) = &self.stdout {
            if &finished.stdout != expected {
                return Some(format!(
                    "stdout differs\n--- expected stdout ---\n{expected}"
                ));
            }
        }
        for text in &self.stderr_contains {
            if !finished.stderr.contains(text.as_str()) {
                return Some(format!("stderr does not contain {text:?}"));
            }
        }
        None
    }
}
