//! The [`File`] of an opened VFS node: regular files, directories, and
//! symlinks opened with no access.
//!
//! Opening brackets the description with `FileSystem::open`/`release`, so a
//! file unlinked while open keeps its data until the last description goes.
//! Reads do not update atime (the whole VFS behaves as mounted `noatime`);
//! writes update mtime and ctime in the filesystem.

use crate::vfs::with_fs;
use crate::{
    DirEntry, File, FsError, Location, Metadata, NodeKind, Readiness, SetAttr, SharedFs, WritePos,
};

pub(crate) struct NodeFile {
    fs: SharedFs,
    at: Location,
    kind: NodeKind,
}

impl core::fmt::Debug for NodeFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodeFile")
            .field("at", &self.at)
            .field("kind", &self.kind)
            .finish()
    }
}

impl NodeFile {
    pub(crate) fn open(fs: SharedFs, at: Location, kind: NodeKind) -> NodeFile {
        if let Ok(mut inner) = fs.try_borrow_mut() {
            inner.open(at.ino);
        }
        NodeFile { fs, at, kind }
    }
}

impl Drop for NodeFile {
    fn drop(&mut self) {
        // A filesystem busy at this point (never, in a single-threaded
        // kernel that does not drop files from inside a filesystem call)
        // would only keep an unlinked node's data alive.
        if let Ok(mut fs) = self.fs.try_borrow_mut() {
            fs.release(self.at.ino);
        }
    }
}

impl File for NodeFile {
    fn stat(&self) -> Result<Metadata, FsError> {
        let mut meta = with_fs(&self.fs, |fs| fs.stat(self.at.ino))?;
        meta.dev = self.at.mount.dev();
        Ok(meta)
    }

    /// Regular files and directories are seekable; for a directory the
    /// offset means nothing (WASI lists directories by cookie).
    fn is_seekable(&self) -> bool {
        true
    }

    fn read(&self, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        match self.kind {
            NodeKind::Regular => with_fs(&self.fs, |fs| fs.read(self.at.ino, offset, buf)),
            NodeKind::Directory => Err(FsError::IsDir),
            _ => Err(FsError::BadAccess),
        }
    }

    fn write(&self, pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        match self.kind {
            NodeKind::Regular => {}
            NodeKind::Directory => return Err(FsError::IsDir),
            _ => return Err(FsError::BadAccess),
        }
        with_fs(&self.fs, |fs| {
            let offset = match pos {
                WritePos::At(offset) => offset,
                WritePos::Append => fs.stat(self.at.ino)?.size,
            };
            offset
                .checked_add(data.len() as u64)
                .ok_or(FsError::TooBig)?;
            let count = fs.write(self.at.ino, offset, data)?;
            Ok((count, offset.saturating_add(count as u64)))
        })
    }

    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        with_fs(&self.fs, |fs| fs.set_attr(self.at.ino, changes))
    }

    fn sync(&self) -> Result<(), FsError> {
        with_fs(&self.fs, |fs| fs.sync())
    }

    fn poll(&self) -> Readiness {
        Readiness::ALWAYS
    }

    fn readdir(&self, cookie: u64, sink: &mut dyn FnMut(DirEntry) -> bool) -> Result<(), FsError> {
        if self.kind != NodeKind::Directory {
            return Err(FsError::NotDir);
        }
        with_fs(&self.fs, |fs| fs.readdir(self.at.ino, cookie, sink))
    }

    fn location(&self) -> Option<Location> {
        Some(self.at)
    }
}
