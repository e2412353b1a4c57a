//! Creating processes.

use std::rc::Rc;

use wasmux_fs::{Cred, Location, OpenFile};
use wasmux_proc::{FdEntry, LoadError, Process, State};
use wasmux_uapi::{Pid, Rights};

use crate::Kernel;

/// An open description to install as one of a new process's fds.
#[derive(Clone, Debug)]
pub struct Inherit {
    pub file: Rc<OpenFile>,
    pub rights: Rights,
}

/// A directory preopened for the new process (fd 3 on, in order).
#[derive(Clone, Debug)]
pub struct Preopen {
    /// The name programs see (`fd_prestat_dir_name`).
    pub name: Vec<u8>,
    pub at: Location,
}

/// Everything that defines a new process.
#[derive(Clone, Debug)]
pub struct SpawnSpec {
    /// The program: a wasm32-wasi module.
    pub program: Vec<u8>,
    pub args: Vec<Vec<u8>>,
    /// `KEY=VALUE` strings.
    pub env: Vec<Vec<u8>>,
    /// fds 0, 1, 2.
    pub stdio: [Inherit; 3],
    /// Directories preopened from fd 3 on.
    pub preopens: Vec<Preopen>,
    pub root: Location,
    pub cwd: Location,
    pub cred: Cred,
    /// WASI capability semantics for paths (as `wasmtime run`).
    pub confine_paths: bool,
    pub parent: Option<Pid>,
}

impl Kernel {
    /// Loads `spec.program` (compiled modules are cached by content) and
    /// makes it a runnable process.
    /// Errors: the program is not a valid module, imports something the
    /// kernel does not provide, or cannot be instantiated; a preopen cannot
    /// be opened (reported as instantiation failure).
    pub fn spawn(&mut self, spec: SpawnSpec) -> Result<Pid, LoadError> {
        let module = self.engine.compile(&spec.program)?;
        let executor = self.engine.instantiate(&module)?;
        let mut fds = wasmux_proc::FdTable::new();
        for inherit in spec.stdio {
            let entry = FdEntry {
                file: inherit.file,
                rights: inherit.rights,
                inheriting: Rights::empty(),
                cloexec: false,
                preopen: None,
            };
            fds.insert(entry)
                .map_err(|_| LoadError::Instantiate("too many fds".into()))?;
        }
        for Preopen { name, at: location } in spec.preopens {
            let file = self
                .vfs
                .open_location(
                    location,
                    wasmux_fs::Access::READ,
                    wasmux_uapi::FdFlags::empty(),
                )
                .map_err(|error| {
                    LoadError::Instantiate(format!(
                        "cannot open preopen {}: {error}",
                        String::from_utf8_lossy(&name)
                    ))
                })?;
            let entry = FdEntry {
                file: Rc::new(file),
                rights: Rights::DIRECTORY,
                inheriting: Rights::all(),
                cloexec: false,
                preopen: Some(name),
            };
            fds.insert(entry)
                .map_err(|_| LoadError::Instantiate("too many fds".into()))?;
        }
        let pid = self.allocate_pid();
        let now = self.host.monotonic();
        let process = Process {
            pid,
            parent: spec.parent,
            args: spec.args,
            env: spec.env,
            fds,
            cred: spec.cred,
            root: spec.root,
            cwd: spec.cwd,
            confine_paths: spec.confine_paths,
            state: State::Runnable { reply: None },
            executor: Some(Box::new(executor)),
            started_at: now,
            cpu_time: 0,
        };
        self.processes.insert(pid, process);
        self.run_queue.push_back(pid);
        Ok(pid)
    }

    fn allocate_pid(&mut self) -> Pid {
        loop {
            let candidate = Pid(self.next_pid);
            self.next_pid = self.next_pid.checked_add(1).unwrap_or(2);
            if !self.processes.contains_key(&candidate) {
                return candidate;
            }
        }
    }
}
