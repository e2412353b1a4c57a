//! Raw calls with pointers outside linear memory (or straddling its end) answer
//! EFAULT instead of crashing or trapping, and the program carries on. Calls go
//! through the raw imports so nothing checks the pointers on the guest side.

use guest::{check_eq, say};
use wasi::wasi_snapshot_preview1 as raw;

const EFAULT: i32 = wasi::ERRNO_FAULT.raw() as i32;

fn main() {
    let memory_end = (core::arch::wasm32::memory_size(0) * 65536) as i32;
    let beyond = memory_end + 4096; // wholly outside memory
    let straddling = memory_end - 4; // starts inside, ends outside
    let mut out = [0u32; 4];
    let out_ptr = out.as_mut_ptr() as i32;
    let text = b"data";
    let good_iovec = [text.as_ptr() as u32, text.len() as u32];
    let bad_buffer_iovec = [beyond as u32, 16];
    let straddling_iovec = [straddling as u32, 16];

    // SAFETY: the runtime must check each pointer; nothing here is dereferenced
    // by the guest itself.
    let results = unsafe {
        [
            (
                "fd_write iovs beyond memory",
                raw::fd_write(1, beyond, 1, out_ptr),
            ),
            (
                "fd_write buffer beyond memory",
                raw::fd_write(1, bad_buffer_iovec.as_ptr() as i32, 1, out_ptr),
            ),
            (
                "fd_write buffer straddling the end",
                raw::fd_write(1, straddling_iovec.as_ptr() as i32, 1, out_ptr),
            ),
            (
                "fd_write result beyond memory",
                raw::fd_write(1, good_iovec.as_ptr() as i32, 0, beyond),
            ),
            (
                "args_sizes_get beyond memory",
                raw::args_sizes_get(beyond, out_ptr),
            ),
            (
                "environ_sizes_get beyond memory",
                raw::environ_sizes_get(out_ptr, beyond),
            ),
            (
                "clock_time_get result beyond memory",
                raw::clock_time_get(1, 1, beyond as i32),
            ),
            (
                "random_get buffer beyond memory",
                raw::random_get(beyond, 16),
            ),
            (
                "random_get buffer straddling the end",
                raw::random_get(straddling, 16),
            ),
            (
                "fd_fdstat_get result beyond memory",
                raw::fd_fdstat_get(1, beyond),
            ),
            (
                "path_open path beyond memory",
                raw::path_open(3, 0, beyond, 8, 0, 0, 0, 0, out_ptr),
            ),
            (
                "path_create_directory path straddling",
                raw::path_create_directory(3, straddling, 16),
            ),
        ]
    };
    for (what, errno) in results {
        check_eq(errno, EFAULT, what);
        say(&format!("{what}: EFAULT"));
    }
    println!("still running after {} bad pointers", results.len());
}
