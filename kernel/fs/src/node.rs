//! Plain data describing nodes: kinds, metadata, directory entries, attribute changes.

use wasmux_uapi::Timestamp;

/// An inode number, unique within one filesystem instance and never reused
/// while the node exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InodeId(pub u64);

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// The permission bits and the type bits of `st_mode`, split.
pub type Mode = u32;

/// Everything `stat` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Device id of the mount holding the node; filled in by the VFS.
    pub dev: u64,
    pub ino: InodeId,
    pub kind: NodeKind,
    /// Permission bits (0o7777 at most).
    pub mode: Mode,
    pub nlink: u64,
    pub uid: u32,
    pub gid: u32,
    /// Bytes for regular files, target length for symlinks, entry count or 0 for directories.
    pub size: u64,
    /// Device number for device nodes, else 0.
    pub rdev: u64,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
}

/// A node to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewNode {
    Regular,
    Directory,
    Symlink { target: Vec<u8> },
    Device { kind: NodeKind, rdev: u64 },
    Fifo,
}

/// Owner and mode of a node being created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewAttrs {
    pub mode: Mode,
    pub uid: u32,
    pub gid: u32,
}

/// Attribute changes; `None` leaves a field alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetAttr {
    /// Truncate or extend (with zeros) a regular file.
    pub size: Option<u64>,
    pub mode: Option<Mode>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub atime: Option<Timestamp>,
    pub mtime: Option<Timestamp>,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The cookie that resumes the listing just after this entry.
    pub next: u64,
    pub ino: InodeId,
    pub kind: NodeKind,
    pub name: Vec<u8>,
}

/// Capacity figures for `df`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FsStats {
    pub block_size: u64,
    pub total_blocks: u64,
    pub free_blocks: u64,
    pub files: u64,
}

/// Who is asking: the VFS checks mode bits against it; uid 0 passes every check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
}

impl Cred {
    pub const ROOT: Cred = Cred { uid: 0, gid: 0 };
}

/// The wall clock filesystems stamp times with.
///
/// A host service: the kernel passes the platform's clock, tests a fake.
pub trait Clock {
    /// Nanoseconds since the Unix epoch.
    fn now(&self) -> Timestamp;
}
