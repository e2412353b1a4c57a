//! Who a process is: pids, process groups, sessions, user ids, umask.
//!
//! Pid arguments are `i32` with POSIX's meaning: 0 is the caller for the
//! getters and `setpgid`; results are positive pids as `u32`.

use std::io;

use crate::{check, raw};

/// The version of the `wasmux` module the kernel implements.
pub fn abi_version() -> io::Result<u32> {
    let mut version = 0;
    // SAFETY: `version` is a valid u32 to write.
    check(unsafe { raw::abi_version(&mut version) })?;
    Ok(version)
}

/// The caller's pid.
pub fn getpid() -> u32 {
    let mut pid = 0;
    // SAFETY: `pid` is a valid u32 to write. The call cannot fail.
    let _ = unsafe { raw::getpid(&mut pid) };
    pid
}

/// The caller's parent's pid (0 when no process waits for it).
pub fn getppid() -> u32 {
    let mut pid = 0;
    // SAFETY: `pid` is a valid u32 to write. The call cannot fail.
    let _ = unsafe { raw::getppid(&mut pid) };
    pid
}

/// The process group of `pid` (0: the caller). `ESRCH`: no such process.
pub fn getpgid(pid: i32) -> io::Result<u32> {
    let mut pgid = 0;
    // SAFETY: `pgid` is a valid u32 to write.
    check(unsafe { raw::getpgid(pid, &mut pgid) })?;
    Ok(pgid)
}

/// The caller's process group.
pub fn getpgrp() -> u32 {
    getpgid(0).unwrap_or(0)
}

/// Moves `pid` (0: the caller, else one of its children) into group `pgid`
/// (0: a new group led by `pid`).
/// `ESRCH`: not the caller or its child; `EPERM`: a session leader, another
/// session, or a group that does not exist in the caller's session.
pub fn setpgid(pid: i32, pgid: i32) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::setpgid(pid, pgid) })
}

/// The session of `pid` (0: the caller). `ESRCH`: no such process.
pub fn getsid(pid: i32) -> io::Result<u32> {
    let mut sid = 0;
    // SAFETY: `sid` is a valid u32 to write.
    check(unsafe { raw::getsid(pid, &mut sid) })?;
    Ok(sid)
}

/// Makes the caller the leader of a new session and process group; returns
/// its id. `EPERM`: it already leads a process group.
pub fn setsid() -> io::Result<u32> {
    let mut sid = 0;
    // SAFETY: `sid` is a valid u32 to write.
    check(unsafe { raw::setsid(&mut sid) })?;
    Ok(sid)
}

/// A process's user and group ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ids {
    pub uid: u32,
    pub euid: u32,
    pub gid: u32,
    pub egid: u32,
}

/// The caller's user and group ids.
pub fn getids() -> Ids {
    let mut ids = [0u32; 4];
    // SAFETY: `ids` is four valid u32s to write. The call cannot fail.
    let _ = unsafe { raw::getids(ids.as_mut_ptr()) };
    let [uid, euid, gid, egid] = ids;
    Ids {
        uid,
        euid,
        gid,
        egid,
    }
}

/// Sets the file-creation mask (its low 9 bits count) and returns the old one.
pub fn umask(mask: u32) -> u32 {
    let mut old = 0;
    // SAFETY: `old` is a valid u32 to write. The call cannot fail.
    let _ = unsafe { raw::umask(mask & 0o777, &mut old) };
    old
}
