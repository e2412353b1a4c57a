//! AF_UNIX-style stream socket pairs: two [`Channel`]s, one per direction,
//! with the pipe rules (blocking, EOF, EPIPE, `PIPE_BUF` atomicity) plus
//! `shutdown`.
//!
//! Shutting down reading makes the peer's writes fail with EPIPE and this
//! end's reads return what is still buffered, then EOF. Shutting down
//! writing makes this end's writes fail with EPIPE and the peer read EOF
//! once it drained the buffer. Dropping an end does both.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{File, FsError, Metadata, NodeKind, Readiness, SetAttr, WritePos};
use wasmux_uapi::SdFlags;

use crate::attrs::Attrs;
use crate::channel::Channel;
use crate::ipc::{Registered, Shared};
use crate::{Ipc, WaitKey};

/// The permission bits of a socket (as Linux shows them).
pub(crate) const SOCKET_MODE: u32 = 0o777;

/// Which end of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    A,
    B,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }

    fn peer(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

/// What two connected ends share.
pub(crate) struct Pair {
    keys: [WaitKey; 2],
    shared: Rc<Shared>,
    state: RefCell<PairState>,
}

struct PairState {
    /// `inbound[i]` carries bytes to end `i`: end `i` reads it, its peer writes it.
    inbound: [Channel; 2],
    armed: bool,
    attrs: [Attrs; 2],
}

impl Pair {
    /// A connected pair of ends, registered for [`Ipc::shutdown`].
    pub(crate) fn connect(shared: &Rc<Shared>) -> (SocketEnd, SocketEnd) {
        let keys = [shared.new_key(), shared.new_key()];
        let now = shared.now();
        let attrs = Attrs::new(SOCKET_MODE, now);
        let pair = Rc::new(Pair {
            keys,
            shared: shared.clone(),
            state: RefCell::new(PairState {
                inbound: [Channel::connected(), Channel::connected()],
                armed: false,
                attrs: [attrs.clone(), attrs],
            }),
        });
        for side in [Side::A, Side::B] {
            let weak = Rc::downgrade(&pair);
            shared.register(keys[side.index()].ino, Registered::SocketEnd(weak, side));
        }
        let a = SocketEnd {
            pair: pair.clone(),
            side: Side::A,
        };
        (
            a,
            SocketEnd {
                pair,
                side: Side::B,
            },
        )
    }

    fn notify(&self) {
        for key in self.keys {
            self.shared.notify(key);
        }
    }

    /// Runs a transfer on the channel `op` picks, arming on `WouldBlock`
    /// and notifying on progress.
    fn transfer(
        &self,
        op: impl FnOnce(&mut [Channel; 2]) -> Result<usize, FsError>,
    ) -> Result<usize, FsError> {
        let (result, wake) = {
            let mut state = self.state.try_borrow_mut().map_err(|_| FsError::Busy)?;
            let result = op(&mut state.inbound);
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
            self.notify();
        }
        result
    }

    /// Errors: Invalid (no direction given), Busy.
    pub(crate) fn shutdown(&self, side: Side, how: SdFlags) -> Result<(), FsError> {
        if how.is_empty() {
            return Err(FsError::Invalid);
        }
        {
            let mut state = self.state.try_borrow_mut().map_err(|_| FsError::Busy)?;
            let [to_a, to_b] = &mut state.inbound;
            let (inbound, outbound) = match side {
                Side::A => (to_a, to_b),
                Side::B => (to_b, to_a),
            };
            if how.contains(SdFlags::RD) {
                inbound.shut_read();
            }
            if how.contains(SdFlags::WR) {
                outbound.shut_write();
            }
            state.armed = false;
        }
        self.notify();
        Ok(())
    }
}

/// One end of a connected stream socket: a [`File`] that reads what the
/// peer wrote and writes what the peer reads.
pub struct SocketEnd {
    pair: Rc<Pair>,
    side: Side,
}

impl core::fmt::Debug for SocketEnd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SocketEnd")
            .field("key", &self.wait_key())
            .finish()
    }
}

impl SocketEnd {
    /// This end's key (equal to `WaitKey::of(&self.stat()?)`).
    pub fn wait_key(&self) -> WaitKey {
        self.pair.keys[self.side.index()]
    }

