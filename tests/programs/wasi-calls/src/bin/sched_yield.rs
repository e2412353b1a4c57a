//! sched_yield succeeds (a cooperative kernel may run someone else meanwhile).

fn main() {
    for _ in 0..100 {
        // SAFETY: sched_yield has no arguments.
        guest::ok(unsafe { wasi::sched_yield() }, "sched_yield");
    }
    println!("yielded 100 times");
}
