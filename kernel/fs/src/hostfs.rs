//! hostfs: a host directory mounted into the tree (`wasmux run --dir HOST::GUEST`).
//!
//! Native only. The VFS walks paths itself, one `lookup` at a time, and
//! resolves symlinks with `readlink`; hostfs therefore never lets the host
//! follow a symlink: nodes are examined with `lstat`, files are opened with
//! `O_NOFOLLOW`, and `..` of the mounted directory is itself, so no path can
//! reach outside it. (Known limit: a host process that swaps a directory for
//! a symlink between two lookups could redirect a later operation; closing
//! that race needs `openat` on directory handles.)
//!
//! Inode numbers are the host's `st_ino`; the VFS gives `dev`. Readdir lists
//! the host directory sorted by name, cookie = index + 2 after `.` and `..`:
//! stable while the directory does not change, which is what the WASI
//! testsuite needs. File contents go through a host handle opened when the
//! VFS opens the node, so unlinked open files keep working.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, File};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::{
    DirEntry, FileSystem, FsError, FsStats, InodeId, Metadata, NewAttrs, NewNode, NodeKind, SetAttr,
};

/// Maps a host I/O error to the filesystem error with the same errno.
fn host_error(error: io::Error) -> FsError {
    match error.raw_os_error() {
        Some(libc::ENOENT) => FsError::NotFound,
        Some(libc::EEXIST) => FsError::Exists,
        Some(libc::ENOTDIR) => FsError::NotDir,
        Some(libc::EISDIR) => FsError::IsDir,
        Some(libc::ENOTEMPTY) => FsError::NotEmpty,
        Some(libc::ELOOP) => FsError::Loop,
        Some(libc::ENAMETOOLONG) => FsError::NameTooLong,
        Some(libc::EACCES) => FsError::Access,
        Some(libc::EPERM) => FsError::Perm,
        Some(libc::EROFS) => FsError::ReadOnly,
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => FsError::NoSpace,
        Some(libc::EINVAL) => FsError::Invalid,
        Some(libc::EXDEV) => FsError::CrossDevice,
        Some(libc::EBUSY) => FsError::Busy,
        Some(libc::EFBIG) => FsError::TooBig,
        Some(libc::EMLINK) => FsError::TooManyLinks,
        Some(libc::ENOTSUP) => FsError::NotSupported,
        _ => FsError::Io(error.to_string()),
    }
}

fn kind_of(file_type: fs::FileType) -> NodeKind {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        NodeKind::Directory
    } else if file_type.is_symlink() {
        NodeKind::Symlink
    } else if file_type.is_char_device() {
        NodeKind::CharDevice
    } else if file_type.is_block_device() {
        NodeKind::BlockDevice
    } else if file_type.is_fifo() {
        NodeKind::Fifo
    } else if file_type.is_socket() {
        NodeKind::Socket
    } else {
        NodeKind::Regular
    }
}

fn nanos(seconds: i64, nanos: i64) -> u64 {
    u64::try_from(seconds)
        .unwrap_or(0)
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::try_from(nanos).unwrap_or(0))
}

fn system_time(timestamp: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_nanos(timestamp)
}

fn file_time(time: u64) -> filetime::FileTime {
    let seconds = i64::try_from(time / 1_000_000_000).unwrap_or(i64::MAX);
    filetime::FileTime::from_unix_time(seconds, (time % 1_000_000_000) as u32)
}

struct Handle {
    file: File,
    writable: bool,
    opens: u64,
}

/// A host directory as a filesystem.
pub struct HostFs {
    root: PathBuf,
    root_ino: u64,
    /// inode -> path relative to `root` (the last name it was found under)
    paths: HashMap<u64, PathBuf>,
    handles: HashMap<u64, Handle>,
    /// Present every node as owned by this uid/gid instead of the host's.
    owner: Option<(u32, u32)>,
}

