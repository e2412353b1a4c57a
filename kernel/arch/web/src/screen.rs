//! The console's screen: output collected for the page's terminal.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_console::TerminalOutput;

/// Bytes the tty sent to the terminal since the page last took them.
#[derive(Clone, Debug, Default)]
pub struct Screen(Rc<RefCell<Vec<u8>>>);

impl Screen {
    /// Everything written since the last call.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

impl TerminalOutput for Screen {
    fn write(&mut self, bytes: &[u8]) {
        self.0.borrow_mut().extend_from_slice(bytes);
    }
}
