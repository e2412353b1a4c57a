//! Runs forever without a system call, so only fuel (or a kill) stops it.
//! Prints one line first so a test can see it started.

use std::hint::black_box;

fn main() {
    println!("spinning forever");
    let mut counter: u64 = 0;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}
