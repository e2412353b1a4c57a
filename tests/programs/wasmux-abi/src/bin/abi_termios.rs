//! The terminal calls on fds that are not terminals (`wasmux run` gives a
//! program the host's stdio, here pipes): every ioctl is ENOTTY, a closed
//! fd is EBADF, and isatty says no. The program loading at all shows the
//! kernel has the `ioctl` import wasmux-sys declares.

use abi::{check, expect_errno, ok, say};
use wasmux_sys::termios::{self, Queue, When, Winsize};
use wasmux_sys::{Errno, PipeFlags, pipe};

fn main() {
    let stdin = std::io::stdin();
    check(!termios::isatty(&stdin), "stdin is not a terminal here");
    expect_errno(termios::tcgetattr(&stdin), Errno::NoTty, "tcgetattr(stdin)");
    say("stdin: not a terminal (ENOTTY)");

    let (reader, writer) = ok(pipe(PipeFlags::CLOEXEC), "pipe");
    expect_errno(termios::tcgetattr(&reader), Errno::NoTty, "tcgetattr(pipe)");
    let sane = termios::Termios::sane();
    expect_errno(
        termios::tcsetattr(&writer, When::Now, &sane),
        Errno::NoTty,
        "tcsetattr",
    );
    expect_errno(termios::window_size(&reader), Errno::NoTty, "TIOCGWINSZ");
    let size = Winsize::default();
    expect_errno(
        termios::set_window_size(&reader, size),
        Errno::NoTty,
        "TIOCSWINSZ",
    );
    expect_errno(termios::tcgetpgrp(&reader), Errno::NoTty, "tcgetpgrp");
    let group = wasmux_sys::getpgrp();
    expect_errno(
        termios::tcsetpgrp(&reader, group),
        Errno::NoTty,
        "tcsetpgrp",
    );
    expect_errno(
        termios::tcflush(&reader, Queue::Both),
        Errno::NoTty,
        "tcflush",
    );
    expect_errno(termios::tcdrain(&writer), Errno::NoTty, "tcdrain");
    expect_errno(termios::input_pending(&reader), Errno::NoTty, "FIONREAD");
    say("pipe: every terminal call is ENOTTY");

    let mut out = 0u8;
    // SAFETY: one byte at `out` to write; fd 900 is never open here.
    let errno = unsafe { wasmux_sys::raw::ioctl(900, 0x5401, &mut out, 1) };
    abi::check_eq(errno, Errno::BadF as i32, "ioctl on a closed fd");
    say("closed fd: EBADF");
}
