//! The types that cross the boundary between Wasmux programs and the kernel.
//!
//! Both sides use this crate: the kernel decodes system calls with it and
//! userland's `wasmux-sys` encodes them. It holds plain data only (errno,
//! ids, flag sets, enumerations and struct layouts) so that it builds for
//! every target and depends on nothing but `bitflags`.
//!
//! Values are `wasi_snapshot_preview1`'s; the `wasmux` extension module reuses
//! them where they overlap (errno, signals, fds).
//!
//! # Invariants
//!
//! - Every numeric value equals the one in the WASI witx; the tests pin the
//!   ones programs depend on most.
//! - Decoding a raw value never panics: `from_raw` returns `None` for values
//!   the ABI does not define.
//!
//! # Example
//!
//! ```
//! use wasmux_uapi::{Errno, Rights, Whence};
//!
//! assert_eq!(Errno::from_raw(44), Some(Errno::NoEnt));
//! assert_eq!(Whence::from_raw(7), None);
//! assert!(Rights::REGULAR_FILE.contains(Rights::FD_READ));
//! ```
#![no_std]
#![forbid(unsafe_code)]

mod errno;
mod flags;
pub mod layout;
mod signal;
pub mod termios;
mod types;
pub mod wasmux;

pub use errno::Errno;
pub use flags::{
    EventRwFlags, FdFlags, FstFlags, LookupFlags, OFlags, RiFlags, Rights, RoFlags, SdFlags,
    SubclockFlags,
};
pub use signal::Signal;
pub use types::{
    Advice, ClockId, DirCookie, EventType, ExitCode, Fd, FileType, Pid, PreopenType, Timestamp,
    Whence,
};
