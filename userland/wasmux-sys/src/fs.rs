//! File attributes the POSIX way, beyond what preview1 (and so std) shows:
//! mode bits, owners and blocks ([`stat`]), [`chmod`], [`chown`], [`statfs`].
//! Relative paths are relative to the working directory.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::path::Path;

use wasmux_uapi::wasmux::{at, stat as st, statfs as sf};

use crate::{bytes, check, raw};

/// What `stat` reports of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    /// File type bits (`S_IF*`) and permission bits.
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: u64,
    pub blksize: u32,
    /// 512-byte units.
    pub blocks: u64,
    /// ns since the Unix epoch.
    pub atime: u64,
    pub mtime: u64,
    pub ctime: u64,
}

/// The file type bits of a mode.
pub mod kind {
    pub use wasmux_uapi::wasmux::stat::{IFBLK, IFCHR, IFDIR, IFIFO, IFLNK, IFMT, IFREG, IFSOCK};
}

impl Stat {
    /// Decodes an 88-byte `stat` record.
    pub fn decode(record: &[u8; st::SIZE as usize]) -> Stat {
        let u32_at = |offset: u32| {
            let start = offset as usize;
            let mut word = [0u8; 4];
            word.copy_from_slice(&record[start..start + 4]);
            u32::from_le_bytes(word)
        };
        let u64_at = |offset: u32| {
            let start = offset as usize;
            let mut word = [0u8; 8];
            word.copy_from_slice(&record[start..start + 8]);
            u64::from_le_bytes(word)
        };
        Stat {
            dev: u64_at(st::DEV),
            ino: u64_at(st::INO),
            mode: u32_at(st::MODE),
            nlink: u32_at(st::NLINK),
            uid: u32_at(st::UID),
            gid: u32_at(st::GID),
            rdev: u64_at(st::RDEV),
            size: u64_at(st::SIZE_FIELD),
            blksize: u32_at(st::BLKSIZE),
            blocks: u64_at(st::BLOCKS),
            atime: u64_at(st::ATIME),
            mtime: u64_at(st::MTIME),
            ctime: u64_at(st::CTIME),
        }
    }

    /// The permission bits (and setuid, setgid, sticky).
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }

    /// The file type bits.
    pub fn file_type(&self) -> u32 {
        self.mode & st::IFMT
    }
}

fn stat_at(dirfd: i32, path: &[u8], flags: u32) -> io::Result<Stat> {
    let mut record = [0u8; st::SIZE as usize];
    // SAFETY: `path` is valid for `path.len()` bytes and `record` for the
    // 88 bytes the call writes.
    check(unsafe { raw::stat(dirfd, path.as_ptr(), path.len(), flags, record.as_mut_ptr()) })?;
    Ok(Stat::decode(&record))
}

/// stat(2): follows a final symlink.
pub fn stat(path: impl AsRef<Path>) -> io::Result<Stat> {
    stat_at(at::FDCWD as i32, bytes(path.as_ref().as_os_str()), 0)
}

/// lstat(2): a final symlink is reported itself.
pub fn lstat(path: impl AsRef<Path>) -> io::Result<Stat> {
    stat_at(
        at::FDCWD as i32,
        bytes(path.as_ref().as_os_str()),
        at::SYMLINK_NOFOLLOW,
    )
}

/// fstat(2).
pub fn fstat(fd: BorrowedFd<'_>) -> io::Result<Stat> {
    stat_at(fd.as_raw_fd(), b"", at::EMPTY_PATH)
}

/// chmod(2): owner or root.
pub fn chmod(path: impl AsRef<Path>, mode: u32) -> io::Result<()> {
    let path = bytes(path.as_ref().as_os_str());
    // SAFETY: `path` is valid for its length.
    check(unsafe { raw::chmod(at::FDCWD as i32, path.as_ptr(), path.len(), mode, 0) })
}

/// fchmod(2).
pub fn fchmod(fd: BorrowedFd<'_>, mode: u32) -> io::Result<()> {
    // SAFETY: an empty path is a valid zero-length buffer.
    check(unsafe { raw::chmod(fd.as_raw_fd(), [].as_ptr(), 0, mode, at::EMPTY_PATH) })
}

/// chown(2) (`follow` false: lchown); `None` leaves an id alone.
pub fn chown(
    path: impl AsRef<Path>,
    uid: Option<u32>,
    gid: Option<u32>,
    follow: bool,
) -> io::Result<()> {
    let path = bytes(path.as_ref().as_os_str());
    let flags = if follow { 0 } else { at::SYMLINK_NOFOLLOW };
    let (uid, gid) = (uid.unwrap_or(u32::MAX), gid.unwrap_or(u32::MAX));
    // SAFETY: `path` is valid for its length.
    check(unsafe { raw::chown(at::FDCWD as i32, path.as_ptr(), path.len(), uid, gid, flags) })
}

/// What `statfs` reports of a filesystem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatFs {
    pub block_size: u64,
    pub blocks: u64,
    pub free: u64,
    pub available: u64,
    pub files: u64,
    pub free_files: u64,
    pub name_max: u32,
}

/// statfs(2) for the filesystem holding `path`.
pub fn statfs(path: impl AsRef<Path>) -> io::Result<StatFs> {
    let path = bytes(path.as_ref().as_os_str());
    let mut record = [0u8; sf::SIZE as usize];
    // SAFETY: `path` is valid for its length, `record` for the 56 bytes written.
    check(unsafe {
        raw::statfs(
            at::FDCWD as i32,
            path.as_ptr(),
            path.len(),
            record.as_mut_ptr(),
        )
    })?;
    let u64_at = |offset: u32| {
        let start = offset as usize;
        let mut word = [0u8; 8];
        word.copy_from_slice(&record[start..start + 8]);
        u64::from_le_bytes(word)
    };
    let mut name_max = [0u8; 4];
    name_max.copy_from_slice(&record[sf::NAMEMAX as usize..sf::NAMEMAX as usize + 4]);
    Ok(StatFs {
        block_size: u64_at(sf::BSIZE),
        blocks: u64_at(sf::BLOCKS),
        free: u64_at(sf::BFREE),
        available: u64_at(sf::BAVAIL),
        files: u64_at(sf::FILES),
        free_files: u64_at(sf::FFREE),
        name_max: u32::from_le_bytes(name_max),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_record_decodes_field_by_field() {
        let mut record = [0u8; st::SIZE as usize];
        record[st::MODE as usize..st::MODE as usize + 4]
            .copy_from_slice(&(st::IFDIR | 0o755).to_le_bytes());
        record[st::SIZE_FIELD as usize..st::SIZE_FIELD as usize + 8]
            .copy_from_slice(&42u64.to_le_bytes());
        record[st::UID as usize..st::UID as usize + 4].copy_from_slice(&1000u32.to_le_bytes());
        let stat = Stat::decode(&record);
        assert_eq!(
            (stat.file_type(), stat.permissions(), stat.size, stat.uid),
            (st::IFDIR, 0o755, 42, 1000)
        );
    }

    #[test]
    fn on_the_host_the_calls_say_enosys() {
        assert_eq!(
            stat("/").unwrap_err().raw_os_error(),
            Some(wasmux_uapi::Errno::NoSys as i32)
        );
    }
}
