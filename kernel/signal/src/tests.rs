//! Behaviour tests of [`SignalState`], one rule each.

use wasmux_uapi::Signal;

use crate::*;

fn handler(index: u32, mask: SigSet, flags: SaFlags) -> Disposition {
    Disposition::Handler {
        handler: index,
        mask,
        flags,
    }
}

fn with_handler(signal: Signal, flags: SaFlags) -> SignalState {
    let mut state = SignalState::new();
    state
        .sigaction(signal, handler(1, SigSet::EMPTY, flags))
        .unwrap();
    state
}

#[test]
fn sigkill_cannot_be_ignored() {
    let mut state = SignalState::new();
    let err = state.sigaction(Signal::Kill, Disposition::Ignore);
    assert_eq!(err, Err(SignalError::Uncatchable(Signal::Kill)));
    assert_eq!(state.disposition(Signal::Kill), Disposition::Default);
}

#[test]
fn sigstop_cannot_be_caught() {
    let mut state = SignalState::new();
    let err = state.sigaction(Signal::Stop, handler(3, SigSet::EMPTY, SaFlags::empty()));
    assert_eq!(err, Err(SignalError::Uncatchable(Signal::Stop)));
    assert_eq!(
        state.sigaction(Signal::Stop, Disposition::Default),
        Ok(Disposition::Default)
    );
}

#[test]
fn sigaction_returns_the_old_disposition() {
    let mut state = SignalState::new();
    let new = handler(4, SigSet::single(Signal::Usr2), SaFlags::RESTART);
    assert_eq!(state.sigaction(Signal::Usr1, new), Ok(Disposition::Default));
    assert_eq!(state.sigaction(Signal::Usr1, Disposition::Ignore), Ok(new));
}

#[test]
fn sigkill_and_sigstop_are_never_blocked() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::SetMask, SigSet::FULL);
    assert_eq!(state.blocked(), SigSet::FULL - SigSet::UNBLOCKABLE);
    assert!(state.post(Signal::Kill).wake);
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Terminate {
            signal: Signal::Kill,
            core: false
        })
    );
}

#[test]
fn sigprocmask_returns_the_old_mask() {
    let mut state = SignalState::new();
    let int = SigSet::single(Signal::Int);
    let term = SigSet::single(Signal::Term);
    assert_eq!(state.sigprocmask(SigmaskHow::Block, int), SigSet::EMPTY);
    assert_eq!(state.sigprocmask(SigmaskHow::Block, term), int);
    assert_eq!(state.sigprocmask(SigmaskHow::Unblock, int), int | term);
    assert_eq!(state.sigprocmask(SigmaskHow::SetMask, SigSet::EMPTY), term);
    assert!(state.blocked().is_empty());
}

#[test]
fn ignored_signal_is_discarded_when_posted() {
    let mut state = SignalState::new();
    assert!(state.post(Signal::Chld).is_nothing());
    state.sigaction(Signal::Term, Disposition::Ignore).unwrap();
    assert!(state.post(Signal::Term).is_nothing());
    assert!(state.pending().is_empty());
}

#[test]
fn blocked_ignored_signal_stays_pending_until_its_fate_is_known() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Chld));
    assert!(state.post(Signal::Chld).pending);
    state
        .sigaction(Signal::Chld, handler(2, SigSet::EMPTY, SaFlags::empty()))
        .unwrap();
    state.sigprocmask(SigmaskHow::SetMask, SigSet::EMPTY);
    assert!(matches!(
        state.take_deliverable(),
        Some(Delivery::Handle {
            signal: Signal::Chld,
            ..
        })
    ));
}

#[test]
fn reposting_an_ignored_signal_keeps_the_earlier_pending_one() {
    // Regression: post reported `pending: false` while the signal stayed pending.
    let mut state = SignalState::new();
    state.sigaction(Signal::Xfsz, Disposition::Ignore).unwrap();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Xfsz));
    let _ = state.post(Signal::Xfsz);
    state.sigprocmask(SigmaskHow::SetMask, SigSet::EMPTY);
    assert!(state.post(Signal::Xfsz).pending);
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Ignore {
            signal: Signal::Xfsz
        })
    );
}

#[test]
fn ignoring_a_pending_signal_discards_it() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Term));
    let _ = state.post(Signal::Term);
    state.sigaction(Signal::Term, Disposition::Ignore).unwrap();
    assert!(state.pending().is_empty());
}

#[test]
fn blocked_signal_is_not_delivered() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Term));
    let effect = state.post(Signal::Term);
    assert!(effect.pending && !effect.wake);
    assert_eq!(state.take_deliverable(), None);
    state.sigprocmask(SigmaskHow::Unblock, SigSet::single(Signal::Term));
    assert!(state.has_deliverable());
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Terminate {
            signal: Signal::Term,
            core: false
        })
    );
}

