//! args_get, args_sizes_get, environ_get, environ_sizes_get.

use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_uapi::Errno;

use crate::context::{Context, SysResult};

/// Writes each string NUL-terminated into `buf` and a pointer to it into `list`.
fn write_strings(
    memory: &mut dyn GuestMemory,
    strings: &[Vec<u8>],
    list: u32,
    buf: u32,
) -> SysResult {
    let mut pointer = list;
    let mut cursor = buf;
    for string in strings {
        memory.write_value(pointer, cursor)?;
        memory.write(cursor, string)?;
        let end = cursor
            .checked_add(u32::try_from(string.len()).map_err(|_| Errno::Overflow)?)
            .ok_or(Errno::Fault)?;
        memory.write(end, &[0])?;
        cursor = end.checked_add(1).ok_or(Errno::Fault)?;
        pointer = pointer.checked_add(4).ok_or(Errno::Fault)?;
    }
    Ok(())
}

/// Writes the count and the total size (with NULs) of `strings`.
fn write_sizes(
    memory: &mut dyn GuestMemory,
    strings: &[Vec<u8>],
    count_out: u32,
    size_out: u32,
) -> SysResult {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size: usize = strings
        .iter()
        .map(|string| string.len().saturating_add(1))
        .sum();
    let size = u32::try_from(size).map_err(|_| Errno::Overflow)?;
    memory.write_value(count_out, count)?;
    memory.write_value(size_out, size)?;
    Ok(())
}

pub fn args_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    argv: u32,
    argv_buf: u32,
) -> SysResult {
    write_strings(memory, &cx.process.args, argv, argv_buf)
}

pub fn args_sizes_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    argc_out: u32,
    size_out: u32,
) -> SysResult {
    write_sizes(memory, &cx.process.args, argc_out, size_out)
}

pub fn environ_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    environ: u32,
    environ_buf: u32,
) -> SysResult {
    write_strings(memory, &cx.process.env, environ, environ_buf)
}

pub fn environ_sizes_get(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    count_out: u32,
    size_out: u32,
) -> SysResult {
    write_sizes(memory, &cx.process.env, count_out, size_out)
}
