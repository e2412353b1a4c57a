//! The Wasmux kernel: one event loop that owns every subsystem.
//!
//! The kernel is single-threaded and cooperative. The platform (the native
//! CLI, the browser Worker) builds a [`Kernel`] over a VFS and its host
//! services, spawns processes, and drives [`Kernel::run`]: each call wakes
//! blocked processes whose condition may hold, then gives every runnable
//! process one fuel slice, handling its system calls inline. When nothing
//! is runnable, `run` says until when the platform may sleep.
//!
//! Subsystems do not depend on this crate; it wires them together: the
//! process table (`wasmux-proc`), the VFS (`wasmux-fs`), the ABI
//! (`wasmux-wasi`) and the interpreter executor.
//!
//! # Invariants
//!
//! - A guest can end only itself: traps, bad system-call arguments and
//!   runaway loops end or preempt that process, never the kernel.
//! - A blocked process costs nothing: it is retried only when its deadline
//!   passes or something it may wait for changed.
//!
//! # Example
//!
//! ```
//! use wasmux_kernel::{RunState, testing};
//!
//! let mut kernel = testing::kernel();
//! let wasm = wat::parse_str(r#"(module
//!     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!     (memory (export "memory") 1)
//!     (func (export "_start") (call $exit (i32.const 3))))"#).unwrap();
//! let spec = testing::spec(&mut kernel, wasm);
//! let pid = kernel.spawn(spec).unwrap();
//! while kernel.run() != RunState::Empty {}
//! let death = kernel.take_deaths().pop().unwrap();
//! assert_eq!((death.pid, death.status.code()), (pid, 3));
//! ```
#![forbid(unsafe_code)]

#[cfg(test)]
mod away_tests;
mod console;
#[cfg(test)]
mod console_tests;
mod devices;
mod log;
#[cfg(test)]
mod mount_tests;
mod mounts;
mod ops;
#[cfg(test)]
mod pipe_tests;
#[cfg(test)]
mod process_tests;
mod procfs;
mod rootfs;
mod scheduler;
#[cfg(test)]
mod signal_tests;
mod signals;
mod spawn;
pub mod testing;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::rc::Rc;

use wasmux_fs::Vfs;
use wasmux_proc::{ExitStatus, InterpEngine, InterpLimits, PlatformEngine, ProcessTable};
use wasmux_uapi::{Pid, Signal};
use wasmux_wasi::Host;

pub use rootfs::{InstallError, InstallReport, install_rootfs};
pub use scheduler::RunState;
pub use spawn::{Inherit, Preopen, SpawnSpec, TERMINAL_ENV};

/// Tunables fixed at boot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelConfig {
    /// Fuel per scheduling slice (about one wasm instruction per unit).
    pub slice_fuel: u64,
    /// Largest linear memory of one process, in bytes.
    pub memory_limit: usize,
}

impl Default for KernelConfig {
    fn default() -> Self {
        KernelConfig {
            slice_fuel: 2_000_000,
            memory_limit: 2 << 30,
        }
    }
}

/// How a process ended, for whoever waits on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Death {
    pub pid: Pid,
    pub status: ExitStatus,
    /// The trap that killed it, if one did.
    pub trap: Option<String>,
}

/// A snapshot of one process, for `ps` and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    pub pid: Pid,
    pub parent: Option<Pid>,
    /// Fuel the process has consumed (its CPU use in interpreter units).
    pub fuel: u64,
    /// CPU time in ns.
    pub cpu_time: u64,
    pub args: Vec<Vec<u8>>,
}

