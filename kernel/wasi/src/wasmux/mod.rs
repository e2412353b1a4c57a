//! The `wasmux` extension module: what POSIX programs need beyond preview1
//! (processes, signals, pipes, the terminal, the working directory).
//! The ABI document is kernel/wasi/ABI.md; constants and layouts are in
//! `wasmux_uapi::wasmux`.

pub mod attrs;
pub mod cwd;
pub mod fd;
pub mod image;
pub mod process;
pub mod signal;
pub mod spawn;
pub mod tty;
