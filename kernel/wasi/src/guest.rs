//! Decoding arguments and encoding results in guest memory.

use wasmux_fs::{Metadata, NodeKind};
use wasmux_mm::{GuestMemory, GuestMemoryExt, StructWriter, check_range};
use wasmux_uapi::{Errno, FileType, layout};

use crate::context::SysResult;

/// The most iovecs one call may pass (POSIX IOV_MAX).
pub const IOV_MAX: u32 = 1024;

/// The longest path a program may pass.
pub const PATH_MAX: u32 = 4096;

/// One guest buffer of an iovec list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iovec {
    pub buf: u32,
    pub len: u32,
}

/// Reads an iovec list, checking every buffer lies in memory.
/// Errors: Inval (too many, or a total that overflows), Fault.
pub fn read_iovecs(memory: &dyn GuestMemory, iovs: u32, count: u32) -> SysResult<Vec<Iovec>> {
    if count > IOV_MAX {
        return Err(Errno::Inval.into());
    }
    let raw = memory.read_bytes(
        iovs,
        count.checked_mul(layout::iovec::SIZE).ok_or(Errno::Inval)?,
    )?;
    let mut total: u64 = 0;
    let mut list = Vec::with_capacity(count as usize);
    for chunk in raw.chunks_exact(layout::iovec::SIZE as usize) {
        let (buf, len) = chunk.split_at(4);
        let buf = u32::from_le_bytes(buf.try_into().map_err(|_| Errno::Inval)?);
        let len = u32::from_le_bytes(len.try_into().map_err(|_| Errno::Inval)?);
        check_range(buf, u64::from(len), memory.size())?;
        total = total.saturating_add(u64::from(len));
        list.push(Iovec { buf, len });
    }
    if total > u64::from(u32::MAX) {
        return Err(Errno::Inval.into());
    }
    Ok(list)
}

/// Reads a path argument.
/// Errors: NameTooLong, Fault, IlSeq (not UTF-8, which WASI strings must be).
pub fn read_path(memory: &dyn GuestMemory, ptr: u32, len: u32) -> SysResult<Vec<u8>> {
    if len > PATH_MAX {
        return Err(Errno::NameTooLong.into());
    }
    let bytes = memory.read_bytes(ptr, len)?;
    if core::str::from_utf8(&bytes).is_err() {
        return Err(Errno::IlSeq.into());
    }
    Ok(bytes)
}

/// Fails with Fault unless `size` bytes at `ptr` are writable: used before a
/// call with side effects, so a bad result pointer cannot leave them half done.
pub fn check_out(memory: &dyn GuestMemory, ptr: u32, size: u32) -> SysResult {
    check_range(ptr, u64::from(size), memory.size())?;
    Ok(())
}

/// The WASI file type of a node kind.
pub fn file_type(kind: NodeKind) -> FileType {
    match kind {
        NodeKind::Regular => FileType::RegularFile,
        NodeKind::Directory => FileType::Directory,
        NodeKind::Symlink => FileType::SymbolicLink,
        NodeKind::CharDevice => FileType::CharacterDevice,
        NodeKind::BlockDevice => FileType::BlockDevice,
        NodeKind::Socket => FileType::SocketStream,
        NodeKind::Fifo => FileType::Unknown,
    }
}

/// Writes a `filestat` at `ptr`.
/// Errors: Fault.
pub fn write_filestat(memory: &mut dyn GuestMemory, ptr: u32, meta: &Metadata) -> SysResult {
    use layout::filestat as f;
    let mut out = StructWriter::<{ f::SIZE as usize }>::default();
    out.set(f::DEV, meta.dev)
        .set(f::INO, meta.ino.0)
        .set(f::FILETYPE, file_type(meta.kind).raw())
        .set(f::NLINK, meta.nlink)
        .set(f::SIZE_FIELD, meta.size)
        .set(f::ATIM, meta.atime)
        .set(f::MTIM, meta.mtime)
        .set(f::CTIM, meta.ctime);
    out.write_to(memory, ptr)?;
    Ok(())
}
