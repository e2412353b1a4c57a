//! File attributes the POSIX way: stat (with modes, owners and blocks),
//! chmod, chown, statfs. Paths are relative to a directory fd or the
//! working directory (`AT_FDCWD`), or empty with `AT_EMPTY_PATH` for the fd
//! itself, as Linux's `*at` calls take them.

use wasmux_fs::{Location, Metadata, NodeKind, SetAttr, Walk};
use wasmux_mm::{GuestMemory, StructWriter};
use wasmux_uapi::wasmux::{at, stat as st, statfs as sf};
use wasmux_uapi::{Errno, Fd};

use crate::context::{Context, SysResult};
use crate::guest::{check_out, read_path};

/// Where an `*at` call points: a node (the fd itself) or a path from a walk.
enum Target {
    Node(Location),
    Path(Walk, Vec<u8>),
}

fn target(
    cx: &Context<'_>,
    memory: &dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    flags: u32,
) -> SysResult<Target> {
    let path = read_path(memory, path, path_len)?;
    let walk = cx.process_walk();
    if path.is_empty() {
        if flags & at::EMPTY_PATH == 0 {
            return Err(Errno::NoEnt.into());
        }
        let file = &cx.process.fds.get(Fd(dirfd))?.file;
        return match file.location() {
            Some(node) => Ok(Target::Node(node)),
            None => Err(Errno::NotSup.into()),
        };
    }
    if dirfd == at::FDCWD || path.first() == Some(&b'/') {
        return Ok(Target::Path(walk, path));
    }
    let base = cx
        .process
        .fds
        .get(Fd(dirfd))?
        .file
        .location()
        .ok_or(Errno::NotDir)?;
    Ok(Target::Path(Walk { base, ..walk }, path))
}

fn type_bits(kind: NodeKind) -> u32 {
    match kind {
        NodeKind::Regular => st::IFREG,
        NodeKind::Directory => st::IFDIR,
        NodeKind::Symlink => st::IFLNK,
        NodeKind::CharDevice => st::IFCHR,
        NodeKind::BlockDevice => st::IFBLK,
        NodeKind::Fifo => st::IFIFO,
        NodeKind::Socket => st::IFSOCK,
    }
}

fn write_stat(memory: &mut dyn GuestMemory, out: u32, meta: &Metadata) -> SysResult {
    let mut record = StructWriter::<{ st::SIZE as usize }>::default();
    record
        .set(st::DEV, meta.dev)
        .set(st::INO, meta.ino.0)
        .set(st::MODE, type_bits(meta.kind) | (meta.mode & 0o7777))
        .set(st::NLINK, u32::try_from(meta.nlink).unwrap_or(u32::MAX))
        .set(st::UID, meta.uid)
        .set(st::GID, meta.gid)
        .set(st::RDEV, meta.rdev)
        .set(st::SIZE_FIELD, meta.size)
        .set(st::BLKSIZE, 4096u32)
        .set(st::BLOCKS, meta.size.div_ceil(4096).saturating_mul(8))
        .set(st::ATIME, meta.atime)
        .set(st::MTIME, meta.mtime)
        .set(st::CTIME, meta.ctime);
    record.write_to(memory, out)?;
    Ok(())
}

/// `stat(dirfd, path, path_len, flags, out)`: fstatat. `blocks` is the size
/// rounded up to 4 KiB, in 512-byte units.
pub fn stat(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    flags: u32,
    out: u32,
) -> SysResult {
    if flags & !(at::SYMLINK_NOFOLLOW | at::EMPTY_PATH) != 0 {
        return Err(Errno::Inval.into());
    }
    check_out(memory, out, st::SIZE)?;
    let meta = match target(cx, memory, dirfd, path, path_len, flags)? {
        Target::Node(node) => cx.vfs.stat(node)?,
        Target::Path(walk, path) => {
            cx.vfs
                .stat_path(&walk, &path, flags & at::SYMLINK_NOFOLLOW == 0)?
        }
    };
    write_stat(memory, out, &meta)
}

fn set_attr(
    cx: &mut Context<'_>,
    memory: &dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    flags: u32,
    changes: &SetAttr,
) -> SysResult {
    if flags & !(at::SYMLINK_NOFOLLOW | at::EMPTY_PATH) != 0 {
        return Err(Errno::Inval.into());
    }
    match target(cx, memory, dirfd, path, path_len, flags)? {
        Target::Node(node) => cx.vfs.set_attr(node, cx.process.cred, changes)?,
        Target::Path(walk, path) => {
            cx.vfs
                .set_attr_path(&walk, &path, flags & at::SYMLINK_NOFOLLOW == 0, changes)?;
        }
    }
    Ok(())
}

/// `chmod(dirfd, path, path_len, mode, flags)`: fchmodat (owner or root).
pub fn chmod(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    mode: u32,
    flags: u32,
) -> SysResult {
    let changes = SetAttr {
        mode: Some(mode & 0o7777),
        ..SetAttr::default()
    };
    set_attr(cx, memory, dirfd, path, path_len, flags, &changes)
}

/// `chown(dirfd, path, path_len, uid, gid, flags)`: fchownat; `u32::MAX`
/// leaves an id alone. Only root gives files away.
pub fn chown(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    uid: u32,
    gid: u32,
    flags: u32,
) -> SysResult {
    let keep = |id: u32| (id != u32::MAX).then_some(id);
    let changes = SetAttr {
        uid: keep(uid),
        gid: keep(gid),
        ..SetAttr::default()
    };
    set_attr(cx, memory, dirfd, path, path_len, flags, &changes)
}

/// `statfs(dirfd, path, path_len, out)`: the figures of the filesystem holding the path.
pub fn statfs(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    dirfd: u32,
    path: u32,
    path_len: u32,
    out: u32,
) -> SysResult {
    check_out(memory, out, sf::SIZE)?;
    let node = match target(cx, memory, dirfd, path, path_len, at::EMPTY_PATH)? {
        Target::Node(node) => node,
        Target::Path(walk, path) => cx.vfs.resolve(&walk, &path, true)?,
    };
    let stats = cx.vfs.stats(node)?;
    let mut record = StructWriter::<{ sf::SIZE as usize }>::default();
    record
        .set(sf::BSIZE, stats.block_size)
        .set(sf::BLOCKS, stats.total_blocks)
        .set(sf::BFREE, stats.free_blocks)
        .set(sf::BAVAIL, stats.free_blocks)
        .set(sf::FILES, stats.files)
        .set(sf::FFREE, 0u64)
        .set(sf::NAMEMAX, wasmux_fs::NAME_MAX as u32);
    record.write_to(memory, out)?;
    Ok(())
}
