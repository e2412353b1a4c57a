//! What a system call handler works with, and how it can end.

use wasmux_fs::{FsError, Location, Vfs, Walk};
use wasmux_mm::Fault;
use wasmux_proc::{
    Executor, ExecutorChoice, FdEntry, FdError, LoadError, Process, ProcessTable, ProgramKey, Wait,
};
use wasmux_uapi::{ClockId, Errno, Fd, Rights, Signal, Timestamp};

/// Host services the ABI needs beyond the subsystems: time and randomness.
///
/// The kernel implements it over the platform; tests use a fake with knobs.
pub trait Host {
    /// Wall-clock time, ns since the Unix epoch.
    fn realtime(&self) -> Timestamp;
    /// Monotonic time, ns since an arbitrary origin.
    fn monotonic(&self) -> Timestamp;
    /// Resolution of a clock in ns.
    fn resolution(&self, clock: ClockId) -> Timestamp;
    /// Fills `buf` with cryptographically secure random bytes.
    fn random(&self, buf: &mut [u8]);
}

/// The rest of the system, as the calls that manage processes see it.
///
/// The kernel implements it; the caller is not in `table()` while its call
/// runs (it is `Context::process`).
pub trait Processes {
    /// Every other process.
    fn table(&mut self) -> &mut ProcessTable;

    /// Loads a program image: compiled (cached by content, and by file when
    /// `file` names where it came from) and instantiated, not started.
    /// Errors: the module is invalid, imports what the kernel lacks, or
    /// cannot be instantiated.
    fn load(
        &mut self,
        program: &[u8],
        file: Option<ProgramKey>,
        choice: ExecutorChoice,
    ) -> Result<Box<dyn Executor>, LoadError>;

    /// The image of the program file `file` if it was compiled before and
    /// has not changed since: no need to read it again.
    fn load_cached(
        &mut self,
        file: ProgramKey,
        choice: ExecutorChoice,
    ) -> Option<Result<Box<dyn Executor>, LoadError>>;

    /// Makes a new process (its executor set, its pid allocated from
    /// `table()`) runnable.
    fn start(&mut self, process: Process);

    /// Sends `signal` to the process `target` (the caller included: it is
    /// posted when the call returns, and delivered before the program runs on).
    fn signal(&mut self, target: wasmux_uapi::Pid, signal: Signal);

    /// Adds a line to the kernel log (a denial, a program that failed to load).
    fn log(&mut self, line: String);
}

/// Everything a handler may touch for one call of one process.
pub struct Context<'a> {
    /// The calling process.
    pub process: &'a mut Process,
    pub vfs: &'a mut Vfs,
    pub host: &'a dyn Host,
    pub processes: &'a mut dyn Processes,
    /// Pipes and sockets.
    pub ipc: &'a wasmux_ipc::Ipc,
    /// Monotonic time the call was first made (restarts of a blocked call keep it).
    pub call_time: Timestamp,
    /// CPU time the process has used, in ns.
    pub cpu_time: Timestamp,
    /// Set by `sched_yield`: the process goes to the back of the run queue.
    pub yield_now: bool,
}

impl core::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Context")
            .field("pid", &self.process.pid)
            .finish_non_exhaustive()
    }
}

impl Context<'_> {
    /// The entry for `fd` if it holds every right in `needed`.
    /// Errors: BadF if `fd` is not open, NotCapable if a right is missing.
    pub fn fd(&self, fd: Fd, needed: Rights) -> Result<&FdEntry, Errno> {
        let entry = self.process.fds.get(fd).map_err(|_| Errno::BadF)?;
        if !entry.rights.contains(needed) {
            return Err(Errno::NotCapable);
        }
        Ok(entry)
    }

    /// A walk from the caller's working directory, with POSIX semantics,
    /// for the `wasmux` calls that take paths (spawn, exec, chdir):
    /// capability confinement is preview1's rule for `*at` paths only.
    pub fn process_walk(&self) -> Walk {
        Walk {
            cred: self.process.cred,
            base: self.process.cwd,
            root: self.process.root,
            confine: false,
        }
    }

    /// A walk starting at directory `fd`, which must hold `needed`.
    /// Errors: BadF, NotCapable, NotDir (fd is not a directory).
    pub fn walk_from(&self, fd: Fd, needed: Rights) -> Result<Walk, Errno> {
        let entry = self.fd(fd, needed)?;
        let base = directory_location(entry)?;
        Ok(Walk {
            cred: self.process.cred,
            base,
            root: self.process.root,
            confine: self.process.confine_paths,
        })
    }
}

fn directory_location(entry: &FdEntry) -> Result<Location, Errno> {
    let location = entry.file.location().ok_or(Errno::NotDir)?;
    let meta = entry.file.stat().map_err(Errno::from_fs)?;
    if meta.kind != wasmux_fs::NodeKind::Directory {
        return Err(Errno::NotDir);
    }
    Ok(location)
}

/// How a system call did not simply return an errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SysError {
    /// The call replaced the process's image (`Context::process.executor`
    /// holds the new one): start it, do not resume the old one.
    Exec,
    /// Return this errno to the program.
    Errno(Errno),
    /// Park the process until `Wait` may hold, then restart the call.
    Block(Wait),
    /// End the process with this exit code (proc_exit).
    Exit(u32),
}

/// The result of a handler: `Ok` returns errno 0.
pub type SysResult<T = ()> = Result<T, SysError>;

impl From<Errno> for SysError {
    fn from(errno: Errno) -> Self {
        SysError::Errno(errno)
    }
}

impl From<Fault> for SysError {
    fn from(_: Fault) -> Self {
        SysError::Errno(Errno::Fault)
    }
}

impl From<FsError> for SysError {
    fn from(error: FsError) -> Self {
        SysError::Errno(Errno::from_fs(error))
    }
}

impl From<FdError> for SysError {
    fn from(error: FdError) -> Self {
        SysError::Errno(match error {
            FdError::BadFd => Errno::BadF,
            FdError::TooMany => Errno::MFile,
        })
    }
}

/// Errno conversions that only the ABI edge knows.
pub trait ErrnoExt {
    fn from_fs(error: FsError) -> Errno;
}

impl ErrnoExt for Errno {
    fn from_fs(error: FsError) -> Errno {
        match error {
            FsError::NotFound => Errno::NoEnt,
            FsError::Exists => Errno::Exist,
            FsError::NotDir => Errno::NotDir,
            FsError::IsDir => Errno::IsDir,
            FsError::NotEmpty => Errno::NotEmpty,
            FsError::Loop => Errno::Loop,
            FsError::NameTooLong => Errno::NameTooLong,
            FsError::Access => Errno::Access,
            FsError::Perm => Errno::Perm,
            FsError::Escape => Errno::NotCapable,
            FsError::ReadOnly => Errno::RoFs,
            FsError::NoSpace => Errno::NoSpc,
            FsError::Invalid => Errno::Inval,
            FsError::CrossDevice => Errno::XDev,
            FsError::Busy => Errno::Busy,
            FsError::TooBig => Errno::FBig,
            FsError::TooManyLinks => Errno::MLink,
            FsError::NotSeekable => Errno::SPipe,
            FsError::BadAccess => Errno::BadF,
            FsError::NotSupported => Errno::NotSup,
            FsError::WouldBlock => Errno::Again,
            FsError::BrokenPipe => Errno::Pipe,
            FsError::Io(_) => Errno::Io,
        }
    }
}
