//! The Wasmux virtual filesystem: one tree of mounts over interchangeable
//! filesystem types.
#![forbid(unsafe_code)]

pub mod clock;
pub mod diskfs;
mod error;
mod file;
mod filesystem;
#[cfg(all(unix, not(target_arch = "wasm32")))]
pub mod hostfs;
pub mod memfs;
#[cfg(test)]
mod model_tests;
mod node;
mod tree;
mod vfs;

pub use clock::FakeClock;
pub use diskfs::{BlockStore, DiskError, DiskFs, DiskOptions, MemoryStore, StoreError};
pub use error::FsError;
pub use file::{Access, File, OpenFile, Readiness, SeekFrom, WritePos};
pub use filesystem::{FileSystem, SharedFs};
#[cfg(all(unix, not(target_arch = "wasm32")))]
pub use hostfs::HostFs;
pub use memfs::MemFs;
pub use node::{
    Clock, Cred, DirEntry, FsStats, InodeId, Metadata, Mode, NewAttrs, NewNode, NodeKind, SetAttr,
};
pub use vfs::{
    Devices, Location, MountId, MountInfo, NAME_MAX, OpenOptions, PATH_MAX, SYMLINK_MAX, Vfs, Walk,
};
