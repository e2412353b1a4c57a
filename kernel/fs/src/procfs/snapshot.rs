//! The plain data /proc is generated from, written by the kernel.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use wasmux_uapi::{Fd, Pid, Timestamp};

use crate::MountInfo;

/// What procfs shows: the kernel writes it, procfs reads it at each call.
///
/// Shared as [`SharedSnapshot`]. procfs borrows it only for the length of
/// one filesystem call, so the kernel may `borrow_mut` it whenever it is
/// not inside a VFS call (typically: set `current` and `uptime` before each
/// system call, refresh `processes` when the process table changes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcSnapshot {
    /// The process making the current system call: the target of
    /// `/proc/self`. `None` (the kernel itself): no `self` entry.
    pub current: Option<Pid>,
    /// Wall-clock time of boot, ns since the Unix epoch: the times of every
    /// /proc node, a process's start added for its own nodes.
    pub boot_time: Timestamp,
    /// Monotonic ns since boot (first field of /proc/uptime).
    pub uptime: Timestamp,
    /// ns the kernel spent with nothing to run, waiting for events (second
    /// field of /proc/uptime); 0 if the kernel does not count it.
    pub idle: Timestamp,
    /// /proc/mounts, in mount order.
    pub mounts: Vec<MountEntry>,
    /// Every process, zombies included, by pid. Pids at or above
    /// [`PID_LIMIT`](super::PID_LIMIT) are not shown.
    pub processes: BTreeMap<Pid, ProcessInfo>,
    /// Memory figures for /proc/meminfo; `None` leaves the file out.
    pub memory: Option<MemoryInfo>,
}

/// How the kernel and procfs share a snapshot.
pub type SharedSnapshot = Rc<RefCell<ProcSnapshot>>;

impl ProcSnapshot {
    /// An empty snapshot, ready to share.
    pub fn shared() -> SharedSnapshot {
        Rc::new(RefCell::new(ProcSnapshot::default()))
    }

    /// Replaces `mounts` with the VFS's mount table; the device column
    /// repeats the type name, as Linux does for virtual filesystems
    /// ("proc /proc proc rw 0 0").
    pub fn set_mounts(&mut self, mounts: &[MountInfo]) {
        self.mounts = mounts
            .iter()
            .map(|mount| MountEntry {
                device: mount.type_name.as_bytes().to_vec(),
                path: mount.path.clone(),
                fs_type: mount.type_name.as_bytes().to_vec(),
                read_only: false,
            })
            .collect();
    }
}

/// One line of /proc/mounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountEntry {
    /// The first column: a device path or the filesystem's name.
    pub device: Vec<u8>,
    /// The mount point, absolute.
    pub path: Vec<u8>,
    /// The filesystem type ("memfs", "diskfs", "proc").
    pub fs_type: Vec<u8>,
    /// Shown as "ro" rather than "rw".
    pub read_only: bool,
}

/// What /proc/meminfo reports, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryInfo {
    /// Memory the kernel may hand out to processes in total.
    pub total: u64,
    /// Of which not in use.
    pub free: u64,
}

/// A process's scheduling state, as the letter /proc shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ProcState {
    /// Running or runnable (R).
    #[default]
    Running,
    /// Blocked in a system call (S).
    Sleeping,
    /// Stopped by a signal (T).
    Stopped,
    /// Exited, not yet waited for (Z).
    Zombie,
}

impl ProcState {
    /// The letter of `/proc/<pid>/stat`.
    pub fn letter(self) -> char {
        match self {
            ProcState::Running => 'R',
            ProcState::Sleeping => 'S',
            ProcState::Stopped => 'T',
            ProcState::Zombie => 'Z',
        }
    }

    /// The word `/proc/<pid>/status` puts after the letter.
    pub fn word(self) -> &'static str {
        match self {
            ProcState::Running => "running",
            ProcState::Sleeping => "sleeping",
            ProcState::Stopped => "stopped",
            ProcState::Zombie => "zombie",
        }
    }
}

/// One process, as `/proc/<pid>/` shows it (the pid is its key in
/// [`ProcSnapshot::processes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessInfo {
    pub ppid: Pid,
    pub pgid: Pid,
    pub sid: Pid,
    pub uid: u32,
    pub gid: u32,
    pub state: ProcState,
    /// The command name: the basename of `argv[0]` ([`command_name`]).
    pub name: Vec<u8>,
    /// `/proc/<pid>/cmdline`; shown empty for a zombie.
    pub argv: Vec<Vec<u8>>,
    /// The working directory's absolute path; empty when unknown (a
    /// zombie), which leaves out the `cwd` link.
    pub cwd: Vec<u8>,
    /// Open fds and what they refer to: a path ("/tmp/log", "/dev/console")
    /// or an object (`pipe:[7]`, `socket:[9]`): the targets of `/proc/<pid>/fd/*`.
    pub fds: BTreeMap<Fd, Vec<u8>>,
    /// CPU time used, ns.
    pub cpu_time: Timestamp,
    /// When the process started, monotonic ns since boot.
    pub start_time: Timestamp,
    /// Size of its linear memory in bytes (0 if unknown).
    pub memory_bytes: u64,
}

impl Default for ProcessInfo {
    fn default() -> ProcessInfo {
        ProcessInfo {
            ppid: Pid(0),
            pgid: Pid(0),
            sid: Pid(0),
            uid: 0,
            gid: 0,
            state: ProcState::Running,
            name: Vec::new(),
            argv: Vec::new(),
            cwd: Vec::new(),
            fds: BTreeMap::new(),
            cpu_time: 0,
            start_time: 0,
            memory_bytes: 0,
        }
    }
}

/// The command name of a program run as `argv0`: its last path component
/// ("/bin/sh" -> "sh"; "sh/" -> "sh").
pub fn command_name(argv0: &[u8]) -> Vec<u8> {
    argv0
        .split(|&byte| byte == b'/')
        .rfind(|name| !name.is_empty())
        .unwrap_or_default()
        .to_vec()
}
