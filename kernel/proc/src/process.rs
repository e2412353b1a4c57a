//! The process record.

use wasmux_fs::{Cred, Location};
use wasmux_signal::{SigSet, SignalState};
use wasmux_uapi::{Pid, Signal, Timestamp};

use crate::executor::{Executor, SyscallRequest};
use crate::fd_table::FdTable;

/// How a process ended, as `waitpid` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// It called proc_exit or returned from `_start` (code 0).
    Exited(u32),
    /// A signal ended it. A trap counts as the signal a native program
    /// would have got: SIGABRT for `unreachable`, SIGSEGV for a bad memory
    /// access or a stack overflow, SIGFPE for arithmetic, SIGILL otherwise.
    Signaled(Signal),
}

impl ExitStatus {
    /// The status a shell shows: the code, or 128 + signal number.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Exited(code) => code as i32,
            ExitStatus::Signaled(signal) => 128 + i32::from(signal.raw()),
        }
    }
}

/// What a blocked process waits for. The call is restarted from its original
/// arguments when the condition may hold, so blocking calls are restartable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// The monotonic clock reaching this time.
    Until(Timestamp),
    /// Any readiness change of the process's fds, or the deadline if one is given.
    Io { deadline: Option<Timestamp> },
    /// A child changing state (ending, stopping, continuing).
    Child,
    /// Only a signal (sigsuspend, pause).
    Signal,
}

/// How a runnable process continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// From where it was (at its start, or where its slice ended).
    Continue,
    /// From the system call it made, with this result.
    Reply(u64),
    /// By making this system call again (a signal handler with SA_RESTART
    /// ran, or it was stopped, while the call was blocked).
    Restart {
        request: SyscallRequest,
        since: Timestamp,
    },
}

/// A signal handler running on top of interrupted code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandlerFrame {
    /// The blocked mask to restore when the handler returns.
    pub saved_mask: SigSet,
    /// How the interrupted code continues afterwards.
    pub resume: Resume,
}

/// Where a process stands.
#[derive(Debug)]
pub enum State {
    /// Ready to run (unless stopped by a signal).
    Runnable { resume: Resume },
    /// Parked in a system call.
    Blocked {
        request: SyscallRequest,
        /// Monotonic time the call was first made; relative timeouts count from it.
        since: Timestamp,
        wait: Wait,
    },
    /// Running on a thread of its own (a `jit` process in its Worker):
    /// not in the run queue until its executor says it stopped
    /// ([`crate::Executor::stopped`]), at a system call or its end.
    /// `since` (monotonic) is when it left: the time away counts as its
    /// CPU time.
    Away { since: Timestamp },
    /// Ended, not yet reaped.
    Zombie(ExitStatus),
}

/// A process: identity, resources, and where its code stands.
pub struct Process {
    pub pid: Pid,
    /// None for a process whose end nobody waits for (the first process).
    pub parent: Option<Pid>,
    /// Process group and session.
    pub pgid: Pid,
    pub sid: Pid,
    /// A stop or continue the parent has not collected with `wait` yet.
    pub unreported: Option<crate::table::ChildEvent>,
    pub args: Vec<Vec<u8>>,
    pub env: Vec<Vec<u8>>,
    pub fds: FdTable,
    pub cred: Cred,
    /// Where absolute paths start.
    pub root: Location,
    /// The working directory.
    pub cwd: Location,
    /// WASI capability semantics for `*at` paths (as `wasmtime run`): paths
    /// may not leave the directory fd they are relative to.
    pub confine_paths: bool,
    pub state: State,
    /// Signal dispositions, mask, pending set, and whether it is stopped.
    pub signals: SignalState,
    /// Signal handlers running, innermost last.
    pub handler_frames: Vec<HandlerFrame>,
    /// The mask sigsuspend replaced while the process waits in it.
    pub suspended_mask: Option<SigSet>,
    /// The code; taken out by the scheduler while it runs.
    pub executor: Option<Box<dyn Executor>>,
    /// Permission bits removed from files and directories it creates.
    pub umask: u32,
    /// Monotonic time it started.
    pub started_at: Timestamp,
    /// Time it has spent running, in ns.
    pub cpu_time: Timestamp,
}

impl Process {
    /// A runnable process that leads its own session and group, with no
    /// parent, fds, arguments or environment yet, root credentials, and
    /// POSIX path semantics; callers fill in the rest.
    pub fn new(pid: Pid, executor: Box<dyn Executor>, root: Location, now: Timestamp) -> Process {
        Process {
            pid,
            parent: None,
            pgid: pid,
            sid: pid,
            unreported: None,
            args: Vec::new(),
            env: Vec::new(),
            fds: FdTable::new(),
            cred: Cred::ROOT,
            root,
            cwd: root,
            confine_paths: false,
            state: State::Runnable {
                resume: Resume::Continue,
            },
            signals: SignalState::new(),
            handler_frames: Vec::new(),
            suspended_mask: None,
            executor: Some(executor),
            umask: 0o022,
            started_at: now,
            cpu_time: 0,
        }
    }

    /// Drops what a zombie no longer needs: its code and its fds (closing
    /// open descriptions now, not at reap time).
    pub fn release(&mut self) {
        self.executor = None;
        self.fds = FdTable::new();
    }
}

impl core::fmt::Debug for Process {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .field("parent", &self.parent)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