#[test]
fn signals_do_not_queue() {
    let mut state = with_handler(Signal::Usr1, SaFlags::NODEFER);
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Usr1));
    let _ = state.post(Signal::Usr1);
    let _ = state.post(Signal::Usr1);
    state.sigprocmask(SigmaskHow::SetMask, SigSet::EMPTY);
    assert!(state.take_deliverable().is_some());
    assert_eq!(state.take_deliverable(), None);
}

#[test]
fn delivery_is_sigkill_first_then_by_number() {
    let mut state = with_handler(Signal::Hup, SaFlags::NODEFER);
    state
        .sigaction(Signal::Term, handler(2, SigSet::EMPTY, SaFlags::NODEFER))
        .unwrap();
    for signal in [Signal::Term, Signal::Kill, Signal::Hup] {
        let _ = state.post(signal);
    }
    let order: std::vec::Vec<Signal> = core::iter::from_fn(|| state.take_deliverable())
        .map(Delivery::signal)
        .collect();
    assert_eq!(order, [Signal::Kill, Signal::Hup, Signal::Term]);
}

#[test]
fn default_actions_follow_posix() {
    let cases = [
        (
            Signal::Segv,
            Some(Delivery::Terminate {
                signal: Signal::Segv,
                core: true,
            }),
        ),
        (
            Signal::Quit,
            Some(Delivery::Terminate {
                signal: Signal::Quit,
                core: true,
            }),
        ),
        (
            Signal::Hup,
            Some(Delivery::Terminate {
                signal: Signal::Hup,
                core: false,
            }),
        ),
        (
            Signal::Tstp,
            Some(Delivery::Stop {
                signal: Signal::Tstp,
            }),
        ),
        (Signal::Winch, None),
        (Signal::Cont, None),
    ];
    for (signal, expected) in cases {
        let mut state = SignalState::new();
        let _ = state.post(signal);
        assert_eq!(state.take_deliverable(), expected, "{signal:?}");
    }
}

#[test]
fn stop_then_sigcont_resumes() {
    let mut state = SignalState::new();
    let _ = state.post(Signal::Stop);
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Stop {
            signal: Signal::Stop
        })
    );
    assert!(state.is_stopped());
    let effect = state.post(Signal::Cont);
    assert!(effect.resumed && !effect.pending);
    assert!(!state.is_stopped());
}

#[test]
fn stopped_process_gets_only_sigkill() {
    let mut state = SignalState::new();
    let _ = state.post(Signal::Ttin);
    let _ = state.take_deliverable();
    assert!(!state.post(Signal::Term).wake);
    assert_eq!(state.take_deliverable(), None);
    assert_eq!(
        state.interrupts(BlockedCall::Restartable),
        Interruption::KeepWaiting
    );
    assert!(state.post(Signal::Kill).wake);
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Terminate {
            signal: Signal::Kill,
            core: false
        })
    );
}

#[test]
fn sigcont_discards_pending_stops() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::Block, SigSet::STOP_SIGNALS);
    for signal in [Signal::Stop, Signal::Tstp, Signal::Ttou] {
        let _ = state.post(signal);
    }
    assert_eq!(
        state.pending(),
        SigSet::single(Signal::Stop) | Signal::Tstp.into() | Signal::Ttou.into()
    );
    let _ = state.post(Signal::Cont);
    assert!(state.pending().is_empty());
}

#[test]
fn stop_signal_discards_pending_sigcont() {
    let mut state = with_handler(Signal::Cont, SaFlags::empty());
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Cont));
    let _ = state.post(Signal::Cont);
    assert!(state.pending().contains(Signal::Cont));
    state.sigaction(Signal::Tstp, Disposition::Ignore).unwrap();
    assert!(state.post(Signal::Tstp).is_nothing());
    assert!(state.pending().is_empty());
}

#[test]
fn sigcont_resumes_even_when_blocked_and_ignored() {
    let mut state = SignalState::new();
    let _ = state.post(Signal::Stop);
    let _ = state.take_deliverable();
    state.sigaction(Signal::Cont, Disposition::Ignore).unwrap();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Cont));
    assert!(state.post(Signal::Cont).resumed);
    assert!(!state.is_stopped());
}

#[test]
fn handler_blocks_its_mask_and_its_signal() {
    let mut state = SignalState::new();
    let mask = SigSet::single(Signal::Usr2) | SigSet::single(Signal::Kill);
    state
        .sigaction(Signal::Usr1, handler(9, mask, SaFlags::empty()))
        .unwrap();
    let _ = state.post(Signal::Usr1);
    let delivery = state.take_deliverable();
    assert_eq!(
        delivery,
        Some(Delivery::Handle {
            signal: Signal::Usr1,
            handler: 9,
            saved_mask: SigSet::EMPTY,
            restart: false
        })
    );
    assert_eq!(
        state.blocked(),
        SigSet::single(Signal::Usr1) | SigSet::single(Signal::Usr2)
    );
}

