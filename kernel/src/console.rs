//! The console terminal: the platform attaches its screen, feeds keys and
//! resizes; the kernel turns what the line discipline asks into signals.

use std::rc::Rc;

use wasmux_console::{MonotonicClock, SharedTty, TerminalOutput, Tty, TtyEvent, TtyFile};
use wasmux_fs::{Access, OpenFile};
use wasmux_uapi::termios::Winsize;
use wasmux_uapi::{FdFlags, Pid, Rights, Timestamp};
use wasmux_wasi::Host;

use crate::{Inherit, Kernel};

/// The kernel's monotonic clock, for terminal read timers.
struct HostClock(Rc<dyn Host>);

impl MonotonicClock for HostClock {
    fn now(&self) -> Timestamp {
        self.0.monotonic()
    }
}

impl Kernel {
    /// Makes `output` the console's screen; returns the terminal.
    pub fn attach_console(&mut self, output: Box<dyn TerminalOutput>) -> SharedTty {
        let tty = Tty::new(output, Rc::new(HostClock(self.host.clone()))).into_shared();
        *self.console.borrow_mut() = Some(tty.clone());
        tty
    }

    /// The console as fds 0, 1 and 2 of a new process (one open file
    /// description, as a login's stdio shares one).
    pub fn console_stdio(&self) -> Option<[Inherit; 3]> {
        let tty = self.console.borrow().clone()?;
        let file = Rc::new(OpenFile::new(
            Box::new(TtyFile::new(tty.clone())),
            Access::READ_WRITE,
            FdFlags::empty(),
        ));
        let inherit = || Inherit {
            file: file.clone(),
            rights: Rights::STREAM,
        };
        Some([inherit(), inherit(), inherit()])
    }

    /// Keys typed on the console.
    pub fn console_input(&mut self, bytes: &[u8]) {
        let Some(tty) = self.console.borrow().clone() else {
            return;
        };
        let events = tty.borrow_mut().input(bytes);
        self.io_changed = true;
        self.apply_tty_events(events);
    }

    /// The console's window changed size.
    pub fn console_resize(&mut self, rows: u16, cols: u16) {
        let Some(tty) = self.console.borrow().clone() else {
            return;
        };
        let winsize = Winsize {
            rows,
            cols,
            xpixel: 0,
            ypixel: 0,
        };
        let event = tty.borrow_mut().set_winsize(winsize);
        self.apply_tty_events(event.into_iter().collect());
    }

    fn apply_tty_events(&mut self, events: Vec<TtyEvent>) {
        for TtyEvent::Signal { pgrp, signal } in events {
            for pid in self.table.group(Pid(pgrp)) {
                self.post(pid, signal);
            }
        }
    }
}
