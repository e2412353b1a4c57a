//! The Wasmux virtual filesystem: one tree of mounts over interchangeable
//! filesystem types.
//!
//! # Why it is shaped this way
//!
//! All path logic lives in one place, [`Vfs`]: walking components, `.` and
//! `..`, symlinks, mount points, trailing slashes, permission bits and the
//! WASI capability confinement ([`Walk::confine`]). A filesystem type only
//! answers questions about single inodes and single names ([`FileSystem`]),
//! so memfs (tmpfs), diskfs (the persistent root), hostfs (a host directory),
//! procfs and devfs get identical path semantics for free, and the tricky
//! rules are tested once, against every type.
//!
//! memfs and diskfs share their in-memory namespace (`tree.rs`); they differ
//! only in where file bytes live, so they behave identically by
//! construction, and the model tests check it. diskfs keeps file data in
//! extents of one block store (an OPFS file in the browser, a disk image
//! natively) and its metadata as JSON in a snapshot plus an append-only log,
//! because creating a store object per file costs milliseconds in the browser.
//!
//! The two virtual filesystems need nothing from the kernel but plain data:
//! [`procfs`] formats a [`ProcSnapshot`] the kernel keeps up to date (shared
//! as `Rc<RefCell<_>>`), and [`devfs`] is a memfs pre-populated with Linux's
//! device nodes plus [`MemoryDevices`], the driver table for null, zero,
//! full, random and urandom, which hands other numbers to a fallback table
//! (the console driver's).
//!
//! Everything is single-threaded (`Rc<RefCell<_>>`), like the kernel's event
//! loop: a filesystem call runs to completion and never calls back into the VFS.
//!
//! # Invariants
//!
//! - No input panics: bad names, huge offsets and corrupt disk images come
//!   back as an [`FsError`] (the crate has no `unsafe` and no `unwrap` on input).
//! - A confined walk never reaches a node outside its base; an unconfined one
//!   never goes above its root; `..` at a mount's root goes to the mount point's parent.
//! - A walk follows at most [`SYMLINK_MAX`] symlinks, then fails with `Loop`.
//! - A node lives while it has a link or an open file description: an unlinked
//!   open file keeps its data until the last description is dropped.
//! - Readdir cookies are stable: an entry present throughout a listing is
//!   listed exactly once (memfs, diskfs, procfs).
//! - procfs: a path names the same inode across snapshot refreshes, and a
//!   node whose process is gone answers `NotFound`.
//! - diskfs: a crash at any point mounts to the last committed state, which
//!   includes everything synced; blocks freed by a change are reused only once
//!   the change is durable.
//! - Reads do not update atime (the VFS behaves as mounted `noatime`); writes
//!   update mtime and ctime.
//!
//! # Example
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use wasmux_fs::{Access, Cred, FakeClock, MemFs, OpenOptions, SharedFs, Vfs, Walk};
//!
//! let clock = Rc::new(FakeClock::new(0));
//! let root_fs: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
//! let mut vfs = Vfs::new(root_fs, clock);
//! let root = vfs.root();
//! let walk = Walk { cred: Cred::ROOT, base: root, root, confine: false };
//!
//! vfs.mkdir(&walk, b"/etc", 0o755)?;
//! let create = OpenOptions { access: Access::READ_WRITE, create: true, ..OpenOptions::READ };
//! let file = vfs.open(&walk, b"/etc/motd", &create)?;
//! file.write(b"hello, wasmux\n")?;
//!
//! let file = vfs.open(&walk, b"etc/./motd", &OpenOptions::READ)?;
//! let mut buf = [0; 64];
//! let count = file.read(&mut buf)?;
//! assert_eq!(&buf[..count], b"hello, wasmux\n");
//! # Ok::<(), wasmux_fs::FsError>(())
//! ```
#![forbid(unsafe_code)]

pub mod clock;
pub mod devfs;
pub mod diskfs;
mod error;
mod file;
mod filesystem;
#[cfg(all(unix, not(target_arch = "wasm32")))]
pub mod hostfs;
pub mod memfs;
#[cfg(test)]
mod model_tests;
mod node;
pub mod procfs;
mod tree;
mod vfs;

pub use clock::FakeClock;
pub use devfs::{MemoryDevices, RandomSource};
pub use diskfs::{BlockStore, DiskError, DiskFs, DiskOptions, MemoryStore, StoreError};
pub use error::FsError;
pub use file::{Access, File, OpenFile, Readiness, SeekFrom, WritePos};
pub use filesystem::{FileSystem, SharedFs};
#[cfg(all(unix, not(target_arch = "wasm32")))]
pub use hostfs::HostFs;
pub use memfs::MemFs;
pub use node::{
    Clock, Cred, DirEntry, FsStats, InodeId, Metadata, Mode, NewAttrs, NewNode, NodeKind, SetAttr,
};
pub use procfs::{ProcFs, ProcSnapshot, ProcessInfo, SharedSnapshot};
pub use vfs::{
    Devices, Location, MountId, MountInfo, NAME_MAX, OpenOptions, PATH_MAX, SYMLINK_MAX, Vfs, Walk,
};
