//! File attributes and listings through an fd: fd_filestat_get,
//! fd_filestat_set_size, fd_filestat_set_times, fd_allocate, fd_readdir.

use wasmux_fs::{DirEntry, NodeKind, SetAttr, Vfs};
use wasmux_mm::{GuestMemory, GuestMemoryExt, StructWriter};
use wasmux_uapi::{Errno, Fd, FstFlags, Rights, Timestamp, layout};

use crate::context::{Context, SysResult};
use crate::guest::{check_out, file_type, write_filestat};

pub fn fd_filestat_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    out: u32,
) -> SysResult {
    let meta = cx.fd(Fd(fd), Rights::FD_FILESTAT_GET)?.file.stat()?;
    write_filestat(memory, out, &meta)
}

pub fn fd_filestat_set_size(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    size: u64,
) -> SysResult {
    let entry = cx.fd(Fd(fd), Rights::FD_FILESTAT_SET_SIZE)?;
    if size > i64::MAX as u64 {
        return Err(Errno::FBig.into());
    }
    entry.file.set_attr(&SetAttr {
        size: Some(size),
        ..SetAttr::default()
    })?;
    Ok(())
}

/// Decodes `fst_flags` into the times to set (`*_NOW` resolved with the VFS clock).
/// Errors: Inval for unknown bits, or a time given both explicitly and as now.
pub fn times(
    vfs: &Vfs,
    atim: Timestamp,
    mtim: Timestamp,
    fst_flags: u32,
) -> Result<SetAttr, Errno> {
    let flags = u16::try_from(fst_flags)
        .ok()
        .and_then(FstFlags::from_bits)
        .ok_or(Errno::Inval)?;
    if flags.contains(FstFlags::ATIM | FstFlags::ATIM_NOW)
        || flags.contains(FstFlags::MTIM | FstFlags::MTIM_NOW)
    {
        return Err(Errno::Inval);
    }
    let now = vfs.now();
    let pick = |explicit: FstFlags, current: FstFlags, value: Timestamp| {
        if flags.contains(explicit) {
            Some(value)
        } else if flags.contains(current) {
            Some(now)
        } else {
            None
        }
    };
    Ok(SetAttr {
        atime: pick(FstFlags::ATIM, FstFlags::ATIM_NOW, atim),
        mtime: pick(FstFlags::MTIM, FstFlags::MTIM_NOW, mtim),
        ..SetAttr::default()
    })
}

pub fn fd_filestat_set_times(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> SysResult {
    let changes = times(cx.vfs, atim, mtim, fst_flags)?;
    cx.fd(Fd(fd), Rights::FD_FILESTAT_SET_TIMES)?
        .file
        .set_attr(&changes)?;
    Ok(())
}

pub fn fd_allocate(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    offset: u64,
    len: u64,
) -> SysResult {
    let entry = cx.fd(Fd(fd), Rights::FD_ALLOCATE)?;
    let end = offset
        .checked_add(len)
        .filter(|&end| end <= i64::MAX as u64)
        .ok_or(Errno::FBig)?;
    let meta = entry.file.stat()?;
    match meta.kind {
        NodeKind::Regular => {}
        NodeKind::Directory => return Err(Errno::IsDir.into()),
        _ => return Err(Errno::SPipe.into()),
    }
    if len == 0 {
        return Err(Errno::Inval.into());
    }
    // Extents are allocated on write; allocation only needs the size.
    if end > meta.size {
        entry.file.set_attr(&SetAttr {
            size: Some(end),
            ..SetAttr::default()
        })?;
    }
    Ok(())
}

pub fn fd_readdir(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused_out: u32,
) -> SysResult {
    use layout::dirent as d;
    let file = cx.fd(Fd(fd), Rights::FD_READDIR)?.file.clone();
    check_out(memory, bufused_out, 4)?;
    wasmux_mm::check_range(buf, u64::from(buf_len), memory.size())?;
    // Collect just enough entries to fill the buffer (the last one may be cut,
    // which tells the program to call again with a larger buffer).
    let mut entries: Vec<DirEntry> = Vec::new();
    let mut needed = 0usize;
    file.readdir(cookie, &mut |entry| {
        needed = needed
            .saturating_add(d::SIZE as usize)
            .saturating_add(entry.name.len());
        entries.push(entry);
        needed < buf_len as usize
    })?;
    let mut bytes = Vec::with_capacity(needed);
    for entry in &entries {
        let mut header = StructWriter::<{ d::SIZE as usize }>::default();
        header
            .set(d::NEXT, entry.next)
            .set(d::INO, entry.ino.0)
            .set(
                d::NAMLEN,
                u32::try_from(entry.name.len()).map_err(|_| Errno::NameTooLong)?,
            )
            .set(d::TYPE, file_type(entry.kind).raw());
        bytes.extend_from_slice(header.bytes());
        bytes.extend_from_slice(&entry.name);
    }
    bytes.truncate(buf_len as usize);
    memory.write(buf, &bytes)?;
    memory.write_value(bufused_out, u32::try_from(bytes.len()).unwrap_or(buf_len))?;
    Ok(())
}
