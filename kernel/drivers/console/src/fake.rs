//! A fake terminal for tests: records what the tty shows.

use std::cell::RefCell;
use std::rc::Rc;

use crate::tty::TerminalOutput;

/// Collects output; clones share one screen, so a test keeps a clone and
/// gives the tty another.
#[derive(Clone, Debug, Default)]
pub struct FakeTerminal {
    shown: Rc<RefCell<Vec<u8>>>,
}

impl FakeTerminal {
    pub fn new() -> FakeTerminal {
        FakeTerminal::default()
    }

    /// Everything shown since the last `take`.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.shown.borrow_mut())
    }
}

impl TerminalOutput for FakeTerminal {
    fn write(&mut self, bytes: &[u8]) {
        self.shown.borrow_mut().extend_from_slice(bytes);
    }
}
