//! Open files: the `File` trait every openable object implements, and the
//! open file description (`OpenFile`) that fds share.

use std::cell::Cell;

use wasmux_uapi::FdFlags;

use crate::{DirEntry, FsError, Location, Metadata, SetAttr};

/// Where a write goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePos {
    /// At this offset (ignored by streams).
    At(u64),
    /// At the end of the file, atomically with respect to other appenders.
    Append,
}

/// Readiness of an object for `poll`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Readiness {
    /// A read would not block; `read_bytes` is how many bytes are available (a hint).
    pub readable: bool,
    pub read_bytes: u64,
    /// A write would not block; `write_bytes` is how many bytes fit (a hint).
    pub writable: bool,
    pub write_bytes: u64,
    /// The peer is gone (pipe with no writer or reader, closed socket).
    pub hangup: bool,
}

impl Readiness {
    /// Always ready: regular files and directories.
    pub const ALWAYS: Readiness = Readiness {
        readable: true,
        read_bytes: 0,
        writable: true,
        write_bytes: 0,
        hangup: false,
    };
}

/// An object behind an open file description: a VFS node, a device, a pipe end, a socket.
///
/// Methods take `&self`: objects shared between descriptions (a pipe's two
/// ends) keep their state behind their own `RefCell`.
pub trait File {
    /// Metadata; streams synthesise it.
    /// Errors: Io.
    fn stat(&self) -> Result<Metadata, FsError>;

    /// Whether the object has offsets (regular files, directories, block devices).
    fn is_seekable(&self) -> bool;

    /// Reads at `offset` (ignored when not seekable). 0 means end of file.
    /// Errors: IsDir, WouldBlock (a stream with nothing to read yet), Io.
    fn read(&self, offset: u64, buf: &mut [u8]) -> Result<usize, FsError>;

    /// Writes at `pos`; returns the bytes written and the offset after them.
    /// Errors: IsDir, WouldBlock, BrokenPipe, NoSpace, TooBig, Io.
    fn write(&self, pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError>;

    /// Changes attributes (size, mode, owner, times).
    /// Errors: Invalid, Perm, NoSpace, Io.
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError>;

    /// Makes written data durable.
    /// Errors: Io.
    fn sync(&self) -> Result<(), FsError>;

    /// Current readiness.
    fn poll(&self) -> Readiness;

    /// Lists a directory from `cookie`. Only directories implement it.
    /// Errors: NotDir, Io.
    fn readdir(&self, cookie: u64, sink: &mut dyn FnMut(DirEntry) -> bool) -> Result<(), FsError> {
        let _ = (cookie, sink);
        Err(FsError::NotDir)
    }

    /// The VFS node behind the object, if it is one; directories opened this
    /// way are the bases of `*at` path walks.
    fn location(&self) -> Option<Location> {
        None
    }

    /// The object itself, for the kernel to recognise a driver's type behind
    /// `dyn File` (a terminal for ioctls and job control). Objects nobody
    /// needs to recognise keep the default.
    fn as_any(&self) -> Option<&dyn core::any::Any> {
        None
    }
}

/// How a description was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub read: bool,
    pub write: bool,
}

impl Access {
    pub const READ: Access = Access {
        read: true,
        write: false,
    };
    pub const WRITE: Access = Access {
        read: false,
        write: true,
    };
    pub const READ_WRITE: Access = Access {
        read: true,
        write: true,
    };
    pub const NONE: Access = Access {
        read: false,
        write: false,
    };
}

/// Seek origin with its offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekFrom {
    Start(u64),
    Current(i64),
    End(i64),
}

/// An open file description: the object plus the offset and status flags
/// shared by every fd duplicated from one open.
pub struct OpenFile {
    file: Box<dyn File>,
    access: Access,
    offset: Cell<u64>,
    flags: Cell<FdFlags>,
}

