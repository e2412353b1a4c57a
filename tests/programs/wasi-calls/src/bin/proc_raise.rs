//! proc_raise(SIGTERM): the default action of SIGTERM terminates the process,
//! so on a runtime with signals the line after the call is never printed and
//! the status is non-zero (node:wasi raises it on the node process itself).
//! A runtime without signals must say so with an errno (Wasmtime: ENOTSUP):
//! then the program prints it and exits 0. Returning success is a failure.

fn main() {
    println!("raising SIGTERM");
    // SAFETY: proc_raise takes a plain signal number.
    match unsafe { wasi::proc_raise(wasi::SIGNAL_TERM) } {
        Ok(()) => guest::fail(
            "proc_raise(SIGTERM) returned success: the process survived its own SIGTERM",
        ),
        Err(errno) => println!("proc_raise unsupported: {}", errno.name()),
    }
}
