//! SIGINT sent to a process group (as a terminal sends ^C to its
//! foreground job): a child spawned into a new group catches it; the
//! parent, in another group, does not get it.

use std::sync::atomic::Ordering;

use abi::{check, check_eq, helper, ok, read_line, read_rest, say};
use wasmux_sys::process::Stdio;
use wasmux_sys::signal::{self, Signal};
use wasmux_sys::{WaitStatus, getpgid, getpgrp, killpg};

fn main() {
    let parent_flag = ok(signal::flag(Signal::Int), "flag(SIGINT)");
    let mut child = ok(
        helper("catch", &["INT"])
            .process_group(0)
            .stdout(Stdio::piped())
            .spawn(),
        "spawn into a new group",
    );
    let group = child.id();
    check_eq(
        ok(getpgid(group as i32), "getpgid"),
        group,
        "the child leads its group",
    );
    check(group != getpgrp(), "a group other than the parent's");
    let mut stdout =
        std::io::BufReader::new(child.stdout.take().unwrap_or_else(|| abi::fail("no pipe")));
    check_eq(
        read_line(&mut stdout, "ready").as_str(),
        "ready",
        "child says",
    );

    ok(killpg(group, Signal::Int), "SIGINT to the group");
    check_eq(
        read_rest(&mut stdout, "child output").as_str(),
        "caught INT\n",
        "the child caught it",
    );
    check_eq(
        ok(child.wait(), "wait"),
        WaitStatus::Exited(0),
        "child status",
    );
    check(
        !parent_flag.load(Ordering::SeqCst),
        "the parent did not get SIGINT",
    );
    say("SIGINT to the child's group: caught by the child, not the parent");
}
