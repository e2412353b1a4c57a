//! What the kernel must do: the results of posting and delivering a signal.

use wasmux_uapi::Signal;

use crate::SigSet;

/// What [`crate::SignalState::post`] asks of the kernel. All `false` means
/// the signal was discarded and nothing is to be done.
#[must_use]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PostEffect {
    /// The signal is pending now. Standard signals do not queue: posting a
    /// signal that is already pending changes nothing more.
    pub pending: bool,
    /// The process was stopped and runs again (SIGCONT): make it runnable and
    /// tell its parent (a `CONTINUED` wait status; SIGCHLD unless the parent's
    /// [`crate::SignalState::sigchld_on_child_stop`] says no).
    pub resumed: bool,
    /// The signal can be delivered now: if the process is blocked in a call,
    /// ask [`crate::SignalState::interrupts`]; if it is stopped (only SIGKILL
    /// wakes a stopped process), schedule it so that it dies.
    pub wake: bool,
}

impl PostEffect {
    /// Whether the post had no effect at all (the signal was ignored).
    pub fn is_nothing(self) -> bool {
        self == PostEffect::default()
    }
}

/// One signal taken off the pending set by
/// [`crate::SignalState::take_deliverable`], and what the kernel must do.
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// End the process: its wait status says which signal ended it
    /// (`wasmux_uapi::wasmux::wait::signaled`).
    Terminate {
        /// The signal that ends it.
        signal: Signal,
        /// Whether the default action is "terminate with core".
        core: bool,
    },
    /// Stop the process (the state records it: [`crate::SignalState::is_stopped`]);
    /// tell the parent (a stopped wait status, SIGCHLD unless
    /// `SA_NOCLDSTOP`). It runs again on SIGCONT; SIGKILL still ends it.
    Stop {
        /// The stop signal.
        signal: Signal,
    },
    /// SIGCONT under its default action, pending because it was blocked when
    /// posted. The resume already happened at post time: nothing to do.
    Continue,
    /// The signal is ignored (it was blocked when posted, then its
    /// disposition or the mask changed): nothing to do.
    Ignore {
        /// The discarded signal.
        signal: Signal,
    },
    /// Call the guest's handler with the signal number, then call
    /// [`crate::SignalState::handler_returned`] with `saved_mask`. The state
    /// already blocks the handler's mask (and the signal unless `SA_NODEFER`)
    /// and applied `SA_RESETHAND`.
    Handle {
        /// The signal being handled: the handler's argument.
        signal: Signal,
        /// The handler's index in the guest's function table.
        handler: u32,
        /// The blocked mask before the handler: restore it when the handler returns.
        saved_mask: SigSet,
        /// Whether `SA_RESTART` is set (see [`crate::SignalState::interrupts`]).
        restart: bool,
    },
}

impl Delivery {
    /// The signal taken off the pending set.
    pub fn signal(self) -> Signal {
        match self {
            Delivery::Terminate { signal, .. }
            | Delivery::Stop { signal }
            | Delivery::Ignore { signal }
            | Delivery::Handle { signal, .. } => signal,
            Delivery::Continue => Signal::Cont,
        }
    }
}

/// Whether a system call can be restarted after a handler with `SA_RESTART`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockedCall {
    /// Most blocking calls: reads, writes, waits for children, opens.
    Restartable,
    /// Calls that fail with EINTR even under `SA_RESTART`, as on Linux:
    /// sleeps and `poll_oneoff`, waits for a signal, calls with a timeout.
    NeverRestarted,
}

/// What a pending signal means for a process blocked in a system call
/// ([`crate::SignalState::interrupts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interruption {
    /// No signal needs the process: the call keeps waiting.
    KeepWaiting,
    /// Wake the process; the call fails with EINTR, then deliver.
    Eintr,
    /// Wake the process and deliver; the call is then re-issued from its
    /// original arguments if the process still runs (a handler with
    /// `SA_RESTART`, a stop, or a signal that ends the process anyway).
    Restart,
}
