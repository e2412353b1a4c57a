//! What a signal does: default actions, dispositions and their flags.

use core::fmt;

use bitflags::bitflags;
use wasmux_uapi::Signal;

use crate::SigSet;

/// What a signal does to a process whose disposition for it is
/// [`Disposition::Default`] (POSIX's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefaultAction {
    /// End the process.
    Terminate,
    /// End the process and (nominally) dump core: the wait status says so.
    TerminateCore,
    /// Nothing happens; the signal is discarded.
    Ignore,
    /// Stop the process until SIGCONT.
    Stop,
    /// Continue a stopped process (done when the signal is posted).
    Continue,
}

/// The default action of `signal`.
pub fn default_action(signal: Signal) -> DefaultAction {
    use Signal::*;
    match signal {
        Quit | Ill | Trap | Abrt | Bus | Fpe | Segv | Xcpu | Xfsz | Sys => {
            DefaultAction::TerminateCore
        }
        Chld | Urg | Winch => DefaultAction::Ignore,
        Stop | Tstp | Ttin | Ttou => DefaultAction::Stop,
        Cont => DefaultAction::Continue,
        Hup | Int | Kill | Usr1 | Usr2 | Pipe | Alrm | Term | Vtalrm | Prof | Poll | Pwr => {
            DefaultAction::Terminate
        }
    }
}

bitflags! {
    /// `sa_flags` of a handler. The values are Linux's, so that C headers
    /// derived from musl can use them unchanged.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct SaFlags: u32 {
        /// SIGCHLD only: no SIGCHLD when a child stops or continues.
        const NOCLDSTOP = 0x0000_0001;
        /// SIGCHLD only: exited children are reaped at once, never zombies.
        const NOCLDWAIT = 0x0000_0002;
        /// A blocked call interrupted by this handler restarts instead of failing with EINTR.
        const RESTART = 0x1000_0000;
        /// The signal is not blocked while its own handler runs.
        const NODEFER = 0x4000_0000;
        /// The disposition goes back to [`Disposition::Default`] when the handler is entered.
        const RESETHAND = 0x8000_0000;
    }
}

/// What a process has asked a signal to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// The signal's [`default_action`].
    #[default]
    Default,
    /// Discard the signal.
    Ignore,
    /// Call a guest function.
    Handler {
        /// The handler's index in the guest's function table.
        handler: u32,
        /// Signals blocked, in addition to the current mask, while it runs.
        mask: SigSet,
        /// `SA_*` flags.
        flags: SaFlags,
    },
}

impl Disposition {
    /// Whether generating `signal` under this disposition has no effect on
    /// the process beyond what [`crate::SignalState::post`] does at once
    /// (ignored, or defaulting to ignore or continue).
    pub(crate) fn discards(self, signal: Signal) -> bool {
        match self {
            Disposition::Ignore => true,
            Disposition::Default => matches!(
                default_action(signal),
                DefaultAction::Ignore | DefaultAction::Continue
            ),
            Disposition::Handler { .. } => false,
        }
    }
}

/// How `sigprocmask` combines the given set with the blocked mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigmaskHow {
    /// Add the set to the mask (`SIG_BLOCK`, 0).
    Block,
    /// Remove the set from the mask (`SIG_UNBLOCK`, 1).
    Unblock,
    /// Replace the mask with the set (`SIG_SETMASK`, 2).
    SetMask,
}

impl SigmaskHow {
    /// Decodes Linux's `how` values: 0 block, 1 unblock, 2 set.
    pub fn from_raw(raw: u32) -> Option<SigmaskHow> {
        match raw {
            0 => Some(SigmaskHow::Block),
            1 => Some(SigmaskHow::Unblock),
            2 => Some(SigmaskHow::SetMask),
            _ => None,
        }
    }
}

/// Why a signal operation was refused. The ABI maps every variant to EINVAL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignalError {
    /// SIGKILL and SIGSTOP cannot be caught or ignored.
    Uncatchable(Signal),
}

impl fmt::Display for SignalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignalError::Uncatchable(signal) => {
                write!(f, "SIG{} cannot be caught or ignored", signal.name())
            }
        }
    }
}

impl core::error::Error for SignalError {}