/// The kernel.
pub struct Kernel {
    vfs: Vfs,
    host: Rc<dyn Host>,
    engine: InterpEngine,
    /// The platform's own executors (the browser's jit), used before the
    /// interpreter when installed.
    platform: Option<Box<dyn PlatformEngine>>,
    config: KernelConfig,
    table: ProcessTable,
    run_queue: VecDeque<Pid>,
    /// Something a blocked I/O wait may depend on changed since the last round.
    io_changed: bool,
    /// A process ended, stopped or continued since the last round.
    children_changed: bool,
    /// Signals sent by the current system call, applied when it returns.
    signals: Vec<(Pid, Signal)>,
    log: log::KernelLog,
    deaths: Vec<Death>,
    /// Pipes and sockets.
    ipc: wasmux_ipc::Ipc,
    /// The console terminal, once the platform attached one.
    console: devices::ConsoleSlot,
    /// procfs's snapshot, once /proc is mounted.
    proc: Option<wasmux_fs::SharedSnapshot>,
    /// Something /proc shows changed since the snapshot was built.
    proc_dirty: bool,
    /// Per system call number: (changes what /proc shows, looks paths up).
    syscall_kinds: Vec<(bool, bool)>,
    /// Monotonic time the kernel started, for uptime.
    boot_monotonic: wasmux_uapi::Timestamp,
    /// The process whose slice is running (it is out of the run queue).
    running: Option<Pid>,
}

impl core::fmt::Debug for Kernel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Kernel")
            .field("processes", &self.table.len())
            .field("runnable", &self.run_queue.len())
            .finish_non_exhaustive()
    }
}

impl Kernel {
    /// A kernel over `vfs`, with `host` for time and randomness.
    pub fn new(vfs: Vfs, host: Rc<dyn Host>, config: KernelConfig) -> Kernel {
        let engine = InterpEngine::new(
            &wasmux_wasi::host_functions(),
            InterpLimits {
                memory_bytes: config.memory_limit,
            },
        );
        // Blocked processes are retried after every system call and every
        // exit, which covers every pipe change; no per-object notification
        // is needed yet.
        let ipc = wasmux_ipc::Ipc::new(Rc::new(wasmux_ipc::wake::ChangeLog::new()), vfs.clock());
        let console = devices::ConsoleSlot::default();
        let boot_monotonic = host.monotonic();
        let mut vfs = vfs;
        vfs.set_devices(devices::table(host.clone(), console.clone()));
        Kernel {
            vfs,
            host,
            engine,
            platform: None,
            config,
            table: ProcessTable::new(),
            run_queue: VecDeque::new(),
            io_changed: false,
            children_changed: false,
            signals: Vec::new(),
            log: log::KernelLog::default(),
            ipc,
            console,
            proc: None,
            proc_dirty: false,
            syscall_kinds: procfs::classify(),
            boot_monotonic,
            running: None,
            deaths: Vec::new(),
        }
    }

    /// Runs every program loaded from now on with `engine` instead of the
    /// interpreter.
    pub fn set_platform_engine(&mut self, engine: Box<dyn PlatformEngine>) {
        self.platform = Some(engine);
    }

    pub fn vfs(&mut self) -> &mut Vfs {
        &mut self.vfs
    }

    /// A snapshot of process `pid`, if it exists.
    pub fn process_info(&self, pid: Pid) -> Option<ProcessInfo> {
        let process = self.table.get(pid)?;
        Some(ProcessInfo {
            pid,
            parent: process.parent,
            fuel: process
                .executor
                .as_ref()
                .map_or(0, |executor| executor.fuel_consumed()),
            cpu_time: process.cpu_time,
            args: process.args.clone(),
        })
    }

    /// Kernel log lines not yet taken, oldest first (the platform shows them).
    pub fn take_log(&mut self) -> Vec<String> {
        self.log.take_new()
    }

    /// Processes that ended since the last call, oldest first.
    pub fn take_deaths(&mut self) -> Vec<Death> {
        std::mem::take(&mut self.deaths)
    }

    /// An external event (input, completed I/O) may have made a blocked process ready.
    pub fn notify_io(&mut self) {
        self.io_changed = true;
    }

    /// Makes everything written so far durable.
    /// Errors: the store failed.
    pub fn sync(&mut self) -> Result<(), wasmux_fs::FsError> {
        self.vfs.sync_all()
    }
}
