//! The VFS: the mount table and every path operation.
//!
//! API SKELETON: the signatures are the contract; the bodies are being written.

use std::rc::Rc;

use wasmux_uapi::{FdFlags, Timestamp};

use crate::{Access, Clock, Cred, FsError, InodeId, Metadata, Mode, OpenFile, SetAttr, SharedFs};

/// A mounted filesystem's index in the mount table; `dev` of its nodes is derived from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MountId(pub u32);

/// A node in the whole tree: which mount, which inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub mount: MountId,
    pub ino: InodeId,
}

/// Where a path walk starts and how far it may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walk {
    /// Whose permissions apply.
    pub cred: Cred,
    /// Where relative paths start (the `*at` directory).
    pub base: Location,
    /// The process's root: where absolute paths start and where `..` stops.
    pub root: Location,
    /// WASI capability semantics: absolute paths, and `..` or symlinks that
    /// would leave `base`'s subtree, fail with `Escape`. When false, POSIX
    /// semantics relative to `root`.
    pub confine: bool,
}

/// How to open a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    pub access: Access,
    /// Create a regular file if the name does not exist.
    pub create: bool,
    /// With `create`: fail with Exists if it does.
    pub exclusive: bool,
    /// Truncate a regular file to 0 (needs write access).
    pub truncate: bool,
    /// Fail with NotDir unless the result is a directory.
    pub directory: bool,
    /// Follow a symlink in the final component (else opening one fails with Loop).
    pub follow: bool,
    /// Status flags of the new description.
    pub flags: FdFlags,
    /// Permission bits for a created file (before any umask the caller applied).
    pub mode: Mode,
}

/// One line of /proc/mounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountInfo {
    pub id: MountId,
    pub path: Vec<u8>,
    pub type_name: &'static str,
}

/// Opens device nodes: the VFS knows their numbers, drivers know what they are.
pub trait Devices {
    /// An object for the device `rdev` of `kind` (CharDevice or BlockDevice).
    /// Errors: NoDev-like `NotSupported` for unknown numbers.
    fn open(&self, kind: crate::NodeKind, rdev: u64, access: Access) -> Result<Box<dyn crate::File>, FsError>;
}

/// The mount table and path operations.
pub struct Vfs {
    _clock: Rc<dyn Clock>,
}

#[allow(unused_variables, clippy::missing_panics_doc)]
impl Vfs {
    pub fn new(root: SharedFs, clock: Rc<dyn Clock>) -> Vfs {
        unimplemented!()
    }
    pub fn root(&self) -> Location {
        unimplemented!()
    }
    pub fn now(&self) -> Timestamp {
        unimplemented!()
    }
    pub fn mount(&mut self, at: Location, fs: SharedFs) -> Result<MountId, FsError> {
        unimplemented!()
    }
    pub fn mounts(&self) -> Vec<MountInfo> {
        unimplemented!()
    }
    pub fn set_devices(&mut self, devices: Rc<dyn Devices>) {
        unimplemented!()
    }
    pub fn resolve(&mut self, walk: &Walk, path: &[u8], follow: bool) -> Result<Location, FsError> {
        unimplemented!()
    }
    pub fn stat(&mut self, at: Location) -> Result<Metadata, FsError> {
        unimplemented!()
    }
    pub fn stat_path(&mut self, walk: &Walk, path: &[u8], follow: bool) -> Result<Metadata, FsError> {
        unimplemented!()
    }
    pub fn open(&mut self, walk: &Walk, path: &[u8], options: &OpenOptions) -> Result<OpenFile, FsError> {
        unimplemented!()
    }
    pub fn open_location(&mut self, at: Location, access: Access, flags: FdFlags) -> Result<OpenFile, FsError> {
        unimplemented!()
    }
    pub fn mkdir(&mut self, walk: &Walk, path: &[u8], mode: Mode) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn symlink(&mut self, target: &[u8], walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn link(&mut self, from: &Walk, from_path: &[u8], follow: bool, to: &Walk, to_path: &[u8]) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn unlink(&mut self, walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn rmdir(&mut self, walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn rename(&mut self, from: &Walk, from_path: &[u8], to: &Walk, to_path: &[u8]) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn readlink(&mut self, walk: &Walk, path: &[u8]) -> Result<Vec<u8>, FsError> {
        unimplemented!()
    }
    pub fn set_attr_path(&mut self, walk: &Walk, path: &[u8], follow: bool, changes: &SetAttr) -> Result<(), FsError> {
        unimplemented!()
    }
    pub fn sync_all(&mut self) -> Result<(), FsError> {
        unimplemented!()
    }
}
