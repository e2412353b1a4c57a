//! Signals: names and numbers, `trap` actions, the signals the shell
//! catches (flags set by a handler, checked between commands) or ignores,
//! and which of those its children must get back at their defaults.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use wasmux_sys::Signal;
use wasmux_sys::signal::{self, SigSet};

use crate::exec::{Flow, Run};
use crate::shell::Shell;

/// A signal by name (`INT`, `SIGINT`, `int`) or number; `EXIT` and 0 are
/// `Some(None)`.
pub fn parse_signal(text: &str) -> Option<Option<Signal>> {
    if let Ok(number) = text.parse::<u8>() {
        return if number == 0 {
            Some(None)
        } else {
            Signal::from_raw(number).map(Some)
        };
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if name == "EXIT" {
        return Some(None);
    }
    Signal::ALL
        .iter()
        .find(|signal| signal.name() == name)
        .map(|&signal| Some(signal))
}

/// How a death by `signal` reads ("Terminated", "Killed", ...).
pub fn describe_signal(signal: Signal) -> &'static str {
    match signal {
        Signal::Hup => "Hangup",
        Signal::Int => "Interrupt",
        Signal::Quit => "Quit",
        Signal::Ill => "Illegal instruction",
        Signal::Trap => "Trace/breakpoint trap",
        Signal::Abrt => "Aborted",
        Signal::Bus => "Bus error",
        Signal::Fpe => "Floating point exception",
        Signal::Kill => "Killed",
        Signal::Usr1 => "User defined signal 1",
        Signal::Segv => "Segmentation fault",
        Signal::Usr2 => "User defined signal 2",
        Signal::Pipe => "Broken pipe",
        Signal::Alrm => "Alarm clock",
        Signal::Term => "Terminated",
        Signal::Stop | Signal::Tstp | Signal::Ttin | Signal::Ttou => "Stopped",
        Signal::Xcpu => "CPU time limit exceeded",
        Signal::Xfsz => "File size limit exceeded",
        Signal::Vtalrm => "Virtual timer expired",
        Signal::Prof => "Profiling timer expired",
        _ => "Signal",
    }
}

thread_local! {
    /// The flag of each signal the shell caught with wasmux-sys's flag
    /// handler, by number.
    static FLAGS: std::cell::RefCell<[Option<&'static AtomicBool>; 64]> =
        const { std::cell::RefCell::new([None; 64]) };
}

/// Catches `signal` with a flag handler.
fn catch(signal: Signal) -> std::io::Result<()> {
    let flag = signal::flag(signal)?;
    FLAGS.with(|flags| flags.borrow_mut()[usize::from(signal.raw())] = Some(flag));
    Ok(())
}

/// Whether `signal` came since last asked (clears it).
fn came(signal: Signal) -> bool {
    FLAGS.with(|flags| {
        flags.borrow()[usize::from(signal.raw())]
            .is_some_and(|flag| flag.swap(false, Ordering::SeqCst))
    })
}

/// Whether ^C came since the last call (clears it).
pub fn take_interrupt() -> bool {
    came(Signal::Int)
}

/// Runs `body` with `signals` ignored, then puts their dispositions back:
/// what is spawned meanwhile inherits the ignored ones (POSIX's rule for
/// `&` without job control: SIGINT and SIGQUIT ignored).
pub fn with_ignored<T>(signals: &[Signal], body: impl FnOnce() -> T) -> T {
    let saved: Vec<_> = signals
        .iter()
        .filter_map(|&signal| signal::ignore(signal).ok().map(|old| (signal, old)))
        .collect();
    let result = body();
    for (signal, old) in saved {
        // SAFETY: this reinstalls the disposition the shell itself had
        // (a default, an ignore, or the shell's own flag handler).
        let _ = unsafe { signal::sigaction(signal, Some(&old)) };
    }
    result
}

/// What `trap` set for one condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `trap '' SIG`
    Ignore,
    /// `trap 'commands' SIG`
    Run(String),
}

/// The trap table and the shell's own signal dispositions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traps {
    /// By signal number; 0 is EXIT.
    actions: BTreeMap<u8, Action>,
    /// Signals the shell ignores for itself (job control): its children
    /// must get them back at their defaults.
    internal: SigSet,
    /// The shell catches SIGINT (interactive).
    catch_interrupt: bool,
}

impl Traps {
    /// The interactive shell: ^C interrupts what the shell itself runs,
    /// and the job-control signals do not stop it.
    pub fn interactive(&mut self) {
        for signal in [Signal::Quit, Signal::Tstp, Signal::Ttin, Signal::Ttou] {
            if signal::ignore(signal).is_ok() {
                self.internal.insert(signal);
            }
        }
        self.catch_interrupt = catch(Signal::Int).is_ok();
    }

