//! The working directory, kept in step between the kernel and wasi-libc.
//!
//! The kernel tracks each process's working directory: spawn inherits it
//! and resolves relative paths of `wasmux` calls from it. wasi-libc keeps
//! its own copy (starting at "/") for the paths std resolves through the
//! preopened root. [`chdir`] changes both; the startup hook below copies the
//! kernel's into wasi-libc before `main`, so a spawned program starts where
//! its parent was.

use std::io;
use std::path::{Path, PathBuf};

use crate::{bytes, check, os_string, raw};

/// Changes the working directory of the kernel and of wasi-libc (so std's
/// relative paths follow), or neither.
/// Errors: `ENOENT`, `ENOTDIR`, `EACCES`, and wasi-libc's (a directory
/// outside every preopen).
pub fn chdir(path: impl AsRef<Path>) -> io::Result<()> {
    let path = bytes(path.as_ref().as_os_str());
    // None when the current directory has no path any more (removed).
    let old = getcwd().ok();
    // SAFETY: `path` is valid for its length.
    check(unsafe { raw::chdir(path.as_ptr(), path.len()) })?;
    follow_kernel(old.as_deref())
}

/// [`chdir`] to the directory open at `fd`.
pub fn fchdir(fd: impl std::os::fd::AsFd) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let old = getcwd().ok();
    // SAFETY: no pointers.
    check(unsafe { raw::fchdir(fd.as_fd().as_raw_fd()) })?;
    follow_kernel(old.as_deref())
}

/// Points wasi-libc at the kernel's new directory; on failure puts the
/// kernel back at `old` (if it had a path), so the two never disagree.
fn follow_kernel(old: Option<&Path>) -> io::Result<()> {
    let result = getcwd().and_then(std::env::set_current_dir);
    if let (Err(_), Some(old)) = (&result, old) {
        let old = bytes(old.as_os_str());
        // SAFETY: `old` is valid for its length.
        let _ = unsafe { raw::chdir(old.as_ptr(), old.len()) };
    }
    result
}

/// The kernel's working directory, absolute.
pub fn getcwd() -> io::Result<PathBuf> {
    let mut buffer = vec![0u8; 256];
    loop {
        let mut len = 0usize;
        // SAFETY: `buffer` is valid for its length, `len` for a usize.
        let errno = unsafe { raw::getcwd(buffer.as_mut_ptr(), buffer.len(), &mut len) };
        if errno == wasmux_uapi::Errno::Range as i32 && buffer.len() < 1 << 20 {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        check(errno)?;
        buffer.truncate(len);
        return Ok(PathBuf::from(os_string(buffer)));
    }
}

/// Sets wasi-libc's working directory to the kernel's. The startup hook
/// does it before `main`; calling it again is harmless.
pub fn init() -> io::Result<()> {
    let kernel = getcwd()?;
    if std::env::current_dir().is_ok_and(|libc| libc == kernel) {
        return Ok(());
    }
    std::env::set_current_dir(kernel)
}

/// The startup hook: runs from wasi-libc's `__wasm_call_ctors`, after its
/// own constructors (the preopens are registered at priority 51; this one
/// has the default priority, which runs last), before `main`.
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
extern "C" fn startup() {
    // A kernel without the call, or a directory wasi-libc cannot reach:
    // the program starts at "/" as any preview1 program does.
    let _ = init();
}

/// Registered as a constructor: wasm-ld turns `.init_array` entries into
/// calls from `__wasm_call_ctors`. `#[used]` keeps it in the final binary
/// even though nothing refers to it.
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
#[used]
#[unsafe(link_section = ".init_array")]
static STARTUP: extern "C" fn() = startup;
