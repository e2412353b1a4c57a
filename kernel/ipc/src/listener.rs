//! Listening sockets keyed by path: `listen` binds a path, `connect` queues
//! a new connection on it, `accept` takes one.
//!
//! The namespace is the subsystem's own map of byte paths, not filesystem
//! nodes: the kernel passes absolute, normalised paths, and a path is free
//! again as soon as its listener is dropped (no socket file to unlink).
//!
//! A connection is complete once queued, as with Linux AF_UNIX: `connect`
//! returns its end at once and may write before the server accepts. A full
//! queue makes `connect` return `WouldBlock`; a blocking connect parks on
//! [`Ipc::listener_key`] and is notified when `accept` makes room. Dropping
//! a listener drops the connections it had not accepted: their clients read
//! EOF and get EPIPE on write.
//!
//! The shape fits an ABI where `listen(path)` and `connect(path)` each return
//! a new fd; a BSD-style `socket` + `bind` + `listen` sequence would need the
//! kernel to hold the unconnected state until one of these is called.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasmux_fs::{File, FsError, Metadata, NodeKind, Readiness, SetAttr, WritePos};

use crate::attrs::Attrs;
use crate::ipc::{Registered, Shared};
use crate::socket::{Pair, SocketEnd};
use crate::{Ipc, SOCKET_PATH_MAX, SOMAXCONN, WaitKey};

pub(crate) struct ListenerShared {
    key: WaitKey,
    path: Vec<u8>,
    shared: Rc<Shared>,
    state: RefCell<ListenerState>,
}

struct ListenerState {
    /// Server ends of connections not yet accepted, oldest first.
    pending: VecDeque<SocketEnd>,
    backlog: usize,
    armed: bool,
    attrs: Attrs,
}

impl ListenerShared {
    /// Queues a new connection; returns the client's end.
    /// Errors: WouldBlock (queue full), Busy.
    fn connect(&self) -> Result<SocketEnd, FsError> {
        let (client, wake) = {
            let mut state = self.state.try_borrow_mut().map_err(|_| FsError::Busy)?;
            if state.pending.len() >= state.backlog {
                state.armed = true;
                return Err(FsError::WouldBlock);
            }
            let (client, server) = Pair::connect(&self.shared);
            state.pending.push_back(server);
            (client, std::mem::take(&mut state.armed))
        };
        if wake {
            self.shared.notify(self.key);
        }
        Ok(client)
    }

    /// Errors: WouldBlock (nothing queued), Busy.
    fn accept(&self) -> Result<SocketEnd, FsError> {
        let (server, wake) = {
            let mut state = self.state.try_borrow_mut().map_err(|_| FsError::Busy)?;
            let Some(server) = state.pending.pop_front() else {
                state.armed = true;
                return Err(FsError::WouldBlock);
            };
            (server, std::mem::take(&mut state.armed))
        };
        if wake {
            self.shared.notify(self.key);
        }
        Ok(server)
    }
}

/// A bound, listening socket: a [`File`] that is readable when a
/// connection waits to be accepted.
pub struct Listener {
    inner: Rc<ListenerShared>,
}

impl core::fmt::Debug for Listener {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Listener")
            .field("key", &self.inner.key)
            .field("path", &String::from_utf8_lossy(&self.inner.path))
            .finish()
    }
}

impl Listener {
    /// Takes the oldest queued connection: this side's end of it.
    /// Errors: WouldBlock (none queued), Busy.
    pub fn accept(&self) -> Result<SocketEnd, FsError> {
        self.inner.accept()
    }

    pub fn wait_key(&self) -> WaitKey {
        self.inner.key
    }

    pub fn path(&self) -> &[u8] {
        &self.inner.path
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let inner = &self.inner;
        if let Ok(mut paths) = inner.shared.paths.try_borrow_mut() {
            paths.remove(&inner.path);
        }
        inner.shared.unregister(inner.key.ino);
        // Dropped after the borrow ends: each end notifies its pair.
        let pending = match inner.state.try_borrow_mut() {
            Ok(mut state) => std::mem::take(&mut state.pending),
            Err(_) => VecDeque::new(),
        };
        drop(pending);
        inner.shared.notify(inner.key);
    }
}

impl File for Listener {
    /// Kind Socket; size is the number of connections waiting.
    /// Errors: Busy (a borrow conflict: not expected, see the crate invariants).
    fn stat(&self) -> Result<Metadata, FsError> {
        let state = self.inner.state.try_borrow().map_err(|_| FsError::Busy)?;
        let size = state.pending.len();
        Ok(state.attrs.metadata(self.inner.key, NodeKind::Socket, size))
    }

