//! Default signal actions (POSIX), until the signal subsystem owns dispositions.

use wasmux_uapi::Signal;

/// What a signal does when nothing handles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Terminate,
    Ignore,
    Stop,
    Continue,
}

pub fn default_action(signal: Signal) -> Action {
    match signal {
        Signal::Chld | Signal::Urg | Signal::Winch => Action::Ignore,
        Signal::Cont => Action::Continue,
        Signal::Stop | Signal::Tstp | Signal::Ttin | Signal::Ttou => Action::Stop,
        _ => Action::Terminate,
    }
}
