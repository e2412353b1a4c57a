//! The synthetic inode of an IPC object: what `stat` shows and `fchmod`,
//! `fchown` and `futimens` change.

use wasmux_fs::{FsError, InodeId, Metadata, Mode, NodeKind, SetAttr};
use wasmux_uapi::Timestamp;

use crate::WaitKey;

/// Owner, mode and times of an IPC object (its size is what is buffered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Attrs {
    pub(crate) mode: Mode,
    pub(crate) nlink: u64,
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) atime: Timestamp,
    pub(crate) mtime: Timestamp,
    pub(crate) ctime: Timestamp,
}

impl Attrs {
    /// A fresh anonymous object owned by root (the kernel can `set_attr` the
    /// caller's ids), stamped `now`.
    pub(crate) fn new(mode: Mode, now: Timestamp) -> Attrs {
        Attrs {
            mode,
            nlink: 1,
            uid: 0,
            gid: 0,
            atime: now,
            mtime: now,
            ctime: now,
        }
    }

    /// The attributes of a filesystem node (a named FIFO).
    pub(crate) fn of_node(node: &Metadata) -> Attrs {
        Attrs {
            mode: node.mode,
            nlink: node.nlink,
            uid: node.uid,
            gid: node.gid,
            atime: node.atime,
            mtime: node.mtime,
            ctime: node.ctime,
        }
    }

    /// Applies `changes`; ctime becomes `now`.
    /// Errors: Invalid (a size: IPC objects cannot be truncated).
    pub(crate) fn apply(&mut self, changes: &SetAttr, now: Timestamp) -> Result<(), FsError> {
        if changes.size.is_some() {
            return Err(FsError::Invalid);
        }
        if let Some(mode) = changes.mode {
            self.mode = mode & 0o7777;
        }
        if let Some(uid) = changes.uid {
            self.uid = uid;
        }
        if let Some(gid) = changes.gid {
            self.gid = gid;
        }
        if let Some(atime) = changes.atime {
            self.atime = atime;
        }
        if let Some(mtime) = changes.mtime {
            self.mtime = mtime;
        }
        self.ctime = now;
        Ok(())
    }

    pub(crate) fn metadata(&self, key: WaitKey, kind: NodeKind, size: usize) -> Metadata {
        Metadata {
            dev: key.dev,
            ino: InodeId(key.ino),
            kind,
            mode: self.mode,
            nlink: self.nlink,
            uid: self.uid,
            gid: self.gid,
            size: size as u64,
            rdev: 0,
            atime: self.atime,
            mtime: self.mtime,
            ctime: self.ctime,
        }
    }
}