#[test]
fn nodefer_leaves_the_signal_unblocked_in_its_handler() {
    let mut state = with_handler(Signal::Usr1, SaFlags::NODEFER);
    let _ = state.post(Signal::Usr1);
    let _ = state.take_deliverable();
    assert!(!state.blocked().contains(Signal::Usr1));
}

#[test]
fn handler_mask_is_restored_after_return() {
    let mut state = with_handler(Signal::Alrm, SaFlags::empty());
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Pipe));
    let _ = state.post(Signal::Alrm);
    let Some(Delivery::Handle { saved_mask, .. }) = state.take_deliverable() else {
        panic!("expected a handler");
    };
    // A second SIGALRM waits for the handler to return.
    let _ = state.post(Signal::Alrm);
    assert_eq!(state.take_deliverable(), None);
    state.handler_returned(saved_mask);
    assert_eq!(state.blocked(), SigSet::single(Signal::Pipe));
    assert!(state.has_deliverable());
}

#[test]
fn resethand_restores_the_default_on_entry() {
    let mut state = with_handler(Signal::Int, SaFlags::RESETHAND);
    let _ = state.post(Signal::Int);
    assert!(matches!(
        state.take_deliverable(),
        Some(Delivery::Handle { .. })
    ));
    assert_eq!(state.disposition(Signal::Int), Disposition::Default);
}

#[test]
fn handler_interrupts_blocked_call_with_eintr() {
    let mut state = with_handler(Signal::Int, SaFlags::empty());
    assert_eq!(
        state.interrupts(BlockedCall::Restartable),
        Interruption::KeepWaiting
    );
    assert!(state.post(Signal::Int).wake);
    assert_eq!(
        state.interrupts(BlockedCall::Restartable),
        Interruption::Eintr
    );
}

#[test]
fn sa_restart_restarts_only_restartable_calls() {
    let mut state = with_handler(Signal::Int, SaFlags::RESTART);
    let _ = state.post(Signal::Int);
    assert_eq!(
        state.interrupts(BlockedCall::Restartable),
        Interruption::Restart
    );
    assert_eq!(
        state.interrupts(BlockedCall::NeverRestarted),
        Interruption::Eintr
    );
    assert!(matches!(
        state.take_deliverable(),
        Some(Delivery::Handle { restart: true, .. })
    ));
}

#[test]
fn fatal_and_stop_signals_wake_a_blocked_call_without_eintr() {
    for signal in [Signal::Term, Signal::Kill, Signal::Tstp] {
        let mut state = SignalState::new();
        let _ = state.post(signal);
        assert_eq!(
            state.interrupts(BlockedCall::NeverRestarted),
            Interruption::Restart
        );
    }
}

#[test]
fn ignored_pending_signal_does_not_interrupt() {
    let mut state = SignalState::new();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Chld));
    let _ = state.post(Signal::Chld);
    state.sigprocmask(SigmaskHow::SetMask, SigSet::EMPTY);
    assert_eq!(
        state.interrupts(BlockedCall::Restartable),
        Interruption::KeepWaiting
    );
    assert_eq!(
        state.take_deliverable(),
        Some(Delivery::Ignore {
            signal: Signal::Chld
        })
    );
}

#[test]
fn spawned_child_resets_handlers_keeps_ignores_and_mask() {
    let mut parent = with_handler(Signal::Int, SaFlags::empty());
    parent.sigaction(Signal::Quit, Disposition::Ignore).unwrap();
    parent.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Usr1));
    let _ = parent.post(Signal::Usr1);
    let child = SignalState::for_spawned_child(&parent);
    assert_eq!(child.disposition(Signal::Int), Disposition::Default);
    assert_eq!(child.disposition(Signal::Quit), Disposition::Ignore);
    assert_eq!(child.blocked(), SigSet::single(Signal::Usr1));
    assert!(child.pending().is_empty());
}

#[test]
fn exec_resets_handlers_keeps_ignores_mask_and_pending() {
    let mut state = with_handler(Signal::Int, SaFlags::empty());
    state.sigaction(Signal::Hup, Disposition::Ignore).unwrap();
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Int));
    let _ = state.post(Signal::Int);
    state.on_exec();
    assert_eq!(state.disposition(Signal::Int), Disposition::Default);
    assert_eq!(state.disposition(Signal::Hup), Disposition::Ignore);
    assert_eq!(state.blocked(), SigSet::single(Signal::Int));
    assert_eq!(state.pending(), SigSet::single(Signal::Int));
}

#[test]
fn sigchld_flags_shape_child_reporting() {
    let mut state = SignalState::new();
    assert!(state.sigchld_on_child_stop() && !state.auto_reaps_children());
    state
        .sigaction(
            Signal::Chld,
            handler(1, SigSet::EMPTY, SaFlags::NOCLDSTOP | SaFlags::NOCLDWAIT),
        )
        .unwrap();
    assert!(!state.sigchld_on_child_stop() && state.auto_reaps_children());
    state.sigaction(Signal::Chld, Disposition::Ignore).unwrap();
    assert!(state.auto_reaps_children());
}
