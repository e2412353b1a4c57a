//! Process identity and lifecycle: abi_version, getpid, getppid, getpgid,
//! setpgid, getsid, setsid, getids, umask, kill, waitpid.

use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::{ChildEvent, ExitStatus, ProcError, Wait, WaitFor, WaitOptions, WaitResult};
use wasmux_uapi::wasmux::{ABI_VERSION, wait};
use wasmux_uapi::{Errno, Pid, Signal};

use crate::context::{Context, SysError, SysResult};
use crate::guest::check_out;

impl From<ProcError> for SysError {
    fn from(error: ProcError) -> Self {
        SysError::Errno(match error {
            ProcError::NoSuchProcess => Errno::Srch,
            ProcError::NoChild => Errno::Child,
            ProcError::Perm => Errno::Perm,
            ProcError::Invalid => Errno::Inval,
        })
    }
}

/// The pid argument of calls where 0 means "the caller".
fn target(cx: &Context<'_>, pid: u32) -> Pid {
    if pid == 0 { cx.process.pid } else { Pid(pid) }
}

pub fn abi_version(_cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    memory.write_value(out, ABI_VERSION)?;
    Ok(())
}

pub fn getpid(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    memory.write_value(out, cx.process.pid.0)?;
    Ok(())
}

pub fn getppid(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    memory.write_value(out, cx.process.parent.map_or(0, |pid| pid.0))?;
    Ok(())
}

pub fn getpgid(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    pid: u32,
    out: u32,
) -> SysResult {
    let pid = target(cx, pid);
    let pgid = if pid == cx.process.pid {
        cx.process.pgid
    } else {
        cx.processes.table().get(pid).ok_or(Errno::Srch)?.pgid
    };
    memory.write_value(out, pgid.0)?;
    Ok(())
}

pub fn getsid(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, pid: u32, out: u32) -> SysResult {
    let pid = target(cx, pid);
    let sid = if pid == cx.process.pid {
        cx.process.sid
    } else {
        cx.processes.table().get(pid).ok_or(Errno::Srch)?.sid
    };
    memory.write_value(out, sid.0)?;
    Ok(())
}

pub fn setpgid(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    pid: u32,
    pgid: u32,
) -> SysResult {
    cx.processes
        .table()
        .setpgid(cx.process, Pid(pid), Pid(pgid))?;
    Ok(())
}

pub fn setsid(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    check_out(memory, out, 4)?;
    let sid = cx.processes.table().setsid(cx.process)?;
    memory.write_value(out, sid.0)?;
    Ok(())
}

/// `getids(out)`: writes uid, euid, gid, egid as four u32.
pub fn getids(cx: &mut Context<'_>, memory: &mut dyn GuestMemory, out: u32) -> SysResult {
    let cred = cx.process.cred;
    let mut ids = [0u8; 16];
    for (chunk, id) in ids
        .chunks_exact_mut(4)
        .zip([cred.uid, cred.uid, cred.gid, cred.gid])
    {
        chunk.copy_from_slice(&id.to_le_bytes());
    }
    memory.write(out, &ids)?;
    Ok(())
}

pub fn umask(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    mask: u32,
    old_out: u32,
) -> SysResult {
    check_out(memory, old_out, 4)?;
    let old = std::mem::replace(&mut cx.process.umask, mask & 0o777);
    memory.write_value(old_out, old)?;
    Ok(())
}

