//! SIGPIPE: a writer whose reader is gone dies of it (waitpid says so);
//! with SIGPIPE ignored, the write fails with EPIPE instead, in the program
//! itself and in a child that inherits the ignored disposition.

use std::io::Write;

use abi::{check_eq, expect_errno, helper, ok, read_rest, say};
use wasmux_sys::process::Stdio;
use wasmux_sys::signal::{self, Signal};
use wasmux_sys::{Errno, PipeFlags, WaitStatus, pipe};

fn main() {
    let mut writer = ok(
        helper("write-forever", &[]).stdout(Stdio::piped()).spawn(),
        "spawn writer",
    );
    drop(writer.stdout.take());
    check_eq(
        ok(writer.wait(), "wait"),
        WaitStatus::Signaled {
            signal: Signal::Pipe,
            core_dumped: false,
        },
        "a writer without readers",
    );
    say("writer without readers: killed by SIGPIPE");

    ok(signal::ignore(Signal::Pipe), "ignore SIGPIPE");
    let (reader, mut writer_end) = ok(pipe(PipeFlags::CLOEXEC), "pipe");
    drop(reader);
    expect_errno(writer_end.write(b"x"), Errno::Pipe, "write without readers");
    say("SIGPIPE ignored: the write fails with EPIPE");

    let mut writer = ok(
        helper("write-forever", &[])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn(),
        "spawn writer",
    );
    drop(writer.stdout.take());
    let mut stderr = writer
        .stderr
        .take()
        .unwrap_or_else(|| abi::fail("no stderr pipe"));
    let message = read_rest(&mut stderr, "writer's stderr");
    check_eq(message.as_str(), "write: BrokenPipe\n", "the child's error");
    check_eq(
        ok(writer.wait(), "wait"),
        WaitStatus::Exited(3),
        "its status",
    );
    let output = ok(
        helper("disposition", &["PIPE"]).output(),
        "sigpipe disposition",
    );
    check_eq(
        String::from_utf8_lossy(&output.stdout).as_ref(),
        "SIGPIPE: ignore\n",
        "inherited",
    );
    say("the ignored disposition is inherited: the child gets EPIPE and exits 3");
}
