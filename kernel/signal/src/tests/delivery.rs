//! Delivery order, default actions, handlers and interrupted calls.

use wasmux_uapi::Signal;

use super::{handler, with_handler};
use crate::*;

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
fn fatal_deliverable_names_what_would_end_the_process_without_delivering() {
    let mut state = with_handler(Signal::Usr1, SaFlags::empty());
    let _ = state.post(Signal::Usr1);
    let _ = state.post(Signal::Chld);
    assert_eq!(state.fatal_deliverable(), None, "a handler and an ignore");
    state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Term));
    let _ = state.post(Signal::Term);
    assert_eq!(state.fatal_deliverable(), None, "SIGTERM is blocked");
    let _ = state.post(Signal::Int);
    assert_eq!(state.fatal_deliverable(), Some(Signal::Int));
    let _ = state.post(Signal::Kill);
    assert_eq!(state.fatal_deliverable(), Some(Signal::Kill));
    assert!(
        state.pending().contains(Signal::Usr1),
        "nothing was delivered"
    );
}