impl core::fmt::Debug for HostFs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostFs")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl HostFs {
    /// Serves the host directory `root`.
    /// Errors: NotFound, NotDir, Access, Io.
    pub fn new(root: impl AsRef<Path>) -> Result<HostFs, FsError> {
        let root = fs::canonicalize(root.as_ref()).map_err(host_error)?;
        let meta = fs::symlink_metadata(&root).map_err(host_error)?;
        if !meta.is_dir() {
            return Err(FsError::NotDir);
        }
        let root_ino = meta.ino();
        let paths = HashMap::from([(root_ino, PathBuf::new())]);
        Ok(HostFs {
            root,
            root_ino,
            paths,
            handles: HashMap::new(),
            owner: None,
        })
    }

    /// Presents every node as owned by `uid`/`gid` (the guest user), whoever owns it on the host.
    pub fn with_owner(mut self, uid: u32, gid: u32) -> HostFs {
        self.owner = Some((uid, gid));
        self
    }

    fn relative(&self, ino: InodeId) -> Result<&PathBuf, FsError> {
        self.paths.get(&ino.0).ok_or(FsError::NotFound)
    }

    fn host_path(&self, ino: InodeId) -> Result<PathBuf, FsError> {
        Ok(self.root.join(self.relative(ino)?))
    }

    fn child(&self, dir: InodeId, name: &[u8]) -> Result<(PathBuf, PathBuf), FsError> {
        crate::tree::check_name(name)?;
        let relative = self.relative(dir)?.join(OsStr::from_bytes(name));
        Ok((self.root.join(&relative), relative))
    }

    fn metadata(&self, ino: InodeId) -> Result<fs::Metadata, FsError> {
        if let Some(handle) = self.handles.get(&ino.0) {
            return handle.file.metadata().map_err(host_error);
        }
        let meta = fs::symlink_metadata(self.host_path(ino)?).map_err(host_error)?;
        if meta.ino() != ino.0 {
            return Err(FsError::NotFound);
        }
        Ok(meta)
    }

    fn open_host(path: &Path, write: bool) -> io::Result<File> {
        fs::OpenOptions::new()
            .read(true)
            .write(write)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
    }

    /// A handle for reading or writing `ino`'s content.
    fn handle(&mut self, ino: InodeId, write: bool) -> Result<&File, FsError> {
        let usable = self
            .handles
            .get(&ino.0)
            .is_some_and(|handle| handle.writable || !write);
        if !usable {
            let path = self.host_path(ino)?;
            let file = Self::open_host(&path, write).map_err(host_error)?;
            let opens = self.handles.get(&ino.0).map_or(0, |handle| handle.opens);
            self.handles.insert(
                ino.0,
                Handle {
                    file,
                    writable: write,
                    opens,
                },
            );
        }
        self.handles
            .get(&ino.0)
            .map(|handle| &handle.file)
            .ok_or(FsError::NotFound)
    }

    /// Forgets a handle nobody has open.
    fn drop_idle_handle(&mut self, ino: InodeId) {
        if self
            .handles
            .get(&ino.0)
            .is_some_and(|handle| handle.opens == 0)
        {
            self.handles.remove(&ino.0);
        }
    }

    fn lookup_path(&mut self, relative: PathBuf) -> Result<InodeId, FsError> {
        let meta = fs::symlink_metadata(self.root.join(&relative)).map_err(host_error)?;
        self.paths.insert(meta.ino(), relative);
        Ok(InodeId(meta.ino()))
    }
}

