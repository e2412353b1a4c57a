//! Path operations relative to a directory fd: path_create_directory,
//! path_filestat_get, path_filestat_set_times, path_link, path_readlink,
//! path_remove_directory, path_rename, path_symlink, path_unlink_file.
//! (path_open has its own module.)

use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_uapi::{Errno, Fd, LookupFlags, Rights};

use crate::context::{Context, SysResult};
use crate::fd_filestat::times;
use crate::guest::{check_out, read_path, write_filestat};

/// Whether lookup flags ask to follow a final symlink.
/// Errors: Inval for unknown bits.
pub fn follows(flags: u32) -> Result<bool, Errno> {
    let flags = LookupFlags::from_bits(flags).ok_or(Errno::Inval)?;
    Ok(flags.contains(LookupFlags::SYMLINK_FOLLOW))
}

/// New directories get every permission bit the process's umask leaves.
const DIRECTORY_MODE: u32 = 0o777;

pub fn path_create_directory(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_CREATE_DIRECTORY)?;
    let path = read_path(memory, path, path_len)?;
    cx.vfs
        .mkdir(&walk, &path, DIRECTORY_MODE & !cx.process.umask)?;
    Ok(())
}

pub fn path_filestat_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    out: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_FILESTAT_GET)?;
    let follow = follows(flags)?;
    let path = read_path(memory, path, path_len)?;
    let meta = cx.vfs.stat_path(&walk, &path, follow)?;
    write_filestat(memory, out, &meta)
}

pub fn path_filestat_set_times(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_FILESTAT_SET_TIMES)?;
    let follow = follows(flags)?;
    let path = read_path(memory, path, path_len)?;
    let changes = times(cx.vfs, atim, mtim, fst_flags)?;
    cx.vfs.set_attr_path(&walk, &path, follow, &changes)?;
    Ok(())
}

pub fn path_link(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> SysResult {
    let from = cx.walk_from(Fd(old_fd), Rights::PATH_LINK_SOURCE)?;
    let to = cx.walk_from(Fd(new_fd), Rights::PATH_LINK_TARGET)?;
    let follow = follows(old_flags)?;
    let old_path = read_path(memory, old_path, old_path_len)?;
    let new_path = read_path(memory, new_path, new_path_len)?;
    cx.vfs.link(&from, &old_path, follow, &to, &new_path)?;
    Ok(())
}

pub fn path_readlink(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused_out: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_READLINK)?;
    let path = read_path(memory, path, path_len)?;
    check_out(memory, bufused_out, 4)?;
    let target = cx.vfs.readlink(&walk, &path)?;
    // Like readlink(2): the target is cut to the buffer, not NUL-terminated.
    let shown = target.get(..buf_len as usize).unwrap_or(&target);
    memory.write(buf, shown)?;
    memory.write_value(bufused_out, u32::try_from(shown.len()).unwrap_or(buf_len))?;
    Ok(())
}

pub fn path_remove_directory(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_REMOVE_DIRECTORY)?;
    let path = read_path(memory, path, path_len)?;
    cx.vfs.rmdir(&walk, &path)?;
    Ok(())
}

pub fn path_rename(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> SysResult {
    let from = cx.walk_from(Fd(fd), Rights::PATH_RENAME_SOURCE)?;
    let to = cx.walk_from(Fd(new_fd), Rights::PATH_RENAME_TARGET)?;
    let old_path = read_path(memory, old_path, old_path_len)?;
    let new_path = read_path(memory, new_path, new_path_len)?;
    cx.vfs.rename(&from, &old_path, &to, &new_path)?;
    Ok(())
}

pub fn path_symlink(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_SYMLINK)?;
    let target = read_path(memory, old_path, old_path_len)?;
    let new_path = read_path(memory, new_path, new_path_len)?;
    if target.is_empty() {
        return Err(Errno::NoEnt.into());
    }
    // Under capability semantics a link may not point out of the sandbox
    // by construction: an absolute target could never be followed.
    if walk.confine && target.first() == Some(&b'/') {
        return Err(Errno::Perm.into());
    }
    cx.vfs.symlink(&target, &walk, &new_path)?;
    Ok(())
}

pub fn path_unlink_file(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    path: u32,
    path_len: u32,
) -> SysResult {
    let walk = cx.walk_from(Fd(fd), Rights::PATH_UNLINK_FILE)?;
    let path = read_path(memory, path, path_len)?;
    cx.vfs.unlink(&walk, &path)?;
    Ok(())
}