/// `kill(pid, signal)`: pid > 0 one process, 0 the caller's group, -1 every
/// process but init and the caller, < -1 the group -pid. Signal 0 only checks.
pub fn kill(
    cx: &mut Context<'_>,
    _memory: &mut dyn GuestMemory,
    pid: u32,
    signal: u32,
) -> SysResult {
    let signal = match signal {
        0 => None,
        raw => Some(
            u8::try_from(raw)
                .ok()
                .and_then(Signal::from_raw)
                .ok_or(Errno::Inval)?,
        ),
    };
    let pid = pid as i32;
    let caller = cx.process.pid;
    let cred = cx.process.cred;
    let caller_pgid = cx.process.pgid;
    let may_signal = |uid: u32| cred.uid == 0 || cred.uid == uid;
    let mut targets: Vec<Pid> = Vec::new();
    let mut denied = false;
    let mut include_self = false;
    let mut consider = |process: &wasmux_proc::Process, targets: &mut Vec<Pid>| {
        if matches!(process.state, wasmux_proc::State::Zombie(_)) {
            return;
        }
        if may_signal(process.cred.uid) {
            targets.push(process.pid);
        } else {
            denied = true;
        }
    };
    match pid {
        0 => {
            include_self = true;
            for process in cx
                .processes
                .table()
                .iter()
                .filter(|p| p.pgid == caller_pgid)
            {
                consider(process, &mut targets);
            }
        }
        -1 => {
            for process in cx.processes.table().iter().filter(|p| p.pid.0 != 1) {
                consider(process, &mut targets);
            }
        }
        pid if pid < -1 => {
            let group = Pid(pid.unsigned_abs());
            include_self = caller_pgid == group;
            for process in cx.processes.table().iter().filter(|p| p.pgid == group) {
                consider(process, &mut targets);
            }
        }
        pid => {
            let pid = Pid(pid as u32);
            if pid == caller {
                include_self = true;
            } else {
                let process = cx.processes.table().get(pid).ok_or(Errno::Srch)?;
                consider(process, &mut targets);
            }
        }
    }
    if targets.is_empty() && !include_self {
        return Err(if denied { Errno::Perm } else { Errno::Srch }.into());
    }
    if let Some(signal) = signal {
        if include_self {
            targets.push(caller);
        }
        for target in targets {
            cx.processes.signal(target, signal);
        }
    }
    Ok(())
}

/// The `waitpid` status word of a child event.
fn status_word(event: ChildEvent) -> u32 {
    match event {
        ChildEvent::Ended(ExitStatus::Exited(code)) => wait::exited(code),
        ChildEvent::Ended(ExitStatus::Signaled(signal)) => {
            let core = matches!(
                signal,
                Signal::Quit
                    | Signal::Ill
                    | Signal::Trap
                    | Signal::Abrt
                    | Signal::Bus
                    | Signal::Fpe
                    | Signal::Segv
                    | Signal::Xcpu
                    | Signal::Xfsz
                    | Signal::Sys
            );
            wait::signaled(signal.raw(), core)
        }
        ChildEvent::Stopped(signal) => wait::stopped(signal.raw()),
        ChildEvent::Continued => wait::CONTINUED_STATUS,
    }
}

pub fn waitpid(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    pid: u32,
    options: u32,
    status_out: u32,
    pid_out: u32,
) -> SysResult {
    if options & !(wait::NOHANG | wait::UNTRACED | wait::CONTINUED) != 0 {
        return Err(Errno::Inval.into());
    }
    check_out(memory, status_out, 4)?;
    check_out(memory, pid_out, 4)?;
    let which = match pid as i32 {
        -1 => WaitFor::AnyChild,
        0 => WaitFor::Group(cx.process.pgid),
        pid if pid < -1 => WaitFor::Group(Pid(pid.unsigned_abs())),
        pid => WaitFor::Child(Pid(pid as u32)),
    };
    let options = WaitOptions {
        no_hang: options & wait::NOHANG != 0,
        stopped: options & wait::UNTRACED != 0,
        continued: options & wait::CONTINUED != 0,
    };
    match cx.processes.table().wait(cx.process.pid, which, options)? {
        WaitResult::Changed(child, event) => {
            memory.write_value(status_out, status_word(event))?;
            memory.write_value(pid_out, child.0)?;
            Ok(())
        }
        WaitResult::NothingYet => {
            memory.write_value(pid_out, 0u32)?;
            Ok(())
        }
        WaitResult::MustWait => Err(SysError::Block(Wait::Child)),
    }
}
