//! [`SignalState`]: one process's dispositions, blocked mask and pending set.

use wasmux_uapi::Signal;

use crate::action::{DefaultAction, Disposition, SaFlags, SigmaskHow, SignalError, default_action};
use crate::effect::{BlockedCall, Delivery, Interruption, PostEffect};
use crate::set::{SLOTS, SigSet};

/// The signal state of one process. See the crate doc for the rules it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalState {
    /// Indexed by signal number; slot 0 and unused numbers stay `Default`.
    dispositions: [Disposition; SLOTS],
    blocked: SigSet,
    pending: SigSet,
    stopped: bool,
}

impl Default for SignalState {
    fn default() -> SignalState {
        SignalState::new()
    }
}

impl SignalState {
    /// A process with every disposition `Default`, nothing blocked or pending, running.
    pub fn new() -> SignalState {
        SignalState {
            dispositions: [Disposition::Default; SLOTS],
            blocked: SigSet::EMPTY,
            pending: SigSet::EMPTY,
            stopped: false,
        }
    }

    /// The disposition of `signal` (what `sigaction` with no new action reads).
    pub fn disposition(&self, signal: Signal) -> Disposition {
        // A signal's number is below SLOTS by construction of SLOTS.
        self.dispositions[usize::from(signal.raw())]
    }

    fn set_disposition(&mut self, signal: Signal, disposition: Disposition) {
        self.dispositions[usize::from(signal.raw())] = disposition;
    }

    /// Sets the disposition of `signal`, returning the old one. A handler's
    /// mask is stored without SIGKILL and SIGSTOP. Ignoring a pending signal
    /// (or defaulting one whose default is to ignore) discards it.
    ///
    /// # Errors
    ///
    /// [`SignalError::Uncatchable`] for `Ignore` or a handler on SIGKILL or
    /// SIGSTOP; setting them to `Default` is accepted and changes nothing.
    pub fn sigaction(
        &mut self,
        signal: Signal,
        new: Disposition,
    ) -> Result<Disposition, SignalError> {
        if SigSet::UNBLOCKABLE.contains(signal) && new != Disposition::Default {
            return Err(SignalError::Uncatchable(signal));
        }
        let new = match new {
            Disposition::Handler {
                handler,
                mask,
                flags,
            } => Disposition::Handler {
                handler,
                mask: mask - SigSet::UNBLOCKABLE,
                flags,
            },
            other => other,
        };
        let old = self.disposition(signal);
        self.set_disposition(signal, new);
        if new.discards(signal) {
            self.pending.remove(signal);
        }
        Ok(old)
    }

    /// The blocked mask.
    pub fn blocked(&self) -> SigSet {
        self.blocked
    }

    /// Changes the blocked mask and returns the old one. SIGKILL and SIGSTOP
    /// are silently left out. Unblocking a pending signal makes it
    /// deliverable: check [`SignalState::has_deliverable`] before the guest runs on.
    pub fn sigprocmask(&mut self, how: SigmaskHow, set: SigSet) -> SigSet {
        let old = self.blocked;
        let new = match how {
            SigmaskHow::Block => old | set,
            SigmaskHow::Unblock => old - set,
            SigmaskHow::SetMask => set,
        };
        self.blocked = new - SigSet::UNBLOCKABLE;
        old
    }

    /// The pending set (what `sigpending` reports).
    pub fn pending(&self) -> SigSet {
        self.pending
    }

    /// Whether a stop signal stopped the process and no SIGCONT has come since.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Generates `signal` for the process and says what the kernel must do.
    ///
    /// SIGCONT resumes a stopped process and discards pending stop signals,
    /// even when blocked or ignored; a stop signal discards a pending SIGCONT.
    /// A signal that would be ignored is discarded now unless it is blocked
    /// (its disposition may change before it is unblocked, as on Linux).
    pub fn post(&mut self, signal: Signal) -> PostEffect {
        let mut effect = PostEffect::default();
        if signal == Signal::Cont {
            self.pending -= SigSet::STOP_SIGNALS;
            effect.resumed = core::mem::replace(&mut self.stopped, false);
        }
        if SigSet::STOP_SIGNALS.contains(signal) {
            self.pending.remove(Signal::Cont);
        }
        let blocked = self.blocked.contains(signal);
        if !self.disposition(signal).discards(signal) || blocked {
            self.pending.insert(signal);
        }
        // A discarded post may still find an earlier one pending (posted
        // while blocked, unblocked since): that one stays.
        effect.pending = self.pending.contains(signal);
        effect.wake = self.deliverable().contains(signal);
        effect
    }

    /// The pending signals that may be delivered now: the unblocked ones, or
    /// only SIGKILL while the process is stopped.
    fn deliverable(&self) -> SigSet {
        if self.stopped {
            self.pending & SigSet::single(Signal::Kill)
        } else {
            self.pending - self.blocked
        }
    }

    /// The signals [`SignalState::take_deliverable`] would return, in order.
    fn delivery_order(&self) -> impl Iterator<Item = Signal> {
        let deliverable = self.deliverable();
        let kill = deliverable.contains(Signal::Kill).then_some(Signal::Kill);
        kill.into_iter()
            .chain((deliverable - SigSet::single(Signal::Kill)).iter())
    }

    /// Whether [`SignalState::take_deliverable`] would return something.
    pub fn has_deliverable(&self) -> bool {
        !self.deliverable().is_empty()
    }

