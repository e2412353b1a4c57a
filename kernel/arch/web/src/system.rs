//! [`System`]: open the disk, install a root filesystem, boot, and step.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{BlockStore, Clock, DiskFs, DiskOptions, Vfs};
use wasmux_kernel::{InstallReport, Kernel, KernelConfig, RunState, SpawnSpec};
use wasmux_uapi::{Pid, Timestamp};
use wasmux_wasi::Host;

use crate::files::root_walk;
use crate::jobs::{Event, Jobs};
use crate::screen::Screen;

/// The environment of init and of processes spawned without one.
pub const DEFAULT_ENV: &[&str] = &[
    "TERM=xterm-256color",
    "HOME=/root",
    "PATH=/bin:/usr/bin:/sbin:/usr/sbin",
    "LANG=C.UTF-8",
];

/// Tunables of a browser system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SystemOptions {
    pub kernel: KernelConfig,
    pub disk: DiskOptions,
}

impl Default for SystemOptions {
    fn default() -> SystemOptions {
        SystemOptions {
            kernel: KernelConfig::default(),
            // A tab can be closed at any moment: commit within a second
            // while busy (and at once when idle, see `System::step`).
            disk: DiskOptions {
                flush_interval: 1_000_000_000,
                ..DiskOptions::default()
            },
        }
    }
}

