//! Stop signals and SIGCONT.

use wasmux_uapi::Signal;

use super::with_handler;
use crate::*;

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
