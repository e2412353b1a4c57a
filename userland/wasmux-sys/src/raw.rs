//! The `wasmux` import module exactly as the kernel's table declares it
//! (kernel/wasi/src/table.rs, documented in kernel/wasi/ABI.md).
//!
//! Every function returns an errno (WASI numbering, 0 = success) and writes
//! its results through pointers. Arguments the ABI calls `i32` pids and
//! signals are `i32` here; pointers and lengths are what they point at.
//!
//! On targets other than wasm32-wasip1 there is no kernel to import from:
//! each function is a stub that fails with `ENOSYS`, so the crate's pure
//! parts (layouts, decoding) build and are unit-tested on the host.
//!
//! # Safety
//!
//! Every function is `unsafe`: the caller promises that each pointer is
//! valid for the bytes the call reads or writes (ABI.md gives the sizes).

macro_rules! imports {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?); )*) => {
        #[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
        #[link(wasm_import_module = "wasmux")]
        unsafe extern "C" {
            $( $(#[$doc])* pub fn $name($($arg: $ty),*) -> i32; )*
        }

        #[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
        mod host {
            $(
                /// A host stub: there is no Wasmux kernel to call.
                ///
                /// # Safety
                ///
                /// Always safe; `unsafe` only to match the import.
                pub unsafe fn $name($(_: $ty),*) -> i32 {
                    super::ENOSYS
                }
            )*
        }
        #[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
        pub use host::*;
    };
}

/// WASI's ENOSYS, what the host stubs return.
#[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
const ENOSYS: i32 = wasmux_uapi::Errno::NoSys as i32;

imports! {
    /// Writes the ABI version the kernel implements.
    fn abi_version(out: *mut u32);
    fn getpid(out: *mut u32);
    fn getppid(out: *mut u32);
    fn getpgid(pid: i32, out: *mut u32);
    fn setpgid(pid: i32, pgid: i32);
    fn getsid(pid: i32, out: *mut u32);
    fn setsid(out: *mut u32);
    /// Writes uid, euid, gid, egid as four `u32`.
    fn getids(out: *mut u32);
    fn umask(mask: u32, old_out: *mut u32);
    fn kill(pid: i32, signal: i32);
    fn waitpid(pid: i32, options: u32, status_out: *mut u32, pid_out: *mut u32);
    /// `request` points at a `uapi::wasmux::spawn` record (64 bytes).
    fn spawn(request: *const u8, pid_out: *mut u32);
    /// `argv` and `envp` are NUL-terminated strings back to back.
    fn exec(
        path: *const u8,
        path_len: usize,
        argv: *const u8,
        argv_len: usize,
        envp: *const u8,
        envp_len: usize,
    );
    fn dup(fd: i32, fd_out: *mut u32);
    fn dup3(fd: i32, newfd: i32, flags: u32);
    fn fcntl(fd: i32, cmd: u32, arg: u32, out: *mut u32);
    /// Writes the read end's fd, then the write end's.
    fn pipe(fds_out: *mut u32, flags: u32);
    fn chdir(path: *const u8, path_len: usize);
    fn fchdir(fd: i32);
    /// Writes the path NUL-terminated and its length without the NUL.
    fn getcwd(buf: *mut u8, len: usize, len_out: *mut usize);
    /// `act` and `oldact` point at 24-byte `uapi::wasmux::sigaction`
    /// records; either may be null.
    fn sigaction(signal: i32, act: *const u8, oldact: *mut u8);
    /// `set` and `oldset` point at a `u64` (bit n = signal n); either may be null.
    fn sigprocmask(how: u32, set: *const u64, oldset: *mut u64);
    fn sigpending(out: *mut u64);
    fn sigsuspend(mask: *const u64);
    /// Terminal control: `arg` points at `arg_len` bytes the kernel reads
    /// and writes back, or is the value itself for TCFLSH, TCXONC, TCSBRK.
    fn ioctl(fd: i32, request: u32, arg: *mut u8, arg_len: usize);
    /// fstatat: `out` is an 88-byte `uapi::wasmux::stat` record.
    fn stat(dirfd: i32, path: *const u8, path_len: usize, flags: u32, out: *mut u8);
    /// fchmodat.
    fn chmod(dirfd: i32, path: *const u8, path_len: usize, mode: u32, flags: u32);
    /// fchownat; `u32::MAX` leaves an id alone.
    fn chown(dirfd: i32, path: *const u8, path_len: usize, uid: u32, gid: u32, flags: u32);
    /// `out` is a 56-byte `uapi::wasmux::statfs` record.
    fn statfs(dirfd: i32, path: *const u8, path_len: usize, out: *mut u8);
}
