//! The wake-up contract between IPC objects and the kernel's scheduler.
//!
//! A call that gets `WouldBlock` parks its process; the kernel restarts it
//! later. Instead of retrying every parked process after every system call,
//! the kernel hands [`Ipc`](crate::Ipc) a [`Notify`] and IPC objects report
//! *which* object changed, by [`WaitKey`].
//!
//! # The contract
//!
//! - Every IPC object has a wait key: `WaitKey::of(&file.stat()?)`, the
//!   `(dev, ino)` pair its `stat` reports, so the kernel needs nothing but the
//!   `File` to know what a blocked fd waits on. Anonymous objects use
//!   [`IPC_DEV`](crate::IPC_DEV), which no mount uses; a named FIFO uses its
//!   node's pair. The two ends of a pipe share one key (one inode, as on
//!   Linux); each end of a socket pair has its own, and a change to the pair
//!   is reported under both.
//! - Once a read, write, accept or connect on an object has returned
//!   `WouldBlock`, or `poll` has been called on it, the next change that may
//!   unblock someone (bytes written, room made, an end closed or shut down, a
//!   connection queued or taken) calls `changed(key)` once, before the call
//!   that made the change returns. Closing and shutting down always notify.
//! - On `changed(key)` the kernel must retry (at least once, after the
//!   notification) every process parked on `key`. A retry that blocks again
//!   re-arms the object, so nothing is lost between the notification and the
//!   retry.
//! - `changed` is called with no IPC state borrowed, so it may call back
//!   into any IPC object (a transfer it makes notifies in turn: beware of loops).

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use wasmux_fs::Metadata;

/// The identity of an object a process can wait on: the `(dev, ino)` of its `stat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WaitKey {
    pub dev: u64,
    pub ino: u64,
}

impl WaitKey {
    /// The key of the object `meta` describes.
    pub fn of(meta: &Metadata) -> WaitKey {
        WaitKey {
            dev: meta.dev,
            ino: meta.ino.0,
        }
    }
}

/// Told when an IPC object changed in a way that may unblock a waiter.
pub trait Notify {
    /// The object with this key changed; retry the processes parked on it.
    fn changed(&self, key: WaitKey);
}

/// A [`Notify`] that remembers the changed keys until the kernel takes them,
/// and counts notifications (a cheap "did anything change" test).
#[derive(Debug, Default)]
pub struct ChangeLog {
    keys: RefCell<BTreeSet<WaitKey>>,
    generation: Cell<u64>,
}

impl ChangeLog {
    pub fn new() -> ChangeLog {
        ChangeLog::default()
    }

    /// The keys changed since the last call, each once.
    pub fn take(&self) -> BTreeSet<WaitKey> {
        self.keys
            .try_borrow_mut()
            .map(|mut keys| std::mem::take(&mut *keys))
            .unwrap_or_default()
    }

    /// How many notifications arrived, ever; compare two readings to see if anything changed.
    pub fn generation(&self) -> u64 {
        self.generation.get()
    }
}

impl Notify for ChangeLog {
    fn changed(&self, key: WaitKey) {
        self.generation.set(self.generation.get().wrapping_add(1));
        if let Ok(mut keys) = self.keys.try_borrow_mut() {
            keys.insert(key);
        }
    }
}

/// The default: nobody listens (tests, or a kernel that retries everything).
#[derive(Debug)]
pub(crate) struct NoNotify;

impl Notify for NoNotify {
    fn changed(&self, _key: WaitKey) {}
}
