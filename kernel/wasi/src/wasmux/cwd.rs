//! The working directory: chdir, fchdir, getcwd.
//!
//! The kernel tracks each process's working directory (it is inherited by
//! spawn, and is where relative paths in spawn requests start). wasi-libc
//! keeps its own copy for the paths it resolves; wasmux-sys updates both.

use wasmux_fs::{Location, NodeKind};
use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_uapi::{Errno, Fd, Rights};

use crate::context::{Context, SysResult};
use crate::guest::{check_out, read_path};

/// Makes `at` the working directory if it is a directory the caller may search.
fn change_to(cx: &mut Context<'_>, at: Location) -> SysResult {
    let meta = cx.vfs.stat(at)?;
    if meta.kind != NodeKind::Directory {
        return Err(Errno::NotDir.into());
    }
    let walk = wasmux_fs::Walk {
        base: at,
        ..cx.process_walk()
    };
    // "." resolves only if the directory may be searched.
    cx.vfs.resolve(&walk, b".", true)?;
    cx.process.cwd = at;
    Ok(())
}

pub fn chdir(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    path: u32,
    path_len: u32,
) -> SysResult {
    let path = read_path(memory, path, path_len)?;
    let walk = cx.process_walk();
    let at = cx.vfs.resolve(&walk, &path, true)?;
    change_to(cx, at)
}

pub fn fchdir(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, fd: u32) -> SysResult {
    let at = cx
        .fd(Fd(fd), Rights::empty())?
        .file
        .location()
        .ok_or(Errno::NotDir)?;
    change_to(cx, at)
}

/// `getcwd(buf, len, len_out)`: the absolute path, NUL-terminated.
/// Errors: Range if it does not fit with its NUL.
pub fn getcwd(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    buf: u32,
    len: u32,
    len_out: u32,
) -> SysResult {
    check_out(memory, len_out, 4)?;
    let mut path = cx.vfs.path_from(cx.process.root, cx.process.cwd)?;
    let path_len = u32::try_from(path.len()).map_err(|_| Errno::NameTooLong)?;
    if path_len >= len {
        return Err(Errno::Range.into());
    }
    path.push(0);
    memory.write(buf, &path)?;
    memory.write_value(len_out, path_len)?;
    Ok(())
}
