//! The persistent block store in the browser: one OPFS file, read and
//! written in place through a synchronous access handle.
//!
//! # Why it is shaped this way
//!
//! Measured in headless Chromium: creating an OPFS file costs 1-3 ms and a
//! 4 KiB sync-handle write about 40 us, while 1 MiB chunks stream at GB/s.
//! So Wasmux does not map its files onto OPFS files: diskfs keeps the whole
//! tree inside one large store and this crate makes that store one OPFS
//! file. Synchronous access handles exist only in dedicated Workers and are
//! opened asynchronously, so the kernel Worker's script opens the handle
//! before the kernel starts and hands it over; from then on every call is
//! synchronous, as [`BlockStore`] wants.
//!
//! The handle is exclusive: while one Worker holds it, no other tab can
//! open the disk (the Worker's script says so instead of booting twice).
//!
//! # Invariants
//!
//! - `flush` returns only after the handle's `flush()` did: what diskfs
//!   commits before it is on disk. A tab killed mid-write keeps a prefix of
//!   the writes issued, which is all diskfs assumes.
//! - Bytes past the end read as zeros; a write past the end extends the
//!   file with zeros first; short reads and writes are retried, never
//!   reported as success.
//! - A quota error is [`StoreError::NoSpace`]; every other failure is
//!   [`StoreError::Io`] with the browser's error name and message.
//!
//! # Example
//!
//! The store works over anything shaped like a sync access handle; tests
//! use [`FakeHandle`]:
//!
//! ```
//! use wasmux_fs::BlockStore;
//! use wasmux_opfs_block::{FakeHandle, OpfsStore};
//!
//! let mut store = OpfsStore::new(FakeHandle::default())?;
//! store.write_at(8192, b"disk")?;
//! store.flush()?;
//! let mut buf = [1; 6];
//! store.read_at(8190, &mut buf)?;
//! assert_eq!(&buf, b"\0\0disk");
//! assert_eq!(store.len()?, 8196);
//! # Ok::<(), wasmux_fs::StoreError>(())
//! ```
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]

mod fake;
#[cfg(target_arch = "wasm32")]
mod handle;
mod store;

pub use fake::FakeHandle;
pub use store::{HandleError, OpfsStore, SyncAccess};
pub use wasmux_fs::{BlockStore, StoreError};