/// The earlier of two optional deadlines.
fn min_deadline(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What the Worker should do after a [`System::step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Processes are runnable: step again as soon as messages are handled.
    Busy,
    /// Everything waits: step again at the deadline (monotonic ns), if
    /// any, or when a message arrives.
    Idle { deadline: Option<Timestamp> },
    /// No process is left.
    Halted,
}

/// A Wasmux system on a disk, as the kernel Worker runs it.
pub struct System {
    pub(crate) kernel: Kernel,
    pub(crate) host: Rc<dyn Host>,
    pub(crate) screen: Screen,
    pub(crate) init: Option<Pid>,
    pub(crate) jobs: Jobs,
    pub(crate) events: Vec<Event>,
    /// The last step went quiet with changes to commit: this one commits.
    pub(crate) commit_next: bool,
    /// Largest linear memory of one process, in bytes.
    pub(crate) memory_limit: usize,
}

impl core::fmt::Debug for System {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("System")
            .field("kernel", &self.kernel)
            .field("init", &self.init)
            .finish_non_exhaustive()
    }
}

impl System {
    /// Mounts the disk in `store` as the root filesystem, formatting an
    /// empty store (first boot); `clock` is wall-clock time for file times.
    /// Errors: the store holds something else, or a damaged disk.
    pub fn open(
        store: Box<dyn BlockStore>,
        host: Rc<dyn Host>,
        clock: Rc<dyn Clock>,
        options: SystemOptions,
    ) -> Result<System, String> {
        let fs = DiskFs::open(store, clock.clone(), options.disk)
            .map_err(|error| format!("the disk: {error}"))?;
        let vfs = Vfs::new(Rc::new(RefCell::new(fs)), clock);
        Ok(System {
            kernel: Kernel::new(vfs, host.clone(), options.kernel),
            host,
            screen: Screen::default(),
            init: None,
            jobs: Jobs::default(),
            events: Vec::new(),
            commit_next: false,
            memory_limit: options.kernel.memory_limit,
        })
    }

    /// Largest linear memory of one process, in bytes.
    pub fn memory_limit(&self) -> usize {
        self.memory_limit
    }

    /// Whether the disk holds a root filesystem (an /sbin/init).
    pub fn has_root(&mut self) -> bool {
        let walk = root_walk(self.kernel.vfs());
        self.kernel
            .vfs()
            .stat_path(&walk, b"/sbin/init", true)
            .is_ok()
    }

    /// Installs the tar `archive` as the root filesystem and makes it durable.
    /// Errors: a bad or hostile archive (nothing written), the store failing.
    pub fn install(&mut self, archive: &[u8]) -> Result<InstallReport, String> {
        let report = wasmux_kernel::install_rootfs(self.kernel.vfs(), archive)
            .map_err(|error| format!("rootfs.tar: {error}"))?;
        self.sync()?;
        if !self.has_root() {
            return Err("rootfs.tar has no /sbin/init".into());
        }
        Ok(report)
    }

    /// Mounts /dev, /proc and /tmp, makes a `rows`×`cols` console and starts
    /// `args[0]` (normally /sbin/init) on it as root.
    /// Errors: booted already, the mounts fail, init is missing or not a program.
    pub fn boot(&mut self, rows: u16, cols: u16, args: &[String]) -> Result<Pid, String> {
        if self.init.is_some() {
            return Err("the system is running already".into());
        }
        let program = args.first().ok_or("no init program given")?;
        self.kernel
            .mount_system_filesystems()
            .map_err(|error| format!("mounting /dev, /proc, /tmp: {error}"))?;
        self.kernel.attach_console(Box::new(self.screen.clone()));
        self.kernel.console_resize(rows, cols);
        let stdio = self.kernel.console_stdio().ok_or("no console")?;
        let walk = root_walk(self.kernel.vfs());
        let bytes = self
            .kernel
            .vfs()
            .read_executable(&walk, program.as_bytes())
            .map_err(|error| format!("{program}: {error}"))?;
        let root = walk.root;
        let spec = SpawnSpec::system(
            bytes,
            args.iter().map(|arg| arg.as_bytes().to_vec()).collect(),
            DEFAULT_ENV
                .iter()
                .map(|var| var.as_bytes().to_vec())
                .collect(),
            stdio,
            root,
        );
        let pid = self
            .kernel
            .spawn(spec)
            .map_err(|error| format!("{program}: {error}"))?;
        self.init = Some(pid);
        Ok(pid)
    }

    /// Keys typed (or text pasted) on the console.
    pub fn console_input(&mut self, bytes: &[u8]) {
        self.kernel.console_input(bytes);
    }

    /// The terminal's size changed (SIGWINCH to the foreground group).
    pub fn console_resize(&mut self, rows: u16, cols: u16) {
        self.kernel.console_resize(rows, cols);
    }

    /// What the console showed since the last call.
    pub fn take_screen(&mut self) -> Vec<u8> {
        self.screen.take()
    }

    /// Events for the page since the last call (process output, exits, log lines).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Runs kernel rounds for at most about `budget` ns (at least one round).
    ///
    /// A system that goes quiet with uncommitted changes asks to be stepped
    /// again at once (`Idle` with a deadline of now) and commits then: the
    /// page gets the output first, the disk flush comes after.
    pub fn step(&mut self, budget: Timestamp) -> Step {
        let start = self.host.monotonic();
        let commit_due = std::mem::take(&mut self.commit_next);
        loop {
            let state = self.kernel.run();
            // Output before deaths: what a process wrote comes before its exit.
            let moved = self.pump_jobs();
            self.collect();
            let _ = self.kernel.vfs().flush_if_due();
            let state = match state {
                RunState::Idle { .. } | RunState::Empty if moved => RunState::Busy,
                other => other,
            };
            let quiet = match state {
                RunState::Busy => {
                    if self.host.monotonic().saturating_sub(start) >= budget {
                        return Step::Busy;
                    }
                    continue;
                }
                RunState::Idle { deadline } => Step::Idle { deadline },
                RunState::Empty => Step::Halted,
            };
            if self.kernel.vfs().flush_deadline().is_none() {
                return quiet;
            }
            if !commit_due {
                self.commit_next = true;
                return Step::Idle {
                    deadline: Some(self.host.monotonic()),
                };
            }
            self.commit();
            return match quiet {
                Step::Idle { deadline } => Step::Idle {
                    deadline: min_deadline(deadline, self.kernel.vfs().flush_deadline()),
                },
                other => other,
            };
        }
    }

    /// Makes everything written so far durable (fsync of the whole system).
    /// Errors: the store failed.
    pub fn sync(&mut self) -> Result<(), String> {
        self.kernel
            .sync()
            .map_err(|error| format!("saving the disk: {error}"))
    }

    /// The kernel, for what this type does not wrap.
    pub fn kernel(&mut self) -> &mut Kernel {
        &mut self.kernel
    }

    /// A quiet system commits what waits: the user just saw a command
    /// finish, and may close the tab next.
    fn commit(&mut self) {
        if let Err(error) = self.kernel.sync() {
            self.events
                .push(Event::Log(format!("saving the disk: {error}")));
        }
    }

    /// Deaths and log lines become events.
    fn collect(&mut self) {
        for line in self.kernel.take_log() {
            self.events.push(Event::Log(line));
        }
        for death in self.kernel.take_deaths() {
            if let Some(trap) = &death.trap {
                self.events.push(Event::Log(format!(
                    "pid {}: wasm trap: {trap}",
                    death.pid.0
                )));
            }
            let status = death.status.code();
            if Some(death.pid) == self.init {
                self.events.push(Event::InitExit { status });
            } else {
                self.job_exited(death.pid, status);
            }
        }
    }
}
