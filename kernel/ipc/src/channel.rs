//! One direction of a byte stream: the POSIX pipe rules over a [`Ring`].
//!
//! A pipe is one channel; a socket pair is two. The channel decides what a
//! read or a write returns; the object around it decides whom to notify.

use wasmux_fs::FsError;

use crate::ring::Ring;
use crate::{PIPE_BUF, PIPE_CAPACITY};

/// Bytes in flight plus who may still read and write them.
#[derive(Debug)]
pub(crate) struct Channel {
    ring: Ring,
    /// Open descriptions that read (pipe read ends, FIFO opens for reading).
    readers: usize,
    writers: usize,
    /// Whether a reader (writer) ever existed. A FIFO end opened before its
    /// peer waits for it instead of seeing EPIPE (EOF).
    had_reader: bool,
    had_writer: bool,
    /// `shutdown` closed the reading (writing) side for good.
    read_shut: bool,
    write_shut: bool,
}

/// What `poll` reports for one side of a channel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Side {
    pub(crate) ready: bool,
    pub(crate) bytes: u64,
    pub(crate) hangup: bool,
}

impl Channel {
    /// A channel with no ends yet.
    pub(crate) fn new() -> Channel {
        Channel {
            ring: Ring::new(PIPE_CAPACITY),
            readers: 0,
            writers: 0,
            had_reader: false,
            had_writer: false,
            read_shut: false,
            write_shut: false,
        }
    }

    /// A channel with one reader and one writer: an anonymous pipe, a socket direction.
    pub(crate) fn connected() -> Channel {
        let mut channel = Channel::new();
        channel.add_reader();
        channel.add_writer();
        channel
    }

    pub(crate) fn len(&self) -> usize {
        self.ring.len()
    }

    pub(crate) fn add_reader(&mut self) {
        self.readers = self.readers.saturating_add(1);
        self.had_reader = true;
    }

    pub(crate) fn add_writer(&mut self) {
        self.writers = self.writers.saturating_add(1);
        self.had_writer = true;
    }

    pub(crate) fn remove_reader(&mut self) {
        self.readers = self.readers.saturating_sub(1);
    }

    pub(crate) fn remove_writer(&mut self) {
        self.writers = self.writers.saturating_sub(1);
    }

    pub(crate) fn shut_read(&mut self) {
        self.read_shut = true;
    }

    pub(crate) fn shut_write(&mut self) {
        self.write_shut = true;
    }

    fn read_open(&self) -> bool {
        self.readers > 0 && !self.read_shut
    }

    fn write_open(&self) -> bool {
        self.writers > 0 && !self.write_shut
    }

    /// Reads see end of file once the buffer drains.
    fn at_eof(&self) -> bool {
        self.read_shut || (self.had_writer && !self.write_open())
    }

    /// Writes fail with EPIPE.
    fn broken(&self) -> bool {
        self.write_shut || (self.had_reader && !self.read_open())
    }

    /// Takes what is buffered: 0 for an empty `buf` or at end of file.
    /// Errors: WouldBlock (empty, a writer may still come).
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> Result<usize, FsError> {
        if buf.is_empty() {
            return Ok(0);
        }
        match self.ring.pop(buf) {
            0 if self.at_eof() => Ok(0),
            0 => Err(FsError::WouldBlock),
            count => Ok(count),
        }
    }

    /// Buffers `data`: all of it if it is at most [`PIPE_BUF`] bytes, else
    /// what fits. 0 for empty `data` (as Linux, even with no reader).
    /// Errors: BrokenPipe (no reader left, or this side shut down),
    /// WouldBlock (no room, or a FIFO whose first reader has not come).
    pub(crate) fn write(&mut self, data: &[u8]) -> Result<usize, FsError> {
        if data.is_empty() {
            return Ok(0);
        }
        if self.broken() {
            return Err(FsError::BrokenPipe);
        }
        let free = self.ring.free();
        if !self.read_open() || free == 0 || (data.len() <= PIPE_BUF && free < data.len()) {
            return Err(FsError::WouldBlock);
        }
        Ok(self.ring.push(data))
    }

    /// Poll state of the reading side: ready when a read would not block.
    pub(crate) fn reader_side(&self) -> Side {
        let len = self.ring.len();
        Side {
            ready: len > 0 || self.at_eof(),
            bytes: len as u64,
            hangup: self.at_eof(),
        }
    }

    /// Poll state of the writing side: ready when a write of [`PIPE_BUF`]
    /// bytes would not block (it may fail: EPIPE is also "ready").
    pub(crate) fn writer_side(&self) -> Side {
        let free = self.ring.free();
        if self.broken() {
            return Side {
                ready: true,
                bytes: 0,
                hangup: true,
            };
        }
        Side {
            ready: self.read_open() && free >= PIPE_BUF,
            bytes: if self.read_open() { free as u64 } else { 0 },
            hangup: false,
        }
    }
}
