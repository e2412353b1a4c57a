//! Device numbers to driver objects: the memory devices of devfs, and the
//! console terminal (/dev/console, and /dev/tty: the console is every
//! session's controlling terminal for now).

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_console::{CONSOLE_RDEV, SharedTty, TtyFile};
use wasmux_fs::{Access, Devices, File, FsError, MemoryDevices, NodeKind};
use wasmux_wasi::Host;

/// /dev/tty: the caller's controlling terminal.
const TTY_RDEV: u64 = 0x0500;

/// The console's slot, filled when the platform attaches a terminal.
pub(crate) type ConsoleSlot = Rc<RefCell<Option<SharedTty>>>;

#[derive(Debug)]
struct ConsoleDevices {
    console: ConsoleSlot,
}

impl Devices for ConsoleDevices {
    fn open(&self, kind: NodeKind, rdev: u64, _access: Access) -> Result<Box<dyn File>, FsError> {
        if kind != NodeKind::CharDevice || (rdev != CONSOLE_RDEV && rdev != TTY_RDEV) {
            return Err(FsError::NotSupported);
        }
        // No terminal attached (a headless run): like a tty with no device.
        let tty = self.console.borrow().clone().ok_or(FsError::NotSupported)?;
        Ok(Box::new(TtyFile::new(tty)))
    }
}

/// Every device the kernel knows, by number.
pub(crate) fn table(host: Rc<dyn Host>, console: ConsoleSlot) -> Rc<dyn Devices> {
    let random = Rc::new(move |buf: &mut [u8]| host.random(buf));
    Rc::new(MemoryDevices::new(random).with_fallback(Rc::new(ConsoleDevices { console })))
}
