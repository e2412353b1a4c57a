//! The line discipline: pure logic from typed bytes to readable bytes,
//! echo and control actions, with time passed in.

use wasmux_uapi::Signal;
use wasmux_uapi::Timestamp;
use wasmux_uapi::termios::{
    ECHO, ECHOCTL, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR, INLCR, ISIG, ISTRIP, IXANY, IXON, NOFLSH,
    Termios, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VQUIT, VREPRINT, VSTART, VSTOP,
    VSUSP, VWERASE,
};

use crate::output::{OutputState, is_control};
use crate::queue::{INPUT_MAX, InputQueue};

/// Nanoseconds in one VTIME unit (a tenth of a second).
pub const VTIME_UNIT: Timestamp = 100_000_000;

/// What a received byte asks of the device, beyond queueing and echo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reaction {
    /// Input (queued, edited or discarded); with IXON and IXANY it restarts
    /// stopped output.
    Input,
    /// ISIG: send this signal to the foreground process group (input was
    /// already flushed unless NOFLSH).
    Signal(Signal),
    /// IXON: VSTOP stops output.
    StopOutput,
    /// IXON: VSTART restarts output.
    StartOutput,
    /// IXON with VSTART equal to VSTOP: toggle.
    ToggleOutput,
}

/// The result of a read attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadOutcome {
    /// This many bytes were read; 0 is end of file (canonical VEOF on an
    /// empty line) or an expired/zero VTIME.
    Ready(usize),
    /// Nothing to return yet: retry when input arrives or at `deadline`
    /// (monotonic nanoseconds), whichever is first.
    Block { deadline: Option<Timestamp> },
}

/// How an editing character erases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Erase {
    Char,
    Word,
    Line,
}

/// Linux's n_tty for the parts programs observe. See the crate doc.
#[derive(Clone, Debug, Default)]
pub struct LineDiscipline {
    pub(crate) queue: InputQueue,
    /// The canonical line being edited.
    pub(crate) line: Vec<u8>,
    /// The previous byte was VLNEXT: take the next one literally.
    pub(crate) lnext: bool,
    /// Output column where the echo of `line` started.
    pub(crate) line_column: u32,
    pub(crate) output: OutputState,
    /// When the last byte became readable (non-canonical VTIME).
    pub(crate) last_input: Option<Timestamp>,
    /// When a blocked VMIN=0 VTIME>0 read started waiting.
    pub(crate) timed_read_start: Option<Timestamp>,
}

impl LineDiscipline {
    /// Processes one typed byte received at `now`; appends the (already
    /// output-processed) echo to `echo`.
    pub fn receive(
        &mut self,
        termios: &Termios,
        byte: u8,
        now: Timestamp,
        echo: &mut Vec<u8>,
    ) -> Reaction {
        let mut byte = if termios.iflag(ISTRIP) {
            byte & 0x7f
        } else {
            byte
        };
        if self.lnext {
            self.lnext = false;
            self.ordinary(termios, byte, now, echo);
            return Reaction::Input;
        }
        let is = |index: usize| termios.is_control_char(index, byte);
        if termios.iflag(IXON) {
            match (is(VSTART), is(VSTOP)) {
                (true, true) => return Reaction::ToggleOutput,
                (true, false) => return Reaction::StartOutput,
                (false, true) => return Reaction::StopOutput,
                (false, false) => {}
            }
        }
        if termios.lflag(ISIG) {
            let signal = [
                (VINTR, Signal::Int),
                (VQUIT, Signal::Quit),
                (VSUSP, Signal::Tstp),
            ]
            .into_iter()
            .find_map(|(index, signal)| is(index).then_some(signal));
            if let Some(signal) = signal {
                if !termios.lflag(NOFLSH) {
                    self.flush();
                }
                if termios.lflag(ECHO) {
                    self.echo_char(termios, byte, echo);
                }
                return Reaction::Signal(signal);
            }
        }
        if byte == b'\r' {
            if termios.iflag(IGNCR) {
                return Reaction::Input;
            }
            if termios.iflag(ICRNL) {
                byte = b'\n';
            }
        } else if byte == b'\n' && termios.iflag(INLCR) {
            byte = b'\r';
        }
        if termios.lflag(ICANON) && self.canonical_special(termios, byte, echo) {
            return Reaction::Input;
        }
        self.ordinary(termios, byte, now, echo);
        Reaction::Input
    }

