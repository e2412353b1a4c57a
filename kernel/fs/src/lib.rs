//! The Wasmux virtual filesystem: one tree of mounts over interchangeable
//! filesystem types.
#![forbid(unsafe_code)]

mod error;
mod file;
mod filesystem;
mod node;
mod vfs;

pub use error::FsError;
pub use file::{Access, File, OpenFile, Readiness, SeekFrom, WritePos};
pub use filesystem::{FileSystem, SharedFs};
pub use node::{Clock, Cred, DirEntry, FsStats, InodeId, Metadata, Mode, NewAttrs, NewNode, NodeKind, SetAttr};
pub use vfs::{Devices, Location, MountId, MountInfo, OpenOptions, Vfs, Walk};
