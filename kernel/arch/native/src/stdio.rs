//! The host's stdin, stdout and stderr as files for guest fds 0-2.

use std::io::{IsTerminal, Read, Write};

use wasmux_fs::{File, FsError, InodeId, Metadata, NodeKind, Readiness, SetAttr, WritePos};

/// Which host stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdin,
    Stdout,
    Stderr,
}

/// A host stdio stream. Writes go straight through (the program buffers as
/// it likes); reads block the kernel thread, which `wasmux run` accepts.
#[derive(Debug)]
pub struct HostStdio {
    stream: Stream,
}

impl HostStdio {
    pub fn new(stream: Stream) -> HostStdio {
        HostStdio { stream }
    }

    fn is_terminal(&self) -> bool {
        match self.stream {
            Stream::Stdin => std::io::stdin().is_terminal(),
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

fn io_error(error: &std::io::Error) -> FsError {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => FsError::BrokenPipe,
        std::io::ErrorKind::WouldBlock => FsError::WouldBlock,
        _ => FsError::Io(error.to_string()),
    }
}

impl File for HostStdio {
    fn stat(&self) -> Result<Metadata, FsError> {
        Ok(Metadata {
            dev: 0,
            ino: InodeId(self.stream as u64),
            kind: if self.is_terminal() {
                NodeKind::CharDevice
            } else {
                NodeKind::Fifo
            },
            mode: 0o620,
            nlink: 1,
            uid: 0,
            gid: 0,
            size: 0,
            rdev: 0,
            atime: 0,
            mtime: 0,
            ctime: 0,
        })
    }

    fn is_seekable(&self) -> bool {
        false
    }

    fn read(&self, _offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        match self.stream {
            Stream::Stdin => std::io::stdin()
                .lock()
                .read(buf)
                .map_err(|error| io_error(&error)),
            Stream::Stdout | Stream::Stderr => Err(FsError::BadAccess),
        }
    }

    fn write(&self, _pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        let written = match self.stream {
            Stream::Stdin => return Err(FsError::BadAccess),
            Stream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(data).and_then(|()| out.flush())
            }
            Stream::Stderr => std::io::stderr().lock().write_all(data),
        };
        written.map_err(|error| io_error(&error))?;
        Ok((data.len(), 0))
    }

    fn set_attr(&self, _changes: &SetAttr) -> Result<(), FsError> {
        Err(FsError::Perm)
    }

    fn sync(&self) -> Result<(), FsError> {
        Ok(())
    }

    fn poll(&self) -> Readiness {
        Readiness::ALWAYS
    }
}