    /// Handles the canonical-mode editing and line-ending characters;
    /// false when `byte` is none of them.
    fn canonical_special(&mut self, termios: &Termios, byte: u8, echo: &mut Vec<u8>) -> bool {
        let is = |index: usize| termios.is_control_char(index, byte);
        let extended = termios.lflag(IEXTEN);
        if is(VERASE) {
            self.erase(termios, Erase::Char, byte, echo);
        } else if is(VKILL) {
            self.erase(termios, Erase::Line, byte, echo);
        } else if extended && is(VWERASE) {
            self.erase(termios, Erase::Word, byte, echo);
        } else if extended && is(VLNEXT) {
            self.lnext = true;
            if termios.lflag(ECHO | ECHOCTL) {
                self.echo_raw(termios, b"^\x08", echo);
            }
        } else if extended && is(VREPRINT) && termios.lflag(ECHO) {
            self.reprint(termios, byte, echo);
        } else if byte == b'\n' {
            if termios.lflag(ECHO) || termios.lflag(ECHONL) {
                self.echo_raw(termios, b"\n", echo);
            }
            self.end_line(termios, Some(byte), echo);
        } else if is(VEOF) {
            self.end_line(termios, None, echo);
        } else if is(VEOL) || (extended && is(VEOL2)) {
            if termios.lflag(ECHO) {
                self.mark_line_start();
                self.echo_char(termios, byte, echo);
            }
            self.end_line(termios, Some(byte), echo);
        } else {
            return false;
        }
        true
    }

    /// Queues a byte that is plain data, echoing it.
    fn ordinary(&mut self, termios: &Termios, byte: u8, now: Timestamp, echo: &mut Vec<u8>) {
        let canonical = termios.lflag(ICANON);
        let held = self.queue.len().saturating_add(self.line.len());
        // Canonical mode keeps one byte free so a line can always end.
        let room = if canonical { INPUT_MAX - 1 } else { INPUT_MAX };
        if held >= room {
            if termios.lflag(ECHO) {
                self.echo_raw(termios, b"\x07", echo);
            }
            return;
        }
        if termios.lflag(ECHO) {
            if byte == b'\n' {
                self.echo_raw(termios, b"\n", echo);
            } else {
                self.mark_line_start();
                self.echo_char(termios, byte, echo);
            }
        }
        if canonical {
            self.line.push(byte);
        } else {
            self.queue.push(&[byte]);
            self.last_input = Some(now);
        }
    }

    /// Makes the edited line readable, with `terminator` (VEOF has none).
    fn end_line(&mut self, termios: &Termios, terminator: Option<u8>, echo: &mut Vec<u8>) {
        let held = self.queue.len().saturating_add(self.line.len());
        if !self.queue.can_end_line() || (terminator.is_some() && held >= INPUT_MAX) {
            if termios.lflag(ECHO) {
                self.echo_raw(termios, b"\x07", echo);
            }
            return;
        }
        self.line.extend(terminator);
        self.queue.push_line(&self.line);
        self.line.clear();
    }

    /// Records where the echo of a new line starts.
    fn mark_line_start(&mut self) {
        if self.line.is_empty() {
            self.line_column = self.output.column();
        }
    }

    /// Echoes a byte as typed: a control character other than tab and
    /// newline as `^X` under ECHOCTL.
    pub(crate) fn echo_char(&mut self, termios: &Termios, byte: u8, echo: &mut Vec<u8>) {
        if termios.lflag(ECHOCTL) && is_control(byte) && byte != b'\t' {
            self.echo_raw(termios, &[b'^', byte ^ 0x40], echo);
        } else {
            self.echo_raw(termios, &[byte], echo);
        }
    }

    /// Sends echo bytes through output processing.
    pub(crate) fn echo_raw(&mut self, termios: &Termios, bytes: &[u8], echo: &mut Vec<u8>) {
        self.output.process(termios, bytes, echo);
    }

    /// Processes bytes a program writes.
    pub fn process_output(&mut self, termios: &Termios, bytes: &[u8], out: &mut Vec<u8>) {
        self.output.process(termios, bytes, out);
    }
}

/// Whether an IXON/IXANY terminal restarts output on this reaction.
pub(crate) fn restarts_output(termios: &Termios, reaction: Reaction) -> bool {
    match reaction {
        Reaction::Input => termios.iflag(IXON | IXANY),
        Reaction::Signal(_) => termios.iflag(IXON),
        _ => false,
    }
}