    fn is_seekable(&self) -> bool {
        false
    }

    /// Errors: Invalid always (a listening socket carries no bytes: ENOTCONN-like).
    fn read(&self, _offset: u64, _buf: &mut [u8]) -> Result<usize, FsError> {
        Err(FsError::Invalid)
    }

    /// Errors: Invalid always.
    fn write(&self, _pos: WritePos, _data: &[u8]) -> Result<(usize, u64), FsError> {
        Err(FsError::Invalid)
    }

    /// Errors: Invalid (a size), Busy.
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        let now = self.inner.shared.now();
        let mut state = self
            .inner
            .state
            .try_borrow_mut()
            .map_err(|_| FsError::Busy)?;
        state.attrs.apply(changes, now)
    }

    /// Errors: Invalid always.
    fn sync(&self) -> Result<(), FsError> {
        Err(FsError::Invalid)
    }

    /// Readable when a connection waits (`read_bytes`: how many). Arms the
    /// change notification.
    fn poll(&self) -> Readiness {
        let Ok(mut state) = self.inner.state.try_borrow_mut() else {
            return Readiness::default();
        };
        state.armed = true;
        Readiness {
            readable: !state.pending.is_empty(),
            read_bytes: state.pending.len() as u64,
            ..Readiness::default()
        }
    }
}

impl Ipc {
    /// Binds `path` and listens, queueing at most `backlog` connections
    /// (clamped to `1..=SOMAXCONN`).
    /// Errors: Invalid (empty path), NameTooLong (over `SOCKET_PATH_MAX`
    /// bytes), Exists (a listener holds the path: EADDRINUSE), Busy.
    pub fn listen(&self, path: &[u8], backlog: usize) -> Result<Listener, FsError> {
        if path.is_empty() {
            return Err(FsError::Invalid);
        }
        if path.len() > SOCKET_PATH_MAX {
            return Err(FsError::NameTooLong);
        }
        let mut paths = self
            .shared
            .paths
            .try_borrow_mut()
            .map_err(|_| FsError::Busy)?;
        if paths.get(path).is_some_and(|weak| weak.strong_count() > 0) {
            return Err(FsError::Exists);
        }
        let key = self.shared.new_key();
        let inner = Rc::new(ListenerShared {
            key,
            path: path.to_vec(),
            shared: self.shared.clone(),
            state: RefCell::new(ListenerState {
                pending: VecDeque::new(),
                backlog: backlog.clamp(1, SOMAXCONN),
                armed: false,
                attrs: Attrs::new(crate::socket::SOCKET_MODE, self.shared.now()),
            }),
        });
        paths.insert(path.to_vec(), Rc::downgrade(&inner));
        drop(paths);
        self.shared
            .register(key.ino, Registered::Listener(Rc::downgrade(&inner)));
        Ok(Listener { inner })
    }

    /// Connects to the listener bound at `path`; returns the client's end.
    /// Errors: NotFound (nobody listens there: ECONNREFUSED), WouldBlock
    /// (its queue is full: park on [`Ipc::listener_key`]), Busy.
    pub fn connect(&self, path: &[u8]) -> Result<SocketEnd, FsError> {
        self.listener_at(path).ok_or(FsError::NotFound)?.connect()
    }

    /// The wait key of the listener bound at `path`, if any.
    pub fn listener_key(&self, path: &[u8]) -> Option<WaitKey> {
        self.listener_at(path).map(|listener| listener.key)
    }

    /// `accept(2)` on the listener behind `file` (found by its `stat`).
    /// Errors: Invalid (not a listener of this subsystem), WouldBlock, Busy,
    /// what `stat` returns.
    pub fn accept(&self, file: &dyn File) -> Result<SocketEnd, FsError> {
        let key = WaitKey::of(&file.stat()?);
        let listener = self.registered(key, |object| match object {
            Registered::Listener(listener) => listener.upgrade(),
            Registered::SocketEnd(..) => None,
        });
        listener.ok_or(FsError::Invalid)?.accept()
    }

    fn listener_at(&self, path: &[u8]) -> Option<Rc<ListenerShared>> {
        let paths = self.shared.paths.try_borrow().ok()?;
        paths.get(path).and_then(|weak| weak.upgrade())
    }
}
