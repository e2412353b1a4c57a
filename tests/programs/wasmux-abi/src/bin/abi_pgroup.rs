//! Process groups and sessions: children put into a new group (by spawn
//! and by setpgid from the parent), a signal to the group reaching every
//! member and not the parent, a child made a session leader, and the
//! parent's own group and session calls.

use std::sync::atomic::Ordering;

use abi::{check, check_eq, expect_errno, helper, ok, say};
use wasmux_sys::signal::{self, Signal};
use wasmux_sys::{Errno, WaitStatus, getpgid, getpgrp, getpid, getsid, killpg, setpgid, setsid};

fn main() {
    let own = getpgrp();
    check_eq(ok(getpgid(0), "getpgid(0)"), own, "getpgid(0) is getpgrp");
    check_eq(
        ok(getpgid(getpid() as i32), "getpgid(pid)"),
        own,
        "by pid too",
    );
    check(ok(getsid(0), "getsid") != 0, "a session");
    say("own group and session: ok");

    let term = ok(signal::flag(Signal::Term), "flag(SIGTERM)");
    let mut leader = ok(
        helper("pause", &[]).process_group(0).spawn(),
        "spawn leader",
    );
    let group = leader.id();
    let mut member = ok(
        helper("pause", &[]).process_group(group).spawn(),
        "spawn member",
    );
    check_eq(
        ok(getpgid(group as i32), "getpgid"),
        group,
        "the first child leads a new group",
    );
    check_eq(
        ok(getpgid(member.id() as i32), "getpgid"),
        group,
        "the second joined it",
    );
    say("spawn into a new group, and into that group: ok");

    let mut moved = ok(helper("pause", &[]).spawn(), "spawn");
    let moved_pid = moved.id() as i32;
    check_eq(
        ok(getpgid(moved_pid), "getpgid"),
        own,
        "a child starts in the parent's group",
    );
    ok(setpgid(moved_pid, 0), "setpgid(child, 0)");
    check_eq(
        ok(getpgid(moved_pid), "getpgid"),
        moved.id(),
        "setpgid made it a leader",
    );
    ok(setpgid(moved_pid, group as i32), "setpgid(child, group)");
    check_eq(ok(getpgid(moved_pid), "getpgid"), group, "then moved it");
    say("setpgid on a child: ok");

    ok(killpg(group, Signal::Term), "kill the group");
    for child in [&mut leader, &mut member, &mut moved] {
        let status = ok(child.wait(), "wait");
        check_eq(
            status.signal(),
            Some(Signal::Term),
            "each member got SIGTERM",
        );
    }
    check(
        !term.load(Ordering::SeqCst),
        "the parent is not in the group",
    );
    say("SIGTERM to the group: all three members died, the parent did not get it");

    let output = ok(helper("ids", &[]).setsid().output(), "spawn with setsid");
    check_eq(output.status, WaitStatus::Exited(0), "status");
    check_eq(
        String::from_utf8_lossy(&output.stdout).as_ref(),
        "group: leader\nsession: leader\n",
        "a setsid child leads its group and session",
    );
    let output = ok(helper("ids", &[]).output(), "spawn");
    check_eq(
        String::from_utf8_lossy(&output.stdout).as_ref(),
        "group: member\nsession: member\n",
        "a plain child does not",
    );
    say("spawn with setsid: the child leads a new session");

    check_eq(own, getpid(), "the first process leads its group");
    expect_errno(setsid(), Errno::Perm, "setsid by a group leader");
    say("setsid by a group leader: EPERM");
    expect_errno(setpgid(99_999, 0), Errno::Srch, "setpgid on a stranger");
    say("setpgid on a process that is not a child: ESRCH");
}
