//! The children the ABI programs spawn, one role per first argument:
//!
//! - `gen N`: prints 1 to N, a line each.
//! - `filter K`: copies the stdin lines that are multiples of K.
//! - `count`: prints "L lines, sum S" of the numbers on stdin.
//! - `exit N`: exits with status N.
//! - `spin`: runs forever without a system call (a CPU hog).
//! - `pause`: sleeps forever, in short naps.
//! - `catch SIGNAL`: prints "ready", waits for the signal (INT, TERM,
//!   USR1), prints "caught SIGNAL", exits 0.
//! - `write-forever`: writes lines to stdout until a write fails, then
//!   prints the error's kind on stderr and exits 3.
//! - `interactive ROUNDS MS`: ROUNDS times, sleeps MS ms and prints "round I".
//! - `after-exec PID FD CLOEXEC_FD`: run through exec; checks it kept the
//!   pid and fd FD (writes through it), that CLOEXEC_FD is closed, that
//!   SIGUSR1 is still ignored and SIGUSR2 (caught before) is default.
//! - `pwd`: prints the kernel's and std's working directories.
//! - `ids`: prints whether pid, pgid and sid are equal ("leader" lines).
//! - `both N`: writes N bytes of 'o' to stdout and of 'e' to stderr,
//!   interleaved in chunks.
//! - `env NAME...`: prints NAME=value or NAME unset for each.
//! - `args`: prints its arguments after the role, one per line, quoted.
//! - `signal-parent SIGNAL MS`: sleeps MS ms, sends SIGNAL to its parent.
//! - `mask`: prints its blocked signals.
//! - `spawn-orphan`: spawns `pause` in its own group, prints the orphan's
//!   pid, exits without waiting.
//! - `parent`: prints its parent's pid.
//! - `cat`: copies stdin to stdout.
//! - `later MS TEXT`: sleeps MS ms, then prints TEXT.
//! - `disposition SIGNAL`: prints what SIGNAL does (default, ignore, handler).
//! - `sleep-caught MS`: catches SIGUSR1 with a flag, prints "ready", sleeps
//!   MS ms with std, prints whether the flag was set.

use std::hint::black_box;
use std::io::{self, BufRead, Write};
use std::os::fd::FromRawFd;
use std::time::Duration;

use abi::{check_eq, fail, ok, say};
use wasmux_sys::signal::{self, Handler, SigSet, Signal};

fn number(text: Option<&String>, what: &str) -> u64 {
    text.and_then(|text| text.parse().ok())
        .unwrap_or_else(|| fail(&format!("{what}: a number is missing")))
}

