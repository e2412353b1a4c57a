//! SIGINT caught by handlers: sent by kill to the program itself (the
//! handler has run when kill returns), through a plain `on` handler twice,
//! held back while blocked (pending) and delivered when unblocked, and sent
//! by a parent to a child that waits for it.

use std::sync::atomic::{AtomicU32, Ordering};

use abi::{check, check_eq, ok, read_line, read_rest, say, spawn_piped};
use wasmux_sys::signal::{self, Handler, How, SigSet, Signal};
use wasmux_sys::{WaitStatus, getpid, kill};

static CALLS: AtomicU32 = AtomicU32::new(0);

extern "C" fn count_calls(signal: i32) {
    if signal == i32::from(Signal::Int.raw()) {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }
}

fn main() {
    let flag = ok(signal::flag(Signal::Int), "flag(SIGINT)");
    ok(kill(getpid() as i32, Signal::Int), "kill self");
    check(
        flag.swap(false, Ordering::SeqCst),
        "the handler ran before kill returned",
    );
    say("kill to self: caught by the flag handler");

    // SAFETY: `count_calls` only touches an atomic.
    let previous = ok(
        unsafe { signal::on(Signal::Int, count_calls) },
        "on(SIGINT)",
    );
    check(
        matches!(previous.handler, Handler::Function(_)),
        "the flag handler was installed",
    );
    check_eq(
        ok(signal::disposition(Signal::Int), "disposition").handler,
        Handler::Function(count_calls),
        "the disposition reads back",
    );
    ok(signal::raise(Signal::Int), "raise");
    ok(signal::raise(Signal::Int), "raise again");
    check_eq(CALLS.load(Ordering::SeqCst), 2, "handler calls");
    say("raise twice: the handler ran twice");

    let old = ok(
        signal::sigprocmask(How::Block, Some(SigSet::of(Signal::Int))),
        "block",
    );
    check(!old.contains(Signal::Int), "SIGINT was not blocked before");
    ok(signal::raise(Signal::Int), "raise while blocked");
    check_eq(CALLS.load(Ordering::SeqCst), 2, "no call while blocked");
    check(
        ok(signal::sigpending(), "sigpending").contains(Signal::Int),
        "SIGINT pending",
    );
    ok(signal::sigprocmask(How::SetMask, Some(old)), "unblock");
    check_eq(CALLS.load(Ordering::SeqCst), 3, "delivered on unblock");
    check(
        ok(signal::sigpending(), "sigpending").is_empty(),
        "nothing pending after",
    );
    say("blocked: pending, then delivered when unblocked");

    ok(signal::reset(Signal::Int), "reset");
    let (mut child, mut stdout) = spawn_piped("catch", &["INT"]);
    check_eq(
        read_line(&mut stdout, "child ready").as_str(),
        "ready",
        "child says",
    );
    ok(kill(child.id() as i32, Signal::Int), "kill child");
    let rest = read_rest(&mut stdout, "child output");
    check_eq(rest.as_str(), "caught INT\n", "child output");
    check_eq(
        ok(child.wait(), "wait"),
        WaitStatus::Exited(0),
        "child status",
    );
    say("kill from the parent: the child caught SIGINT and exited 0");
}
