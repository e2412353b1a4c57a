//! path_open.

use std::rc::Rc;

use wasmux_fs::{Access, NodeKind, OpenOptions};
use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::FdEntry;
use wasmux_uapi::{Errno, Fd, FdFlags, OFlags, Rights};

use crate::context::{Context, SysResult};
use crate::guest::{check_out, read_path};
use crate::path::follows;

/// Rights that mean "open for reading" and "open for writing".
const READ_RIGHTS: Rights = Rights::FD_READ.union(Rights::FD_READDIR);
const WRITE_RIGHTS: Rights = Rights::FD_WRITE
    .union(Rights::FD_DATASYNC)
    .union(Rights::FD_ALLOCATE)
    .union(Rights::FD_FILESTAT_SET_SIZE);

/// Regular files are created readable and writable by everyone the umask allows.
const FILE_MODE: u32 = 0o666;

/// The rights a node of `kind` can use at all.
pub(crate) fn applicable(kind: NodeKind) -> Rights {
    match kind {
        NodeKind::Regular | NodeKind::BlockDevice => Rights::REGULAR_FILE,
        NodeKind::Directory => Rights::DIRECTORY,
        NodeKind::Socket => Rights::SOCKET,
        NodeKind::CharDevice | NodeKind::Fifo => Rights::STREAM,
        NodeKind::Symlink => Rights::FD_FILESTAT_GET,
    }
}

pub fn path_open(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    rights_base: u64,
    rights_inheriting: u64,
    fdflags: u32,
    fd_out: u32,
) -> SysResult {
    let oflags = u16::try_from(oflags)
        .ok()
        .and_then(OFlags::from_bits)
        .ok_or(Errno::Inval)?;
    let fdflags = u16::try_from(fdflags)
        .ok()
        .and_then(FdFlags::from_bits)
        .ok_or(Errno::Inval)?;
    // Unknown right bits are ignored, as hosts do: programs ask for "all".
    let requested = Rights::from_bits_truncate(rights_base);
    let requested_inheriting = Rights::from_bits_truncate(rights_inheriting);
    let follow = follows(dirflags)?;

    let mut needed = Rights::PATH_OPEN;
    if oflags.contains(OFlags::CREAT) {
        needed |= Rights::PATH_CREATE_FILE;
    }
    if oflags.contains(OFlags::TRUNC) {
        needed |= Rights::PATH_FILESTAT_SET_SIZE;
    }
    let walk = cx.walk_from(Fd(fd), needed)?;
    let parent_inheriting = cx.fd(Fd(fd), Rights::empty())?.inheriting;
    let path = read_path(memory, path, path_len)?;
    check_out(memory, fd_out, 4)?;

    let write = requested.intersects(WRITE_RIGHTS) || oflags.contains(OFlags::TRUNC);
    let read = requested.intersects(READ_RIGHTS) || !write;
    if oflags.contains(OFlags::DIRECTORY) && oflags.intersects(OFlags::CREAT | OFlags::TRUNC) {
        return Err(Errno::Inval.into());
    }
    let options = OpenOptions {
        access: Access { read, write },
        create: oflags.contains(OFlags::CREAT),
        exclusive: oflags.contains(OFlags::EXCL),
        truncate: oflags.contains(OFlags::TRUNC),
        directory: oflags.contains(OFlags::DIRECTORY),
        follow,
        flags: fdflags,
        mode: FILE_MODE & !cx.process.umask,
    };
    let file = cx.vfs.open(&walk, &path, &options)?;
    let kind = file.stat()?.kind;
    let entry = FdEntry {
        file: Rc::new(file),
        rights: requested & parent_inheriting & applicable(kind),
        inheriting: requested_inheriting & parent_inheriting,
        cloexec: false,
        preopen: None,
    };
    let new_fd = cx.process.fds.insert(entry)?;
    memory.write_value(fd_out, new_fd.0)?;
    Ok(())
}