    /// Signals spawned commands must have at their defaults.
    pub fn child_defaults(&self) -> SigSet {
        self.internal
    }

    pub fn action(&self, signal: Option<Signal>) -> Option<&Action> {
        self.actions.get(&signal.map_or(0, Signal::raw))
    }

    pub fn has_action(&self, signal: Signal) -> bool {
        matches!(self.action(Some(signal)), Some(Action::Run(_)))
    }

    /// Sets what happens on `signal` (`None`: EXIT); `action` `None` is
    /// the default. Errors: the signal cannot be caught.
    pub fn set(&mut self, signal: Option<Signal>, action: Option<Action>) -> std::io::Result<()> {
        let key = signal.map_or(0, Signal::raw);
        if let Some(signal) = signal {
            match &action {
                Some(Action::Ignore) => {
                    signal::ignore(signal)?;
                    self.internal.remove(signal);
                }
                Some(Action::Run(_)) => {
                    catch(signal)?;
                    self.internal.remove(signal);
                }
                None => self.reset(signal)?,
            }
        }
        match action {
            Some(action) => self.actions.insert(key, action),
            None => self.actions.remove(&key),
        };
        Ok(())
    }

    /// The disposition the shell wants for `signal` with no trap.
    fn reset(&mut self, signal: Signal) -> std::io::Result<()> {
        match signal {
            Signal::Int if self.catch_interrupt => catch(Signal::Int)?,
            Signal::Quit | Signal::Tstp | Signal::Ttin | Signal::Ttou if self.catch_interrupt => {
                signal::ignore(signal)?;
                self.internal.insert(signal);
            }
            signal => {
                signal::reset(signal)?;
            }
        }
        Ok(())
    }

    /// Traps set as `(condition name, action)`, for `trap` with no arguments.
    pub fn list(&self) -> Vec<(String, &Action)> {
        self.actions
            .iter()
            .map(|(&number, action)| {
                let name = Signal::from_raw(number).map_or("EXIT", Signal::name);
                (name.to_string(), action)
            })
            .collect()
    }

    /// Signals with a command whose signal came since last asked.
    fn pending(&self) -> Vec<(Signal, String)> {
        let mut pending = Vec::new();
        for (&number, action) in &self.actions {
            let (Some(signal), Action::Run(text)) = (Signal::from_raw(number), action) else {
                continue;
            };
            if came(signal) {
                pending.push((signal, text.clone()));
            }
        }
        pending
    }

    /// A subshell: traps with commands are reset (ignored ones stay).
    pub fn enter_subshell(&mut self) {
        self.actions
            .retain(|&number, action| number == 0 || *action == Action::Ignore);
        self.actions.remove(&0);
    }

    /// The EXIT trap's command, taken so it runs once.
    pub fn take_exit_action(&mut self) -> Option<String> {
        match self.actions.remove(&0) {
            Some(Action::Run(text)) => Some(text),
            _ => None,
        }
    }

    /// After a subshell changed traps: the signal dispositions `saved`
    /// wants, installed again.
    pub fn restore_from(&mut self, saved: &Traps) {
        let numbers: Vec<u8> = self
            .actions
            .keys()
            .chain(saved.actions.keys())
            .copied()
            .collect();
        for number in numbers {
            let Some(signal) = Signal::from_raw(number) else {
                continue;
            };
            let _ = match saved.actions.get(&number) {
                Some(action) => self.set(Some(signal), Some(action.clone())),
                None => self.set(Some(signal), None),
            };
        }
    }
}

impl Shell {
    /// Runs the commands of traps whose signals came; for ^C with no trap
    /// in an interactive shell, goes back to the prompt.
    pub fn run_pending_traps(&mut self) -> Run {
        if self.interrupted {
            self.interrupted = false;
            return Err(Flow::Interrupt);
        }
        if !self.traps.has_action(Signal::Int) && take_interrupt() && self.interactive {
            return Err(Flow::Interrupt);
        }
        for (_, action) in self.traps.pending() {
            let status = self.status;
            self.eval_text(&action)?;
            self.status = status;
        }
        Ok(())
    }

    /// Runs the EXIT trap, once.
    pub fn run_exit_trap(&mut self) {
        if let Some(action) = self.traps.take_exit_action() {
            let status = self.status;
            let _ = self.eval_text(&action);
            self.status = status;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse_by_name_or_number() {
        assert_eq!(parse_signal("INT"), Some(Some(Signal::Int)));
        assert_eq!(parse_signal("sigterm"), Some(Some(Signal::Term)));
        assert_eq!(parse_signal("9"), Some(Some(Signal::Kill)));
        assert_eq!(parse_signal("EXIT"), Some(None));
        assert_eq!(parse_signal("0"), Some(None));
        assert_eq!(parse_signal("NOPE"), None);
        assert_eq!(parse_signal("99"), None);
    }
}
