//! How a child's stdin, stdout and stderr are set up: [`Stdio`], and the
//! plan that turns the three into spawn file actions.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use wasmux_uapi::wasmux::open;

use super::request::FileAction;
use crate::fd::{PipeFlags, dup_at_least, pipe};

/// What a child's stdin, stdout or stderr is.
#[derive(Debug)]
pub struct Stdio(pub(super) Kind);

#[derive(Debug)]
pub(super) enum Kind {
    Inherit,
    Null,
    Piped,
    Fd(OwnedFd),
}

impl Stdio {
    /// The caller's own fd.
    pub fn inherit() -> Stdio {
        Stdio(Kind::Inherit)
    }

    /// Nothing: stdin reads end of file at once (an empty pipe, so no
    /// /dev/null is needed); output goes to /dev/null.
    pub fn null() -> Stdio {
        Stdio(Kind::Null)
    }

    /// A new pipe; the caller's end is in [`Child`](super::Child)'s `stdin`/`stdout`/`stderr`.
    pub fn piped() -> Stdio {
        Stdio(Kind::Piped)
    }
}

impl From<OwnedFd> for Stdio {
    fn from(fd: OwnedFd) -> Stdio {
        Stdio(Kind::Fd(fd))
    }
}

impl From<File> for Stdio {
    /// The file, e.g. one end of a pipe or another child's `stdout`.
    fn from(file: File) -> Stdio {
        Stdio(Kind::Fd(file.into()))
    }
}

impl FromRawFd for Stdio {
    unsafe fn from_raw_fd(fd: RawFd) -> Stdio {
        // SAFETY: the caller hands over ownership of `fd`.
        Stdio(Kind::Fd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }
}

/// What an unset stdio stream becomes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Unset {
    Inherit,
    Null,
    Piped,
}

/// The file actions of one spawn, and the caller's copies of the child's
/// ends, which close when the plan is dropped after the spawn.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub(super) actions: Vec<FileAction>,
    keep: Vec<OwnedFd>,
}

impl Plan {
    /// Sets up `fd` of the child as `kind` says; returns the caller's end
    /// of a new pipe.
    pub(super) fn add(&mut self, fd: u32, kind: &Kind) -> io::Result<Option<File>> {
        match kind {
            Kind::Inherit => Ok(None),
            Kind::Null if fd == 0 => {
                let (reader, _writer) = pipe(PipeFlags::CLOEXEC)?;
                self.dup_owned(reader.into(), fd)?;
                Ok(None)
            }
            Kind::Null => {
                self.actions.push(FileAction::Open {
                    fd,
                    path: b"/dev/null".to_vec(),
                    oflags: open::WRONLY,
                    mode: 0,
                });
                Ok(None)
            }
            Kind::Piped => {
                let (reader, writer) = pipe(PipeFlags::CLOEXEC)?;
                // The child reads its stdin and writes its stdout and stderr.
                let (child, caller) = if fd == 0 {
                    (reader, writer)
                } else {
                    (writer, reader)
                };
                self.dup_owned(child.into(), fd)?;
                Ok(Some(caller))
            }
            Kind::Fd(file) => {
                self.dup_borrowed(file.as_fd(), fd)?;
                Ok(None)
            }
        }
    }

    fn dup_owned(&mut self, source: OwnedFd, fd: u32) -> io::Result<()> {
        self.dup_borrowed(source.as_fd(), fd)?;
        self.keep.push(source);
        Ok(())
    }

    /// A DUP2 action from `source`; a source among 0-2 is first copied
    /// above them, so an earlier action cannot have replaced it.
    fn dup_borrowed(&mut self, source: BorrowedFd<'_>, fd: u32) -> io::Result<()> {
        let mut raw = source.as_raw_fd();
        if raw < 3 {
            let copy = dup_at_least(source, 3, true)?;
            raw = copy.as_raw_fd();
            self.keep.push(copy);
        }
        self.actions.push(FileAction::Dup2 {
            source: raw as u32,
            fd,
        });
        Ok(())
    }
}
