//! The console TTY: a terminal device with Linux's line discipline.
//!
//! # Why it is shaped this way
//!
//! Programs see a terminal through a handful of behaviours: canonical line
//! editing, echo, signal characters, VMIN/VTIME reads, `\n` becoming
//! `\r\n`, and the termios/winsize/pgrp ioctls. This crate reproduces
//! those as Linux's n_tty does, and nothing that needs the rest of the
//! kernel:
//!
//! - [`LineDiscipline`] is pure logic: typed bytes in, readable bytes, echo
//!   and [`Reaction`]s out, time passed in. Unit- and property-tested alone.
//! - [`Tty`] wraps it with the attributes, the window size, the foreground
//!   process group, ^S/^Q flow control, a [`TerminalOutput`] sink the
//!   platform implements (host terminal in raw mode, xterm.js) and a
//!   [`MonotonicClock`] for VTIME. It returns [`TtyEvent`]s (signals for a
//!   process group) instead of sending them: the kernel owns processes.
//! - [`TtyFile`] is the `File` fds hold; reads that must wait return
//!   `WouldBlock` and are restarted by the kernel, so they have no side
//!   effects until they succeed.
//!
//! VTIME needs a clock: the tty reads a [`MonotonicClock`] (the kernel's),
//! and after a read returns `WouldBlock`, [`Tty::read_deadline`] says when
//! to retry without input (the kernel blocks on `Wait::Io { deadline }`).
//! The VMIN>0 timer runs from the last byte's arrival, exactly as POSIX
//! says. The VMIN=0 timer runs from the first blocked attempt of the read
//! and is one per tty (one timed reader at a time); the kernel calls
//! [`Tty::read_interrupted`] when such a read is abandoned (EINTR).
//!
//! Job control stays in the kernel, which knows the caller's process group:
//! it compares it with [`Tty::foreground`] (SIGTTIN for background readers,
//! SIGTTOU for background writers when [`Tty::tostop`]) before calling in.
//!
//! Flow control: with IXON, VSTOP stops output (writes return
//! `WouldBlock`, echo is held) until VSTART, any byte under IXANY, or a
//! signal character. Not implemented: ECHOPRT, XCASE/IUCLC, PARMRK/INPCK
//! (no parity on a virtual line), VDISCARD (an ordinary byte, as on Linux),
//! wide (two-cell) characters when erasing.
//!
//! # Invariants
//!
//! - No input panics: any bytes, attributes or ioctl arguments.
//! - Input held is bounded: at most [`INPUT_MAX`] bytes (readable plus the
//!   line being edited) and as many lines; held echo at most [`HELD_MAX`].
//! - A canonical read returns bytes of one line at most, and editing
//!   characters never reach into a line already completed.
//! - A read either succeeds or changes nothing but a VTIME timer, so the
//!   kernel may restart it.
//!
//! # Example
//!
//! ```
//! use std::rc::Rc;
//! use wasmux_console::{FakeTerminal, Tty, TtyEvent};
//! use wasmux_fs::FakeClock;
//! use wasmux_uapi::Signal;
//!
//! let screen = FakeTerminal::new();
//! let mut tty = Tty::new(Box::new(screen.clone()), Rc::new(FakeClock::new(0)));
//! tty.set_foreground(Some(7));
//!
//! // Typing "helo", backspace (DEL), "lo", Enter (CR):
//! assert!(tty.input(b"helo\x7flo\r").is_empty());
//! assert_eq!(screen.take(), b"helo\x08 \x08lo\r\n");
//! let mut buf = [0; 16];
//! let count = tty.read(&mut buf)?;
//! assert_eq!(&buf[..count], b"hello\n");
//!
//! // ^C interrupts the foreground group.
//! let events = tty.input(b"\x03");
//! assert_eq!(events, [TtyEvent::Signal { pgrp: 7, signal: Signal::Int }]);
//! assert_eq!(screen.take(), b"^C");
//! # Ok::<(), wasmux_fs::FsError>(())
//! ```
#![forbid(unsafe_code)]

mod discipline;
mod edit;
mod fake;
mod file;
mod ioctl;
mod output;
mod queue;
mod reading;
mod tty;

#[cfg(test)]
mod tests;

pub use discipline::{LineDiscipline, Reaction, ReadOutcome, VTIME_UNIT};
pub use fake::FakeTerminal;
pub use file::{CONSOLE_RDEV, TtyFile};
pub use ioctl::{IoctlArg, IoctlReply, ioctl_arg};
pub use output::OutputState;
pub use queue::INPUT_MAX;
pub use tty::{HELD_MAX, MonotonicClock, SetWhen, SharedTty, TerminalOutput, Tty, TtyEvent};
