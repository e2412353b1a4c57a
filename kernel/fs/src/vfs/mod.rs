//! The VFS: the mount table and every path operation.
//!
//! Split by concern: this file holds the types and the mount table, `walk`
//! resolves paths, `perm` checks mode bits, `ops` implements the path
//! operations and `node_file` the [`File`](crate::File) of an opened node.

mod exec;
mod node_file;
mod ops;
mod perm;
mod walk;

use std::collections::HashMap;
use std::rc::Rc;

use wasmux_uapi::{FdFlags, Timestamp};

use crate::{Access, Clock, Cred, FileSystem, FsError, FsStats, InodeId, Metadata, Mode, SharedFs};

/// Longest path accepted, in bytes (also the longest symlink target).
pub const PATH_MAX: usize = 4096;

/// Longest name component, in bytes.
pub const NAME_MAX: usize = crate::tree::NAME_MAX;

/// How many symlinks one path walk may follow before failing with `Loop`.
pub const SYMLINK_MAX: u32 = 40;

/// A mounted filesystem's index in the mount table; `dev` of its nodes is derived from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MountId(pub u32);

impl MountId {
    /// The `st_dev` of nodes on this mount (never 0).
    pub fn dev(self) -> u64 {
        u64::from(self.0) + 1
    }
}

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
    /// Truncate a regular file to 0 (needs write permission).
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

impl OpenOptions {
    /// Open an existing node for reading, following a final symlink.
    pub const READ: OpenOptions = OpenOptions {
        access: Access::READ,
        create: false,
        exclusive: false,
        truncate: false,
        directory: false,
        follow: true,
        flags: FdFlags::empty(),
        mode: 0o644,
    };
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
    /// Errors: `NotSupported` for unknown numbers (ENODEV-like), Access.
    fn open(
        &self,
        kind: crate::NodeKind,
        rdev: u64,
        access: Access,
    ) -> Result<Box<dyn crate::File>, FsError>;
}

struct Mount {
    fs: SharedFs,
    root: InodeId,
    /// The directory it covers; `None` for the root mount.
    covers: Option<Location>,
    path: Vec<u8>,
    type_name: &'static str,
}

/// The mount table and path operations.
///
/// Every path operation takes a [`Walk`] (who asks, where relative paths
/// start, where `/` is, and whether the WASI capability confinement applies)
/// and a path of bytes. Paths are checked before anything is touched:
/// empty -> NotFound, a NUL byte -> Invalid, longer than [`PATH_MAX`] or a
/// component longer than [`NAME_MAX`] -> NameTooLong.
pub struct Vfs {
    clock: Rc<dyn Clock>,
    mounts: Vec<Mount>,
    /// Mount points: the covered directory -> the mount on top of it.
    covered: HashMap<Location, MountId>,
    devices: Option<Rc<dyn Devices>>,
}

impl core::fmt::Debug for Vfs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Vfs")
            .field("mounts", &self.mounts())
            .finish_non_exhaustive()
    }
}

/// Runs `f` on a filesystem, turning a re-entrant borrow into an error instead of a panic.
pub(crate) fn with_fs<R>(
    fs: &SharedFs,
    f: impl FnOnce(&mut dyn FileSystem) -> Result<R, FsError>,
) -> Result<R, FsError> {
    let mut fs = fs
        .try_borrow_mut()
        .map_err(|_| FsError::Io("filesystem re-entered".into()))?;
    f(&mut *fs)
}

impl Vfs {
    /// A VFS whose root mount (id 0) is `root`.
    pub fn new(root: SharedFs, clock: Rc<dyn Clock>) -> Vfs {
        let (root_ino, type_name) = root
            .try_borrow()
            .map(|fs| (fs.root(), fs.type_name()))
            .unwrap_or((InodeId(1), "unknown"));
        let mount = Mount {
            fs: root,
            root: root_ino,
            covers: None,
            path: b"/".to_vec(),
            type_name,
        };
        Vfs {
            clock,
            mounts: vec![mount],
            covered: HashMap::new(),
            devices: None,
        }
    }

    /// The root directory of the whole tree.
    pub fn root(&self) -> Location {
        let root = self.mounts.first().map_or(InodeId(1), |mount| mount.root);
        self.cross(Location {
            mount: MountId(0),
            ino: root,
        })
    }

    /// The wall clock the tree stamps times with, for objects outside it
    /// (pipes, sockets) to share.
    pub fn clock(&self) -> Rc<dyn Clock> {
        self.clock.clone()
    }

    /// The clock's current time (how the WASI layer resolves "now" for `set_attr`).
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Mounts `fs` over the directory `at`, which it hides until unmounted.
    /// Errors: NotFound (bad location), NotDir, Busy (`at` is already a mount point).
    pub fn mount(&mut self, at: Location, fs: SharedFs) -> Result<MountId, FsError> {
        if self.covered.contains_key(&at) {
            return Err(FsError::Busy);
        }
        if self.stat(at)?.kind != crate::NodeKind::Directory {
            return Err(FsError::NotDir);
        }
        let path = self.path_of(at)?;
        let (root, type_name) = {
            let fs = fs.try_borrow().map_err(|_| FsError::Busy)?;
            (fs.root(), fs.type_name())
        };
        let id = MountId(u32::try_from(self.mounts.len()).map_err(|_| FsError::NoSpace)?);
        self.mounts.push(Mount {
            fs,
            root,
            covers: Some(at),
            path,
            type_name,
        });
        self.covered.insert(at, id);
        Ok(id)
    }

