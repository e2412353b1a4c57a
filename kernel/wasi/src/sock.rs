//! sock_accept, sock_recv, sock_send, sock_shutdown.
//!
//! preview1 can only reach sockets a host preopens; Wasmux preopens none
//! yet, so every open fd is a non-socket and these calls answer ENOTSOCK
//! (EBADF for a closed fd), checking their pointers like any other call.
//! AF_UNIX sockets arrive with the `wasmux` extension module.

use wasmux_fs::NodeKind;
use wasmux_mm::GuestMemory;
use wasmux_uapi::{Errno, Fd};

use crate::context::{Context, SysResult};
use crate::guest::{check_out, read_iovecs};

fn socket(cx: &Context<'_>, fd: u32) -> SysResult {
    let entry = cx.process.fds.get(Fd(fd)).map_err(|_| Errno::BadF)?;
    let kind = entry.file.stat()?.kind;
    if kind == NodeKind::Socket {
        // No socket object exists yet that could reach this point.
        return Err(Errno::NotSup.into());
    }
    Err(Errno::NotSock.into())
}

pub fn sock_accept(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    flags: u32,
    fd_out: u32,
) -> SysResult {
    if flags & !u32::from(wasmux_uapi::FdFlags::NONBLOCK.bits()) != 0 {
        return Err(Errno::Inval.into());
    }
    check_out(memory, fd_out, 4)?;
    socket(cx, fd)
}

pub fn sock_recv(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    ri_data: u32,
    ri_data_len: u32,
    _ri_flags: u32,
    ro_datalen_out: u32,
    ro_flags_out: u32,
) -> SysResult {
    read_iovecs(memory, ri_data, ri_data_len)?;
    check_out(memory, ro_datalen_out, 4)?;
    check_out(memory, ro_flags_out, 2)?;
    socket(cx, fd)
}

pub fn sock_send(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    si_data: u32,
    si_data_len: u32,
    _si_flags: u32,
    so_datalen_out: u32,
) -> SysResult {
    read_iovecs(memory, si_data, si_data_len)?;
    check_out(memory, so_datalen_out, 4)?;
    socket(cx, fd)
}

pub fn sock_shutdown(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    fd: u32,
    how: u32,
) -> SysResult {
    socket(cx, fd)?;
    if how == 0 || how > 3 {
        return Err(Errno::Inval.into());
    }
    Ok(())
}
