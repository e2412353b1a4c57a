//! A caught signal that arrives while a program sleeps with
//! `std::thread::sleep` must not end the program: std sleeps again for
//! the rest of the time when the sleep is interrupted (EINTR), so the child
//! finishes its sleep, sees its flag set and exits 0.

use abi::{check_eq, kill_when_ready, ok, read_rest, say, spawn_piped};
use wasmux_sys::WaitStatus;
use wasmux_sys::signal::Signal;

fn main() {
    let (mut child, mut stdout) = spawn_piped("sleep-caught", &["300"]);
    kill_when_ready(&child, &mut stdout, Signal::Usr1);
    let rest = read_rest(&mut stdout, "child output");
    let status = ok(child.wait(), "wait");
    check_eq(
        (rest.as_str(), status),
        ("slept; caught: true\n", WaitStatus::Exited(0)),
        "a handled signal during std's sleep",
    );
    say("a caught signal during std::thread::sleep: the sleep goes on");
}
