//! The Wasmux ABI: `wasi_snapshot_preview1`, complete, over the kernel's subsystems.
//!
//! This crate only translates. A handler decodes its arguments from guest
//! memory (every pointer checked by `wasmux-mm`), calls the subsystems
//! through a [`Context`] (the calling process's fd table from
//! `wasmux-proc`, the `wasmux-fs` VFS, and [`Host`] services for time and
//! randomness), and encodes the result. Errors become WASI errno values in
//! one place ([`ErrnoExt::from_fs`], the `From` impls of [`SysError`]).
//!
//! Handlers never block the kernel: a call that must wait returns
//! [`SysError::Block`] and is restarted from its original arguments when the
//! condition may hold, so every handler is restartable (it has no side
//! effects before the point where it can still block).
//!
//! One module per WASI family: [`args_env`], [`clock`], [`fd`], [`fd_io`],
//! [`fd_filestat`], [`path`], [`path_open`], [`poll`], [`proc`], [`random`],
//! [`sock`]; the declarative import table is in [`table`].
//!
//! # Invariants
//!
//! - A garbage argument returns an errno (EFAULT, EBADF, EINVAL...), never a
//!   panic: guest values reach no `unwrap`, no indexing, no unchecked arithmetic.
//! - Rights only shrink: `fd_fdstat_set_rights` cannot grant, and fds opened
//!   through a directory get at most its inheriting rights.
//! - A result pointer is checked before any side effect that it reports.
//!
//! # Example
//!
//! ```
//! use wasmux_wasi::{SYSCALLS, host_functions};
//!
//! // Every preview1 function is in the table, with its wasm signature.
//! let preview1 = SYSCALLS.iter().filter(|s| s.function.module == "wasi_snapshot_preview1");
//! assert_eq!(preview1.count(), 46);
//! let fd_write = host_functions().into_iter().find(|f| f.name == "fd_write").unwrap();
//! assert_eq!(fd_write.module, "wasi_snapshot_preview1");
//! assert_eq!(fd_write.params.len(), 4);
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
// Handlers keep the parameter lists of the WASI spec, which are long.
#![allow(clippy::too_many_arguments)]

pub mod args_env;
pub mod clock;
mod context;
pub mod fd;
pub mod fd_filestat;
pub mod fd_io;
mod guest;
pub mod path;
pub mod path_open;
pub mod poll;
pub mod proc;
pub mod random;
pub mod sock;
pub mod table;
pub mod testing;
#[cfg(test)]
mod tests;
pub mod wasmux;

pub use context::{Context, ErrnoExt, Host, Processes, SysError, SysResult};
pub use table::{SYSCALLS, Syscall, dispatch, errno_value, host_functions};
