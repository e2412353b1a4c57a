//! devfs: /dev as a memfs holding Linux's device nodes, and the memory
//! devices (null, zero, full, random, urandom) behind them.
//!
//! The nodes are ordinary memfs nodes ([`new`] or [`populate`]): a node
//! only carries a device number, and the VFS opens it through the
//! [`Devices`](crate::Devices) table it was given. [`MemoryDevices`] is that
//! table for major 1 and hands every other number to a fallback, so the
//! kernel composes drivers by chaining:
//!
//! ```text
//! vfs.set_devices(Rc::new(MemoryDevices::new(random).with_fallback(console_devices)))
//! ```
//!
//! Rejected: a devfs type that knows its drivers (each driver would have to
//! live in this crate or register itself here); numbers in the node keep
//! `mknod` and a persistent /dev working the same way.
//!
//! Numbers use Linux's encoding ([`device_number`]), so `CONSOLE` equals
//! `wasmux_console::CONSOLE_RDEV` and `stat` shows what Linux shows.

use std::cell::Cell;
use std::rc::Rc;

use crate::{Clock, FileSystem, FsError, MemFs, Mode, NewAttrs, NewNode, NodeKind};

/// A device number from its major and minor, encoded as Linux's
/// `new_encode_dev` does: `major << 8 | minor` for minors below 256.
pub const fn device_number(major: u32, minor: u32) -> u64 {
    let (major, minor) = (major as u64, minor as u64);
    (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)
}

/// The major of a device number made by [`device_number`].
pub const fn major(rdev: u64) -> u32 {
    ((rdev >> 8) & 0xfff) as u32
}

/// The minor of a device number made by [`device_number`].
pub const fn minor(rdev: u64) -> u32 {
    ((rdev & 0xff) | ((rdev >> 12) & !0xff)) as u32
}

pub const NULL: u64 = device_number(1, 3);
pub const ZERO: u64 = device_number(1, 5);
pub const FULL: u64 = device_number(1, 7);
pub const RANDOM: u64 = device_number(1, 8);
pub const URANDOM: u64 = device_number(1, 9);
/// The caller's controlling terminal (the console driver resolves it).
pub const TTY: u64 = device_number(5, 0);
/// The system console (`wasmux_console::CONSOLE_RDEV`).
pub const CONSOLE: u64 = device_number(5, 1);

/// A character device node of a fresh /dev.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceNode {
    pub name: &'static str,
    pub rdev: u64,
    pub mode: Mode,
}

impl DeviceNode {
    pub const fn new(name: &'static str, rdev: u64, mode: Mode) -> DeviceNode {
        DeviceNode { name, rdev, mode }
    }
}

/// The character devices of a fresh /dev, owned by root, modes as on Linux.
pub const NODES: [DeviceNode; 7] = [
    DeviceNode::new("null", NULL, 0o666),
    DeviceNode::new("zero", ZERO, 0o666),
    DeviceNode::new("full", FULL, 0o666),
    DeviceNode::new("random", RANDOM, 0o666),
    DeviceNode::new("urandom", URANDOM, 0o666),
    DeviceNode::new("tty", TTY, 0o666),
    DeviceNode::new("console", CONSOLE, 0o620),
];

/// The (empty) directories of a fresh /dev, mode 0o755.
pub const DIRECTORIES: [&str; 2] = ["pts", "input"];

/// A memfs holding [`NODES`] and [`DIRECTORIES`], to mount on /dev.
/// Errors: as [`populate`].
pub fn new(clock: Rc<dyn Clock>) -> Result<MemFs, FsError> {
    let mut fs = MemFs::new(clock);
    populate(&mut fs)?;
    Ok(fs)
}

/// Adds [`NODES`] and [`DIRECTORIES`] to the root of `fs`.
/// Errors: as [`FileSystem::create`] (Exists if a name is taken).
pub fn populate(fs: &mut dyn FileSystem) -> Result<(), FsError> {
    let root = fs.root();
    for node in NODES {
        let kind = NodeKind::CharDevice;
        let device = NewNode::Device {
            kind,
            rdev: node.rdev,
        };
        let attrs = NewAttrs {
            mode: node.mode,
            uid: 0,
            gid: 0,
        };
        fs.create(root, node.name.as_bytes(), device, attrs)?;
    }
    for name in DIRECTORIES {
        let attrs = NewAttrs {
            mode: 0o755,
            uid: 0,
            gid: 0,
        };
        fs.create(root, name.as_bytes(), NewNode::Directory, attrs)?;
    }
    Ok(())
}

/// Where /dev/random and /dev/urandom get their bytes: the platform's
/// secure generator (any `Fn(&mut [u8])` is one), or [`FakeRandom`] in tests.
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]);
}

impl<F: Fn(&mut [u8])> RandomSource for F {
    fn fill(&self, buf: &mut [u8]) {
        self(buf);
    }
}

/// A predictable source for tests: bytes counting up (wrapping) from a seed.
#[derive(Debug, Default)]
pub struct FakeRandom {
    next: Cell<u8>,
}

impl FakeRandom {
    pub fn new(seed: u8) -> FakeRandom {
        FakeRandom {
            next: Cell::new(seed),
        }
    }
}

impl RandomSource for FakeRandom {
    fn fill(&self, buf: &mut [u8]) {
        for byte in buf {
            *byte = self.next.get();
            self.next.set(byte.wrapping_add(1));
        }
    }
}

mod memory;

pub use memory::{MemoryDevice, MemoryDevices, MemoryFile};

#[cfg(test)]
mod tests;
