//! Process-level calls: arguments, environment, clocks, randomness, yielding,
//! signals, and a program that never stops.

use std::time::Duration;

use wasmux_tests::{BOTH_REFERENCES, NODE_WASI, Scenario};

#[test]
fn args_and_environment_reach_the_program_exactly() {
    Scenario::new("args_env")
        .no_root()
        .args(&["first", "with space", "", "ünïcödé"])
        .env("ZED", "last")
        .env("ALPHA", "a=b=c")
        .env("EMPTY", "")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "argc: 4\n",
            "argv[1]: \"first\"\n",
            "argv[2]: \"with space\"\n",
            "argv[3]: \"\"\n",
            "argv[4]: \"ünïcödé\"\n",
            "environ: 3\n",
            "  \"ALPHA=a=b=c\"\n",
            "  \"EMPTY=\"\n",
            "  \"ZED=last\"\n",
        ))
        .check();
}

#[test]
fn no_arguments_and_empty_environment() {
    Scenario::new("args_env")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("argc: 0\nenviron: 0\n")
        .check();
}

#[test]
fn clocks_have_resolution_and_monotonic_never_goes_back() {
    Scenario::new("clocks")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "realtime: resolution ok\n",
            "monotonic: resolution ok\n",
            "realtime: after 2020\n",
            "monotonic: never goes back\n",
            "cputime clocks: consistent\n",
        ))
        .check();
}

#[test]
fn random_get_fills_buffers() {
    Scenario::new("random")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("zero bytes: ok\n32 bytes: filled\n64 KiB: filled\n")
        .check();
}

#[test]
fn sched_yield_succeeds() {
    Scenario::new("sched_yield")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("yielded 100 times\n")
        .check();
}

/// Wasmtime answers ENOTSUP (no signals) and the program then exits 0, so only
/// node:wasi, which raises SIGTERM for real, is a reference here.
#[test]
fn proc_raise_sigterm_terminates_the_process() {
    Scenario::new("proc_raise")
        .no_root()
        .references(NODE_WASI)
        .stdout("raising SIGTERM\n")
        .fails()
        .check();
}

/// A CPU-bound loop without system calls keeps running (the kernel preempts it
/// with fuel, and the host can still kill it).
#[test]
fn endless_loop_keeps_running_until_killed() {
    Scenario::new("spin_forever")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("spinning forever\n")
        .still_running_after(Duration::from_secs(3))
        .check();
}

#[test]
fn compute_benchmark_gives_the_known_answer() {
    Scenario::new("compute_sieve")
        .no_root()
        .args(&["100000", "3"])
        .references(BOTH_REFERENCES)
        .stdout("primes below 100000: 9592\nchecksum: cd0adc404f45071b\n")
        .check();
}
