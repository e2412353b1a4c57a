//! The one error type of the filesystem layer.

use core::fmt;

/// Why a filesystem operation failed.
///
/// POSIX-shaped on purpose: every variant has one obvious errno, but the
/// mapping to WASI numbers lives in `wasmux-wasi`, not here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FsError {
    /// A path component does not exist (ENOENT).
    NotFound,
    /// The name already exists (EEXIST).
    Exists,
    /// A component used as a directory is not one (ENOTDIR).
    NotDir,
    /// The operation needs a non-directory (EISDIR).
    IsDir,
    /// The directory is not empty (ENOTEMPTY).
    NotEmpty,
    /// Too many symbolic links while walking a path (ELOOP).
    Loop,
    /// A name or a path is too long (ENAMETOOLONG).
    NameTooLong,
    /// Mode bits deny the access (EACCES).
    Access,
    /// The operation is not permitted to this caller (EPERM).
    Perm,
    /// The path would leave the directory it is confined to (ENOTCAPABLE).
    Escape,
    /// The filesystem is read-only (EROFS).
    ReadOnly,
    /// No space left in the store (ENOSPC).
    NoSpace,
    /// An argument is invalid, such as renaming a directory into itself (EINVAL).
    Invalid,
    /// Source and destination are on different mounts (EXDEV).
    CrossDevice,
    /// The target is in use, such as a mount point (EBUSY).
    Busy,
    /// The file would exceed the maximum size (EFBIG).
    TooBig,
    /// Too many hard links (EMLINK).
    TooManyLinks,
    /// Seeking is not possible on this file (ESPIPE).
    NotSeekable,
    /// The file was not opened for this access (EBADF).
    BadAccess,
    /// The object does not support the operation (ENOTSUP).
    NotSupported,
    /// The operation would block and the file is non-blocking, or the caller must wait (EAGAIN).
    WouldBlock,
    /// Writing to a pipe or socket with no reader (EPIPE).
    BrokenPipe,
    /// The backing store failed (EIO); the message says how.
    Io(String),
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            FsError::NotFound => "no such file or directory",
            FsError::Exists => "file exists",
            FsError::NotDir => "not a directory",
            FsError::IsDir => "is a directory",
            FsError::NotEmpty => "directory not empty",
            FsError::Loop => "too many levels of symbolic links",
            FsError::NameTooLong => "file name too long",
            FsError::Access => "permission denied",
            FsError::Perm => "operation not permitted",
            FsError::Escape => "path escapes its directory",
            FsError::ReadOnly => "read-only file system",
            FsError::NoSpace => "no space left on device",
            FsError::Invalid => "invalid argument",
            FsError::CrossDevice => "cross-device link",
            FsError::Busy => "device or resource busy",
            FsError::TooBig => "file too large",
            FsError::TooManyLinks => "too many links",
            FsError::NotSeekable => "illegal seek",
            FsError::BadAccess => "bad file descriptor",
            FsError::NotSupported => "operation not supported",
            FsError::WouldBlock => "resource temporarily unavailable",
            FsError::BrokenPipe => "broken pipe",
            FsError::Io(message) => return write!(f, "I/O error: {message}"),
        };
        f.write_str(text)
    }
}

impl std::error::Error for FsError {}
