//! Behaviour tests of the tty through its public API, with a fake screen
//! and a fake clock.

mod canonical;
mod device;
mod properties;
mod raw;
mod signals;

use std::rc::Rc;

use wasmux_fs::{FakeClock, FsError};
use wasmux_uapi::termios::Termios;

use crate::{FakeTerminal, Tty, TtyEvent};

/// Foreground group the harness starts with.
const FOREGROUND: u32 = 42;

struct Harness {
    tty: Tty,
    screen: FakeTerminal,
    clock: Rc<FakeClock>,
}

fn harness() -> Harness {
    let screen = FakeTerminal::new();
    let clock = Rc::new(FakeClock::new(1_000));
    let mut tty = Tty::new(Box::new(screen.clone()), clock.clone());
    tty.set_foreground(Some(FOREGROUND));
    Harness { tty, screen, clock }
}

impl Harness {
    fn type_bytes(&mut self, bytes: &[u8]) -> Vec<TtyEvent> {
        self.tty.input(bytes)
    }

    /// One read with a buffer of `len` bytes.
    fn read(&mut self, len: usize) -> Result<Vec<u8>, FsError> {
        let mut buf = vec![0; len];
        let count = self.tty.read(&mut buf)?;
        buf.truncate(count);
        Ok(buf)
    }

    fn shown(&self) -> Vec<u8> {
        self.screen.take()
    }

    /// Changes the attributes (TCSETS).
    fn configure(&mut self, change: impl FnOnce(&mut Termios)) {
        let mut termios = *self.tty.termios();
        change(&mut termios);
        self.tty.set_termios(termios, crate::SetWhen::Now);
    }
}
