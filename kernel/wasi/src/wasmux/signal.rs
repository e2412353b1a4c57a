//! Signal calls: sigaction, sigprocmask, sigpending, sigsuspend.
//!
//! Handlers are indices into the program's function table; the kernel runs
//! them through the program's `__wasmux_signal_trampoline` export.

use wasmux_mm::{GuestMemory, GuestMemoryExt, StructReader, StructWriter};
use wasmux_proc::Wait;
use wasmux_signal::{Disposition, SaFlags, SigSet, SigmaskHow};
use wasmux_uapi::wasmux::sigaction as sa;
use wasmux_uapi::{Errno, Signal};

use crate::context::{Context, SysError, SysResult};
use crate::guest::check_out;

fn signal_arg(raw: u32) -> Result<Signal, Errno> {
    u8::try_from(raw)
        .ok()
        .and_then(Signal::from_raw)
        .ok_or(Errno::Inval)
}

fn read_disposition(memory: &dyn GuestMemory, at: u32) -> SysResult<Disposition> {
    let record = StructReader::<{ sa::SIZE as usize }>::read_from(memory, at)?;
    Ok(match record.get::<u32>(sa::KIND) {
        sa::KIND_DEFAULT => Disposition::Default,
        sa::KIND_IGNORE => Disposition::Ignore,
        sa::KIND_HANDLER => Disposition::Handler {
            handler: record.get(sa::HANDLER),
            mask: SigSet::from_raw(record.get(sa::MASK)),
            flags: SaFlags::from_bits(record.get(sa::FLAGS)).ok_or(Errno::Inval)?,
        },
        _ => return Err(Errno::Inval.into()),
    })
}

fn write_disposition(memory: &mut dyn GuestMemory, at: u32, disposition: Disposition) -> SysResult {
    let mut record = StructWriter::<{ sa::SIZE as usize }>::default();
    match disposition {
        Disposition::Default => record.set(sa::KIND, sa::KIND_DEFAULT),
        Disposition::Ignore => record.set(sa::KIND, sa::KIND_IGNORE),
        Disposition::Handler {
            handler,
            mask,
            flags,
        } => record
            .set(sa::KIND, sa::KIND_HANDLER)
            .set(sa::HANDLER, handler)
            .set(sa::MASK, mask.to_raw())
            .set(sa::FLAGS, flags.bits()),
    };
    record.write_to(memory, at)?;
    Ok(())
}

/// `sigaction(signal, act, oldact)`: either pointer may be 0 (none).
/// Errors: Inval (no such signal, bad record, SIGKILL/SIGSTOP caught or ignored).
pub fn sigaction(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    signal: u32,
    act: u32,
    oldact: u32,
) -> SysResult {
    let signal = signal_arg(signal)?;
    if oldact != 0 {
        check_out(memory, oldact, sa::SIZE)?;
    }
    let old = match act {
        0 => cx.process.signals.disposition(signal),
        act => {
            let new = read_disposition(memory, act)?;
            cx.process
                .signals
                .sigaction(signal, new)
                .map_err(|_| Errno::Inval)?
        }
    };
    if oldact != 0 {
        write_disposition(memory, oldact, old)?;
    }
    Ok(())
}

/// `sigprocmask(how, set, oldset)`: `set` and `oldset` point at a u64
/// signal set (bit n = signal n), either may be 0.
pub fn sigprocmask(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    how: u32,
    set: u32,
    oldset: u32,
) -> SysResult {
    if oldset != 0 {
        check_out(memory, oldset, 8)?;
    }
    let old = match set {
        0 => cx.process.signals.blocked(),
        set => {
            let how = SigmaskHow::from_raw(how).ok_or(Errno::Inval)?;
            let set = SigSet::from_raw(memory.read_value(set)?);
            cx.process.signals.sigprocmask(how, set)
        }
    };
    if oldset != 0 {
        memory.write_value(oldset, old.to_raw())?;
    }
    Ok(())
}

pub fn sigpending(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    memory.write_value(out, cx.process.signals.pending().to_raw())?;
    Ok(())
}

/// `sigsuspend(mask)`: waits with the mask at `mask` until a signal is
/// delivered; always ends with EINTR (after the handler ran, with the old
/// mask back).
pub fn sigsuspend(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, mask: u32) -> SysResult {
    let mask = SigSet::from_raw(memory.read_value(mask)?);
    let old = cx.process.signals.sigprocmask(SigmaskHow::SetMask, mask);
    // A restarted wait keeps the mask saved the first time.
    cx.process.suspended_mask.get_or_insert(old);
    Err(SysError::Block(Wait::Signal))
}