fn signal_named(name: &str) -> Signal {
    match name {
        "INT" => Signal::Int,
        "TERM" => Signal::Term,
        "USR1" => Signal::Usr1,
        "USR2" => Signal::Usr2,
        "PIPE" => Signal::Pipe,
        "CHLD" => Signal::Chld,
        _ => fail(&format!("unknown signal {name}")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let role = args.first().map(String::as_str).unwrap_or("");
    let rest = &args[1.min(args.len())..];
    match role {
        "gen" => (1..=number(rest.first(), "gen")).for_each(|n| println!("{n}")),
        "filter" => filter(number(rest.first(), "filter")),
        "count" => count(),
        "exit" => std::process::exit(number(rest.first(), "exit") as i32),
        "spin" => spin(),
        "pause" => loop {
            std::thread::sleep(Duration::from_millis(50));
        },
        "catch" => catch(signal_named(rest.first().map_or("", String::as_str))),
        "write-forever" => write_forever(),
        "interactive" => interactive(number(rest.first(), "rounds"), number(rest.get(1), "ms")),
        "after-exec" => after_exec(rest),
        "pwd" => {
            say(&format!(
                "kernel cwd: {}",
                ok(wasmux_sys::getcwd(), "getcwd").display()
            ));
            say(&format!(
                "std cwd: {}",
                ok(std::env::current_dir(), "current_dir").display()
            ));
        }
        "ids" => {
            let pid = wasmux_sys::getpid();
            let leads = |id: u32| if id == pid { "leader" } else { "member" };
            say(&format!("group: {}", leads(wasmux_sys::getpgrp())));
            say(&format!(
                "session: {}",
                leads(ok(wasmux_sys::getsid(0), "getsid"))
            ));
        }
        "both" => both(number(rest.first(), "both") as usize),
        "env" => rest.iter().for_each(|name| match std::env::var(name) {
            Ok(value) => say(&format!("{name}={value}")),
            Err(_) => say(&format!("{name} unset")),
        }),
        "args" => rest.iter().for_each(|arg| say(&format!("{arg:?}"))),
        "signal-parent" => {
            let signal = signal_named(rest.first().map_or("", String::as_str));
            std::thread::sleep(Duration::from_millis(number(rest.get(1), "ms")));
            ok(
                wasmux_sys::kill(wasmux_sys::getppid() as i32, signal),
                "kill parent",
            );
        }
        "later" => {
            std::thread::sleep(Duration::from_millis(number(rest.first(), "ms")));
            say(rest.get(1).map_or("", String::as_str));
        }
        "spawn-orphan" => {
            let child = ok(abi::helper("pause", &[]).process_group(0).spawn(), "spawn");
            say(&child.id().to_string());
        }
        "parent" => say(&wasmux_sys::getppid().to_string()),
        "cat" => {
            ok(
                io::copy(&mut io::stdin().lock(), &mut io::stdout().lock()),
                "copy",
            );
        }
        "mask" => say(&format!(
            "blocked: {:?}",
            ok(signal::blocked(), "sigprocmask")
        )),
        "disposition" => {
            let signal = signal_named(rest.first().map_or("", String::as_str));
            let action = ok(signal::disposition(signal), "sigaction");
            say(&format!(
                "SIG{}: {}",
                signal.name(),
                match action.handler {
                    Handler::Default => "default",
                    Handler::Ignore => "ignore",
                    Handler::Function(_) => "handler",
                }
            ));
        }
        "sleep-caught" => {
            let flag = ok(signal::flag(Signal::Usr1), "flag(SIGUSR1)");
            say("ready");
            ok(io::stdout().flush(), "flush");
            std::thread::sleep(Duration::from_millis(number(rest.first(), "ms")));
            say(&format!(
                "slept; caught: {}",
                flag.load(std::sync::atomic::Ordering::SeqCst)
            ));
        }
        _ => fail(&format!("abi_helper: unknown role {role:?}")),
    }
}

fn filter(divisor: u64) {
    for line in io::stdin().lock().lines() {
        let line = ok(line, "read stdin");
        if line.parse::<u64>().is_ok_and(|n| n % divisor == 0) {
            println!("{line}");
        }
    }
}

fn count() {
    let (mut lines, mut sum) = (0u64, 0u64);
    for line in io::stdin().lock().lines() {
        lines += 1;
        sum += ok(line, "read stdin").parse::<u64>().unwrap_or(0);
    }
    println!("{lines} lines, sum {sum}");
}

fn spin() -> ! {
    let mut counter: u64 = 0;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

fn catch(signal: Signal) {
    // Block it before saying "ready", so it cannot come before we wait.
    ok(
        signal::sigprocmask(signal::How::Block, Some(SigSet::of(signal))),
        "block",
    );
    say("ready");
    ok(io::stdout().flush(), "flush");
    let caught = ok(signal::wait_any(SigSet::of(signal)), "wait_any");
    say(&format!("caught {}", caught.name()));
}

fn write_forever() {
    let mut stdout = io::stdout().lock();
    loop {
        if let Err(error) = stdout
            .write_all(b"more and more\n")
            .and_then(|()| stdout.flush())
        {
            eprintln!("write: {:?}", error.kind());
            std::process::exit(3);
        }
    }
}

fn interactive(rounds: u64, millis: u64) {
    for round in 1..=rounds {
        std::thread::sleep(Duration::from_millis(millis));
        say(&format!("round {round}"));
    }
}

fn after_exec(rest: &[String]) {
    let pid = number(rest.first(), "pid") as u32;
    let fd = number(rest.get(1), "fd") as i32;
    let closed = number(rest.get(2), "cloexec fd") as i32;
    check_eq(wasmux_sys::getpid(), pid, "pid after exec");
    say("same pid after exec");
    // SAFETY: the fd is open (the check is what this program is for) and
    // stays so for the write; `ManuallyDrop` leaves it open afterwards.
    let mut file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    ok(
        file.write_all(b"written through the kept fd\n"),
        "write kept fd",
    );
    // The raw call: a closed fd cannot be borrowed. F_GETFD is 1.
    let mut flags = 0;
    // SAFETY: `flags` is a u32 to write.
    let errno = unsafe { wasmux_sys::raw::fcntl(closed, 1, 0, &mut flags) };
    check_eq(
        errno,
        wasmux_sys::Errno::BadF as i32,
        "F_GETFD on the close-on-exec fd after exec",
    );
    say("close-on-exec fd closed");
    let handler = |signal| ok(signal::disposition(signal), "sigaction").handler;
    check_eq(
        handler(Signal::Usr1),
        Handler::Ignore,
        "ignored before exec",
    );
    check_eq(
        handler(Signal::Usr2),
        Handler::Default,
        "caught before exec",
    );
    say("after exec: the handler is reset, the ignored signal stays ignored");
}

fn both(total: usize) {
    let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());
    let chunk = 4096;
    let mut written = 0;
    while written < total {
        let size = chunk.min(total - written);
        ok(
            out.write_all(&vec![b'o'; size]).and_then(|()| out.flush()),
            "stdout",
        );
        ok(err.write_all(&vec![b'e'; size]), "stderr");
        written += size;
    }
}
