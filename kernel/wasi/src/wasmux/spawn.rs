//! spawn (posix_spawn semantics) and exec.

use std::rc::Rc;

use wasmux_fs::{Access, NodeKind, OpenOptions, Vfs, Walk};
use wasmux_mm::{GuestMemory, GuestMemoryExt, StructReader};
use wasmux_proc::{FdEntry, FdTable, Process};
use wasmux_uapi::wasmux::{ROOT_PREOPEN_FD, file_action, open, spawn};
use wasmux_uapi::{Errno, Fd, FdFlags, Pid, Rights};

use crate::context::{Context, SysError, SysResult};
use crate::guest::{check_out, read_path};
use crate::path_open::applicable;
use crate::wasmux::image::{self, read_strings};

/// Opens `path` with Linux `open` flags, as a spawn file action does.
/// Errors: Inval for an access mode of 3, else as `Vfs::open`.
pub fn open_path(
    vfs: &mut Vfs,
    walk: &Walk,
    path: &[u8],
    flags: u32,
    mode: u32,
) -> SysResult<FdEntry> {
    let access = match flags & open::ACCMODE {
        open::RDONLY => Access::READ,
        open::WRONLY => Access::WRITE,
        open::RDWR => Access::READ_WRITE,
        _ => return Err(Errno::Inval.into()),
    };
    let mut status = FdFlags::empty();
    if flags & open::APPEND != 0 {
        status |= FdFlags::APPEND;
    }
    if flags & open::NONBLOCK != 0 {
        status |= FdFlags::NONBLOCK;
    }
    let options = OpenOptions {
        access,
        create: flags & open::CREAT != 0,
        exclusive: flags & open::EXCL != 0,
        truncate: flags & open::TRUNC != 0,
        directory: flags & open::DIRECTORY != 0,
        follow: flags & open::NOFOLLOW == 0,
        flags: status,
        mode: mode & 0o7777,
    };
    let file = vfs.open(walk, path, &options)?;
    let kind = file.stat()?.kind;
    Ok(FdEntry {
        file: Rc::new(file),
        rights: applicable(kind),
        inheriting: Rights::all(),
        cloexec: flags & open::CLOEXEC != 0,
        preopen: None,
    })
}

/// Closes close-on-exec fds and makes sure fd 3 is the root preopen that
/// wasi-libc finds paths through (fd 3 is reserved for it in Wasmux).
pub fn prepare_fds_for_image(
    vfs: &mut Vfs,
    fds: &mut FdTable,
    root: wasmux_fs::Location,
) -> SysResult {
    let closing: Vec<Fd> = fds
        .iter()
        .filter(|(_, entry)| entry.cloexec)
        .map(|(fd, _)| fd)
        .collect();
    for fd in closing {
        fds.remove(fd)?;
    }
    let preopen_fd = Fd(ROOT_PREOPEN_FD);
    if fds
        .get(preopen_fd)
        .is_ok_and(|entry| entry.preopen.is_some())
    {
        return Ok(());
    }
    let file = vfs.open_location(root, Access::READ, FdFlags::empty())?;
    let entry = FdEntry {
        file: Rc::new(file),
        rights: Rights::DIRECTORY,
        inheriting: Rights::all(),
        cloexec: false,
        preopen: Some(b"/".to_vec()),
    };
    fds.insert_at(preopen_fd, entry)?;
    Ok(())
}

/// Applies the file actions at `actions` to `fds`, opening paths from `walk`.
fn apply_file_actions(
    cx: &mut Context<'_>,
    memory: &dyn GuestMemory,
    walk: &Walk,
    fds: &mut FdTable,
    actions: u32,
    count: u32,
) -> SysResult {
    use file_action as a;
    if count > spawn::MAX_ACTIONS {
        return Err(Errno::Inval.into());
    }
    for index in 0..count {
        let address = actions
            .checked_add(index.saturating_mul(a::SIZE))
            .ok_or(Errno::Fault)?;
        let action = StructReader::<{ a::SIZE as usize }>::read_from(memory, address)?;
        let fd = Fd(action.get::<u32>(a::FD));
        match action.get::<u32>(a::KIND) {
            a::CLOSE => {
                // Closing an fd that is not open is not an error for spawn.
                let _ = fds.remove(fd);
            }
            a::DUP2 => {
                let source = Fd(action.get::<u32>(a::SOURCE_FD));
                let mut entry = fds.get(source)?.clone();
                entry.cloexec = false;
                entry.preopen = None;
                fds.insert_at(fd, entry)?;
            }
            a::OPEN => {
                let path = read_path(memory, action.get(a::PATH), action.get(a::PATH_LEN))?;
                let mode = action.get::<u32>(a::MODE) & !cx.process.umask;
                let entry = open_path(cx.vfs, walk, &path, action.get(a::OFLAGS), mode)?;
                fds.insert_at(fd, entry)?;
            }
            _ => return Err(Errno::Inval.into()),
        }
    }
    Ok(())
}

