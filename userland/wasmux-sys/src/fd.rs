//! File descriptors beyond preview1: pipes, dup/dup2/dup3, and the fcntl
//! flags programs need (close-on-exec, non-blocking).
//!
//! New fds come back owned (`OwnedFd`, or `File` for pipe ends), so they
//! close when dropped; `dup2`/`dup3` target a raw fd number because their
//! targets are usually 0, 1 or 2, which the program does not own.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};

use wasmux_uapi::wasmux::{fcntl, open};

use crate::{check, raw};

bitflags::bitflags! {
    /// Flags for both ends of a new pipe.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct PipeFlags: u32 {
        /// Close the ends in programs started by spawn and exec.
        const CLOEXEC = open::CLOEXEC;
        /// Reads and writes that would block fail with `EAGAIN` instead.
        const NONBLOCK = open::NONBLOCK;
    }
}

/// Wraps a fd the kernel just created for the caller.
fn owned(fd: u32) -> io::Result<OwnedFd> {
    let fd = RawFd::try_from(fd).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
    // SAFETY: the kernel returned a fresh fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// A new pipe: `(read end, write end)`. Pass [`PipeFlags::CLOEXEC`] unless
/// children started later should inherit the ends: a reader only sees end
/// of file once every copy of the write end is closed.
/// Errors: `EMFILE`, `EINVAL` (flags).
pub fn pipe(flags: PipeFlags) -> io::Result<(File, File)> {
    let mut fds = [0u32; 2];
    // SAFETY: `fds` is two valid u32s to write.
    check(unsafe { raw::pipe(fds.as_mut_ptr(), flags.bits()) })?;
    let reader = owned(fds[0])?;
    let writer = owned(fds[1])?;
    Ok((File::from(reader), File::from(writer)))
}

/// The lowest free fd becomes a copy of `fd` (close-on-exec clear).
/// Errors: `EBADF`, `EMFILE`.
pub fn dup(fd: impl AsFd) -> io::Result<OwnedFd> {
    let mut new = 0;
    // SAFETY: `new` is a valid u32 to write.
    check(unsafe { raw::dup(fd.as_fd().as_raw_fd(), &mut new) })?;
    owned(new)
}

/// `newfd` becomes a copy of `fd` (close-on-exec clear), closing what it
/// was. Nothing happens when they are equal. Errors: `EBADF`.
pub fn dup2(fd: impl AsFd, newfd: RawFd) -> io::Result<()> {
    dup3(fd, newfd, false)
}

/// As [`dup2`], with close-on-exec set on `newfd` when `cloexec` is.
pub fn dup3(fd: impl AsFd, newfd: RawFd, cloexec: bool) -> io::Result<()> {
    let flags = if cloexec { open::CLOEXEC } else { 0 };
    // SAFETY: no pointers.
    check(unsafe { raw::dup3(fd.as_fd().as_raw_fd(), newfd, flags) })
}

/// The lowest free fd at or above `min` becomes a copy of `fd`.
/// Errors: `EBADF`, `EINVAL` (`min` too large), `EMFILE`.
pub fn dup_at_least(fd: impl AsFd, min: RawFd, cloexec: bool) -> io::Result<OwnedFd> {
    let cmd = if cloexec {
        fcntl::DUPFD_CLOEXEC
    } else {
        fcntl::DUPFD
    };
    let min = u32::try_from(min).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    owned(fcntl_raw(fd.as_fd().as_raw_fd(), cmd, min)?)
}

/// `fcntl(fd, cmd, arg)` as the kernel implements it (Linux commands).
fn fcntl_raw(fd: RawFd, cmd: u32, arg: u32) -> io::Result<u32> {
    let mut out = 0;
    // SAFETY: `out` is a valid u32 to write.
    check(unsafe { raw::fcntl(fd, cmd, arg, &mut out) })?;
    Ok(out)
}

/// Whether `fd` closes in programs started by spawn and exec.
pub fn cloexec(fd: impl AsFd) -> io::Result<bool> {
    let flags = fcntl_raw(fd.as_fd().as_raw_fd(), fcntl::GETFD, 0)?;
    Ok(flags & fcntl::FD_CLOEXEC != 0)
}

/// Sets or clears `fd`'s close-on-exec flag.
pub fn set_cloexec(fd: impl AsFd, on: bool) -> io::Result<()> {
    let flag = if on { fcntl::FD_CLOEXEC } else { 0 };
    fcntl_raw(fd.as_fd().as_raw_fd(), fcntl::SETFD, flag).map(drop)
}

/// The open file's status flags (Linux values: access mode, `O_APPEND`,
/// `O_NONBLOCK`), shared by every fd that refers to it.
pub fn status_flags(fd: impl AsFd) -> io::Result<u32> {
    fcntl_raw(fd.as_fd().as_raw_fd(), fcntl::GETFL, 0)
}

/// Whether reads and writes on `fd` fail with `EAGAIN` instead of blocking.
pub fn nonblocking(fd: impl AsFd) -> io::Result<bool> {
    Ok(status_flags(fd)? & open::NONBLOCK != 0)
}

/// Makes `fd`'s open file non-blocking or blocking (for every fd sharing it).
pub fn set_nonblocking(fd: impl AsFd, on: bool) -> io::Result<()> {
    let fd = fd.as_fd().as_raw_fd();
    let flags = fcntl_raw(fd, fcntl::GETFL, 0)?;
    let flags = if on {
        flags | open::NONBLOCK
    } else {
        flags & !open::NONBLOCK
    };
    fcntl_raw(fd, fcntl::SETFL, flags & (open::APPEND | open::NONBLOCK)).map(drop)
}
