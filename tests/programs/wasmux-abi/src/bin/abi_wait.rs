//! waitpid statuses: an exit code, death by a signal, stop and continue
//! (with WUNTRACED and WCONTINUED), WNOHANG on a running child, waiting
//! for any child, and ECHILD once there are none.

use abi::{check, check_eq, expect_errno, helper, ok, say};
use wasmux_sys::signal::Signal;
use wasmux_sys::{Errno, WaitOptions, WaitStatus, kill, waitpid};

fn main() {
    let mut child = ok(helper("exit", &["7"]).spawn(), "spawn exit 7");
    let status = ok(child.wait(), "wait");
    check_eq(status, WaitStatus::Exited(7), "exit 7");
    say(&format!("exit 7: {status}"));

    let mut spinner = ok(helper("spin", &[]).spawn(), "spawn spin");
    let pid = spinner.id() as i32;
    check_eq(
        ok(spinner.try_wait(), "try_wait"),
        None,
        "WNOHANG while it runs",
    );
    say("running: WNOHANG reports nothing");

    ok(kill(pid, Signal::Stop), "SIGSTOP");
    let stopped = ok(waitpid(pid, WaitOptions::UNTRACED), "wait UNTRACED");
    check_eq(
        stopped,
        Some((pid as u32, WaitStatus::Stopped(Signal::Stop))),
        "stop",
    );
    say(&format!("SIGSTOP: {}", WaitStatus::Stopped(Signal::Stop)));

    ok(kill(pid, Signal::Cont), "SIGCONT");
    let continued = ok(waitpid(pid, WaitOptions::CONTINUED), "wait CONTINUED");
    check_eq(
        continued,
        Some((pid as u32, WaitStatus::Continued)),
        "continue",
    );
    say("SIGCONT: continued");

    ok(kill(pid, Signal::Term), "SIGTERM");
    let status = ok(spinner.wait(), "wait");
    check_eq(status.signal(), Some(Signal::Term), "SIGTERM");
    check_eq(status.shell_code(), 128 + 15, "as a shell shows it");
    say(&format!("SIGTERM: {status}"));

    let first = ok(helper("exit", &["1"]).spawn(), "spawn");
    let second = ok(helper("exit", &["2"]).spawn(), "spawn");
    let mut codes = Vec::new();
    for _ in 0..2 {
        let Some((pid, status)) = ok(waitpid(-1, WaitOptions::empty()), "wait any") else {
            abi::fail("waitpid without WNOHANG returned nothing");
        };
        check(pid == first.id() || pid == second.id(), "a child of ours");
        codes.push(status.code());
    }
    codes.sort();
    check_eq(codes, vec![Some(1), Some(2)], "both children, any order");
    say("waitpid(-1): both children reaped");

    expect_errno(
        waitpid(-1, WaitOptions::empty()),
        Errno::Child,
        "no children left",
    );
    expect_errno(
        waitpid(-1, WaitOptions::NOHANG),
        Errno::Child,
        "no children left, WNOHANG",
    );
    say("no children: ECHILD");
}
