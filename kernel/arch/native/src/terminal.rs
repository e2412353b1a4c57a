//! The host terminal as the console: raw mode while Wasmux runs (the
//! kernel's line discipline does the editing), keys read on a thread,
//! window size changes noticed through SIGWINCH.

use std::io::{IsTerminal, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use rustix::termios::{self, OptionalActions, Termios};

/// Restores the host terminal's settings when dropped.
pub struct RawMode {
    saved: Option<Termios>,
}

impl RawMode {
    /// Puts stdin's terminal in raw mode; does nothing if stdin is not a terminal.
    pub fn enter() -> RawMode {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return RawMode { saved: None };
        }
        let Ok(saved) = termios::tcgetattr(&stdin) else {
            return RawMode { saved: None };
        };
        let mut raw = saved.clone();
        raw.make_raw();
        if termios::tcsetattr(&stdin, OptionalActions::Now, &raw).is_err() {
            return RawMode { saved: None };
        }
        RawMode { saved: Some(saved) }
    }

    pub fn is_raw(&self) -> bool {
        self.saved.is_some()
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, saved);
        }
    }
}

/// The console's screen: the host's stdout.
#[derive(Debug)]
pub struct HostScreen;

impl wasmux_console::TerminalOutput for HostScreen {
    fn write(&mut self, bytes: &[u8]) {
        let mut out = std::io::stdout().lock();
        // A closed stdout only loses output; the system keeps running.
        let _ = out.write_all(bytes).and_then(|()| out.flush());
    }
}

/// The host window size (rows, cols), if stdout is a terminal.
pub fn window_size() -> Option<(u16, u16)> {
    let size = termios::tcgetwinsize(std::io::stdout()).ok()?;
    (size.ws_row > 0 && size.ws_col > 0).then_some((size.ws_row, size.ws_col))
}

/// Keys from the host's stdin, read on a thread (`None` at end of input).
pub fn keys() -> Receiver<Option<Vec<u8>>> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buffer = [0u8; 4096];
        loop {
            match stdin.read(&mut buffer) {
                Ok(0) | Err(_) => {
                    let _ = sender.send(None);
                    return;
                }
                Ok(count) => {
                    if sender
                        .send(buffer.get(..count).map(<[u8]>::to_vec))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    receiver
}

/// Set when the host window changed size.
pub fn resizes() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&flag));
    flag
}

/// Takes a pending resize.
pub fn resized(flag: &AtomicBool) -> bool {
    flag.swap(false, Ordering::Relaxed)
}
