//! A CPU hog does not starve an interactive process: with a child spinning
//! without system calls, another child doing five rounds of "sleep 20 ms,
//! write a line" must finish within a bound, and the hog is still running
//! afterwards until killed. Times go to stderr only.
//!
//! The bound adapts to the kernel's speed (a debug build interprets far
//! slower, so a fuel slice lasts longer): the program first measures a
//! scheduler round beside the hog (a sched_yield lets the hog run one
//! slice) and allows each of the five rounds its 20 ms plus four scheduler
//! rounds, plus 200 ms. Argument 1 (ms) overrides it.

use std::time::{Duration, Instant};

use abi::{check, check_eq, ok, read_rest, say, spawn_piped};
use wasmux_sys::WaitStatus;
use wasmux_sys::signal::Signal;

fn main() {
    let mut hog = ok(abi::helper("spin", &[]).spawn(), "spawn the hog");
    // Let the hog get going first.
    std::thread::sleep(Duration::from_millis(50));
    let start = Instant::now();
    for _ in 0..3 {
        std::thread::yield_now();
    }
    let round = start.elapsed() / 3;
    let bound = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .map_or(
            5 * (Duration::from_millis(20) + 4 * round) + Duration::from_millis(200),
            Duration::from_millis,
        );
    eprintln!("a scheduler round beside the hog: {round:?}");

    let start = Instant::now();
    let (mut interactive, mut output) = spawn_piped("interactive", &["5", "20"]);
    let lines = read_rest(&mut output, "interactive output");
    let status = ok(interactive.wait(), "wait for the interactive child");
    let elapsed = start.elapsed();
    eprintln!("interactive child: {elapsed:?} beside the hog (bound {bound:?})");
    check_eq(status, WaitStatus::Exited(0), "interactive status");
    check_eq(
        lines.as_str(),
        "round 1\nround 2\nround 3\nround 4\nround 5\n",
        "interactive output",
    );
    check(
        elapsed >= Duration::from_millis(100),
        "it slept its five rounds",
    );
    check(
        elapsed < bound,
        &format!("finished in {elapsed:?}, not within {bound:?}"),
    );
    say("interactive child: five rounds within the bound beside a CPU hog");

    check_eq(ok(hog.try_wait(), "try_wait"), None, "the hog still runs");
    ok(hog.kill(), "kill the hog");
    let status = ok(hog.wait(), "wait for the hog");
    check_eq(status.signal(), Some(Signal::Kill), "the hog's end");
    say(&format!("hog: {status}"));
}
