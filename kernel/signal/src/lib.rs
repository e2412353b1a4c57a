//! POSIX signals as a pure state machine: sets, dispositions, masks, delivery.
//!
//! # Why it is shaped this way
//!
//! Signal rules are intricate (SIGCONT cancels stops, a handler blocks its own
//! signal, SIGKILL gets through everything) and easy to get subtly wrong when
//! spread across a scheduler. So this crate knows nothing of processes,
//! executors or guest memory: a [`SignalState`] per process takes operations
//! (`sigaction`, `sigprocmask`, `post`, `take_deliverable`, ...) and answers
//! with plain data ([`PostEffect`], [`Delivery`], [`Interruption`]) telling
//! the kernel what to do: wake a blocked call, stop, terminate, or run a guest
//! handler. The kernel owns the process table and the executors; this crate
//! owns the rules, and is tested against a model without either.
//!
//! Signals are the standard ones of [`Signal`](wasmux_uapi::Signal) (WASI
//! numbering) and do not queue: posting a pending signal again changes
//! nothing.
//!
//! Choices that differ from what one might expect (alternatives rejected):
//! - An ignored signal is discarded when posted *unless it is blocked*; a
//!   blocked one stays pending (visible to `sigpending`) because its
//!   disposition may change before it is unblocked, as on Linux. Discarding
//!   it always would lose the SIGCHLD of a program that blocks SIGCHLD, spawns,
//!   then installs its handler.
//! - SIGCONT under its default action is treated as ignored once it has
//!   resumed the process (Linux does the same), so it is seldom pending.
//! - The stopped flag lives here, not in the process table: only SIGKILL is
//!   delivered while stopped, and only SIGCONT clears it.
//! - Setting SIGKILL or SIGSTOP to `Default` succeeds (POSIX); Linux
//!   refuses any action on them.
//!
//! # Invariants
//!
//! - SIGKILL and SIGSTOP are never blocked, never ignored, never handled.
//! - A blocked signal is never delivered; while stopped, only SIGKILL is.
//! - Delivery takes SIGKILL first, then the lowest-numbered deliverable signal.
//! - A delivered signal leaves the pending set: one post, at most one delivery.
//! - SIGCONT and a stop signal are never pending together; a stopped process
//!   never has SIGCONT pending.
//! - No input panics: every operation is total over its typed arguments.
//!
//! # Example
//!
//! ```
//! use wasmux_signal::{Delivery, Disposition, SaFlags, SigSet, SigmaskHow, SignalState};
//! use wasmux_uapi::Signal;
//!
//! let mut state = SignalState::new();
//! let handler = Disposition::Handler { handler: 7, mask: SigSet::EMPTY, flags: SaFlags::RESTART };
//! state.sigaction(Signal::Int, handler)?;
//!
//! // Blocked: posting only marks it pending.
//! state.sigprocmask(SigmaskHow::Block, SigSet::single(Signal::Int));
//! assert!(!state.post(Signal::Int).wake);
//! assert_eq!(state.take_deliverable(), None);
//!
//! // Unblocked: the handler runs with SIGINT blocked, then the mask comes back.
//! state.sigprocmask(SigmaskHow::Unblock, SigSet::single(Signal::Int));
//! let Some(Delivery::Handle { handler: 7, saved_mask, .. }) = state.take_deliverable() else {
//!     panic!("expected the handler");
//! };
//! assert!(state.blocked().contains(Signal::Int));
//! state.handler_returned(saved_mask);
//! assert!(state.blocked().is_empty());
//!
//! // SIGKILL cannot be caught.
//! assert!(state.sigaction(Signal::Kill, Disposition::Ignore).is_err());
//! # Ok::<(), wasmux_signal::SignalError>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]

#[cfg(test)]
extern crate std;

mod action;
mod effect;
#[cfg(test)]
mod model_tests;
mod set;
mod state;
#[cfg(test)]
mod tests;

pub use action::{DefaultAction, Disposition, SaFlags, SigmaskHow, SignalError, default_action};
pub use effect::{BlockedCall, Delivery, Interruption, PostEffect};
pub use set::{Iter, SigSet};
pub use state::SignalState;
