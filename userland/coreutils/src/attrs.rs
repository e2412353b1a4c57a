//! File attributes for the hand-written tools: the kernel's stat, chmod,
//! chown and statfs (`wasmux_sys::fs`) on Wasmux, and the same figures
//! from std's Unix metadata on the host, so the tools' unit tests run
//! against real files there. Every tool reads modes, owners and blocks
//! through here, never through std's `Metadata`, which on WASI has none.

use std::io;
use std::path::Path;

pub use wasmux_sys::fs::{Stat, StatFs, kind};

/// stat(2), or lstat(2) when `follow` is false.
pub fn status(path: &Path, follow: bool) -> io::Result<Stat> {
    if follow { stat(path) } else { lstat(path) }
}

/// A device number's major part (Linux's encoding, as the kernel's devfs uses).
pub fn major(dev: u64) -> u32 {
    (((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)) as u32
}

/// A device number's minor part.
pub fn minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as u32
}

/// The process's file-creation mask (read by setting it and putting it back).
pub fn umask() -> u32 {
    let mask = wasmux_sys::umask(0);
    wasmux_sys::umask(mask);
    mask
}

#[cfg(target_os = "wasi")]
mod backend {
    use super::*;

    pub fn stat(path: &Path) -> io::Result<Stat> {
        wasmux_sys::fs::stat(path)
    }

    pub fn lstat(path: &Path) -> io::Result<Stat> {
        wasmux_sys::fs::lstat(path)
    }

    pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
        wasmux_sys::fs::chmod(path, mode)
    }

    pub fn chown(path: &Path, uid: Option<u32>, gid: Option<u32>, follow: bool) -> io::Result<()> {
        wasmux_sys::fs::chown(path, uid, gid, follow)
    }

    pub fn statfs(path: &Path) -> io::Result<StatFs> {
        wasmux_sys::fs::statfs(path)
    }
}

#[cfg(not(target_os = "wasi"))]
mod backend {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;

    fn from_metadata(meta: &std::fs::Metadata) -> Stat {
        let nanos =
            |seconds: i64, nanos: i64| (seconds.max(0) as u64) * 1_000_000_000 + nanos as u64;
        Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            mode: meta.mode(),
            nlink: meta.nlink() as u32,
            uid: meta.uid(),
            gid: meta.gid(),
            rdev: meta.rdev(),
            size: meta.size(),
            blksize: meta.blksize() as u32,
            blocks: meta.blocks(),
            atime: nanos(meta.atime(), meta.atime_nsec()),
            mtime: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime: nanos(meta.ctime(), meta.ctime_nsec()),
        }
    }

    pub fn stat(path: &Path) -> io::Result<Stat> {
        std::fs::metadata(path).map(|meta| from_metadata(&meta))
    }

    pub fn lstat(path: &Path) -> io::Result<Stat> {
        std::fs::symlink_metadata(path).map(|meta| from_metadata(&meta))
    }

    pub fn chmod(path: &Path, mode: u32) -> io::Result<()> {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }

    pub fn chown(path: &Path, uid: Option<u32>, gid: Option<u32>, follow: bool) -> io::Result<()> {
        if follow {
            std::os::unix::fs::chown(path, uid, gid)
        } else {
            std::os::unix::fs::lchown(path, uid, gid)
        }
    }

    pub fn statfs(_: &Path) -> io::Result<StatFs> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

pub use backend::{chmod, chown, lstat, stat, statfs};
