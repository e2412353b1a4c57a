//! Pipes and named FIFOs: one [`Channel`] shared by [`PipeEnd`]s.
//!
//! An end is what an open file description owns. Its lifetime is the
//! description's: dup'd and inherited fds share one `Rc<OpenFile>`, so the
//! end drops (and the pipe learns a reader or writer is gone) when the last
//! fd closes.
//!
//! # Named FIFOs
//!
//! [`Ipc::open_fifo`] gives every open of one FIFO node an end of the same
//! pipe, while any end is open; the next open after the last close starts an
//! empty pipe (the data of a FIFO nobody holds is discarded, as on Linux).
//! Opening never blocks. Instead of POSIX's blocking open, an end opened
//! before its peer waits at its first transfer: a read returns `WouldBlock`
//! (not EOF) until a writer has opened, a write returns `WouldBlock` (not
//! EPIPE) until a reader has. For a blocking fd that is the behaviour a
//! program observes from a blocking open; a non-blocking reader gets EAGAIN
//! where Linux returns 0, and a non-blocking writer EAGAIN where Linux fails
//! the open with ENXIO.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{Access, File, FsError, Metadata, NodeKind, Readiness, SetAttr, WritePos};

use crate::attrs::Attrs;
use crate::channel::Channel;
use crate::ipc::Shared;
use crate::{Ipc, WaitKey};

/// The permission bits of an anonymous pipe (as Linux).
const PIPE_MODE: u32 = 0o600;

/// A pipe: the channel and the inode its ends share.
pub(crate) struct Pipe {
    key: WaitKey,
    shared: Rc<Shared>,
    fifo: bool,
    state: RefCell<PipeState>,
}

struct PipeState {
    channel: Channel,
    /// Someone got `WouldBlock` or polled since the last notification.
    armed: bool,
    attrs: Attrs,
}

impl Drop for Pipe {
    fn drop(&mut self) {
        if !self.fifo {
            return;
        }
        if let Ok(mut fifos) = self.shared.fifos.try_borrow_mut() {
            // Only our own (now dead) entry: a newer pipe may hold the node.
            if fifos
                .get(&self.key)
                .is_some_and(|weak| weak.strong_count() == 0)
            {
                fifos.remove(&self.key);
            }
        }
    }
}

impl Pipe {
    fn new(shared: Rc<Shared>, key: WaitKey, channel: Channel, attrs: Attrs, fifo: bool) -> Pipe {
        Pipe {
            key,
            shared,
            fifo,
            state: RefCell::new(PipeState {
                channel,
                armed: false,
                attrs,
            }),
        }
    }

    /// Runs a transfer, arming on `WouldBlock` and notifying on progress.
    fn transfer(
        &self,
        op: impl FnOnce(&mut Channel) -> Result<usize, FsError>,
    ) -> Result<usize, FsError> {
        let (result, wake) = {
            let mut state = self.state.try_borrow_mut().map_err(|_| FsError::Busy)?;
            let result = op(&mut state.channel);
            let wake = match result {
                Err(FsError::WouldBlock) => {
                    state.armed = true;
                    false
                }
                Ok(count) if count > 0 => std::mem::take(&mut state.armed),
                _ => false,
            };
            (result, wake)
        };
        if wake {
            self.shared.notify(self.key);
        }
        result
    }

    /// Changes who holds the pipe, then tells waiters (always: rare and decisive).
    fn change_ends(&self, change: impl FnOnce(&mut Channel)) {
        if let Ok(mut state) = self.state.try_borrow_mut() {
            change(&mut state.channel);
            state.armed = false;
        }
        self.shared.notify(self.key);
    }
}

/// One end of a pipe or FIFO: a [`File`] that reads, writes, or (a FIFO
/// opened read-write) both.
pub struct PipeEnd {
    pipe: Rc<Pipe>,
    reads: bool,
    writes: bool,
}

impl core::fmt::Debug for PipeEnd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PipeEnd")
            .field("key", &self.pipe.key)
            .field("reads", &self.reads)
            .field("writes", &self.writes)
            .finish()
    }
}

impl PipeEnd {
    fn new(pipe: Rc<Pipe>, reads: bool, writes: bool) -> PipeEnd {
        pipe.change_ends(|channel| {
            if reads {
                channel.add_reader();
            }
            if writes {
                channel.add_writer();
            }
        });
        PipeEnd {
            pipe,
            reads,
            writes,
        }
    }

    /// The key the kernel waits on (equal to `WaitKey::of(&self.stat()?)`).
    pub fn wait_key(&self) -> WaitKey {
        self.pipe.key
    }
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        let (reads, writes) = (self.reads, self.writes);
        self.pipe.change_ends(|channel| {
            if reads {
                channel.remove_reader();
            }
            if writes {
                channel.remove_writer();
            }
        });
    }
}

