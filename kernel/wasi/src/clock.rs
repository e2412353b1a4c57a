//! clock_res_get, clock_time_get.

use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_uapi::{ClockId, Errno, Timestamp};

use crate::context::{Context, SysResult};

fn clock_id(raw: u32) -> Result<ClockId, Errno> {
    ClockId::from_raw(raw).ok_or(Errno::Inval)
}

/// The current value of `clock` for the calling process.
pub fn now(cx: &Context<'_>, clock: ClockId) -> Timestamp {
    match clock {
        ClockId::Realtime => cx.host.realtime(),
        ClockId::Monotonic => cx.host.monotonic(),
        ClockId::ProcessCputime | ClockId::ThreadCputime => cx.cpu_time,
    }
}

pub fn clock_res_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    id: u32,
    out: u32,
) -> SysResult {
    let clock = clock_id(id)?;
    memory.write_value(out, cx.host.resolution(clock))?;
    Ok(())
}

pub fn clock_time_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    id: u32,
    _precision: u64,
    out: u32,
) -> SysResult {
    let clock = clock_id(id)?;
    memory.write_value(out, now(cx, clock))?;
    Ok(())
}
