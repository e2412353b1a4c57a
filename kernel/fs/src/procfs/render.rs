//! The text of /proc files and the targets of its links, in Linux's formats
//! (proc(5)), generated from the snapshot at each read.

use std::io::Write;

use wasmux_uapi::Pid;

use super::node::Node;
use super::snapshot::{ProcSnapshot, ProcState, ProcessInfo};
use crate::FsError;

/// Clock ticks per second of `/proc/<pid>/stat` times (Linux's USER_HZ).
pub const USER_HZ: u64 = 100;

/// Linux keeps at most this many bytes of a command name (TASK_COMM_LEN - 1).
const COMM_MAX: usize = 15;

const PAGE_SIZE: u64 = 4096;

/// What an fd link shows when the kernel gave no description.
const UNKNOWN_OBJECT: &[u8] = b"anon_inode:[unknown]";

fn process(snapshot: &ProcSnapshot, pid: Pid) -> Result<&ProcessInfo, FsError> {
    snapshot.processes.get(&pid).ok_or(FsError::NotFound)
}

/// The content of the regular file `node`.
/// Errors: NotFound (it is gone), Invalid (not a regular file).
pub(crate) fn content(node: Node, snapshot: &ProcSnapshot) -> Result<Vec<u8>, FsError> {
    if !node.exists(snapshot) {
        return Err(FsError::NotFound);
    }
    let mut out = Vec::new();
    match node {
        Node::Uptime => {
            let line = format!("{} {}\n", seconds(snapshot.uptime), seconds(snapshot.idle));
            out.extend_from_slice(line.as_bytes());
        }
        Node::Mounts => {
            for mount in &snapshot.mounts {
                for field in [&mount.device, &mount.path, &mount.fs_type] {
                    escape_octal(&mut out, field);
                    out.push(b' ');
                }
                let mode: &[u8] = if mount.read_only { b"ro" } else { b"rw" };
                out.extend_from_slice(mode);
                out.extend_from_slice(b" 0 0\n");
            }
        }
        Node::Meminfo => {
            let memory = snapshot.memory.unwrap_or_default();
            for (label, bytes) in [
                ("MemTotal:", memory.total),
                ("MemFree:", memory.free),
                ("MemAvailable:", memory.free),
            ] {
                let line = format!("{label:<16}{:>8} kB\n", bytes / 1024);
                out.extend_from_slice(line.as_bytes());
            }
        }
        Node::Cmdline(pid) => {
            let process = process(snapshot, pid)?;
            if process.state != ProcState::Zombie {
                for arg in &process.argv {
                    out.extend_from_slice(arg);
                    out.push(0);
                }
            }
        }
        Node::Stat(pid) => stat(&mut out, pid, process(snapshot, pid)?),
        Node::Status(pid) => status(&mut out, pid, process(snapshot, pid)?),
        _ => return Err(FsError::Invalid),
    }
    Ok(out)
}

/// The target of the symlink `node`.
/// Errors: NotFound (it is gone), Invalid (not a symlink).
pub(crate) fn link_target(node: Node, snapshot: &ProcSnapshot) -> Result<Vec<u8>, FsError> {
    if !node.exists(snapshot) {
        return Err(FsError::NotFound);
    }
    match node {
        Node::SelfLink => {
            let pid = snapshot.current.ok_or(FsError::NotFound)?;
            Ok(pid.0.to_string().into_bytes())
        }
        Node::Cwd(pid) => Ok(process(snapshot, pid)?.cwd.clone()),
        Node::FdLink(pid, fd) => {
            let target = process(snapshot, pid)?
                .fds
                .get(&fd)
                .ok_or(FsError::NotFound)?;
            Ok(if target.is_empty() {
                UNKNOWN_OBJECT.to_vec()
            } else {
                target.clone()
            })
        }
        _ => Err(FsError::Invalid),
    }
}

/// "12.34": seconds with two decimals, truncated.
fn seconds(nanos: u64) -> String {
    format!("{}.{:02}", nanos / 1_000_000_000, nanos / 10_000_000 % 100)
}

fn ticks(nanos: u64) -> u64 {
    nanos / (1_000_000_000 / USER_HZ)
}

fn comm(process: &ProcessInfo) -> &[u8] {
    process.name.get(..COMM_MAX).unwrap_or(&process.name)
}

/// `/proc/<pid>/stat`: the 52 fields of proc(5); those the snapshot does not
/// know (faults, signal masks, addresses) are 0, as Linux shows them to
/// other users.
fn stat(out: &mut Vec<u8>, pid: Pid, process: &ProcessInfo) {
    let _ = write!(out, "{} (", pid.0);
    out.extend_from_slice(comm(process));
    let head = [
        process.state.letter().to_string(),
        process.ppid.0.to_string(),
        process.pgid.0.to_string(),
        process.sid.0.to_string(),
    ];
    let _ = write!(out, ") {}", head.join(" "));
    // Fields 7-13: tty_nr, tpgid (none), flags, minflt, cminflt, majflt, cmajflt.
    let _ = write!(out, " 0 -1 0 0 0 0 0");
    // 14-22: utime, stime, cutime, cstime, priority, nice, num_threads,
    // itrealvalue, starttime.
    let _ = write!(
        out,
        " {} 0 0 0 20 0 1 0 {}",
        ticks(process.cpu_time),
        ticks(process.start_time)
    );
    // 23-25: vsize, rss (pages), rsslim (unlimited).
    let _ = write!(
        out,
        " {} {} {}",
        process.memory_bytes,
        process.memory_bytes / PAGE_SIZE,
        u64::MAX
    );
    // 26-37 (code and stack addresses, signals, wchan, swap), 38 exit_signal
    // (SIGCHLD), 39-52 (cpu, scheduling, delays, data addresses, exit code).
    let _ = writeln!(out, "{} 17{}", " 0".repeat(12), " 0".repeat(14));
}

/// `/proc/<pid>/status`: the lines of proc(5) the snapshot can fill.
fn status(out: &mut Vec<u8>, pid: Pid, process: &ProcessInfo) {
    out.extend_from_slice(b"Name:\t");
    for &byte in comm(process) {
        match byte {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            byte => out.push(byte),
        }
    }
    let state = process.state;
    let (uid, gid) = (process.uid, process.gid);
    let _ = write!(
        out,
        "\nState:\t{} ({})\nTgid:\t{pid}\nPid:\t{pid}\nPPid:\t{}\n\
         Uid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t{gid}\t{gid}\t{gid}\t{gid}\n\
         NStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t{}\nNSsid:\t{}\n",
        state.letter(),
        state.word(),
        process.ppid.0,
        process.pgid.0,
        process.sid.0,
        pid = pid.0,
    );
    if process.memory_bytes > 0 {
        let kib = process.memory_bytes / 1024;
        let _ = write!(out, "VmSize:\t{kib:>8} kB\nVmRSS:\t{kib:>8} kB\n");
    }
    let _ = writeln!(out, "Threads:\t1");
}

/// Appends `field` with the bytes that would break a /proc/mounts line
/// (space, tab, newline, backslash) written as `\ooo`, like Linux; an
/// empty field as "none".
fn escape_octal(out: &mut Vec<u8>, field: &[u8]) {
    if field.is_empty() {
        out.extend_from_slice(b"none");
    }
    for &byte in field {
        if matches!(byte, b' ' | b'\t' | b'\n' | b'\\') {
            let _ = write!(out, "\\{byte:03o}");
        } else {
            out.push(byte);
        }
    }
}
