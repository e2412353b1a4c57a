//! sigaction, sigprocmask, what is discarded, and inheritance across spawn and exec.

use wasmux_uapi::Signal;

use super::{handler, with_handler};
use crate::*;

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
