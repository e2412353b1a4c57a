//! The terminal: ioctl, and the job-control rules for reads and writes on
//! a terminal by a process that is not in its foreground group.

use std::rc::Rc;

use wasmux_console::{IoctlArg, SharedTty, TtyEvent, TtyFile, ioctl_arg};
use wasmux_fs::{FsError, OpenFile};
use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::Wait;
use wasmux_signal::Disposition;
use wasmux_uapi::termios::TIOCSPGRP;
use wasmux_uapi::{Errno, Fd, Pid, Signal};

use crate::context::{Context, ErrnoExt, SysError, SysResult};
use crate::guest::check_out;

/// The terminal behind an open file, if it is one.
pub fn tty_of(file: &OpenFile) -> Option<SharedTty> {
    let tty = file.file().as_any()?.downcast_ref::<TtyFile>()?;
    Some(Rc::clone(tty.tty()))
}

/// Sends `signal` to every process of group `pgrp`, the caller included.
pub fn signal_group(cx: &mut Context<'_>, pgrp: Pid, signal: Signal) {
    let mut members = cx.processes.table().group(pgrp);
    if cx.process.pgid == pgrp {
        members.push(cx.process.pid);
    }
    for pid in members {
        cx.processes.signal(pid, signal);
    }
}

/// Whether the caller ignores or blocks `signal` (then job control does
/// not stop it: reads fail with EIO, writes go through).
fn shrugs_off(cx: &Context<'_>, signal: Signal) -> bool {
    let signals = &cx.process.signals;
    signals.disposition(signal) == Disposition::Ignore || signals.blocked().contains(signal)
}

/// Before a read (`writing` false) or write on a terminal: a process
/// outside the foreground group gets its group stopped with SIGTTIN (or
/// SIGTTOU for writes under TOSTOP), and its call waits to be restarted
/// when it is continued.
/// Errors: Io for a background read that ignores or blocks SIGTTIN.
pub fn job_control(cx: &mut Context<'_>, file: &OpenFile, writing: bool) -> SysResult {
    let Some(tty) = tty_of(file) else {
        return Ok(());
    };
    let (foreground, tostop) = {
        let tty = tty.borrow();
        (tty.foreground(), tty.tostop())
    };
    let Some(foreground) = foreground else {
        return Ok(());
    };
    if Pid(foreground) == cx.process.pgid || (writing && !tostop) {
        return Ok(());
    }
    let signal = if writing { Signal::Ttou } else { Signal::Ttin };
    if shrugs_off(cx, signal) {
        return if writing {
            Ok(())
        } else {
            Err(Errno::Io.into())
        };
    }
    let group = cx.process.pgid;
    signal_group(cx, group, signal);
    Err(SysError::Block(Wait::Io { deadline: None }))
}

/// When a blocked read of a terminal must be retried at the latest (VTIME).
pub fn read_deadline(file: &OpenFile) -> Option<u64> {
    tty_of(file).and_then(|tty| tty.borrow().read_deadline())
}

/// `ioctl(fd, request, arg, arg_len)`: terminal control. For requests that
/// take a value (TCFLSH, TCXONC, TCSBRK), `arg` is the value; otherwise it
/// points at `arg_len` bytes the call reads or fills.
/// Errors: BadF, NoTty (not a terminal, or an unknown request), Inval (a
/// short buffer or a bad value), Perm (TIOCSPGRP to a group outside the
/// caller's session), Fault.
pub fn ioctl(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    fd: u32,
    request: u32,
    arg: u32,
    arg_len: u32,
) -> SysResult {
    let file = cx.process.fds.get(Fd(fd))?.file.clone();
    let tty = tty_of(&file).ok_or(Errno::NoTty)?;
    let shape = ioctl_arg(request).ok_or(Errno::NoTty)?;
    let input = match shape {
        IoctlArg::Value => arg.to_le_bytes().to_vec(),
        IoctlArg::In(size) => {
            let size = u32::try_from(size).map_err(|_| Errno::Inval)?;
            if arg_len < size {
                return Err(Errno::Inval.into());
            }
            memory.read_bytes(arg, size)?
        }
        IoctlArg::Out(size) => {
            let size = u32::try_from(size).map_err(|_| Errno::Inval)?;
            if arg_len < size {
                return Err(Errno::Inval.into());
            }
            check_out(memory, arg, size)?;
            Vec::new()
        }
    };
    if request == TIOCSPGRP {
        let group = Pid(memory.read_value(arg)?);
        let sid = cx.process.sid;
        let exists = cx.process.pgid == group
            || cx
                .processes
                .table()
                .iter()
                .any(|p| p.pgid == group && p.sid == sid);
        if !exists {
            return Err(Errno::Perm.into());
        }
    }
    let reply = tty
        .borrow_mut()
        .ioctl(request, &input)
        .map_err(|error| match error {
            FsError::NotSupported => Errno::NoTty,
            error => Errno::from_fs(error),
        })?;
    if let IoctlArg::Out(size) = shape {
        let data = reply.data.get(..size).unwrap_or(&reply.data);
        memory.write(arg, data)?;
    }
    if let Some(TtyEvent::Signal { pgrp, signal }) = reply.event {
        signal_group(cx, Pid(pgrp), signal);
    }
    Ok(())
}