impl FileSystem for HostFs {
    fn type_name(&self) -> &'static str {
        "hostfs"
    }

    fn root(&self) -> InodeId {
        InodeId(self.root_ino)
    }

    fn stat(&mut self, ino: InodeId) -> Result<Metadata, FsError> {
        let meta = self.metadata(ino)?;
        let (uid, gid) = self.owner.unwrap_or((meta.uid(), meta.gid()));
        Ok(Metadata {
            dev: 0,
            ino,
            kind: kind_of(meta.file_type()),
            mode: meta.mode() & 0o7777,
            nlink: meta.nlink(),
            uid,
            gid,
            size: meta.size(),
            rdev: meta.rdev(),
            atime: nanos(meta.atime(), meta.atime_nsec()),
            mtime: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime: nanos(meta.ctime(), meta.ctime_nsec()),
        })
    }

    fn lookup(&mut self, dir: InodeId, name: &[u8]) -> Result<InodeId, FsError> {
        let relative = self.relative(dir)?.clone();
        match name {
            b"." => Ok(dir),
            b".." => match relative.parent() {
                Some(parent) => self.lookup_path(parent.to_path_buf()),
                None => Ok(InodeId(self.root_ino)),
            },
            _ => {
                let (_, relative) = self.child(dir, name)?;
                self.lookup_path(relative)
            }
        }
    }

    fn create(
        &mut self,
        dir: InodeId,
        name: &[u8],
        node: NewNode,
        attrs: NewAttrs,
    ) -> Result<InodeId, FsError> {
        let (path, relative) = self.child(dir, name)?;
        let mode = attrs.mode & 0o7777;
        match node {
            NewNode::Regular => {
                fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(mode)
                    .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                    .open(&path)
                    .map_err(host_error)?;
                fs::set_permissions(&path, fs::Permissions::from_mode(mode)).map_err(host_error)?;
            }
            NewNode::Directory => {
                fs::DirBuilder::new()
                    .mode(mode)
                    .create(&path)
                    .map_err(host_error)?;
                fs::set_permissions(&path, fs::Permissions::from_mode(mode)).map_err(host_error)?;
            }
            NewNode::Symlink { target } => {
                std::os::unix::fs::symlink(OsStr::from_bytes(&target), &path)
                    .map_err(host_error)?;
            }
            NewNode::Device { .. } | NewNode::Fifo => return Err(FsError::NotSupported),
        }
        self.lookup_path(relative)
    }

    fn link(&mut self, ino: InodeId, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let source = self.host_path(ino)?;
        let (target, _) = self.child(dir, name)?;
        fs::hard_link(source, target).map_err(host_error)
    }

    fn unlink(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let (path, relative) = self.child(dir, name)?;
        let meta = fs::symlink_metadata(&path).map_err(host_error)?;
        if meta.is_dir() {
            return Err(FsError::IsDir);
        }
        fs::remove_file(&path).map_err(host_error)?;
        if self.paths.get(&meta.ino()) == Some(&relative) && !self.handles.contains_key(&meta.ino())
        {
            self.paths.remove(&meta.ino());
        }
        Ok(())
    }

    fn rmdir(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let (path, _) = self.child(dir, name)?;
        let meta = fs::symlink_metadata(&path).map_err(host_error)?;
        if !meta.is_dir() {
            return Err(FsError::NotDir);
        }
        fs::remove_dir(&path).map_err(host_error)?;
        self.paths.remove(&meta.ino());
        Ok(())
    }

    fn rename(
        &mut self,
        from_dir: InodeId,
        from_name: &[u8],
        to_dir: InodeId,
        to_name: &[u8],
    ) -> Result<(), FsError> {
        let (from, from_relative) = self.child(from_dir, from_name)?;
        let (to, to_relative) = self.child(to_dir, to_name)?;
        // Answer the edge cases the way every Wasmux filesystem does (the
        // shared tree's order), not the way the host's check order happens
        // to: a directory into its own subtree is Invalid, then a type
        // mismatch (the host says ENOTEMPTY when the target is the source's parent).
        if to_relative != from_relative && to_relative.starts_with(&from_relative) {
            return Err(FsError::Invalid);
        }
        if let (Ok(source), Ok(target)) = (fs::symlink_metadata(&from), fs::symlink_metadata(&to)) {
            match (source.is_dir(), target.is_dir()) {
                (false, true) => return Err(FsError::IsDir),
                (true, false) => return Err(FsError::NotDir),
                _ => {}
            }
        }
        fs::rename(from, to).map_err(host_error)?;
        for path in self.paths.values_mut() {
            if let Ok(rest) = path.strip_prefix(&from_relative) {
                *path = to_relative.join(rest);
            }
        }
        Ok(())
    }

    fn readlink(&mut self, ino: InodeId) -> Result<Vec<u8>, FsError> {
        if self.metadata(ino)?.file_type().is_symlink() {
            let target = fs::read_link(self.host_path(ino)?).map_err(host_error)?;
            Ok(target.into_os_string().into_vec())
        } else {
            Err(FsError::Invalid)
        }
    }

    fn read(&mut self, ino: InodeId, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        match kind_of(self.metadata(ino)?.file_type()) {
            NodeKind::Regular => {}
            NodeKind::Directory => return Err(FsError::IsDir),
            _ => return Err(FsError::Invalid),
        }
        let file = self.handle(ino, false)?;
        let mut done = 0;
        while done < buf.len() {
            let Some(at) = offset.checked_add(done as u64) else {
                break;
            };
            match file.read_at(&mut buf[done..], at) {
                Ok(0) => break,
                Ok(count) => done += count,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(host_error(error)),
            }
        }
        self.drop_idle_handle(ino);
        Ok(done)
    }

    fn write(&mut self, ino: InodeId, offset: u64, data: &[u8]) -> Result<usize, FsError> {
        match kind_of(self.metadata(ino)?.file_type()) {
            NodeKind::Regular => {}
            NodeKind::Directory => return Err(FsError::IsDir),
            _ => return Err(FsError::Invalid),
        }
        offset
            .checked_add(data.len() as u64)
            .filter(|&end| end <= i64::MAX as u64)
            .ok_or(FsError::TooBig)?;
        let file = self.handle(ino, true)?;
        file.write_all_at(data, offset).map_err(host_error)?;
        self.drop_idle_handle(ino);
        Ok(data.len())
    }

    fn set_attr(&mut self, ino: InodeId, changes: &SetAttr) -> Result<(), FsError> {
        let meta = self.metadata(ino)?;
        let kind = kind_of(meta.file_type());
        let path = self.host_path(ino)?;
        if let Some(size) = changes.size {
            match kind {
                NodeKind::Regular => {}
                NodeKind::Directory => return Err(FsError::IsDir),
                _ => return Err(FsError::Invalid),
            }
            self.handle(ino, true)?.set_len(size).map_err(host_error)?;
            self.drop_idle_handle(ino);
        }
        if changes.uid.is_some() || changes.gid.is_some() {
            if self.owner.is_some() {
                return Err(FsError::Perm);
            }
            std::os::unix::fs::lchown(&path, changes.uid, changes.gid).map_err(host_error)?;
        }
        if kind == NodeKind::Symlink && changes.mode.is_some() {
            // Linux has no lchmod: a symlink's mode is always 0o777.
            return Err(FsError::NotSupported);
        }
        if kind == NodeKind::Symlink && (changes.atime.is_some() || changes.mtime.is_some()) {
            // The link's own times: never follow it on the host.
            let current = self.metadata(ino)?;
            let atime = changes.atime.map_or_else(
                || filetime::FileTime::from_last_access_time(&current),
                file_time,
            );
            let mtime = changes.mtime.map_or_else(
                || filetime::FileTime::from_last_modification_time(&current),
                file_time,
            );
            filetime::set_symlink_file_times(&path, atime, mtime).map_err(host_error)?;
            return Ok(());
        }
        if let Some(mode) = changes.mode {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode & 0o7777))
                .map_err(host_error)?;
        }
        if changes.atime.is_some() || changes.mtime.is_some() {
            let mut times = fs::FileTimes::new();
            if let Some(atime) = changes.atime {
                times = times.set_accessed(system_time(atime));
            }
            if let Some(mtime) = changes.mtime {
                times = times.set_modified(system_time(mtime));
            }
            let file = match self.handles.get(&ino.0) {
                Some(handle) => handle.file.try_clone().map_err(host_error)?,
                None => Self::open_host(&path, false).map_err(host_error)?,
            };
            file.set_times(times).map_err(host_error)?;
        }
        Ok(())
    }

    fn readdir(
        &mut self,
        dir: InodeId,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError> {
        let path = self.host_path(dir)?;
        if !self.metadata(dir)?.is_dir() {
            return Err(FsError::NotDir);
        }
        let mut entries = Vec::new();
        for entry in fs::read_dir(&path).map_err(host_error)? {
            let entry = entry.map_err(host_error)?;
            let kind = entry.file_type().map(kind_of).unwrap_or(NodeKind::Regular);
            use std::os::unix::fs::DirEntryExt;
            entries.push((entry.file_name().into_vec(), entry.ino(), kind));
        }
        entries.sort_unstable_by(|left, right| left.0.cmp(&right.0));
        let parent = self.lookup(dir, b"..")?;
        let dots = [
            (b".".to_vec(), dir.0, NodeKind::Directory),
            (b"..".to_vec(), parent.0, NodeKind::Directory),
        ];
        let all = dots.into_iter().chain(entries);
        for (index, (name, ino, kind)) in all
            .enumerate()
            .skip(usize::try_from(cookie).unwrap_or(usize::MAX))
        {
            let entry = DirEntry {
                next: index as u64 + 1,
                ino: InodeId(ino),
                kind,
                name,
            };
            if !sink(entry) {
                break;
            }
        }
        Ok(())
    }

    fn open(&mut self, ino: InodeId) {
        let regular = self.metadata(ino).is_ok_and(|meta| meta.is_file());
        if regular {
            if !self.handles.contains_key(&ino.0) {
                let Ok(path) = self.host_path(ino) else {
                    return;
                };
                let file = Self::open_host(&path, true).map(|file| (file, true));
                let Ok((file, writable)) =
                    file.or_else(|_| Self::open_host(&path, false).map(|file| (file, false)))
                else {
                    return;
                };
                self.handles.insert(
                    ino.0,
                    Handle {
                        file,
                        writable,
                        opens: 0,
                    },
                );
            }
            if let Some(handle) = self.handles.get_mut(&ino.0) {
                handle.opens += 1;
            }
        }
    }

    fn release(&mut self, ino: InodeId) {
        if let Some(handle) = self.handles.get_mut(&ino.0) {
            handle.opens = handle.opens.saturating_sub(1);
        }
        self.drop_idle_handle(ino);
    }

    fn sync(&mut self) -> Result<(), FsError> {
        for handle in self.handles.values() {
            if handle.writable {
                handle.file.sync_data().map_err(host_error)?;
            }
        }
        Ok(())
    }

    fn stats(&mut self) -> FsStats {
        FsStats {
            block_size: 4096,
            total_blocks: 0,
            free_blocks: 0,
            files: self.paths.len() as u64,
        }
    }
}

#[cfg(test)]
mod tests;
