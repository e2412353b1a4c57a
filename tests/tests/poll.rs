//! poll_oneoff: clock subscriptions (relative and absolute) and fd
//! subscriptions (a regular file, stdin, stdout).

use wasmux_tests::{Scenario, WASMTIME};

/// node:wasi treats an absolute deadline as relative (it sleeps for ~55 years).
#[test]
fn poll_clock_sleeps_relative_and_until_absolute_deadlines() {
    Scenario::new("poll_clock")
        .no_root()
        .references(WASMTIME)
        .stdout(concat!(
            "relative 20 ms: waited, event userdata 7\n",
            "absolute deadline: reached, event userdata 8\n",
            "absolute deadline in the past: fires at once\n",
            "two timeouts: the earlier one (userdata 2) fires alone\n",
            "zero timeout: fires at once\n",
            "no subscriptions: EINVAL\n",
        ))
        .check();
}

/// node:wasi supports no fd subscriptions at all.
#[test]
fn poll_fd_reports_files_stdin_and_stdout_ready() {
    Scenario::new("poll_fd")
        .references(WASMTIME)
        .stdin(b"ping\n")
        .stdout(concat!(
            "regular file read: fd_read SUCCESS\n",
            "regular file write: fd_write SUCCESS\n",
            "stdout write: fd_write SUCCESS\n",
            "stdin read: fd_read SUCCESS\n",
            "stdin: read ping\n",
            "closed fd: EBADF\n",
        ))
        .check();
}
