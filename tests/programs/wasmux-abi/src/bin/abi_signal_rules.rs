//! Signal rules around handlers: a blocking read is interrupted (EINTR)
//! by a handler without SA_RESTART and carries on with it; SA_RESETHAND
//! handles once; SIGKILL and SIGSTOP cannot be blocked; SIGCHLD comes when
//! a child exits; spawn inherits the mask (or takes the one given), resets
//! handlers, keeps ignored signals ignored unless told to default them.

use std::io::{ErrorKind, Read};
use std::sync::atomic::{AtomicU32, Ordering};

use abi::{check, check_eq, helper, ok, say};
use wasmux_sys::process::Stdio;
use wasmux_sys::signal::{self, Handler, How, SaFlags, SigAction, SigSet, Signal};
use wasmux_sys::{PipeFlags, WaitStatus, pipe};

static USR1: AtomicU32 = AtomicU32::new(0);

extern "C" fn count_usr1(_: i32) {
    USR1.fetch_add(1, Ordering::SeqCst);
}

fn handle_usr1(flags: SaFlags) {
    let action = SigAction {
        handler: Handler::Function(count_usr1),
        mask: SigSet::EMPTY,
        flags,
    };
    // SAFETY: `count_usr1` only touches an atomic.
    ok(
        unsafe { signal::sigaction(Signal::Usr1, Some(&action)) },
        "sigaction",
    );
}

fn child_says(command: &mut wasmux_sys::process::Command) -> String {
    let output = ok(command.output(), "spawn");
    check_eq(output.status, WaitStatus::Exited(0), "child status");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn main() {
    handle_usr1(SaFlags::empty());
    let (mut reader, _writer) = ok(pipe(PipeFlags::CLOEXEC), "pipe");
    let mut sender = ok(helper("signal-parent", &["USR1", "100"]).spawn(), "spawn");
    let mut buffer = [0u8; 16];
    match reader.read(&mut buffer) {
        Err(error) if error.kind() == ErrorKind::Interrupted => {}
        other => abi::fail(&format!("read interrupted without SA_RESTART: {other:?}")),
    }
    check_eq(USR1.load(Ordering::SeqCst), 1, "the handler ran");
    check_eq(ok(sender.wait(), "wait"), WaitStatus::Exited(0), "sender");
    say("without SA_RESTART: a blocked read fails with EINTR after the handler");

    handle_usr1(SaFlags::RESTART);
    let mut sender = ok(helper("signal-parent", &["USR1", "100"]).spawn(), "spawn");
    let mut writer = ok(
        helper("later", &["400", "late"])
            .stdout(Stdio::piped())
            .spawn(),
        "spawn",
    );
    let mut late = writer.stdout.take().unwrap_or_else(|| abi::fail("no pipe"));
    let count = ok(late.read(&mut buffer), "read across the signal");
    check_eq(
        &buffer[..count],
        b"late\n",
        "the read carried on and got the data",
    );
    check_eq(USR1.load(Ordering::SeqCst), 2, "the handler ran");
    check_eq(ok(sender.wait(), "wait"), WaitStatus::Exited(0), "sender");
    check_eq(ok(writer.wait(), "wait"), WaitStatus::Exited(0), "writer");
    say("with SA_RESTART: the read carries on after the handler");

    handle_usr1(SaFlags::RESETHAND);
    ok(signal::raise(Signal::Usr1), "raise");
    check_eq(USR1.load(Ordering::SeqCst), 3, "the handler ran");
    let after = ok(signal::disposition(Signal::Usr1), "disposition").handler;
    check_eq(after, Handler::Default, "SA_RESETHAND");
    say("SA_RESETHAND: handled once, then default");

    let old = ok(
        signal::sigprocmask(How::Block, Some(SigSet::all())),
        "block all",
    );
    let blocked = ok(signal::blocked(), "blocked");
    check(
        !blocked.contains(Signal::Kill) && !blocked.contains(Signal::Stop),
        "KILL and STOP",
    );
    check(blocked.contains(Signal::Int), "the rest are blocked");
    ok(signal::sigprocmask(How::SetMask, Some(old)), "restore");
    say("blocking everything leaves SIGKILL and SIGSTOP unblocked");

    let mut child = ok(helper("exit", &["0"]).spawn(), "spawn");
    let caught = ok(
        signal::wait_any(SigSet::of(Signal::Chld)),
        "wait for SIGCHLD",
    );
    check_eq(caught, Signal::Chld, "SIGCHLD");
    check_eq(ok(child.wait(), "wait"), WaitStatus::Exited(0), "child");
    say("a child's exit sends SIGCHLD");

    ok(
        signal::sigprocmask(How::Block, Some(SigSet::of(Signal::Usr2))),
        "block USR2",
    );
    check_eq(
        child_says(&mut helper("mask", &[])).as_str(),
        "blocked: {\"USR2\"}\n",
        "inherited",
    );
    let mask = SigSet::of(Signal::Int);
    check_eq(
        child_says(helper("mask", &[]).signal_mask(mask)).as_str(),
        "blocked: {\"INT\"}\n",
        "given",
    );
    ok(
        signal::sigprocmask(How::SetMask, Some(SigSet::EMPTY)),
        "unblock",
    );
    say("spawn: the mask is inherited, or the one given");

    handle_usr1(SaFlags::RESTART);
    ok(signal::ignore(Signal::Usr2), "ignore USR2");
    let usr1 = child_says(&mut helper("disposition", &["USR1"]));
    let usr2 = child_says(&mut helper("disposition", &["USR2"]));
    check_eq(
        usr1 + &usr2,
        "SIGUSR1: default\nSIGUSR2: ignore\n".to_string(),
        "handlers reset, ignored stays",
    );
    let output =
        child_says(helper("disposition", &["USR2"]).default_signals(SigSet::of(Signal::Usr2)));
    check_eq(output.as_str(), "SIGUSR2: default\n", "default_signals");
    say("spawn: handlers reset, ignored stays ignored unless defaulted");
}
