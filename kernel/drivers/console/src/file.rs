//! `TtyFile`: the tty behind a file descriptor.

use std::fmt;

use wasmux_fs::{File, FsError, InodeId, Metadata, NodeKind, Readiness, SetAttr, WritePos};

use crate::tty::SharedTty;

/// The console's device number: major 5, minor 1 like Linux's
/// /dev/console, encoded as Linux's `new_encode_dev` does for small numbers.
pub const CONSOLE_RDEV: u64 = (5 << 8) | 1;

/// An open tty: what fds 0-2 of a session, /dev/console and /dev/tty hold.
///
/// The kernel recognises a tty behind a `dyn File` by keeping the
/// [`SharedTty`] it built the file from ([`TtyFile::tty`]) next to the fd.
#[derive(Clone)]
pub struct TtyFile {
    tty: SharedTty,
}

impl fmt::Debug for TtyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TtyFile").finish_non_exhaustive()
    }
}

/// A tty method called while the kernel already holds the tty borrowed.
fn busy() -> FsError {
    FsError::Io("the console is already in use (re-entrant call)".into())
}

impl TtyFile {
    pub fn new(tty: SharedTty) -> TtyFile {
        TtyFile { tty }
    }

    /// The tty itself, for ioctls, job control and the kernel's registry.
    pub fn tty(&self) -> &SharedTty {
        &self.tty
    }
}

impl File for TtyFile {
    /// A character device, mode 0o620, rdev [`CONSOLE_RDEV`].
    fn stat(&self) -> Result<Metadata, FsError> {
        Ok(Metadata {
            dev: 0,
            ino: InodeId(1),
            kind: NodeKind::CharDevice,
            mode: 0o620,
            nlink: 1,
            uid: 0,
            gid: 0,
            size: 0,
            rdev: CONSOLE_RDEV,
            atime: 0,
            mtime: 0,
            ctime: 0,
        })
    }

    fn is_seekable(&self) -> bool {
        false
    }

    /// Errors: WouldBlock (nothing readable yet), Io (re-entrant call).
    fn read(&self, _offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        self.tty.try_borrow_mut().map_err(|_| busy())?.read(buf)
    }

    /// Errors: WouldBlock (output stopped), Io (re-entrant call).
    fn write(&self, _pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        let count = self.tty.try_borrow_mut().map_err(|_| busy())?.write(data)?;
        Ok((count, 0))
    }

    /// Errors: Invalid (a size), Perm (anything else: the node is devfs's).
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        if changes.size.is_some() {
            Err(FsError::Invalid)
        } else {
            Err(FsError::Perm)
        }
    }

    fn sync(&self) -> Result<(), FsError> {
        Ok(())
    }

    fn poll(&self) -> Readiness {
        self.tty
            .try_borrow()
            .map(|tty| tty.poll())
            .unwrap_or_default()
    }

    /// Lets the kernel find the tty behind an fd (ioctls, job control).
    fn as_any(&self) -> Option<&dyn core::any::Any> {
        Some(self)
    }
}
