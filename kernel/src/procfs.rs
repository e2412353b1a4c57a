//! What /proc shows: the kernel keeps procfs's snapshot in step with the
//! process table. The snapshot is rebuilt when something structural changed
//! (a process started or ended, an fd or a directory changed), at the start
//! of a round and before a call that may look a path up; between those it
//! may lag in CPU times only.

use wasmux_fs::procfs::{ProcState, command_name};
use wasmux_fs::{NodeKind, OpenFile, ProcessInfo, SharedSnapshot, Vfs};
use wasmux_proc::{Process, State};
use wasmux_uapi::Pid;

use crate::Kernel;

/// The system calls after which /proc may show something different.
const STRUCTURAL: &[&str] = &[
    "fd_close",
    "fd_renumber",
    "path_open",
    "path_create_directory",
    "path_link",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "setpgid",
    "setsid",
    "spawn",
    "exec",
    "dup",
    "dup3",
    "fcntl",
    "pipe",
    "chdir",
    "fchdir",
    "kill",
];

/// The system calls that walk paths, before which the snapshot must be current.
const LOOKUPS: &[&str] = &[
    "path_open",
    "path_filestat_get",
    "path_readlink",
    "fd_readdir",
    "spawn",
    "exec",
    "chdir",
];

/// Per system call number: (structural, looks paths up).
pub(crate) fn classify() -> Vec<(bool, bool)> {
    wasmux_wasi::SYSCALLS
        .iter()
        .map(|syscall| {
            let name = syscall.function.name;
            (STRUCTURAL.contains(&name), LOOKUPS.contains(&name))
        })
        .collect()
}

fn describe(vfs: &mut Vfs, file: &OpenFile) -> Vec<u8> {
    if let Some(at) = file.location() {
        if let Ok(path) = vfs.path_of(at) {
            return path;
        }
    }
    match file.stat() {
        Ok(meta) if meta.kind == NodeKind::Fifo => format!("pipe:[{}]", meta.ino.0).into_bytes(),
        Ok(meta) if meta.kind == NodeKind::Socket => {
            format!("socket:[{}]", meta.ino.0).into_bytes()
        }
        Ok(meta) if meta.kind == NodeKind::CharDevice => b"/dev/console".to_vec(),
        _ => b"anon_inode:[unknown]".to_vec(),
    }
}

/// `boot` is the kernel's monotonic time at boot: procfs counts from it.
fn info(vfs: &mut Vfs, process: &Process, boot: wasmux_uapi::Timestamp) -> ProcessInfo {
    let state = match process.state {
        State::Zombie(_) => ProcState::Zombie,
        _ if process.signals.is_stopped() => ProcState::Stopped,
        State::Runnable { .. } | State::Away { .. } => ProcState::Running,
        State::Blocked { .. } => ProcState::Sleeping,
    };
    let zombie = state == ProcState::Zombie;
    ProcessInfo {
        ppid: process.parent.unwrap_or(Pid(0)),
        pgid: process.pgid,
        sid: process.sid,
        uid: process.cred.uid,
        gid: process.cred.gid,
        state,
        name: process
            .args
            .first()
            .map(|argv0| command_name(argv0))
            .unwrap_or_default(),
        argv: if zombie {
            Vec::new()
        } else {
            process.args.clone()
        },
        cwd: if zombie {
            Vec::new()
        } else {
            vfs.path_of(process.cwd).unwrap_or_default()
        },
        fds: process
            .fds
            .iter()
            .map(|(fd, entry)| (fd, describe(vfs, &entry.file)))
            .collect(),
        cpu_time: process.cpu_time,
        start_time: process.started_at.saturating_sub(boot),
        memory_bytes: process
            .executor
            .as_ref()
            .map_or(0, |executor| executor.memory_bytes()),
    }
}

impl Kernel {
    /// Rebuilds the /proc snapshot if it is mounted and something changed.
    pub(crate) fn refresh_proc(&mut self) {
        let Some(snapshot) = self.proc.clone() else {
            return;
        };
        if !std::mem::take(&mut self.proc_dirty) {
            return;
        }
        self.fill_snapshot(&snapshot);
    }

    fn fill_snapshot(&mut self, snapshot: &SharedSnapshot) {
        let boot = self.boot_monotonic;
        let processes = self
            .table
            .iter()
            .map(|process| (process.pid, info(&mut self.vfs, process, boot)))
            .collect();
        let mounts = self.vfs.mounts();
        let Ok(mut snapshot) = snapshot.try_borrow_mut() else {
            return;
        };
        snapshot.processes = processes;
        snapshot.set_mounts(&mounts);
        snapshot.uptime = self.host.monotonic().saturating_sub(self.boot_monotonic);
    }

    /// Before a system call of `pid`: /proc/self is `pid`, and the snapshot
    /// is current if the call may look a path up.
    pub(crate) fn enter_proc(&mut self, pid: Pid, number: u32) {
        let Some(snapshot) = self.proc.clone() else {
            return;
        };
        let (_, looks_up) = self
            .syscall_kinds
            .get(number as usize)
            .copied()
            .unwrap_or((true, true));
        if looks_up {
            self.refresh_proc();
        }
        if let Ok(mut snapshot) = snapshot.try_borrow_mut() {
            snapshot.current = Some(pid);
            snapshot.uptime = self.host.monotonic().saturating_sub(self.boot_monotonic);
        }
    }

    /// After a system call: note whether /proc must be rebuilt.
    pub(crate) fn leave_proc(&mut self, number: u32) {
        let (structural, _) = self
            .syscall_kinds
            .get(number as usize)
            .copied()
            .unwrap_or((true, true));
        self.proc_dirty |= structural;
    }
}
