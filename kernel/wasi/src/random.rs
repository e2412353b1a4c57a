//! random_get.

use wasmux_mm::GuestMemory;

use crate::context::{Context, SysResult};

pub fn random_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    buf: u32,
    len: u32,
) -> SysResult {
    let host = cx.host;
    memory.with_slice_mut(buf, len, &mut |bytes| host.random(bytes))?;
    Ok(())
}
