//! Creating the first processes from the platform.

use std::rc::Rc;

use wasmux_fs::{Access, Cred, Location, OpenFile};
use wasmux_proc::{FdEntry, LoadError, Process};
use wasmux_uapi::{FdFlags, Pid, Rights};

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

/// Everything that defines a process the platform starts.
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
}

/// The environment the terminal platforms give init.
pub const TERMINAL_ENV: &[&[u8]] = &[
    b"TERM=xterm-256color",
    b"HOME=/root",
    b"PATH=/bin:/usr/bin:/sbin",
];

impl SpawnSpec {
    /// A session leader the way platforms start init: as root, on
    /// `stdio` (the console), with the root directory `root` as its root,
    /// its working directory and its one preopen ("/").
    pub fn system(
        program: Vec<u8>,
        args: Vec<Vec<u8>>,
        env: Vec<Vec<u8>>,
        stdio: [Inherit; 3],
        root: Location,
    ) -> SpawnSpec {
        SpawnSpec {
            program,
            args,
            env,
            stdio,
            preopens: vec![Preopen {
                name: b"/".to_vec(),
                at: root,
            }],
            root,
            cwd: root,
            cred: Cred::ROOT,
            confine_paths: false,
        }
    }
}

impl Kernel {
    /// Loads `spec.program` (compiled modules are cached by content) and
    /// makes it a runnable process that leads its own session; nobody waits
    /// for it but the platform, through [`Kernel::take_deaths`].
    /// Errors: the program is not a valid module, imports something the
    /// kernel does not provide, or cannot be instantiated; a preopen cannot
    /// be opened (reported as instantiation failure).
    pub fn spawn(&mut self, spec: SpawnSpec) -> Result<Pid, LoadError> {
        let choice = wasmux_proc::ExecutorChoice::from_env(&spec.env);
        let platform = crate::ops::platform_for(&mut self.platform, choice);
        let executor: Box<dyn wasmux_proc::Executor> = match platform {
            Some(platform) => platform.load(&spec.program, None)?,
            None => {
                let module = self.engine.compile(&spec.program)?;
                Box::new(self.engine.instantiate(&module)?)
            }
        };
        let pid = self.table.allocate_pid();
        let mut process = Process::new(pid, executor, spec.root, self.host.monotonic());
        let too_many = |_| LoadError::Instantiate("too many fds".into());
        for inherit in spec.stdio {
            let entry = FdEntry {
                file: inherit.file,
                rights: inherit.rights,
                inheriting: Rights::empty(),
                cloexec: false,
                preopen: None,
            };
            process.fds.insert(entry).map_err(too_many)?;
        }
        for Preopen { name, at } in spec.preopens {
            let file = self
                .vfs
                .open_location(at, wasmux_fs::Access::READ, wasmux_uapi::FdFlags::empty())
                .map_err(|error| {
                    let name = String::from_utf8_lossy(&name);
                    LoadError::Instantiate(format!("cannot open preopen {name}: {error}"))
                })?;
            let entry = FdEntry {
                file: Rc::new(file),
                rights: Rights::DIRECTORY,
                inheriting: Rights::all(),
                cloexec: false,
                preopen: Some(name),
            };
            process.fds.insert(entry).map_err(too_many)?;
        }
        process.args = spec.args;
        process.env = spec.env;
        process.cred = spec.cred;
        process.cwd = spec.cwd;
        process.confine_paths = spec.confine_paths;
        self.table.insert(process);
        self.run_queue.push_back(pid);
        self.proc_dirty = true;
        Ok(pid)
    }

    /// A pipe for the platform: its read end and write end, as stdio for
    /// a process it spawns or to read and write itself (a read or write
    /// that cannot proceed returns `WouldBlock`; call
    /// [`Kernel::notify_io`] after moving bytes so blocked peers retry).
    pub fn pipe(&mut self) -> (Inherit, Inherit) {
        let (reader, writer) = self.ipc.pipe();
        let end = |file: Box<dyn wasmux_fs::File>, access| Inherit {
            file: Rc::new(OpenFile::new(file, access, FdFlags::empty())),
            rights: Rights::STREAM,
        };
        (
            end(Box::new(reader), Access::READ),
            end(Box::new(writer), Access::WRITE),
        )
    }
}
