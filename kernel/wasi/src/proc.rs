//! proc_exit, proc_raise, sched_yield.

use wasmux_mm::GuestMemory;
use wasmux_uapi::{Errno, Signal};

use crate::context::{Context, SysError, SysResult};

pub fn proc_exit(_cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, code: u32) -> SysResult {
    Err(SysError::Exit(code))
}

/// Sends `signal` to the caller; it is delivered before the program runs on.
pub fn proc_raise(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory, signal: u32) -> SysResult {
    let signal = u8::try_from(signal)
        .ok()
        .and_then(Signal::from_raw)
        .ok_or(Errno::Inval)?;
    let pid = cx.process.pid;
    cx.processes.signal(pid, signal);
    Ok(())
}

pub fn sched_yield(cx: &mut Context<'_>, _memory: &mut dyn GuestMemory) -> SysResult {
    cx.yield_now = true;
    Ok(())
}
