//! Catching signals the easy ways: a flag per signal, set by a handler
//! that does nothing else; waiting for one of a set; and plain handlers
//! for code that knows what is safe in them.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Handler, How, SaFlags, SigAction, SigSet, Signal, sigaction, sigprocmask, sigsuspend};

/// One flag per signal number (WASI numbers stay below 64).
static FLAGS: [AtomicBool; 64] = [const { AtomicBool::new(false) }; 64];

fn flag_of(signal: Signal) -> &'static AtomicBool {
    // Signal numbers are below 64 (Signal::ALL ends at 30).
    &FLAGS[usize::from(signal.raw()) % FLAGS.len()]
}

extern "C" fn set_flag(signal: i32) {
    if let Some(flag) = usize::try_from(signal)
        .ok()
        .and_then(|index| FLAGS.get(index))
    {
        flag.store(true, Ordering::SeqCst);
    }
}

/// Catches `signal` from now on; the returned flag becomes true each time
/// it arrives (the program clears it, e.g. with `swap(false)`). Blocking
/// calls the signal interrupts restart (`SA_RESTART`), so reads, writes,
/// waits and std's sleeps carry on (the kernel makes a preview1 sleep again
/// with its deadline kept); check the flag between them.
/// Errors: `EINVAL` for SIGKILL and SIGSTOP.
pub fn flag(signal: Signal) -> io::Result<&'static AtomicBool> {
    let action = SigAction {
        handler: Handler::Function(set_flag),
        mask: SigSet::EMPTY,
        flags: SaFlags::RESTART,
    };
    // SAFETY: `set_flag` only stores to an atomic, which is safe anywhere.
    unsafe { sigaction(signal, Some(&action)) }?;
    Ok(flag_of(signal))
}

/// Runs `handler` when `signal` arrives (with `SA_RESTART`); returns the
/// previous disposition.
///
/// # Safety
///
/// As for [`sigaction`]: `handler` interrupts the program at any
/// instruction, so it may only do what is safe there (atomics and raw
/// system calls; no allocation, locks or std printing).
pub unsafe fn on(signal: Signal, handler: extern "C" fn(i32)) -> io::Result<SigAction> {
    let action = SigAction {
        handler: Handler::Function(handler),
        mask: SigSet::EMPTY,
        flags: SaFlags::RESTART,
    };
    // SAFETY: the caller vouches for `handler`.
    unsafe { sigaction(signal, Some(&action)) }
}

/// Ignores `signal` from now on (ignored signals stay ignored in spawned
/// and exec'd programs); returns the previous disposition.
pub fn ignore(signal: Signal) -> io::Result<SigAction> {
    // SAFETY: no handler function is installed.
    unsafe { sigaction(signal, Some(&SigAction::new(Handler::Ignore))) }
}

/// Restores `signal`'s default action; returns the previous disposition.
pub fn reset(signal: Signal) -> io::Result<SigAction> {
    // SAFETY: no handler function is installed.
    unsafe { sigaction(signal, Some(&SigAction::new(Handler::Default))) }
}

/// The current disposition of `signal`.
pub fn disposition(signal: Signal) -> io::Result<SigAction> {
    // SAFETY: nothing is installed.
    unsafe { sigaction(signal, None) }
}

/// Waits until one of `signals` arrives and returns it, without a race:
/// they are blocked while their [`flag`] handlers are installed and only
/// unblocked inside `sigsuspend`. A signal whose flag was already set (it
/// came before the call) is returned at once and its flag cleared. The
/// handlers stay installed; the blocked mask is restored.
/// Errors: `InvalidInput` for an empty set, `EINVAL` for SIGKILL/SIGSTOP.
pub fn wait_any(signals: SigSet) -> io::Result<Signal> {
    if signals.is_empty() {
        return Err(io::Error::from(io::ErrorKind::InvalidInput));
    }
    let old = sigprocmask(How::Block, Some(signals))?;
    let result = (|| {
        for signal in signals.iter() {
            flag(signal)?;
        }
        loop {
            if let Some(signal) = signals
                .iter()
                .find(|&signal| flag_of(signal).swap(false, Ordering::SeqCst))
            {
                return Ok(signal);
            }
            sigsuspend(old.difference(signals))?;
        }
    })();
    sigprocmask(How::SetMask, Some(old))?;
    result
}
