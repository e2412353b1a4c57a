//! The contract between the VFS and a filesystem type.

use crate::{DirEntry, FsError, FsStats, InodeId, Metadata, NewAttrs, NewNode, SetAttr};

/// A filesystem type: an inode store with named directory entries.
///
/// The VFS does every path walk, symlink, permission and mount decision; a
/// filesystem only answers questions about single inodes and single names.
/// Names passed in are one component: never empty, never containing `/` or
/// NUL; `lookup` also accepts `.` and `..` (`..` of the root is the root).
///
/// A filesystem is owned by the VFS behind `Rc<RefCell<_>>` ([`SharedFs`]),
/// so methods take `&mut self` and must not call back into the VFS.
///
/// Lifetime of inodes: a node lives while it has a link or an open handle.
/// `open`/`release` bracket each open file description, so an unlinked file
/// stays readable until its last description is closed.
pub trait FileSystem {
    /// A short type name for /proc/mounts ("memfs", "diskfs", "hostfs").
    fn type_name(&self) -> &'static str;

    /// The root directory's inode.
    fn root(&self) -> InodeId;

    /// Metadata of `ino` (`dev` is left 0; the VFS fills it in).
    /// Errors: NotFound if `ino` does not exist.
    fn stat(&mut self, ino: InodeId) -> Result<Metadata, FsError>;

    /// The inode named `name` in directory `dir`.
    /// Errors: NotFound, NotDir (dir is not a directory), Io.
    fn lookup(&mut self, dir: InodeId, name: &[u8]) -> Result<InodeId, FsError>;

    /// Creates `name` in `dir`, stamped with the current time.
    /// Errors: Exists, NotDir, NoSpace, NameTooLong, ReadOnly, Io.
    fn create(
        &mut self,
        dir: InodeId,
        name: &[u8],
        node: NewNode,
        attrs: NewAttrs,
    ) -> Result<InodeId, FsError>;

    /// Adds a hard link `name` in `dir` to the non-directory `ino`.
    /// Errors: Exists, NotDir, Perm (ino is a directory), TooManyLinks, ReadOnly, Io.
    fn link(&mut self, ino: InodeId, dir: InodeId, name: &[u8]) -> Result<(), FsError>;

    /// Removes the non-directory entry `name` from `dir`.
    /// Errors: NotFound, IsDir, NotDir, ReadOnly, Io.
    fn unlink(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError>;

    /// Removes the empty directory `name` from `dir`.
    /// Errors: NotFound, NotDir, NotEmpty, Invalid (name is `.`), ReadOnly, Io.
    fn rmdir(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError>;

    /// Renames with POSIX semantics: replaces an existing target atomically
    /// (a directory only by an empty directory), renaming onto itself is a no-op.
    /// Errors: NotFound, Exists/NotEmpty, IsDir, NotDir, Invalid (a directory
    /// into its own subtree), ReadOnly, Io.
    fn rename(
        &mut self,
        from_dir: InodeId,
        from_name: &[u8],
        to_dir: InodeId,
        to_name: &[u8],
    ) -> Result<(), FsError>;

    /// The target of the symlink `ino`.
    /// Errors: Invalid (not a symlink), Io.
    fn readlink(&mut self, ino: InodeId) -> Result<Vec<u8>, FsError>;

    /// Reads from a regular file at `offset`; 0 at or past the end.
    /// Errors: IsDir, Invalid (not a regular file), Io.
    fn read(&mut self, ino: InodeId, offset: u64, buf: &mut [u8]) -> Result<usize, FsError>;

    /// Writes to a regular file at `offset`, extending it (holes read as zeros);
    /// updates mtime and ctime. Returns the bytes written (all of them unless NoSpace).
    /// Errors: IsDir, Invalid, NoSpace, TooBig, ReadOnly, Io.
    fn write(&mut self, ino: InodeId, offset: u64, data: &[u8]) -> Result<usize, FsError>;

    /// Applies attribute changes (size only on regular files); updates ctime.
    /// Errors: Invalid (size on a non-regular file), NoSpace, ReadOnly, Io.
    fn set_attr(&mut self, ino: InodeId, changes: &SetAttr) -> Result<(), FsError>;

    /// Lists `dir` starting at `cookie` (0 = start), `.` and `..` first.
    /// Calls `sink` per entry until it returns false. Cookies stay valid while
    /// the directory changes: an entry present throughout is listed exactly once.
    /// Errors: NotDir, Io.
    fn readdir(
        &mut self,
        dir: InodeId,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError>;

    /// An open file description now refers to `ino`.
    fn open(&mut self, ino: InodeId);

    /// An open file description of `ino` was closed; frees the node if it has no links left.
    fn release(&mut self, ino: InodeId);

    /// Makes everything written so far durable.
    /// Errors: Io.
    fn sync(&mut self) -> Result<(), FsError>;

    /// Capacity figures.
    fn stats(&mut self) -> FsStats;

    /// When this filesystem next wants `flush_if_due` called, if it holds
    /// unflushed changes. Optional: filesystems that write through (memfs,
    /// hostfs) have nothing to flush.
    fn flush_deadline(&mut self) -> Option<wasmux_uapi::Timestamp> {
        None
    }

    /// A periodic flush: makes changes durable if they have waited long enough at `now`.
    /// Errors: Io.
    fn flush_if_due(&mut self, now: wasmux_uapi::Timestamp) -> Result<(), FsError> {
        let _ = now;
        Ok(())
    }
}

/// How the VFS holds a filesystem: shared by the mount table and open files.
pub type SharedFs = std::rc::Rc<std::cell::RefCell<dyn FileSystem>>;
