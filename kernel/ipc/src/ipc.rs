//! [`Ipc`]: the kernel's handle on the subsystem. It numbers objects, carries
//! the clock and the [`Notify`], and keeps the registries that let the kernel
//! reach an object from nothing but its `stat` (named FIFOs by node, socket
//! ends and listeners by inode, listeners by path).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use wasmux_fs::Clock;
use wasmux_uapi::Timestamp;

use crate::listener::ListenerShared;
use crate::pipe::Pipe;
use crate::socket::{Pair, Side};
use crate::wake::NoNotify;
use crate::{IPC_DEV, Notify, WaitKey};

/// The IPC subsystem: creates pipes, FIFOs, socket pairs and listeners.
///
/// Cheap to clone (a shared handle). Objects created through it stay valid
/// after it is dropped.
#[derive(Clone)]
pub struct Ipc {
    pub(crate) shared: Rc<Shared>,
}

impl core::fmt::Debug for Ipc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ipc")
            .field("next_ino", &self.shared.next_ino.get())
            .finish_non_exhaustive()
    }
}

impl Default for Ipc {
    /// No notifications, every timestamp 0: for tests and tools.
    fn default() -> Ipc {
        Ipc::build(Rc::new(NoNotify), None)
    }
}

impl Ipc {
    /// An IPC subsystem reporting changes to `notify` and stamping new
    /// objects with `clock`.
    pub fn new(notify: Rc<dyn Notify>, clock: Rc<dyn Clock>) -> Ipc {
        Ipc::build(notify, Some(clock))
    }

    /// The live registered object behind `key`, through `pick`.
    pub(crate) fn registered<T>(
        &self,
        key: WaitKey,
        pick: impl FnOnce(&Registered) -> Option<T>,
    ) -> Option<T> {
        if key.dev != IPC_DEV {
            return None;
        }
        let objects = self.shared.objects.try_borrow().ok()?;
        objects.get(&key.ino).and_then(pick)
    }

    fn build(notify: Rc<dyn Notify>, clock: Option<Rc<dyn Clock>>) -> Ipc {
        Ipc {
            shared: Rc::new(Shared {
                next_ino: Cell::new(1),
                notify,
                clock,
                fifos: RefCell::new(BTreeMap::new()),
                objects: RefCell::new(BTreeMap::new()),
                paths: RefCell::new(BTreeMap::new()),
            }),
        }
    }
}

/// An anonymous object the kernel may address by inode number.
pub(crate) enum Registered {
    /// One end of a socket pair.
    SocketEnd(Weak<Pair>, Side),
    Listener(Weak<ListenerShared>),
}

/// What every IPC object shares with the subsystem.
pub(crate) struct Shared {
    next_ino: Cell<u64>,
    notify: Rc<dyn Notify>,
    clock: Option<Rc<dyn Clock>>,
    /// Open named FIFOs by node; an entry dies with its last end.
    pub(crate) fifos: RefCell<BTreeMap<WaitKey, Weak<Pipe>>>,
    /// Socket ends and listeners by inode number (dev is [`IPC_DEV`]).
    pub(crate) objects: RefCell<BTreeMap<u64, Registered>>,
    /// Bound listeners by path.
    pub(crate) paths: RefCell<BTreeMap<Vec<u8>, Weak<ListenerShared>>>,
}

impl Shared {
    /// A key (and inode number) no other anonymous object has had.
    pub(crate) fn new_key(&self) -> WaitKey {
        let ino = self.next_ino.get();
        self.next_ino.set(ino.wrapping_add(1));
        WaitKey { dev: IPC_DEV, ino }
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.as_ref().map_or(0, |clock| clock.now())
    }

    /// Reports a change; callers hold no IPC borrow (see the wake contract).
    pub(crate) fn notify(&self, key: WaitKey) {
        self.notify.changed(key);
    }

    pub(crate) fn register(&self, ino: u64, object: Registered) {
        if let Ok(mut objects) = self.objects.try_borrow_mut() {
            objects.insert(ino, object);
        }
    }

    pub(crate) fn unregister(&self, ino: u64) {
        if let Ok(mut objects) = self.objects.try_borrow_mut() {
            objects.remove(&ino);
        }
    }
}
