//! exec replaces the program and keeps the pid and fds: this program
//! duplicates stdout twice (one copy close-on-exec), then execs the helper
//! (found through PATH) which checks its pid, writes through the kept copy
//! and finds the close-on-exec one closed, its caught signal back to the
//! default and its ignored one still ignored. A failed exec returns its
//! error.

use std::io::Write;
use std::os::fd::AsRawFd;

use abi::{check, expect_errno, ok, say};
use wasmux_sys::process::{Command, exec};
use wasmux_sys::signal::{self, Signal};
use wasmux_sys::{Errno, cloexec, dup, dup_at_least};

fn main() {
    expect_errno(
        Err::<(), _>(exec("/bin/no-such-program", &["x"], &[] as &[&str])),
        Errno::NoEnt,
        "exec of a missing file",
    );
    let mut missing = Command::new("no-such-program");
    missing.env("PATH", "/bin:/nowhere");
    expect_errno(
        Err::<(), _>(missing.exec()),
        Errno::NoEnt,
        "exec through PATH of a missing name",
    );
    say("a failed exec returns ENOENT");

    let kept = ok(dup(std::io::stdout()), "dup stdout");
    let closing = ok(
        dup_at_least(std::io::stdout(), 10, true),
        "dup stdout close-on-exec",
    );
    check(!ok(cloexec(&kept), "F_GETFD"), "dup clears close-on-exec");
    check(
        ok(cloexec(&closing), "F_GETFD"),
        "the other copy is close-on-exec",
    );
    ok(signal::ignore(Signal::Usr1), "ignore SIGUSR1");
    ok(signal::flag(Signal::Usr2), "catch SIGUSR2");
    say("exec'ing the helper");
    ok(std::io::stdout().flush(), "flush");

    let pid = wasmux_sys::getpid().to_string();
    let kept_fd = kept.as_raw_fd().to_string();
    let closing_fd = closing.as_raw_fd().to_string();
    let error = Command::new("abi_helper.wasm")
        .env("PATH", "/nowhere:/bin")
        .args(["after-exec", &pid, &kept_fd, &closing_fd])
        .exec();
    abi::fail(&format!("exec: {error}"));
}
