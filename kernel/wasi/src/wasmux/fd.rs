//! Fd management beyond preview1: dup, dup3, fcntl.

use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::MAX_FDS;
use wasmux_uapi::wasmux::{fcntl, open};
use wasmux_uapi::{Errno, Fd, FdFlags};

use crate::context::{Context, SysResult};
use crate::guest::check_out;

pub fn dup(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, fd: u32, fd_out: u32) -> SysResult {
    check_out(memory, fd_out, 4)?;
    let mut entry = cx.process.fds.get(Fd(fd))?.clone();
    entry.cloexec = false;
    entry.preopen = None;
    let new = cx.process.fds.insert(entry)?;
    memory.write_value(fd_out, new.0)?;
    Ok(())
}

/// `dup3(fd, newfd, flags)`: `newfd` becomes a copy of `fd` (closing what
/// it was); flags may hold O_CLOEXEC. `fd == newfd` only checks `fd` (dup2).
pub fn dup3(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    newfd: u32,
    flags: u32,
) -> SysResult {
    if flags & !open::CLOEXEC != 0 {
        return Err(Errno::Inval.into());
    }
    let mut entry = cx.process.fds.get(Fd(fd))?.clone();
    if newfd >= MAX_FDS {
        return Err(Errno::BadF.into());
    }
    if fd == newfd {
        return Ok(());
    }
    entry.cloexec = flags & open::CLOEXEC != 0;
    entry.preopen = None;
    cx.process.fds.insert_at(Fd(newfd), entry)?;
    Ok(())
}

/// Linux open-flag bits of a description's status.
fn status_flags(access: wasmux_fs::Access, flags: FdFlags) -> u32 {
    let mut bits = match (access.read, access.write) {
        (true, true) => open::RDWR,
        (false, true) => open::WRONLY,
        _ => open::RDONLY,
    };
    if flags.contains(FdFlags::APPEND) {
        bits |= open::APPEND;
    }
    if flags.contains(FdFlags::NONBLOCK) {
        bits |= open::NONBLOCK;
    }
    bits
}

/// `fcntl(fd, cmd, arg, out)`: DUPFD/DUPFD_CLOEXEC (lowest fd ≥ arg),
/// GETFD/SETFD (FD_CLOEXEC), GETFL/SETFL (O_APPEND and O_NONBLOCK change).
pub fn fcntl(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    cmd: u32,
    arg: u32,
    out: u32,
) -> SysResult {
    check_out(memory, out, 4)?;
    let fd = Fd(fd);
    let value = match cmd {
        fcntl::DUPFD | fcntl::DUPFD_CLOEXEC => {
            let mut entry = cx.process.fds.get(fd)?.clone();
            entry.cloexec = cmd == fcntl::DUPFD_CLOEXEC;
            entry.preopen = None;
            if arg >= MAX_FDS {
                return Err(Errno::Inval.into());
            }
            cx.process.fds.insert_from(Fd(arg), entry)?.0
        }
        fcntl::GETFD => u32::from(cx.process.fds.get(fd)?.cloexec),
        fcntl::SETFD => {
            cx.process.fds.get_mut(fd)?.cloexec = arg & fcntl::FD_CLOEXEC != 0;
            0
        }
        fcntl::GETFL => {
            let entry = cx.process.fds.get(fd)?;
            status_flags(entry.file.access(), entry.file.flags())
        }
        fcntl::SETFL => {
            let entry = cx.process.fds.get(fd)?;
            let mut flags = entry
                .file
                .flags()
                .difference(FdFlags::APPEND | FdFlags::NONBLOCK);
            if arg & open::APPEND != 0 {
                flags |= FdFlags::APPEND;
            }
            if arg & open::NONBLOCK != 0 {
                flags |= FdFlags::NONBLOCK;
            }
            entry.file.set_flags(flags);
            0
        }
        _ => return Err(Errno::Inval.into()),
    };
    memory.write_value(out, value)?;
    Ok(())
}

/// `pipe(fds_out, flags)`: writes the read end's fd, then the write end's;
/// `flags` may hold O_NONBLOCK and O_CLOEXEC (for both ends).
pub fn pipe(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fds_out: u32,
    flags: u32,
) -> SysResult {
    use std::rc::Rc;
    use wasmux_fs::{Access, OpenFile, SetAttr};
    use wasmux_proc::FdEntry;
    use wasmux_uapi::Rights;

    if flags & !(open::NONBLOCK | open::CLOEXEC) != 0 {
        return Err(Errno::Inval.into());
    }
    check_out(memory, fds_out, 8)?;
    let status = if flags & open::NONBLOCK != 0 {
        FdFlags::NONBLOCK
    } else {
        FdFlags::empty()
    };
    let (reader, writer) = cx.ipc.pipe();
    let owner = SetAttr {
        uid: Some(cx.process.cred.uid),
        gid: Some(cx.process.cred.gid),
        ..SetAttr::default()
    };
    let entry = |file: OpenFile| -> SysResult<FdEntry> {
        file.set_attr(&owner)?;
        Ok(FdEntry {
            file: Rc::new(file),
            rights: Rights::STREAM,
            inheriting: Rights::empty(),
            cloexec: flags & open::CLOEXEC != 0,
            preopen: None,
        })
    };
    let read_end = entry(OpenFile::new(Box::new(reader), Access::READ, status))?;
    let write_end = entry(OpenFile::new(Box::new(writer), Access::WRITE, status))?;
    let read_fd = cx.process.fds.insert(read_end)?;
    let write_fd = match cx.process.fds.insert(write_end) {
        Ok(fd) => fd,
        Err(error) => {
            let _ = cx.process.fds.remove(read_fd);
            return Err(error.into());
        }
    };
    memory.write_value(fds_out, read_fd.0)?;
    memory.write_value(fds_out.saturating_add(4), write_fd.0)?;
    Ok(())
}