    /// The peer end's key.
    pub fn peer_key(&self) -> WaitKey {
        self.pair.keys[self.side.peer().index()]
    }

    /// Closes reading, writing or both for good (`SdFlags::RD`, `WR`).
    /// Errors: Invalid (empty `how`), Busy.
    pub fn shutdown(&self, how: SdFlags) -> Result<(), FsError> {
        self.pair.shutdown(self.side, how)
    }
}

impl Drop for SocketEnd {
    fn drop(&mut self) {
        let (me, peer) = (self.side.index(), self.side.peer().index());
        if let Ok(mut state) = self.pair.state.try_borrow_mut() {
            state.inbound[me].remove_reader();
            state.inbound[peer].remove_writer();
            state.armed = false;
        }
        self.pair.shared.unregister(self.wait_key().ino);
        self.pair.notify();
    }
}

impl File for SocketEnd {
    /// Kind Socket; size is the bytes waiting to be read by this end.
    /// Errors: Busy (a borrow conflict: not expected, see the crate invariants).
    fn stat(&self) -> Result<Metadata, FsError> {
        let state = self.pair.state.try_borrow().map_err(|_| FsError::Busy)?;
        let me = self.side.index();
        let size = state.inbound[me].len();
        Ok(state.attrs[me].metadata(self.wait_key(), NodeKind::Socket, size))
    }

    fn is_seekable(&self) -> bool {
        false
    }

    /// Errors: WouldBlock (nothing buffered and the peer may still write), Busy.
    fn read(&self, _offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        let me = self.side.index();
        self.pair.transfer(|inbound| inbound[me].read(buf))
    }

    /// Errors: BrokenPipe (peer gone or shut reading, or this end shut
    /// writing), WouldBlock (no room), Busy.
    fn write(&self, _pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        let peer = self.side.peer().index();
        self.pair
            .transfer(|inbound| inbound[peer].write(data))
            .map(|count| (count, 0))
    }

    /// Errors: Invalid (a size), Busy.
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        let now = self.pair.shared.now();
        let mut state = self
            .pair
            .state
            .try_borrow_mut()
            .map_err(|_| FsError::Busy)?;
        state.attrs[self.side.index()].apply(changes, now)
    }

    /// Errors: Invalid always (nothing to make durable).
    fn sync(&self) -> Result<(), FsError> {
        Err(FsError::Invalid)
    }

    /// As a pipe's ends (see `PipeEnd::poll`); hangup once both directions
    /// are closed (the peer is gone, or both were shut down). Arms the
    /// change notification.
    fn poll(&self) -> Readiness {
        let Ok(mut state) = self.pair.state.try_borrow_mut() else {
            return Readiness::default();
        };
        state.armed = true;
        let read = state.inbound[self.side.index()].reader_side();
        let write = state.inbound[self.side.peer().index()].writer_side();
        Readiness {
            readable: read.ready,
            read_bytes: read.bytes,
            writable: write.ready,
            write_bytes: write.bytes,
            hangup: read.hangup && write.hangup,
        }
    }
}

impl Ipc {
    /// A new connected pair (`socketpair(AF_UNIX, SOCK_STREAM)`).
    pub fn socket_pair(&self) -> (SocketEnd, SocketEnd) {
        Pair::connect(&self.shared)
    }

    /// `shutdown(2)` on the socket end behind `file` (found by its `stat`,
    /// so the kernel needs only the open file description).
    /// Errors: NotSupported (not a connected socket of this subsystem:
    /// ENOTSOCK or ENOTCONN), Invalid (empty `how`), Busy, what `stat` returns.
    pub fn shutdown(&self, file: &dyn File, how: SdFlags) -> Result<(), FsError> {
        let key = WaitKey::of(&file.stat()?);
        let found = self.registered(key, |object| match object {
            Registered::SocketEnd(pair, side) => pair.upgrade().map(|pair| (pair, *side)),
            Registered::Listener(_) => None,
        });
        let (pair, side) = found.ok_or(FsError::NotSupported)?;
        pair.shutdown(side, how)
    }
}
