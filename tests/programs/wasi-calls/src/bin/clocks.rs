//! clock_res_get and clock_time_get: realtime is after 2020, monotonic never
//! goes back, both have a non-zero resolution (an unknown clock id is in
//! error_invalid_arguments).
//! The CPU-time clocks are optional in preview1: they must either work or say
//! so with an errno, and the output does not tell which (runtimes differ).

use guest::{check, ok, say};

const JANUARY_2020_NS: u64 = 1_577_836_800 * 1_000_000_000;

fn main() {
    // SAFETY: the clock calls write only their results.
    unsafe {
        for (clock, name) in [
            (wasi::CLOCKID_REALTIME, "realtime"),
            (wasi::CLOCKID_MONOTONIC, "monotonic"),
        ] {
            let resolution = ok(wasi::clock_res_get(clock), name);
            check(
                resolution > 0 && resolution <= 1_000_000_000,
                "resolution is between 1 ns and 1 s",
            );
            say(&format!("{name}: resolution ok"));
        }

        let now = ok(wasi::clock_time_get(wasi::CLOCKID_REALTIME, 1), "realtime");
        check(now > JANUARY_2020_NS, "realtime is after 2020");
        say("realtime: after 2020");

        let mut previous = ok(
            wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1),
            "monotonic",
        );
        for _ in 0..1000 {
            let next = ok(
                wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1),
                "monotonic",
            );
            check(next >= previous, "monotonic never goes back");
            previous = next;
        }
        say("monotonic: never goes back");

        for clock in [
            wasi::CLOCKID_PROCESS_CPUTIME_ID,
            wasi::CLOCKID_THREAD_CPUTIME_ID,
        ] {
            let resolution = wasi::clock_res_get(clock);
            let time = wasi::clock_time_get(clock, 1);
            check(
                resolution.is_ok() == time.is_ok(),
                "a cputime clock either works or does not",
            );
        }
        say("cputime clocks: consistent");
    }
}
