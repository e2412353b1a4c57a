//! The fd table and per-fd state: fd_close, fd_renumber, fd_fdstat_*,
//! fd_prestat_*, fd_advise, fd_sync, fd_datasync.

use wasmux_mm::{GuestMemory, StructWriter};
use wasmux_uapi::{Advice, Errno, Fd, FdFlags, PreopenType, Rights, layout};

use crate::context::{Context, SysResult};
use crate::guest::file_type;

pub fn fd_close(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, fd: u32) -> SysResult {
    cx.process.fds.remove(Fd(fd))?;
    Ok(())
}

pub fn fd_renumber(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    to: u32,
) -> SysResult {
    cx.process.fds.renumber(Fd(fd), Fd(to))?;
    Ok(())
}

pub fn fd_fdstat_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    out: u32,
) -> SysResult {
    use layout::fdstat as f;
    let entry = cx.fd(Fd(fd), Rights::empty())?;
    let kind = entry.file.stat()?.kind;
    let mut stat = StructWriter::<{ f::SIZE as usize }>::default();
    stat.set(f::FILETYPE, file_type(kind).raw())
        .set(f::FLAGS, entry.file.flags().bits())
        .set(f::RIGHTS_BASE, entry.rights.bits())
        .set(f::RIGHTS_INHERITING, entry.inheriting.bits());
    stat.write_to(memory, out)?;
    Ok(())
}

pub fn fd_fdstat_set_flags(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
) -> SysResult {
    let entry = cx.fd(Fd(fd), Rights::FD_FDSTAT_SET_FLAGS)?;
    let flags = u16::try_from(flags)
        .ok()
        .and_then(FdFlags::from_bits)
        .ok_or(Errno::Inval)?;
    // Synchronous I/O modes are fixed at open: every write here is already
    // as durable as the store makes it, so only append and nonblock change.
    let changeable = FdFlags::APPEND | FdFlags::NONBLOCK;
    let current = entry.file.flags();
    if (flags ^ current).intersects(!changeable) {
        return Err(Errno::NotSup.into());
    }
    entry.file.set_flags(flags);
    Ok(())
}

pub fn fd_fdstat_set_rights(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> SysResult {
    let entry = cx.process.fds.get_mut(Fd(fd))?;
    let base = Rights::from_bits(base).ok_or(Errno::Inval)?;
    let inheriting = Rights::from_bits(inheriting).ok_or(Errno::Inval)?;
    if !entry.rights.contains(base) || !entry.inheriting.contains(inheriting) {
        return Err(Errno::NotCapable.into());
    }
    entry.rights = base;
    entry.inheriting = inheriting;
    Ok(())
}

pub fn fd_prestat_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    out: u32,
) -> SysResult {
    use layout::prestat as f;
    let entry = cx.process.fds.get(Fd(fd))?;
    let name = entry.preopen.as_ref().ok_or(Errno::BadF)?;
    let mut prestat = StructWriter::<{ f::SIZE as usize }>::default();
    prestat.set(f::TAG, PreopenType::Dir.raw()).set(
        f::DIR_NAME_LEN,
        u32::try_from(name.len()).map_err(|_| Errno::NameTooLong)?,
    );
    prestat.write_to(memory, out)?;
    Ok(())
}

pub fn fd_prestat_dir_name(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> SysResult {
    let entry = cx.process.fds.get(Fd(fd))?;
    let name = entry.preopen.as_ref().ok_or(Errno::BadF)?;
    // A larger buffer is fine; the name is not NUL-terminated.
    if name.len() > path_len as usize {
        return Err(Errno::NameTooLong.into());
    }
    memory.write(path, name)?;
    Ok(())
}

pub fn fd_advise(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> SysResult {
    let entry = cx.fd(Fd(fd), Rights::FD_ADVISE)?;
    u8::try_from(advice)
        .ok()
        .and_then(Advice::from_raw)
        .ok_or(Errno::Inval)?;
    offset
        .checked_add(len)
        .filter(|&end| end <= i64::MAX as u64)
        .ok_or(Errno::Inval)?;
    // Advice is a hint; the stores have no read-ahead to tune. It still
    // applies only to files.
    if entry.file.stat()?.kind == wasmux_fs::NodeKind::Directory {
        return Err(Errno::BadF.into());
    }
    Ok(())
}

pub fn fd_sync(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, fd: u32) -> SysResult {
    cx.fd(Fd(fd), Rights::FD_SYNC)?.file.sync()?;
    Ok(())
}

pub fn fd_datasync(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, fd: u32) -> SysResult {
    cx.fd(Fd(fd), Rights::FD_DATASYNC)?.file.sync()?;
    Ok(())
}
