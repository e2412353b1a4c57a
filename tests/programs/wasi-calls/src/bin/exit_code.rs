//! Exits through proc_exit with status 3; nothing after the call may run.

fn main() {
    println!("exiting with status 3");
    // SAFETY: proc_exit never returns.
    unsafe { wasi::proc_exit(3) };
    guest::fail("proc_exit returned");
}
