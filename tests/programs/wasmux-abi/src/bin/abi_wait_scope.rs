//! Which children a wait and a kill reach: waitpid(0) waits only for
//! children in the caller's group and waitpid(-pgid) for that group's;
//! kill(0) signals the caller's whole group; an orphan (its parent exited
//! without waiting) goes on running, adopted by init (pid 1, the first
//! process of `wasmux run`, this program); 256 KiB go through a pipe
//! to a child and back.

use std::io::{Read, Write};
use std::sync::atomic::Ordering;

use abi::{check, check_eq, expect_errno, helper, ok, say};
use wasmux_sys::process::Stdio;
use wasmux_sys::signal::{self, Signal};
use wasmux_sys::{Errno, WaitOptions, WaitStatus, getpgrp, kill, killpg, waitpid};

fn main() {
    let apart = ok(helper("pause", &[]).process_group(0).spawn(), "spawn apart");
    let apart_pid = apart.id();
    let mut here = ok(helper("exit", &["5"]).spawn(), "spawn in our group");
    let reaped = ok(waitpid(0, WaitOptions::empty()), "waitpid(0)");
    check_eq(
        reaped,
        Some((here.id(), WaitStatus::Exited(5))),
        "waitpid(0) reaps our group's child",
    );
    expect_errno(here.try_wait(), Errno::Child, "already reaped");
    expect_errno(
        waitpid(0, WaitOptions::NOHANG),
        Errno::Child,
        "the other group's child does not count (WNOHANG)",
    );
    expect_errno(
        waitpid(0, WaitOptions::empty()),
        Errno::Child,
        "no child left in our group",
    );
    say("waitpid(0): only children in the caller's group");

    ok(kill(apart_pid as i32, Signal::Term), "SIGTERM");
    let reaped = ok(
        waitpid(-(apart_pid as i32), WaitOptions::empty()),
        "waitpid(-pgid)",
    );
    check_eq(
        reaped.map(|(pid, status)| (pid, status.signal())),
        Some((apart_pid, Some(Signal::Term))),
        "waitpid(-pgid)",
    );
    drop(apart);
    say("waitpid(-pgid): that group's child");

    let flag = ok(signal::flag(Signal::Usr1), "flag(SIGUSR1)");
    let mut member = ok(helper("pause", &[]).spawn(), "spawn a group member");
    ok(kill(0, Signal::Usr1), "kill(0)");
    check(flag.swap(false, Ordering::SeqCst), "the caller got it");
    let status = ok(member.wait(), "wait");
    check_eq(status.signal(), Some(Signal::Usr1), "the member got it too");
    check(getpgrp() != 0, "a group");
    say("kill(0): the caller's whole group");

    // The orphan inherits the pipe too: read its pid's line, not to the end.
    let (mut parent, mut stdout) = abi::spawn_piped("spawn-orphan", &[]);
    let text = abi::read_line(&mut stdout, "the orphan's pid");
    check_eq(
        ok(parent.wait(), "wait"),
        WaitStatus::Exited(0),
        "the orphan's parent",
    );
    let orphan: i32 = text
        .trim()
        .parse()
        .unwrap_or_else(|_| abi::fail(&format!("pid? {text:?}")));
    check(wasmux_sys::exists(orphan), "the orphan runs on");
    // The first process of `wasmux run` is pid 1, init, which adopts orphans.
    check_eq(wasmux_sys::getpid(), 1, "this program is init");
    check_eq(
        ok(waitpid(orphan, WaitOptions::NOHANG), "waitpid(orphan)"),
        None,
        "the orphan is init's child now, still running",
    );
    ok(killpg(orphan as u32, Signal::Kill), "kill the orphan");
    let status = ok(wasmux_sys::wait_for(orphan as u32), "reap the orphan");
    check_eq(status.signal(), Some(Signal::Kill), "init reaps it");
    say("an orphan runs on, adopted by init (this program), which reaps it");

    let mut cat = ok(
        helper("cat", &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn(),
        "spawn cat",
    );
    let mut input = cat
        .stdin
        .take()
        .unwrap_or_else(|| abi::fail("no stdin pipe"));
    let mut output = cat
        .stdout
        .take()
        .unwrap_or_else(|| abi::fail("no stdout pipe"));
    let data: Vec<u8> = (0..262_144u32).map(|n| (n % 251) as u8).collect();
    let mut back = Vec::new();
    // Write in pieces and read what comes back between them, so neither
    // pipe fills up with both sides blocked.
    for piece in data.chunks(8192) {
        ok(input.write_all(piece), "write to cat");
        wasmux_sys::set_nonblocking(&output, true).unwrap_or(());
        let mut chunk = [0u8; 65536];
        while let Ok(count) = output.read(&mut chunk) {
            if count == 0 {
                break;
            }
            back.extend_from_slice(&chunk[..count]);
        }
        ok(
            wasmux_sys::set_nonblocking(&output, false),
            "blocking again",
        );
    }
    drop(input);
    ok(output.read_to_end(&mut back), "read the rest");
    check_eq(ok(cat.wait(), "wait"), WaitStatus::Exited(0), "cat");
    check(back == data, "256 KiB came back intact");
    say("256 KiB through two pipes and a child, intact");
}
