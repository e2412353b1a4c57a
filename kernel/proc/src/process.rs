//! The process record.

use wasmux_fs::{Cred, Location};
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
}

/// Where a process stands.
#[derive(Debug)]
pub enum State {
    /// Ready to run; `reply` is the result of the system call it last made.
    Runnable { reply: Option<u64> },
    /// Parked in a system call.
    Blocked {
        request: SyscallRequest,
        /// Monotonic time the call was first made; relative timeouts count from it.
        since: Timestamp,
        wait: Wait,
    },
    /// Ended, not yet reaped.
    Zombie(ExitStatus),
}

/// A process: identity, resources, and where its code stands.
pub struct Process {
    pub pid: Pid,
    pub parent: Option<Pid>,
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
    /// The code; taken out by the scheduler while it runs.
    pub executor: Option<Box<dyn Executor>>,
    /// Monotonic time it started.
    pub started_at: Timestamp,
    /// Time it has spent running, in ns.
    pub cpu_time: Timestamp,
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
