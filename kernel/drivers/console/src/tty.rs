//! The terminal device: the discipline plus attributes, window size,
//! foreground process group, flow control and the output sink.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use wasmux_fs::{FsError, Readiness};
use wasmux_uapi::termios::{IXON, NOFLSH, TOSTOP, Termios, Winsize};
use wasmux_uapi::{Signal, Timestamp};

use crate::discipline::{LineDiscipline, Reaction, ReadOutcome, restarts_output};

/// Output held while the terminal is stopped (echo typed after ^S), at most.
pub const HELD_MAX: usize = 4096;

/// Where the terminal's output goes: the platform's terminal (a host
/// terminal in raw mode, xterm.js), or [`crate::FakeTerminal`] in tests.
pub trait TerminalOutput {
    /// Shows `bytes` (already output-processed). Must not call back into the tty.
    fn write(&mut self, bytes: &[u8]);
}

/// The monotonic clock VTIME timers run on (the kernel's, so that read
/// deadlines compare with its own). Nanoseconds.
pub trait MonotonicClock {
    fn now(&self) -> Timestamp;
}

impl MonotonicClock for wasmux_fs::FakeClock {
    fn now(&self) -> Timestamp {
        wasmux_fs::Clock::now(self)
    }
}

/// Something the kernel must do because of terminal input or a size change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TtyEvent {
    /// Send `signal` to every process in group `pgrp`.
    Signal { pgrp: u32, signal: Signal },
}

/// When new attributes take effect (TCSETS, TCSETSW, TCSETSF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetWhen {
    Now,
    /// After output drains; output is never queued, so the same as `Now`.
    Drain,
    /// After output drains, discarding pending input.
    Flush,
}

/// The console terminal. The kernel shares it as [`SharedTty`].
pub struct Tty {
    pub(crate) termios: Termios,
    pub(crate) winsize: Winsize,
    pub(crate) foreground: Option<u32>,
    pub(crate) discipline: LineDiscipline,
    output: Box<dyn TerminalOutput>,
    clock: Rc<dyn MonotonicClock>,
    /// Output stopped (by VSTOP, or by tcflow when `stopped_by_tcflow`).
    pub(crate) stopped: bool,
    pub(crate) stopped_by_tcflow: bool,
    /// Echo produced while stopped, shown on restart.
    pub(crate) held: Vec<u8>,
    read_deadline: Option<Timestamp>,
}

/// A tty as the kernel holds it: one per terminal, shared by its files.
pub type SharedTty = Rc<RefCell<Tty>>;

