//! The program side of the Wasmux ABI: processes, pipes, signals, the
//! working directory and terminals for wasm32-wasip1 programs.
//!
//! Wasmux runs wasm32-wasip1 programs as processes. Preview1 covers files,
//! clocks and the like, and std uses it; what POSIX programs need beyond it
//! (spawn, wait, kill, pipes, dup, signals, chdir, terminals) comes from the
//! kernel's `wasmux` import module (kernel/wasi/ABI.md). This crate wraps
//! that module in std-shaped, safe Rust: errors are `std::io::Error`
//! (WASI errno values, as wasi-libc numbers them), fds come back as
//! `OwnedFd`/`File`, and [`process::Command`] looks like std's.
//!
//! It stays thin: [`raw`] is the import table, one `unsafe` call per
//! function; each module above it adds types and nothing else, except
//! where std's view has to be kept in step with the kernel's: wasi-libc's
//! emulated working directory ([`chdir`], and a startup hook that copies
//! the kernel's into it before `main`) and the signal trampoline export.
//!
//! # Invariants
//!
//! - Every program linking this crate exports `__wasmux_signal_trampoline`
//!   and runs the startup hook: a spawned program starts in its parent's
//!   working directory for std too (`std::env::current_dir`, relative opens).
//! - [`chdir`] changes the kernel's and wasi-libc's directories together,
//!   or neither.
//! - Fds this crate creates for its own use (pipe ends of a spawn) are
//!   close-on-exec, so children never inherit them by accident.
//! - Only functions the kernel's table has are imported, with its signatures.
//! - Off wasm32-wasip1 every call fails with ENOSYS; only the pure parts
//!   (layouts, decoding) are meant to run there, as unit tests.
//!
//! # Example
//!
//! Status words and signal sets decode the same everywhere:
//!
//! ```
//! use wasmux_sys::signal::{SigSet, Signal};
//! use wasmux_sys::WaitStatus;
//!
//! assert_eq!(WaitStatus::from_raw(3 << 8), Some(WaitStatus::Exited(3)));
//! let killed = WaitStatus::from_raw(13).unwrap();
//! assert_eq!(killed.signal(), Some(Signal::Pipe));
//! assert_eq!(killed.to_string(), "killed by SIGPIPE");
//! assert_eq!(SigSet::of(Signal::Int).raw(), 1 << 2);
//! ```
//!
//! A pipeline, as a program running on Wasmux writes it:
//!
//! ```no_run
//! use std::io::Read;
//! use wasmux_sys::process::{Command, Stdio};
//!
//! let mut producer = Command::new("/bin/seq").arg("10").stdout(Stdio::piped()).spawn()?;
//! let numbers = producer.stdout.take().expect("piped");
//! let mut counter = Command::new("wc").arg("-l").stdin(numbers).stdout(Stdio::piped()).spawn()?;
//! let mut count = String::new();
//! counter.stdout.take().expect("piped").read_to_string(&mut count)?;
//! assert!(producer.wait()?.success() && counter.wait()?.success());
//! # Ok::<(), std::io::Error>(())
//! ```

mod cwd;
mod fd;
pub mod fs;
mod id;
pub mod process;
pub mod raw;
pub mod signal;
pub mod termios;
mod wait;

use std::ffi::{OsStr, OsString};
use std::io;

pub use cwd::{chdir, fchdir, getcwd, init};
pub use fd::{
    PipeFlags, cloexec, dup, dup_at_least, dup2, dup3, nonblocking, pipe, set_cloexec,
    set_nonblocking, status_flags,
};
pub use id::{
    Ids, abi_version, getids, getpgid, getpgrp, getpid, getppid, getsid, setpgid, setsid, umask,
};
pub use wait::{WaitOptions, WaitStatus, exists, kill, killpg, raise, wait_for, waitpid};
pub use wasmux_uapi::{Errno, Signal};

/// An errno from the kernel as a result: 0 is success.
pub(crate) fn check(errno: i32) -> io::Result<()> {
    match errno {
        0 => Ok(()),
        errno => Err(io::Error::from_raw_os_error(errno)),
    }
}

/// The bytes of an OS string (WASI's are arbitrary bytes, as on Unix).
pub(crate) fn bytes(string: &OsStr) -> &[u8] {
    #[cfg(unix)]
    use std::os::unix::ffi::OsStrExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::ffi::OsStrExt;
    string.as_bytes()
}

/// An OS string from bytes.
pub(crate) fn os_string(bytes: Vec<u8>) -> OsString {
    #[cfg(unix)]
    use std::os::unix::ffi::OsStringExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::ffi::OsStringExt;
    OsString::from_vec(bytes)
}

/// Whether `error` carries the errno value `errno` (e.g. to tell
/// `EPIPE` from other write errors).
pub fn is_errno(error: &io::Error, errno: Errno) -> bool {
    error.raw_os_error() == Some(errno as i32)
}
