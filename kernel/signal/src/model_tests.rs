//! [`SignalState`] against a model of sets and a map, over random operation
//! sequences. After every step:
//!
//! - SIGKILL and SIGSTOP are never blocked, never ignored, never handled;
//! - pending, blocked and stopped equal the model's;
//! - a delivered signal was pending and not blocked (only SIGKILL while
//!   stopped), it is SIGKILL if SIGKILL was pending, else the lowest
//!   deliverable number, and it was posted since its last delivery (nothing
//!   is delivered twice);
//! - SIGCONT and a stop signal are never pending together;
//! - a blocked call keeps waiting exactly when nothing deliverable acts.

use std::collections::{BTreeMap, BTreeSet};
use std::vec::Vec;

use proptest::prelude::*;
use wasmux_uapi::Signal;

use crate::*;

#[derive(Clone, Debug)]
enum Op {
    Sigaction(Signal, Disposition),
    Sigprocmask(SigmaskHow, SigSet),
    Post(Signal),
    Take,
    HandlerReturn,
    Interrupts(BlockedCall),
    Exec,
    Spawn,
}

fn signal() -> impl Strategy<Value = Signal> {
    proptest::sample::select(Signal::ALL)
}

fn sigset() -> impl Strategy<Value = SigSet> {
    // Sparse sets, so that much stays unblocked.
    (any::<u64>(), any::<u64>()).prop_map(|(a, b)| SigSet::from_raw(a & b))
}