impl File for PipeEnd {
    /// Kind Fifo; size is the bytes buffered.
    /// Errors: Busy (a borrow conflict: not expected, see the crate invariants).
    fn stat(&self) -> Result<Metadata, FsError> {
        let state = self.pipe.state.try_borrow().map_err(|_| FsError::Busy)?;
        Ok(state
            .attrs
            .metadata(self.pipe.key, NodeKind::Fifo, state.channel.len()))
    }

    fn is_seekable(&self) -> bool {
        false
    }

    /// What is buffered, up to `buf.len()`; the offset is ignored.
    /// Errors: BadAccess (a write end), WouldBlock (empty, a writer alive or awaited).
    fn read(&self, _offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        if !self.reads {
            return Err(FsError::BadAccess);
        }
        self.pipe.transfer(|channel| channel.read(buf))
    }

    /// All of `data` if it is at most `PIPE_BUF` bytes, else what fits.
    /// Returns `(count, 0)`: pipes have no offsets.
    /// Errors: BadAccess (a read end), BrokenPipe (no reader left),
    /// WouldBlock (no room for it, or no reader yet on a FIFO).
    fn write(&self, _pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        if !self.writes {
            return Err(FsError::BadAccess);
        }
        self.pipe
            .transfer(|channel| channel.write(data))
            .map(|count| (count, 0))
    }

    /// Mode, owner and times change; a size is Invalid.
    /// Errors: Invalid, Busy.
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        let now = self.pipe.shared.now();
        let mut state = self
            .pipe
            .state
            .try_borrow_mut()
            .map_err(|_| FsError::Busy)?;
        state.attrs.apply(changes, now)
    }

    /// Errors: Invalid always (fsync on a pipe is EINVAL on Linux).
    fn sync(&self) -> Result<(), FsError> {
        Err(FsError::Invalid)
    }

    /// Readable with data or once every writer is gone; writable with at
    /// least `PIPE_BUF` bytes free, so a small write is sure to go through
    /// (a large one may also progress with less room: poll does not say).
    /// Hangup: the other side is gone. Arms the change notification.
    fn poll(&self) -> Readiness {
        let Ok(mut state) = self.pipe.state.try_borrow_mut() else {
            return Readiness::default();
        };
        state.armed = true;
        let mut readiness = Readiness::default();
        if self.reads {
            let side = state.channel.reader_side();
            readiness.readable = side.ready;
            readiness.read_bytes = side.bytes;
            readiness.hangup |= side.hangup;
        }
        if self.writes {
            let side = state.channel.writer_side();
            readiness.writable = side.ready;
            readiness.write_bytes = side.bytes;
            readiness.hangup |= side.hangup;
        }
        readiness
    }
}

impl Ipc {
    /// A new anonymous pipe: `(read end, write end)`. Box them for `OpenFile`s
    /// opened with `Access::READ` and `Access::WRITE`.
    pub fn pipe(&self) -> (PipeEnd, PipeEnd) {
        let key = self.shared.new_key();
        let attrs = Attrs::new(PIPE_MODE, self.shared.now());
        let pipe = Rc::new(Pipe::new(
            self.shared.clone(),
            key,
            Channel::new(),
            attrs,
            false,
        ));
        (
            PipeEnd::new(pipe.clone(), true, false),
            PipeEnd::new(pipe, false, true),
        )
    }

    /// Opens the FIFO node `node` (as `stat` returned it, dev filled in) for
    /// `access`: an end of the pipe every open of that node shares. With no
    /// access the end neither reads nor writes (an `O_PATH`-like handle).
    /// The end's `stat` shows the node's attributes as of the first open.
    /// Errors: Invalid (`node` is not a FIFO), Busy (a borrow conflict: not expected).
    pub fn open_fifo(&self, node: &Metadata, access: Access) -> Result<PipeEnd, FsError> {
        if node.kind != NodeKind::Fifo {
            return Err(FsError::Invalid);
        }
        let key = WaitKey::of(node);
        let mut fifos = self
            .shared
            .fifos
            .try_borrow_mut()
            .map_err(|_| FsError::Busy)?;
        let pipe = match fifos.get(&key).and_then(|weak| weak.upgrade()) {
            Some(pipe) => pipe,
            None => {
                let attrs = Attrs::of_node(node);
                let pipe = Pipe::new(self.shared.clone(), key, Channel::new(), attrs, true);
                let pipe = Rc::new(pipe);
                fifos.insert(key, Rc::downgrade(&pipe));
                pipe
            }
        };
        drop(fifos);
        Ok(PipeEnd::new(pipe, access.read, access.write))
    }
}
