//! Path operations: open, create, link, remove, rename, attributes.
//!
//! Each follows Linux's `*at` system calls for its errors, including the
//! trailing-slash rules: a trailing slash requires a directory (`open("f/")`
//! and `unlink("f/")` are NotDir), is allowed when creating or removing a
//! directory (`mkdir("d/")`, `rmdir("d/")`), and when creating a symlink or a
//! hard link is NotFound for a new name.

use wasmux_uapi::FdFlags;

use super::node_file::NodeFile;
use super::perm::{self, READ, SEARCH, WRITE};
use super::walk::{Final, Walked};
use super::{OpenOptions, PATH_MAX};
use crate::{
    Access, FsError, Location, Metadata, Mode, NewAttrs, NewNode, NodeKind, OpenFile, SetAttr, Vfs,
    Walk,
};

impl Vfs {
    /// Checks write and search permission on `dir` for adding or removing entries.
    fn check_dir_write(&mut self, walk: &Walk, dir: Location) -> Result<Metadata, FsError> {
        let meta = self.stat(dir)?;
        perm::check(&meta, walk.cred, WRITE | SEARCH)?;
        Ok(meta)
    }

    /// Creates the final name of `walked` (which must not exist) as `node`.
    fn create_at(
        &mut self,
        walk: &Walk,
        walked: &Walked,
        node: NewNode,
        mode: Mode,
    ) -> Result<Location, FsError> {
        let dir_meta = self.check_dir_write(walk, walked.parent)?;
        let (gid, inherited) = perm::new_node_group(&dir_meta, walk.cred);
        let inherited = if matches!(node, NewNode::Directory) {
            inherited
        } else {
            0
        };
        let attrs = NewAttrs {
            mode: (mode & 0o7777) | inherited,
            uid: walk.cred.uid,
            gid,
        };
        let parent = walked.parent;
        let ino = self.call(parent.mount, |fs| {
            fs.create(parent.ino, &walked.name, node, attrs)
        })?;
        Ok(Location {
            mount: parent.mount,
            ino,
        })
    }