/// `spawn(request, pid_out)`: a new process running the program at
/// `request.path`, as posix_spawn does. Nothing is created unless all succeeds.
pub fn spawn(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    request: u32,
    pid_out: u32,
) -> SysResult {
    use spawn as s;
    check_out(memory, pid_out, 4)?;
    let req = StructReader::<{ s::SIZE as usize }>::read_from(memory, request)?;
    let path = read_path(memory, req.get(s::PATH), req.get(s::PATH_LEN))?;
    let args = read_strings(memory, req.get(s::ARGV), req.get(s::ARGV_LEN))?;
    let env = read_strings(memory, req.get(s::ENVP), req.get(s::ENVP_LEN))?;
    let flags: u32 = req.get(s::FLAGS);
    if flags & !(s::SETPGROUP | s::SETSIGDEF | s::SETSIGMASK | s::SETSID) != 0 {
        return Err(Errno::Inval.into());
    }
    let walk = cx.process_walk();
    let cwd = match req.get::<u32>(s::CWD_LEN) {
        0 => cx.process.cwd,
        len => {
            let dir = read_path(memory, req.get(s::CWD), len)?;
            let at = cx.vfs.resolve(&walk, &dir, true)?;
            if cx.vfs.stat(at)?.kind != NodeKind::Directory {
                return Err(Errno::NotDir.into());
            }
            at
        }
    };
    let child_walk = Walk { base: cwd, ..walk };
    // The caller is out of the table while it runs: count it too.
    if cx.processes.table().len().saturating_add(1) >= wasmux_proc::MAX_PROCESSES {
        return Err(Errno::Again.into());
    }
    let image = image::load(cx, &walk, &path, args, &env)?;

    let mut fds = cx.process.fds.clone();
    apply_file_actions(
        cx,
        memory,
        &child_walk,
        &mut fds,
        req.get(s::ACTIONS),
        req.get(s::ACTION_COUNT),
    )?;
    prepare_fds_for_image(cx.vfs, &mut fds, cx.process.root)?;

    let pid = cx.processes.table().allocate_pid();
    let mut child = Process::new(pid, image.executor, cx.process.root, cx.call_time);
    child.parent = Some(cx.process.pid);
    child.sid = cx.process.sid;
    child.pgid = cx.process.pgid;
    if flags & s::SETSID != 0 {
        child.sid = pid;
        child.pgid = pid;
    } else if flags & s::SETPGROUP != 0 {
        let group = Pid(req.get(s::PGROUP));
        if group.0 != 0 && group != cx.process.pgid {
            let sid = cx.process.sid;
            if !cx
                .processes
                .table()
                .iter()
                .any(|p| p.pgid == group && p.sid == sid)
            {
                return Err(Errno::Perm.into());
            }
        }
        child.pgid = if group.0 == 0 { pid } else { group };
    }
    child.args = image.args;
    child.env = env;
    child.fds = fds;
    child.cred = cx.process.cred;
    child.cwd = cwd;
    child.umask = cx.process.umask;
    child.confine_paths = cx.process.confine_paths;
    child.signals = wasmux_signal::SignalState::for_spawned_child(&cx.process.signals);
    if flags & s::SETSIGMASK != 0 {
        let mask = wasmux_signal::SigSet::from_raw(req.get(s::SIGMASK));
        child
            .signals
            .sigprocmask(wasmux_signal::SigmaskHow::SetMask, mask);
    }
    if flags & s::SETSIGDEF != 0 {
        for signal in wasmux_signal::SigSet::from_raw(req.get(s::SIGDEFAULT)).iter() {
            // Default is always a valid disposition.
            let _ = child
                .signals
                .sigaction(signal, wasmux_signal::Disposition::Default);
        }
    }
    cx.processes.start(child);
    memory.write_value(pid_out, pid.0)?;
    Ok(())
}

/// `exec(path, path_len, argv, argv_len, envp, envp_len)`: replaces the
/// caller's program, keeping its pid and its fds but close-on-exec ones.
/// Does not return on success.
pub fn exec(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    path: u32,
    path_len: u32,
    argv: u32,
    argv_len: u32,
    envp: u32,
    envp_len: u32,
) -> SysResult {
    let path = read_path(memory, path, path_len)?;
    let args = read_strings(memory, argv, argv_len)?;
    let env = read_strings(memory, envp, envp_len)?;
    let walk = cx.process_walk();
    let image = image::load(cx, &walk, &path, args, &env)?;
    let mut fds = cx.process.fds.clone();
    prepare_fds_for_image(cx.vfs, &mut fds, cx.process.root)?;
    cx.process.fds = fds;
    cx.process.args = image.args;
    cx.process.env = env;
    cx.process.executor = Some(image.executor);
    cx.process.signals.on_exec();
    cx.process.handler_frames.clear();
    Err(SysError::Exec)
}
