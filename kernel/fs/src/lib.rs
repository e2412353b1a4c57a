//! The Wasmux virtual filesystem: one tree of mounts over interchangeable
//! filesystem types.
#![forbid(unsafe_code)]

pub mod clock;
mod error;
mod file;
mod filesystem;
pub mod memfs;
mod node;
mod tree;
mod vfs;

pub use clock::FakeClock;
pub use error::FsError;
pub use file::{Access, File, OpenFile, Readiness, SeekFrom, WritePos};
pub use filesystem::{FileSystem, SharedFs};
pub use memfs::MemFs;
pub use node::{
    Clock, Cred, DirEntry, FsStats, InodeId, Metadata, Mode, NewAttrs, NewNode, NodeKind, SetAttr,
};
pub use vfs::{
    Devices, Location, MountId, MountInfo, NAME_MAX, OpenOptions, PATH_MAX, SYMLINK_MAX, Vfs, Walk,
};