    /// Opens (and with `create`, creates) a path, as POSIX `openat` does.
    ///
    /// Errors: NotFound, Exists (create + exclusive), IsDir (a directory opened
    /// for writing or with create), NotDir (`directory` on a non-directory, or a
    /// trailing slash), Loop (a final symlink without `follow`), Access,
    /// NotSupported (fifos and sockets; devices without a [`Devices`](crate::Devices)),
    /// Escape, NameTooLong, Invalid, Io.
    pub fn open(
        &mut self,
        walk: &Walk,
        path: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenFile, FsError> {
        let walked = self.walk_path(
            walk,
            path,
            if options.follow {
                Final::Follow
            } else {
                Final::NoFollow
            },
        )?;
        let at = match walked.node {
            Some(at) => {
                if options.create && options.exclusive {
                    return Err(FsError::Exists);
                }
                let meta = self.stat(at)?;
                match meta.kind {
                    NodeKind::Symlink => return Err(FsError::Loop),
                    NodeKind::Directory if options.create || options.access.write => {
                        return Err(FsError::IsDir);
                    }
                    NodeKind::Directory => {}
                    _ if options.directory || walked.trailing_slash => return Err(FsError::NotDir),
                    _ => {}
                }
                let mut want = 0;
                if options.access.read {
                    want |= READ;
                }
                if options.access.write || (options.truncate && meta.kind == NodeKind::Regular) {
                    want |= WRITE;
                }
                perm::check(&meta, walk.cred, want)?;
                if options.truncate && meta.kind == NodeKind::Regular && meta.size != 0 {
                    let truncate = SetAttr {
                        size: Some(0),
                        ..SetAttr::default()
                    };
                    self.call(at.mount, |fs| fs.set_attr(at.ino, &truncate))?;
                }
                at
            }
            None if !options.create => return Err(FsError::NotFound),
            None if walked.trailing_slash => return Err(FsError::IsDir),
            None if options.directory => return Err(FsError::Invalid),
            None => self.create_at(walk, &walked, NewNode::Regular, options.mode)?,
        };
        self.open_location(at, options.access, options.flags)
    }

    /// Opens a node already resolved, without permission checks (re-opening
    /// preopens and `/proc/self/fd` entries). A symlink opens only with no
    /// access (like `O_PATH`), a directory only for reading.
    /// Errors: Loop (symlink with access), IsDir (directory for writing),
    /// NotSupported (fifo, socket, device without a driver table), NotFound, Io.
    pub fn open_location(
        &mut self,
        at: Location,
        access: Access,
        flags: FdFlags,
    ) -> Result<OpenFile, FsError> {
        let meta = self.stat(at)?;
        let file: Box<dyn crate::File> = match meta.kind {
            NodeKind::Symlink if access != Access::NONE => return Err(FsError::Loop),
            NodeKind::Directory if access.write => return Err(FsError::IsDir),
            NodeKind::CharDevice | NodeKind::BlockDevice => {
                let devices = self.devices.clone().ok_or(FsError::NotSupported)?;
                devices.open(meta.kind, meta.rdev, access)?
            }
            NodeKind::Fifo | NodeKind::Socket => return Err(FsError::NotSupported),
            kind => Box::new(NodeFile::open(self.filesystem(at.mount)?, at, kind)),
        };
        Ok(OpenFile::new(file, access, flags))
    }

    /// Creates a directory. A trailing slash is allowed.
    /// Errors: Exists (also for `.` and `..`), NotFound (a parent missing), NotDir, Access, NoSpace, Io.
    pub fn mkdir(&mut self, walk: &Walk, path: &[u8], mode: Mode) -> Result<(), FsError> {
        let walked = self.walk_path(walk, path, Final::Keep)?;
        if walked.node.is_some() {
            return Err(FsError::Exists);
        }
        self.create_at(walk, &walked, NewNode::Directory, mode)
            .map(drop)
    }

    /// Creates any node (mknod: devices, fifos; or regular files and directories).
    /// Errors: as [`Vfs::mkdir`]; Perm for device nodes created by non-root.
    pub fn mknod(
        &mut self,
        walk: &Walk,
        path: &[u8],
        node: crate::NewNode,
        mode: Mode,
    ) -> Result<(), FsError> {
        if matches!(node, NewNode::Device { .. }) && walk.cred.uid != 0 {
            return Err(FsError::Perm);
        }
        let walked = self.walk_path(walk, path, Final::Keep)?;
        if walked.node.is_some() {
            return Err(FsError::Exists);
        }
        if walked.trailing_slash && !matches!(node, NewNode::Directory) {
            return Err(FsError::NotFound);
        }
        self.create_at(walk, &walked, node, mode).map(drop)
    }

    /// Checks the final name for creating a non-directory: it must not exist,
    /// and a trailing slash on a new name is NotFound (Linux).
    fn check_new_name(&mut self, walked: &Walked) -> Result<(), FsError> {
        match walked.node {
            Some(node) if walked.trailing_slash && !walked.is_dot() => {
                match self.stat(node)?.kind {
                    NodeKind::Directory | NodeKind::Symlink => Err(FsError::Exists),
                    _ => Err(FsError::NotDir),
                }
            }
            Some(_) => Err(FsError::Exists),
            None if walked.trailing_slash => Err(FsError::NotFound),
            None => Ok(()),
        }
    }

    /// Creates a symlink at `path` pointing to `target` (stored as given).
    /// Errors: Exists, NotFound (empty target, missing parent, or a trailing
    /// slash on a new name), NotDir, NameTooLong, Invalid (NUL in target), Access, Io.
    pub fn symlink(&mut self, target: &[u8], walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        if target.is_empty() {
            return Err(FsError::NotFound);
        }
        if target.contains(&0) {
            return Err(FsError::Invalid);
        }
        if target.len() > PATH_MAX {
            return Err(FsError::NameTooLong);
        }
        let walked = self.walk_path(walk, path, Final::Keep)?;
        self.check_new_name(&walked)?;
        let node = NewNode::Symlink {
            target: target.to_vec(),
        };
        self.create_at(walk, &walked, node, 0o777).map(drop)
    }

    /// Creates a hard link `to_path` to the node at `from_path` (a final
    /// symlink followed only with `follow`).
    /// Errors: Perm (a directory), Exists, NotFound, CrossDevice, Access, TooManyLinks, Io.
    pub fn link(
        &mut self,
        from: &Walk,
        from_path: &[u8],
        follow: bool,
        to: &Walk,
        to_path: &[u8],
    ) -> Result<(), FsError> {
        let source = self.resolve(from, from_path, follow)?;
        if self.stat(source)?.kind == NodeKind::Directory {
            return Err(FsError::Perm);
        }
        let walked = self.walk_path(to, to_path, Final::Keep)?;
        self.check_new_name(&walked)?;
        if walked.parent.mount != source.mount {
            return Err(FsError::CrossDevice);
        }
        self.check_dir_write(to, walked.parent)?;
        let parent = walked.parent;
        self.call(parent.mount, |fs| {
            fs.link(source.ino, parent.ino, &walked.name)
        })
    }

    /// Checks removal of the existing final name of `walked` and returns its metadata.
    fn check_remove(&mut self, walk: &Walk, walked: &Walked) -> Result<Metadata, FsError> {
        let node = walked.node.ok_or(FsError::NotFound)?;
        let meta = self.stat(node)?;
        let dir_meta = self.check_dir_write(walk, walked.parent)?;
        perm::check_sticky(&dir_meta, &meta, walk.cred)?;
        Ok(meta)
    }

    /// Removes a non-directory name.
    /// Errors: NotFound, IsDir (a directory, `.` or `..`), NotDir (trailing slash on a
    /// non-directory), Access, Perm (sticky directory), Io.
    pub fn unlink(&mut self, walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        let walked = self.walk_path(walk, path, Final::Keep)?;
        if walked.is_dot() {
            return Err(FsError::IsDir);
        }
        let node = walked.node.ok_or(FsError::NotFound)?;
        match self.stat(node)?.kind {
            NodeKind::Directory => return Err(FsError::IsDir),
            _ if walked.trailing_slash => return Err(FsError::NotDir),
            _ => {}
        }
        self.check_remove(walk, &walked)?;
        let parent = walked.parent;
        self.call(parent.mount, |fs| fs.unlink(parent.ino, &walked.name))
    }

    /// Removes an empty directory. A trailing slash is allowed.
    /// Errors: NotFound, NotDir, NotEmpty (also `..`), Invalid (`.`), Busy (a mount point), Access, Perm, Io.
    pub fn rmdir(&mut self, walk: &Walk, path: &[u8]) -> Result<(), FsError> {
        let walked = self.walk_path(walk, path, Final::Keep)?;
        match walked.name.as_slice() {
            b"." => return Err(FsError::Invalid),
            b".." => return Err(FsError::NotEmpty),
            _ => {}
        }
        let node = walked.node.ok_or(FsError::NotFound)?;
        if self.stat(node)?.kind != NodeKind::Directory {
            return Err(FsError::NotDir);
        }
        if walked.is_mount(self) {
            return Err(FsError::Busy);
        }
        self.check_remove(walk, &walked)?;
        let parent = walked.parent;
        self.call(parent.mount, |fs| fs.rmdir(parent.ino, &walked.name))
    }

    /// Renames with POSIX semantics (an existing target is replaced atomically;
    /// trailing slashes are allowed on directories only).
    /// Errors: NotFound, Busy (`.`/`..`, mount points), CrossDevice, NotDir, IsDir,
    /// NotEmpty, Invalid (a directory into its own subtree), Access, Perm, Io.
    pub fn rename(
        &mut self,
        from: &Walk,
        from_path: &[u8],
        to: &Walk,
        to_path: &[u8],
    ) -> Result<(), FsError> {
        let source = self.walk_path(from, from_path, Final::Keep)?;
        let target = self.walk_path(to, to_path, Final::Keep)?;
        if source.is_dot() || target.is_dot() {
            return Err(FsError::Busy);
        }
        let node = source.node.ok_or(FsError::NotFound)?;
        if source.parent.mount != target.parent.mount {
            return Err(FsError::CrossDevice);
        }
        if source.is_mount(self) || target.is_mount(self) {
            return Err(FsError::Busy);
        }
        let meta = self.stat(node)?;
        let is_dir = meta.kind == NodeKind::Directory;
        if !is_dir && (source.trailing_slash || target.trailing_slash) {
            return Err(FsError::NotDir);
        }
        self.check_remove(from, &source)?;
        let to_dir = self.check_dir_write(to, target.parent)?;
        if let Some(existing) = target.node {
            let existing = self.stat(existing)?;
            perm::check_sticky(&to_dir, &existing, to.cred)?;
        }
        if is_dir && source.parent != target.parent {
            // The directory's `..` entry changes.
            perm::check(&meta, from.cred, WRITE)?;
        }
        let mount = source.parent.mount;
        self.call(mount, |fs| {
            fs.rename(
                source.parent.ino,
                &source.name,
                target.parent.ino,
                &target.name,
            )
        })
    }

    /// The target of the symlink at `path`.
    /// Errors: Invalid (not a symlink), NotFound, NotDir, Access, Escape, Io.
    pub fn readlink(&mut self, walk: &Walk, path: &[u8]) -> Result<Vec<u8>, FsError> {
        let walked = self.walk_path(walk, path, Final::NoFollow)?;
        let node = walked.node.ok_or(FsError::NotFound)?;
        self.call(node.mount, |fs| fs.readlink(node.ino))
    }

    /// Changes attributes of the node at `path` (truncate, chmod, chown, utimes).
    /// Errors: as [`Vfs::resolve`]; Perm (not the owner; chown by non-root),
    /// Access (size without write permission), IsDir/Invalid (size on a non-regular file), Io.
    pub fn set_attr_path(
        &mut self,
        walk: &Walk,
        path: &[u8],
        follow: bool,
        changes: &SetAttr,
    ) -> Result<(), FsError> {
        let at = self.resolve(walk, path, follow)?;
        self.set_attr(at, walk.cred, changes)
    }

    /// Changes attributes of the node `at` for `cred` (fchmod, fchown).
    /// Errors: as [`Vfs::set_attr_path`] after the walk.
    pub fn set_attr(
        &mut self,
        at: Location,
        cred: crate::Cred,
        changes: &SetAttr,
    ) -> Result<(), FsError> {
        let meta = self.stat(at)?;
        perm::check_set_attr(&meta, cred, changes)?;
        self.call(at.mount, |fs| fs.set_attr(at.ino, changes))
    }
}
