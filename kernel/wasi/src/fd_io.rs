//! Reading, writing and seeking: fd_read, fd_write, fd_pread, fd_pwrite,
//! fd_seek, fd_tell.

use wasmux_fs::{FsError, OpenFile, SeekFrom};
use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::Wait;
use wasmux_uapi::{Errno, Fd, FdFlags, Rights, Whence};

use crate::context::{Context, SysError, SysResult};
use crate::guest::{Iovec, check_out, read_iovecs};

/// Moves bytes between a file and one guest buffer, given the bytes already moved.
type ReadChunk<'a> = &'a mut dyn FnMut(usize, &mut [u8]) -> Result<usize, FsError>;
type WriteChunk<'a> = &'a mut dyn FnMut(usize, &[u8]) -> Result<usize, FsError>;

/// A write that moved nothing because no one reads any more also sends the
/// writer SIGPIPE (which ends it unless caught or ignored).
fn finish_write(
    cx: &mut Context<'_>,
    file: &OpenFile,
    total: usize,
    error: Option<FsError>,
) -> SysResult<u32> {
    if total == 0 && error == Some(FsError::BrokenPipe) {
        let pid = cx.process.pid;
        cx.processes.signal(pid, wasmux_uapi::Signal::Pipe);
    }
    finish(file, total, error)
}

/// What a vectored transfer moved, or why it moved nothing.
fn finish(file: &OpenFile, total: usize, error: Option<FsError>) -> SysResult<u32> {
    match error {
        // Progress was made: report it; the error (if it persists) comes next call.
        _ if total > 0 => Ok(u32::try_from(total).unwrap_or(u32::MAX)),
        Some(FsError::WouldBlock) if !file.flags().contains(FdFlags::NONBLOCK) => {
            let deadline = crate::wasmux::tty::read_deadline(file);
            Err(SysError::Block(Wait::Io { deadline }))
        }
        Some(error) => Err(error.into()),
        None => Ok(0),
    }
}

/// Reads into each buffer in turn, through `read(offset_so_far, buffer)`,
/// stopping at the first short read.
fn read_vectored(
    memory: &mut dyn GuestMemory,
    iovecs: &[Iovec],
    read: ReadChunk<'_>,
) -> SysResult<(usize, Option<FsError>)> {
    let mut total = 0usize;
    for iovec in iovecs.iter().filter(|iovec| iovec.len > 0) {
        let mut result = Ok(0);
        memory.with_slice_mut(iovec.buf, iovec.len, &mut |buffer| {
            result = read(total, buffer)
        })?;
        match result {
            Ok(count) => {
                total = total.saturating_add(count);
                if count < iovec.len as usize {
                    break;
                }
            }
            Err(error) => return Ok((total, Some(error))),
        }
    }
    Ok((total, None))
}

/// Writes each buffer in turn through `write(offset_so_far, buffer)`,
/// stopping at the first short write.
fn write_vectored(
    memory: &mut dyn GuestMemory,
    iovecs: &[Iovec],
    write: WriteChunk<'_>,
) -> SysResult<(usize, Option<FsError>)> {
    let mut total = 0usize;
    for iovec in iovecs.iter().filter(|iovec| iovec.len > 0) {
        let mut result = Ok(0);
        memory.with_slice(iovec.buf, iovec.len, &mut |buffer| {
            result = write(total, buffer)
        })?;
        match result {
            Ok(count) => {
                total = total.saturating_add(count);
                if count < iovec.len as usize {
                    break;
                }
            }
            Err(error) => return Ok((total, Some(error))),
        }
    }
    Ok((total, None))
}

pub fn fd_read(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread_out: u32,
) -> SysResult {
    let file = cx.fd(Fd(fd), Rights::FD_READ)?.file.clone();
    check_out(memory, nread_out, 4)?;
    crate::wasmux::tty::job_control(cx, &file, false)?;
    let iovecs = read_iovecs(memory, iovs, iovs_len)?;
    let (total, error) = read_vectored(memory, &iovecs, &mut |_, buffer| file.read(buffer))?;
    let count = finish(&file, total, error)?;
    memory.write_value(nread_out, count)?;
    Ok(())
}

pub fn fd_pread(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread_out: u32,
) -> SysResult {
    let file = cx
        .fd(Fd(fd), Rights::FD_READ | Rights::FD_SEEK)?
        .file
        .clone();
    check_out(memory, nread_out, 4)?;
    let iovecs = read_iovecs(memory, iovs, iovs_len)?;
    let (total, error) = read_vectored(memory, &iovecs, &mut |done, buffer| {
        file.read_at(offset.saturating_add(done as u64), buffer)
    })?;
    let count = finish(&file, total, error)?;
    memory.write_value(nread_out, count)?;
    Ok(())
}

pub fn fd_write(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten_out: u32,
) -> SysResult {
    let file = cx.fd(Fd(fd), Rights::FD_WRITE)?.file.clone();
    check_out(memory, nwritten_out, 4)?;
    crate::wasmux::tty::job_control(cx, &file, true)?;
    let iovecs = read_iovecs(memory, iovs, iovs_len)?;
    let (total, error) = write_vectored(memory, &iovecs, &mut |_, buffer| file.write(buffer))?;
    let count = finish_write(cx, &file, total, error)?;
    memory.write_value(nwritten_out, count)?;
    Ok(())
}

pub fn fd_pwrite(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten_out: u32,
) -> SysResult {
    let file = cx
        .fd(Fd(fd), Rights::FD_WRITE | Rights::FD_SEEK)?
        .file
        .clone();
    check_out(memory, nwritten_out, 4)?;
    let iovecs = read_iovecs(memory, iovs, iovs_len)?;
    let (total, error) = write_vectored(memory, &iovecs, &mut |done, buffer| {
        file.write_at(offset.saturating_add(done as u64), buffer)
    })?;
    let count = finish_write(cx, &file, total, error)?;
    memory.write_value(nwritten_out, count)?;
    Ok(())
}

pub fn fd_seek(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    offset: i64,
    whence: u32,
    newoffset_out: u32,
) -> SysResult {
    let whence = u8::try_from(whence)
        .ok()
        .and_then(Whence::from_raw)
        .ok_or(Errno::Inval)?;
    // Asking where we are needs only the right to tell.
    let needed = if offset == 0 && whence == Whence::Cur {
        Rights::FD_TELL
    } else {
        Rights::FD_SEEK
    };
    let entry = cx.process.fds.get(Fd(fd)).map_err(|_| Errno::BadF)?;
    if !entry.rights.intersects(needed | Rights::FD_SEEK) {
        return Err(Errno::NotCapable.into());
    }
    let file = entry.file.clone();
    check_out(memory, newoffset_out, 8)?;
    let from = match whence {
        Whence::Set => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        Whence::Cur => SeekFrom::Current(offset),
        Whence::End => SeekFrom::End(offset),
    };
    let position = file.seek(from)?;
    memory.write_value(newoffset_out, position)?;
    Ok(())
}

pub fn fd_tell(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, fd: u32, out: u32) -> SysResult {
    let entry = cx.fd(Fd(fd), Rights::FD_TELL)?;
    if !entry.file.file().is_seekable() {
        return Err(Errno::SPipe.into());
    }
    memory.write_value(out, entry.file.tell())?;
    Ok(())
}