    /// The first deliverable signal whose action ends the process (SIGKILL,
    /// or a default action that terminates), without delivering anything:
    /// for a process running on a thread of its own, which the kernel can
    /// end at once but not interrupt to run a handler.
    pub fn fatal_deliverable(&self) -> Option<Signal> {
        self.delivery_order().find(|&signal| {
            signal == Signal::Kill
                || matches!(
                    (self.disposition(signal), default_action(signal)),
                    (
                        Disposition::Default,
                        DefaultAction::Terminate | DefaultAction::TerminateCore
                    )
                )
        })
    }

    /// Takes the next deliverable signal off the pending set (SIGKILL first,
    /// then the lowest number) and applies its action to the state: a stop
    /// marks the process stopped; a handler blocks its mask (and the signal,
    /// unless `SA_NODEFER`) and is reset by `SA_RESETHAND`. Call it until it
    /// returns `None` before the guest runs on, at system-call return and
    /// after a fuel slice.
    pub fn take_deliverable(&mut self) -> Option<Delivery> {
        let signal = self.delivery_order().next()?;
        self.pending.remove(signal);
        let delivery = match self.disposition(signal) {
            Disposition::Ignore => Delivery::Ignore { signal },
            Disposition::Default => match default_action(signal) {
                DefaultAction::Terminate => Delivery::Terminate {
                    signal,
                    core: false,
                },
                DefaultAction::TerminateCore => Delivery::Terminate { signal, core: true },
                DefaultAction::Ignore => Delivery::Ignore { signal },
                DefaultAction::Continue => Delivery::Continue,
                DefaultAction::Stop => {
                    self.stopped = true;
                    Delivery::Stop { signal }
                }
            },
            Disposition::Handler {
                handler,
                mask,
                flags,
            } => {
                let saved_mask = self.blocked;
                let mut during = saved_mask | mask;
                if !flags.contains(SaFlags::NODEFER) {
                    during.insert(signal);
                }
                self.blocked = during - SigSet::UNBLOCKABLE;
                if flags.contains(SaFlags::RESETHAND) {
                    self.set_disposition(signal, Disposition::Default);
                }
                let restart = flags.contains(SaFlags::RESTART);
                Delivery::Handle {
                    signal,
                    handler,
                    saved_mask,
                    restart,
                }
            }
        };
        Some(delivery)
    }

    /// A handler returned: restores the mask saved in its [`Delivery::Handle`].
    /// Signals it unblocks may be deliverable now.
    pub fn handler_returned(&mut self, saved_mask: SigSet) {
        self.blocked = saved_mask - SigSet::UNBLOCKABLE;
    }

    /// Whether a pending signal must end the wait of a process blocked in
    /// `call`, and how the call ends. Signals whose delivery does nothing
    /// (ignored ones) leave the call waiting; the first one that acts
    /// decides, in delivery order.
    pub fn interrupts(&self, call: BlockedCall) -> Interruption {
        for signal in self.delivery_order() {
            match self.disposition(signal) {
                Disposition::Ignore => {}
                Disposition::Default => match default_action(signal) {
                    DefaultAction::Ignore | DefaultAction::Continue => {}
                    DefaultAction::Terminate
                    | DefaultAction::TerminateCore
                    | DefaultAction::Stop => return Interruption::Restart,
                },
                Disposition::Handler { flags, .. } => {
                    let restart =
                        flags.contains(SaFlags::RESTART) && call == BlockedCall::Restartable;
                    return if restart {
                        Interruption::Restart
                    } else {
                        Interruption::Eintr
                    };
                }
            }
        }
        Interruption::KeepWaiting
    }

    /// The state of a child made by spawn (posix_spawn semantics): handlers
    /// reset to `Default`, ignored signals stay ignored, the mask is
    /// inherited, nothing is pending, and the child runs.
    pub fn for_spawned_child(parent: &SignalState) -> SignalState {
        let mut child = SignalState {
            blocked: parent.blocked,
            ..SignalState::new()
        };
        for &signal in Signal::ALL {
            if parent.disposition(signal) == Disposition::Ignore {
                child.set_disposition(signal, Disposition::Ignore);
            }
        }
        child
    }

    /// The process replaced its program: handlers reset to `Default` (their
    /// code is gone), ignored signals stay ignored, mask and pending are kept.
    pub fn on_exec(&mut self) {
        for disposition in &mut self.dispositions {
            if let Disposition::Handler { .. } = disposition {
                *disposition = Disposition::Default;
            }
        }
    }

    /// Whether this process, as a parent, wants SIGCHLD when a child stops
    /// or continues (false under `SA_NOCLDSTOP`).
    pub fn sigchld_on_child_stop(&self) -> bool {
        !matches!(
            self.disposition(Signal::Chld),
            Disposition::Handler { flags, .. } if flags.contains(SaFlags::NOCLDSTOP)
        )
    }

    /// Whether this process's children are reaped as soon as they exit,
    /// never becoming zombies: SIGCHLD ignored, or `SA_NOCLDWAIT` on its handler.
    pub fn auto_reaps_children(&self) -> bool {
        match self.disposition(Signal::Chld) {
            Disposition::Ignore => true,
            Disposition::Handler { flags, .. } => flags.contains(SaFlags::NOCLDWAIT),
            Disposition::Default => false,
        }
    }
}
