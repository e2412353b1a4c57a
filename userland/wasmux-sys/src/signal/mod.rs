//! Signals: dispositions (`sigaction`), the blocked mask, pending signals,
//! `sigsuspend`, and the trampoline the kernel runs handlers through.
//!
//! A handler is a function in the program's table; the kernel calls the
//! exported `__wasmux_signal_trampoline` with the signal and the handler's
//! table index, and the trampoline calls it. The kernel may do so between
//! any two instructions of the program (a process is preempted by fuel and
//! signals are delivered before it runs on), so a handler interrupts
//! whatever the program was doing, malloc and stdout's lock included.
//! That is why installing a function is `unsafe`, and why [`flag`] (a
//! handler that only stores to an atomic) is the safe way to catch one.
//!
//! Numbers are WASI's (`SIGCHLD` is 16, `SIGSTOP` 18), which the kernel uses.

mod action;
mod catch;
mod set;

use std::io;

pub use crate::wait::{kill, killpg, raise};
pub use action::{Handler, SaFlags, SigAction};
pub use catch::{disposition, flag, ignore, on, reset, wait_any};
pub use set::SigSet;
pub use wasmux_uapi::Signal;

use crate::{check, raw};

/// What [`sigprocmask`] does with its set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum How {
    /// Add the set to the blocked mask.
    Block,
    /// Remove the set from the blocked mask.
    Unblock,
    /// The set becomes the blocked mask.
    SetMask,
}

impl How {
    fn raw(self) -> u32 {
        use wasmux_uapi::wasmux::sigmask;
        match self {
            How::Block => sigmask::BLOCK,
            How::Unblock => sigmask::UNBLOCK,
            How::SetMask => sigmask::SETMASK,
        }
    }
}

/// Sets the disposition of `signal` to `action` (when given); returns the
/// previous one. Errors: `EINVAL` (catching or ignoring SIGKILL or SIGSTOP).
///
/// # Safety
///
/// A [`Handler::Function`] runs on top of whatever the program was doing
/// when the signal came: it must only do what is safe at any instruction
/// (atomics, `wasmux` calls, preview1 calls on raw fds), never allocate,
/// take a lock, print through std, or touch state the program may be
/// changing.
pub unsafe fn sigaction(signal: Signal, action: Option<&SigAction>) -> io::Result<SigAction> {
    let new = action.map(SigAction::encode);
    let mut old = [0u8; action::RECORD_SIZE];
    let new_ptr = new
        .as_ref()
        .map_or(std::ptr::null(), |record| record.as_ptr());
    // SAFETY: `new_ptr` is null or a full record; `old` is one to write.
    check(unsafe { raw::sigaction(i32::from(signal.raw()), new_ptr, old.as_mut_ptr()) })?;
    SigAction::decode(&old)
}

/// Changes the blocked mask (when `set` is given); returns the previous one.
/// SIGKILL and SIGSTOP are never blocked, whatever the set says.
pub fn sigprocmask(how: How, set: Option<SigSet>) -> io::Result<SigSet> {
    let set = set.map(SigSet::raw);
    let set_ptr = set
        .as_ref()
        .map_or(std::ptr::null(), |set| set as *const u64);
    let mut old = 0u64;
    // SAFETY: `set_ptr` is null or a u64; `old` is a u64 to write.
    check(unsafe { raw::sigprocmask(how.raw(), set_ptr, &mut old) })?;
    Ok(SigSet::from_raw(old))
}

/// The blocked mask.
pub fn blocked() -> io::Result<SigSet> {
    sigprocmask(How::Block, None)
}

/// The signals sent to the caller while blocked, not yet delivered.
pub fn sigpending() -> io::Result<SigSet> {
    let mut set = 0u64;
    // SAFETY: `set` is a u64 to write.
    check(unsafe { raw::sigpending(&mut set) })?;
    Ok(SigSet::from_raw(set))
}

/// Waits with `mask` as the blocked mask until a signal is delivered (its
/// handler has run when this returns, and the old mask is back). Returns
/// `Ok` for that, the call's only normal ending (the kernel's `EINTR`).
pub fn sigsuspend(mask: SigSet) -> io::Result<()> {
    let mask = mask.raw();
    // SAFETY: `mask` is a u64 to read.
    let errno = unsafe { raw::sigsuspend(&mask) };
    if errno == wasmux_uapi::Errno::Intr as i32 {
        return Ok(());
    }
    check(errno)
}

/// The export the kernel runs signal handlers through
/// (`uapi::wasmux::SIGNAL_TRAMPOLINE`): calls the function at table index
/// `handler` with `signal`. rustc exports every `#[no_mangle]` C function
/// of the crates it links into a wasm program, so every program using this
/// crate has it.
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
#[unsafe(no_mangle)]
pub extern "C" fn __wasmux_signal_trampoline(signal: i32, handler: i32) {
    if let Some(handler) = action::function_at(handler as u32) {
        handler(signal);
    }
}