    /// The mount table, root first.
    pub fn mounts(&self) -> Vec<MountInfo> {
        self.mounts
            .iter()
            .enumerate()
            .map(|(index, mount)| MountInfo {
                id: MountId(index as u32),
                path: mount.path.clone(),
                type_name: mount.type_name,
            })
            .collect()
    }

    /// Sets the driver table that device nodes open through.
    pub fn set_devices(&mut self, devices: Rc<dyn Devices>) {
        self.devices = Some(devices);
    }

    fn mount_entry(&self, id: MountId) -> Result<&Mount, FsError> {
        self.mounts.get(id.0 as usize).ok_or(FsError::NotFound)
    }

    /// The filesystem of a mount.
    /// Errors: NotFound for an unknown mount.
    pub fn filesystem(&self, id: MountId) -> Result<SharedFs, FsError> {
        Ok(self.mount_entry(id)?.fs.clone())
    }

    /// Runs `f` on the filesystem holding `at`.
    fn call<R>(
        &self,
        mount: MountId,
        f: impl FnOnce(&mut dyn FileSystem) -> Result<R, FsError>,
    ) -> Result<R, FsError> {
        with_fs(&self.mount_entry(mount)?.fs, f)
    }

    /// Follows mount points downwards: a covered directory becomes the root of what covers it.
    fn cross(&self, mut at: Location) -> Location {
        for _ in 0..=self.mounts.len() {
            match self
                .covered
                .get(&at)
                .and_then(|&id| Some((id, self.mounts.get(id.0 as usize)?)))
            {
                Some((id, mount)) => {
                    at = Location {
                        mount: id,
                        ino: mount.root,
                    }
                }
                None => break,
            }
        }
        at
    }

    /// Whether `at` is the root directory of its mount.
    fn is_mount_root(&self, at: Location) -> bool {
        self.mount_entry(at.mount)
            .is_ok_and(|mount| mount.root == at.ino)
    }

    /// Metadata of a node, `dev` filled from its mount.
    /// Errors: NotFound, Io.
    pub fn stat(&mut self, at: Location) -> Result<Metadata, FsError> {
        let mut meta = self.call(at.mount, |fs| fs.stat(at.ino))?;
        meta.dev = at.mount.dev();
        Ok(meta)
    }

    /// Capacity figures of the filesystem holding `at` (statvfs).
    /// Errors: NotFound for an unknown mount, Io.
    pub fn stats(&mut self, at: Location) -> Result<FsStats, FsError> {
        self.call(at.mount, |fs| Ok(fs.stats()))
    }

    /// The absolute path of a directory, as seen from the VFS root (/proc).
    /// Errors: NotFound if the directory was removed, Io.
    pub fn path_of(&mut self, at: Location) -> Result<Vec<u8>, FsError> {
        let root = self.root();
        self.path_from(root, at)
    }

    /// The absolute path of a directory as seen from `root`, a process's
    /// root directory (getcwd). A directory outside `root` gets its path
    /// from the VFS root.
    /// Errors: NotFound if the directory was removed, Io.
    pub fn path_from(&mut self, root: Location, at: Location) -> Result<Vec<u8>, FsError> {
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut here = at;
        let mut total = 0usize;
        loop {
            if here == root {
                break;
            }
            // Climb out of mount roots to the directories they cover.
            for _ in 0..=self.mounts.len() {
                match self.mount_entry(here.mount)?.covers {
                    Some(covered) if self.is_mount_root(here) => here = covered,
                    _ => break,
                }
            }
            if here == root || self.is_mount_root(here) {
                break;
            }
            let parent = Location {
                mount: here.mount,
                ino: self.call(here.mount, |fs| fs.lookup(here.ino, b".."))?,
            };
            if parent == here {
                break;
            }
            let mut found = None;
            self.call(here.mount, |fs| {
                fs.readdir(parent.ino, 2, &mut |entry| {
                    if entry.ino == here.ino && entry.name != b"." && entry.name != b".." {
                        found = Some(entry.name);
                        return false;
                    }
                    true
                })
            })?;
            let name = found.ok_or(FsError::NotFound)?;
            total = total.saturating_add(name.len() + 1);
            if total > PATH_MAX {
                return Err(FsError::NameTooLong);
            }
            names.push(name);
            here = parent;
        }
        if names.is_empty() {
            return Ok(b"/".to_vec());
        }
        let mut path = Vec::with_capacity(total);
        for name in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(name);
        }
        Ok(path)
    }

    /// Makes every mounted filesystem durable; returns the first error after trying all.
    /// Errors: Io.
    pub fn sync_all(&mut self) -> Result<(), FsError> {
        let mut result = Ok(());
        for mount in &self.mounts {
            let synced = with_fs(&mount.fs, |fs| fs.sync());
            if result.is_ok() {
                result = synced;
            }
        }
        result
    }

    /// The earliest time a filesystem wants [`Vfs::flush_if_due`] called (a periodic flush).
    pub fn flush_deadline(&self) -> Option<Timestamp> {
        self.mounts
            .iter()
            .filter_map(|mount| {
                mount
                    .fs
                    .try_borrow_mut()
                    .ok()
                    .and_then(|mut fs| fs.flush_deadline())
            })
            .min()
    }

    /// Lets each filesystem flush what is due at the clock's current time.
    /// Errors: Io (the first one; every mount is tried).
    pub fn flush_if_due(&mut self) -> Result<(), FsError> {
        let now = self.clock.now();
        let mut result = Ok(());
        for mount in &self.mounts {
            let flushed = with_fs(&mount.fs, |fs| fs.flush_if_due(now));
            if result.is_ok() {
                result = flushed;
            }
        }
        result
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