impl core::fmt::Debug for OpenFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OpenFile")
            .field("access", &self.access)
            .field("offset", &self.offset.get())
            .field("flags", &self.flags.get())
            .finish_non_exhaustive()
    }
}

impl OpenFile {
    pub fn new(file: Box<dyn File>, access: Access, flags: FdFlags) -> OpenFile {
        OpenFile {
            file,
            access,
            offset: Cell::new(0),
            flags: Cell::new(flags),
        }
    }

    /// The object itself.
    pub fn file(&self) -> &dyn File {
        self.file.as_ref()
    }

    pub fn access(&self) -> Access {
        self.access
    }

    /// Status flags (append, nonblock, sync...).
    pub fn flags(&self) -> FdFlags {
        self.flags.get()
    }

    pub fn set_flags(&self, flags: FdFlags) {
        self.flags.set(flags);
    }

    /// Reads at the current offset and advances it.
    /// Errors: BadAccess if not opened for reading, else as [`File::read`].
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, FsError> {
        if !self.access.read {
            return Err(FsError::BadAccess);
        }
        let offset = self.offset.get();
        let count = self.file.read(offset, buf)?;
        if self.file.is_seekable() {
            self.offset.set(offset.saturating_add(count as u64));
        }
        Ok(count)
    }

    /// Reads at `offset` without moving the current one.
    /// Errors: BadAccess, NotSeekable, else as [`File::read`].
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        if !self.access.read {
            return Err(FsError::BadAccess);
        }
        if !self.file.is_seekable() {
            return Err(FsError::NotSeekable);
        }
        self.file.read(offset, buf)
    }

    /// Writes at the current offset (or the end, in append mode) and advances it.
    /// Errors: BadAccess if not opened for writing, else as [`File::write`].
    pub fn write(&self, data: &[u8]) -> Result<usize, FsError> {
        if !self.access.write {
            return Err(FsError::BadAccess);
        }
        let pos = if self.flags.get().contains(FdFlags::APPEND) {
            WritePos::Append
        } else {
            WritePos::At(self.offset.get())
        };
        let (count, end) = self.file.write(pos, data)?;
        if self.file.is_seekable() {
            self.offset.set(end);
        }
        Ok(count)
    }

    /// Writes at `offset` without moving the current one (even in append mode,
    /// as POSIX asks and unlike Linux).
    /// Errors: BadAccess, NotSeekable, else as [`File::write`].
    pub fn write_at(&self, offset: u64, data: &[u8]) -> Result<usize, FsError> {
        if !self.access.write {
            return Err(FsError::BadAccess);
        }
        if !self.file.is_seekable() {
            return Err(FsError::NotSeekable);
        }
        self.file
            .write(WritePos::At(offset), data)
            .map(|(count, _)| count)
    }

    /// Moves the offset; returns the new one.
    /// Errors: NotSeekable, Invalid (the result would be negative or overflow).
    pub fn seek(&self, from: SeekFrom) -> Result<u64, FsError> {
        if !self.file.is_seekable() {
            return Err(FsError::NotSeekable);
        }
        let new = match from {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.offset.get().checked_add_signed(delta),
            SeekFrom::End(delta) => self.file.stat()?.size.checked_add_signed(delta),
        };
        let new = new
            .filter(|&offset| offset <= i64::MAX as u64)
            .ok_or(FsError::Invalid)?;
        self.offset.set(new);
        Ok(new)
    }

    /// The current offset.
    pub fn tell(&self) -> u64 {
        self.offset.get()
    }

    pub fn stat(&self) -> Result<Metadata, FsError> {
        self.file.stat()
    }

    pub fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        self.file.set_attr(changes)
    }

    pub fn sync(&self) -> Result<(), FsError> {
        self.file.sync()
    }

    pub fn poll(&self) -> Readiness {
        self.file.poll()
    }

    pub fn readdir(
        &self,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError> {
        self.file.readdir(cookie, sink)
    }

    pub fn location(&self) -> Option<Location> {
        self.file.location()
    }
}