fn disposition() -> impl Strategy<Value = Disposition> {
    let flags = [
        SaFlags::RESTART,
        SaFlags::NODEFER,
        SaFlags::RESETHAND,
        SaFlags::NOCLDSTOP,
        SaFlags::NOCLDWAIT,
    ];
    prop_oneof![
        Just(Disposition::Default),
        Just(Disposition::Ignore),
        (
            0u32..4,
            sigset(),
            proptest::sample::subsequence(flags.to_vec(), 0..=5)
        )
            .prop_map(|(handler, mask, flags)| Disposition::Handler {
                handler,
                mask,
                flags: flags.into_iter().collect(),
            }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let how = prop_oneof![
        Just(SigmaskHow::Block),
        Just(SigmaskHow::Unblock),
        Just(SigmaskHow::SetMask)
    ];
    let call = prop_oneof![
        Just(BlockedCall::Restartable),
        Just(BlockedCall::NeverRestarted)
    ];
    prop_oneof![
        3 => (signal(), disposition()).prop_map(|(s, d)| Op::Sigaction(s, d)),
        2 => (how, sigset()).prop_map(|(h, s)| Op::Sigprocmask(h, s)),
        6 => signal().prop_map(Op::Post),
        5 => Just(Op::Take),
        2 => Just(Op::HandlerReturn),
        2 => call.prop_map(Op::Interrupts),
        1 => Just(Op::Exec),
        1 => Just(Op::Spawn),
    ]
}

/// The rules, written plainly over ordered sets.
#[derive(Default)]
struct Model {
    dispositions: BTreeMap<Signal, Disposition>,
    blocked: BTreeSet<Signal>,
    pending: BTreeSet<Signal>,
    stopped: bool,
}

const UNBLOCKABLE: [Signal; 2] = [Signal::Kill, Signal::Stop];
const STOPS: [Signal; 4] = [Signal::Stop, Signal::Tstp, Signal::Ttin, Signal::Ttou];

fn set_of(set: SigSet) -> BTreeSet<Signal> {
    Signal::ALL
        .iter()
        .copied()
        .filter(|&s| set.contains(s))
        .collect()
}

impl Model {
    fn disposition(&self, signal: Signal) -> Disposition {
        self.dispositions.get(&signal).copied().unwrap_or_default()
    }

    /// What delivering `signal` does, ignoring handler bookkeeping.
    fn acts(&self, signal: Signal) -> bool {
        match self.disposition(signal) {
            Disposition::Ignore => false,
            Disposition::Handler { .. } => true,
            Disposition::Default => !matches!(
                default_action(signal),
                DefaultAction::Ignore | DefaultAction::Continue
            ),
        }
    }

    fn deliverable(&self) -> Vec<Signal> {
        let mut order: Vec<Signal> = self
            .pending
            .iter()
            .copied()
            .filter(|s| {
                if self.stopped {
                    *s == Signal::Kill
                } else {
                    !self.blocked.contains(s)
                }
            })
            .collect();
        order.sort_by_key(|&s| (s != Signal::Kill, s));
        order
    }

    fn set_blocked(&mut self, blocked: BTreeSet<Signal>) {
        self.blocked = blocked
            .into_iter()
            .filter(|s| !UNBLOCKABLE.contains(s))
            .collect();
    }

    fn post(&mut self, signal: Signal) {
        if signal == Signal::Cont {
            self.stopped = false;
            self.pending.retain(|s| !STOPS.contains(s));
        }
        if STOPS.contains(&signal) {
            self.pending.remove(&Signal::Cont);
        }
        if self.acts(signal) || self.blocked.contains(&signal) {
            self.pending.insert(signal);
        }
    }
}

fn check_invariants(state: &SignalState, model: &Model) {
    assert!(state.blocked().intersection(SigSet::UNBLOCKABLE).is_empty());
    for signal in UNBLOCKABLE {
        assert_eq!(state.disposition(signal), Disposition::Default);
    }
    assert_eq!(set_of(state.pending()), model.pending);
    assert_eq!(set_of(state.blocked()), model.blocked);
    assert_eq!(state.is_stopped(), model.stopped);
    let pending = state.pending();
    let cont = pending.contains(Signal::Cont);
    assert!(!cont || pending.intersection(SigSet::STOP_SIGNALS).is_empty());
    assert!(!(state.is_stopped() && pending.contains(Signal::Cont)));
}

fn run(ops: Vec<Op>) {
    let mut state = SignalState::new();
    let mut model = Model::default();
    let mut saved_masks: Vec<SigSet> = Vec::new();
    for op in ops {
        match op {
            Op::Sigaction(signal, new) => {
                let result = state.sigaction(signal, new);
                if UNBLOCKABLE.contains(&signal) && new != Disposition::Default {
                    assert_eq!(result, Err(SignalError::Uncatchable(signal)));
                } else {
                    assert_eq!(result, Ok(model.disposition(signal)));
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
                    model.dispositions.insert(signal, new);
                    if !model.acts(signal) {
                        model.pending.remove(&signal);
                    }
                }
            }
            Op::Sigprocmask(how, set) => {
                let old = state.sigprocmask(how, set);
                assert_eq!(set_of(old), model.blocked);
                let set = set_of(set);
                let new = match how {
                    SigmaskHow::Block => model.blocked.union(&set).copied().collect(),
                    SigmaskHow::Unblock => model.blocked.difference(&set).copied().collect(),
                    SigmaskHow::SetMask => set,
                };
                model.set_blocked(new);
            }
            Op::Post(signal) => {
                let effect = state.post(signal);
                let was_stopped = model.stopped;
                model.post(signal);
                assert_eq!(effect.pending, model.pending.contains(&signal));
                assert_eq!(effect.resumed, signal == Signal::Cont && was_stopped);
                assert_eq!(
                    effect.wake,
                    effect.pending && model.deliverable().contains(&signal)
                );
            }
            Op::Take => {
                let expected = model.deliverable().first().copied();
                let delivery = state.take_deliverable();
                assert_eq!(delivery.map(Delivery::signal), expected);
                let (Some(delivery), Some(signal)) = (delivery, expected) else {
                    continue;
                };
                // Taken off the pending set: only a new post delivers it again.
                assert!(!state.pending().contains(signal));
                model.pending.remove(&signal);
                match (model.disposition(signal), delivery) {
                    (Disposition::Ignore, Delivery::Ignore { .. }) => {}
                    (
                        Disposition::Handler {
                            handler,
                            mask,
                            flags,
                        },
                        Delivery::Handle {
                            handler: h,
                            saved_mask,
                            restart,
                            ..
                        },
                    ) => {
                        assert_eq!((h, restart), (handler, flags.contains(SaFlags::RESTART)));
                        assert_eq!(set_of(saved_mask), model.blocked);
                        saved_masks.push(saved_mask);
                        let mut blocked: BTreeSet<Signal> =
                            model.blocked.union(&set_of(mask)).copied().collect();
                        if !flags.contains(SaFlags::NODEFER) {
                            blocked.insert(signal);
                        }
                        model.set_blocked(blocked);
                        if flags.contains(SaFlags::RESETHAND) {
                            model.dispositions.insert(signal, Disposition::Default);
                        }
                    }
                    (Disposition::Default, delivery) => match (default_action(signal), delivery) {
                        (DefaultAction::Terminate, Delivery::Terminate { core: false, .. })
                        | (DefaultAction::TerminateCore, Delivery::Terminate { core: true, .. })
                        | (DefaultAction::Ignore, Delivery::Ignore { .. })
                        | (DefaultAction::Continue, Delivery::Continue) => {}
                        (DefaultAction::Stop, Delivery::Stop { .. }) => model.stopped = true,
                        (action, delivery) => {
                            panic!("{signal:?}: default {action:?}, got {delivery:?}")
                        }
                    },
                    (disposition, delivery) => {
                        panic!("{signal:?}: {disposition:?}, got {delivery:?}")
                    }
                }
            }
            Op::HandlerReturn => {
                if let Some(saved) = saved_masks.pop() {
                    state.handler_returned(saved);
                    model.set_blocked(set_of(saved));
                }
            }
            Op::Interrupts(call) => {
                let acting = model.deliverable().into_iter().find(|&s| model.acts(s));
                let expected = match acting.map(|s| model.disposition(s)) {
                    None => Interruption::KeepWaiting,
                    Some(Disposition::Handler { flags, .. }) => {
                        if flags.contains(SaFlags::RESTART) && call == BlockedCall::Restartable {
                            Interruption::Restart
                        } else {
                            Interruption::Eintr
                        }
                    }
                    Some(_) => Interruption::Restart,
                };
                assert_eq!(state.interrupts(call), expected);
            }
            Op::Exec => {
                state.on_exec();
                saved_masks.clear();
                for disposition in model.dispositions.values_mut() {
                    if let Disposition::Handler { .. } = disposition {
                        *disposition = Disposition::Default;
                    }
                }
            }
            Op::Spawn => {
                state = SignalState::for_spawned_child(&state);
                saved_masks.clear();
                model.dispositions.retain(|_, d| *d == Disposition::Ignore);
                model.pending.clear();
                model.stopped = false;
            }
        }
        check_invariants(&state, &model);
    }
}

proptest! {
    #[test]
    fn signal_state_matches_the_model(ops in proptest::collection::vec(op(), 0..80)) {
        run(ops);
    }
}