impl fmt::Debug for Tty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tty")
            .field("termios", &self.termios)
            .field("winsize", &self.winsize)
            .field("foreground", &self.foreground)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl Tty {
    /// A terminal with sane attributes, 24x80 and no foreground group.
    pub fn new(output: Box<dyn TerminalOutput>, clock: Rc<dyn MonotonicClock>) -> Tty {
        Tty {
            termios: Termios::sane(),
            winsize: Winsize::default(),
            foreground: None,
            discipline: LineDiscipline::default(),
            output,
            clock,
            stopped: false,
            stopped_by_tcflow: false,
            held: Vec::new(),
            read_deadline: None,
        }
    }

    /// Wraps the tty for sharing between its files and the kernel.
    pub fn into_shared(self) -> SharedTty {
        Rc::new(RefCell::new(self))
    }

    /// Feeds typed bytes; echo goes to the output. Returns the signals the
    /// kernel must send. Readiness may have changed: wake the tty's readers
    /// and writers (^Q restarts stopped output).
    pub fn input(&mut self, bytes: &[u8]) -> Vec<TtyEvent> {
        let mut events = Vec::new();
        // Echo is batched into one write, except around flow changes and
        // signals, which must see the echo before them go out first.
        let mut echo = Vec::new();
        for &byte in bytes {
            let now = self.clock.now();
            let mark = echo.len();
            let reaction = self.discipline.receive(&self.termios, byte, now, &mut echo);
            let restart = self.stopped && restarts_output(&self.termios, reaction);
            if reaction == Reaction::Input && !restart {
                continue;
            }
            let own = echo.split_off(mark);
            self.emit(&echo);
            echo.clear();
            match reaction {
                Reaction::Signal(signal) => {
                    if !self.termios.lflag(NOFLSH) {
                        self.held.clear();
                    }
                    if let Some(pgrp) = self.foreground {
                        events.push(TtyEvent::Signal { pgrp, signal });
                    }
                }
                Reaction::StopOutput => self.stopped = true,
                Reaction::StartOutput => self.start_output(),
                Reaction::ToggleOutput if self.stopped => self.start_output(),
                Reaction::ToggleOutput => self.stopped = true,
                Reaction::Input => {}
            }
            self.emit(&own);
            if restart {
                self.start_output();
            }
        }
        self.emit(&echo);
        events
    }

    /// Reads per the discipline. Errors: WouldBlock when nothing is
    /// readable yet (see [`Tty::read_deadline`] for VTIME).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, FsError> {
        let now = self.clock.now();
        match self.discipline.read(&self.termios, buf, now) {
            ReadOutcome::Ready(count) => {
                self.read_deadline = None;
                Ok(count)
            }
            ReadOutcome::Block { deadline } => {
                self.read_deadline = deadline;
                Err(FsError::WouldBlock)
            }
        }
    }

    /// When the read that last returned WouldBlock must be retried even
    /// without input (a VTIME timer), on the clock given to [`Tty::new`].
    pub fn read_deadline(&self) -> Option<Timestamp> {
        self.read_deadline
    }

    /// The blocked read was interrupted and will not be restarted: forget its timer.
    pub fn read_interrupted(&mut self) {
        self.read_deadline = None;
        self.discipline.forget_timed_read();
    }

    /// Writes through output processing. Errors: WouldBlock while output
    /// is stopped (^S, tcflow).
    pub fn write(&mut self, data: &[u8]) -> Result<usize, FsError> {
        if data.is_empty() {
            return Ok(0);
        }
        if self.stopped {
            return Err(FsError::WouldBlock);
        }
        let mut out = Vec::with_capacity(data.len().saturating_add(16));
        self.discipline
            .process_output(&self.termios, data, &mut out);
        self.output.write(&out);
        Ok(data.len())
    }

    /// Readable when a read would not block (see
    /// [`LineDiscipline::poll_readable`]); writable unless output is stopped.
    pub fn poll(&self) -> Readiness {
        let readable_bytes = self.discipline.readable_bytes(&self.termios);
        Readiness {
            readable: self.discipline.poll_readable(&self.termios),
            read_bytes: readable_bytes as u64,
            writable: !self.stopped,
            write_bytes: if self.stopped { 0 } else { HELD_MAX as u64 },
            hangup: false,
        }
    }

    pub fn termios(&self) -> &Termios {
        &self.termios
    }

    /// Replaces the attributes.
    pub fn set_termios(&mut self, termios: Termios, when: SetWhen) {
        if when == SetWhen::Flush {
            self.discipline.flush();
        }
        let old = std::mem::replace(&mut self.termios, termios);
        let now = self.clock.now();
        self.discipline.termios_changed(&old, &self.termios, now);
        if old.iflag(IXON) && !self.termios.iflag(IXON) && !self.stopped_by_tcflow {
            self.start_output();
        }
    }

    pub fn winsize(&self) -> Winsize {
        self.winsize
    }

    /// Sets the size (the platform's terminal was resized, or TIOCSWINSZ);
    /// SIGWINCH for the foreground group when it changed.
    pub fn set_winsize(&mut self, winsize: Winsize) -> Option<TtyEvent> {
        if winsize == self.winsize {
            return None;
        }
        self.winsize = winsize;
        self.foreground.map(|pgrp| TtyEvent::Signal {
            pgrp,
            signal: Signal::Winch,
        })
    }

    /// The foreground process group: the one that may read, and that
    /// signal characters and SIGWINCH go to.
    pub fn foreground(&self) -> Option<u32> {
        self.foreground
    }

    /// Sets the foreground group (session setup, TIOCSPGRP after the
    /// kernel's checks).
    pub fn set_foreground(&mut self, pgrp: Option<u32>) {
        self.foreground = pgrp;
    }

    /// TOSTOP: background writers get SIGTTOU (the kernel decides).
    pub fn tostop(&self) -> bool {
        self.termios.lflag(TOSTOP)
    }

    /// Discards typed input (TCIFLUSH, TCSETSF).
    pub fn flush_input(&mut self) {
        self.discipline.flush();
    }

    /// Discards output not yet shown (TCOFLUSH).
    pub fn flush_output(&mut self) {
        self.held.clear();
    }

    /// Whether output is stopped.
    pub fn output_stopped(&self) -> bool {
        self.stopped
    }

    /// Restarts output stopped by VSTOP (not by tcflow), showing held echo.
    pub(crate) fn start_output(&mut self) {
        if self.stopped && !self.stopped_by_tcflow {
            self.stopped = false;
            let held = std::mem::take(&mut self.held);
            self.emit(&held);
        }
    }

    /// Sends echo to the terminal, or holds it while stopped.
    fn emit(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.stopped {
            let room = HELD_MAX.saturating_sub(self.held.len());
            self.held
                .extend_from_slice(bytes.get(..room.min(bytes.len())).unwrap_or(&[]));
        } else {
            self.output.write(bytes);
        }
    }
}
