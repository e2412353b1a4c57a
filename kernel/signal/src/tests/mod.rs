//! Behaviour tests of [`SignalState`], one rule each.

mod delivery;
mod dispositions;
mod job_control;

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
