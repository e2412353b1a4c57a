//! The system call table: every import name, its signature, and its handler,
//! declared once (like Linux's syscall_64.tbl). The executor links imports
//! by this table, and a module importing anything else fails to load.

use wasmux_mm::GuestMemory;
use wasmux_proc::{HostFunction, SyscallRequest, ValueType};
use wasmux_uapi::Errno;

use crate::context::{Context, SysError, SysResult};
use crate::wasmux::{
    attrs, cwd, fd as xfd, process as xproc, signal as xsignal, spawn as xspawn, tty,
};
use crate::{args_env, clock, fd, fd_filestat, fd_io, path, poll, proc, random, sock};

/// A handler as the table stores it: raw arguments in, result out.
pub type RawHandler = fn(&mut Context<'_>, &mut dyn GuestMemory, &[u64]) -> SysResult;

/// One system call.
#[derive(Clone, Copy, Debug)]
pub struct Syscall {
    pub function: HostFunction,
    pub handler: RawHandler,
}

/// A parameter type: how it looks in wasm and how to decode the raw value.
trait Arg {
    const TYPE: ValueType;
    fn decode(raw: u64) -> Self;
}

impl Arg for u32 {
    const TYPE: ValueType = ValueType::I32;
    fn decode(raw: u64) -> Self {
        raw as u32
    }
}

impl Arg for u64 {
    const TYPE: ValueType = ValueType::I64;
    fn decode(raw: u64) -> Self {
        raw
    }
}

impl Arg for i64 {
    const TYPE: ValueType = ValueType::I64;
    fn decode(raw: u64) -> Self {
        raw as i64
    }
}

macro_rules! results {
    () => {
        &[ValueType::I32]
    };
    (noreturn) => {
        &[]
    };
}

macro_rules! syscalls {
    ($( $module:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) $( $noreturn:ident )? => $handler:path; )*) => {
        /// Every system call, in table order; a call's number is its index.
        pub static SYSCALLS: &[Syscall] = &[$(
            Syscall {
                function: HostFunction {
                    module: $module,
                    name: stringify!($name),
                    params: &[$( <$ty as Arg>::TYPE ),*],
                    results: results!($( $noreturn )?),
                },
                handler: |cx, memory, args| {
                    #[allow(unused_mut, unused_variables)] // sched_yield has no arguments
                    let mut args = args.iter().copied();
                    $( let $arg = <$ty as Arg>::decode(args.next().unwrap_or(0)); )*
                    $handler(cx, memory, $( $arg ),*)
                },
            },
        )*];
    };
}

const P1: &str = "wasi_snapshot_preview1";
const WASMUX: &str = wasmux_uapi::wasmux::MODULE;

syscalls! {
    P1 args_get(argv: u32, argv_buf: u32) => args_env::args_get;
    P1 args_sizes_get(argc_out: u32, argv_buf_size_out: u32) => args_env::args_sizes_get;
    P1 environ_get(environ: u32, environ_buf: u32) => args_env::environ_get;
    P1 environ_sizes_get(count_out: u32, size_out: u32) => args_env::environ_sizes_get;
    P1 clock_res_get(id: u32, out: u32) => clock::clock_res_get;
    P1 clock_time_get(id: u32, precision: u64, out: u32) => clock::clock_time_get;
    P1 fd_advise(fd: u32, offset: u64, len: u64, advice: u32) => fd::fd_advise;
    P1 fd_allocate(fd: u32, offset: u64, len: u64) => fd_filestat::fd_allocate;
    P1 fd_close(fd: u32) => fd::fd_close;
    P1 fd_datasync(fd: u32) => fd::fd_datasync;
    P1 fd_fdstat_get(fd: u32, out: u32) => fd::fd_fdstat_get;
    P1 fd_fdstat_set_flags(fd: u32, flags: u32) => fd::fd_fdstat_set_flags;
    P1 fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) => fd::fd_fdstat_set_rights;
    P1 fd_filestat_get(fd: u32, out: u32) => fd_filestat::fd_filestat_get;
    P1 fd_filestat_set_size(fd: u32, size: u64) => fd_filestat::fd_filestat_set_size;
    P1 fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst_flags: u32) => fd_filestat::fd_filestat_set_times;
    P1 fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread_out: u32) => fd_io::fd_pread;
    P1 fd_prestat_get(fd: u32, out: u32) => fd::fd_prestat_get;
    P1 fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) => fd::fd_prestat_dir_name;
    P1 fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten_out: u32) => fd_io::fd_pwrite;
    P1 fd_read(fd: u32, iovs: u32, iovs_len: u32, nread_out: u32) => fd_io::fd_read;
    P1 fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused_out: u32) => fd_filestat::fd_readdir;
    P1 fd_renumber(fd: u32, to: u32) => fd::fd_renumber;
    P1 fd_seek(fd: u32, offset: i64, whence: u32, newoffset_out: u32) => fd_io::fd_seek;
    P1 fd_sync(fd: u32) => fd::fd_sync;
    P1 fd_tell(fd: u32, out: u32) => fd_io::fd_tell;
    P1 fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten_out: u32) => fd_io::fd_write;
    P1 path_create_directory(fd: u32, path: u32, path_len: u32) => path::path_create_directory;
    P1 path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, out: u32) => path::path_filestat_get;
    P1 path_filestat_set_times(fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32) => path::path_filestat_set_times;
    P1 path_link(old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) => path::path_link;
    P1 path_open(fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, rights_base: u64, rights_inheriting: u64, fdflags: u32, fd_out: u32) => crate::path_open::path_open;
    P1 path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused_out: u32) => path::path_readlink;
    P1 path_remove_directory(fd: u32, path: u32, path_len: u32) => path::path_remove_directory;
    P1 path_rename(fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) => path::path_rename;
    P1 path_symlink(old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32) => path::path_symlink;
    P1 path_unlink_file(fd: u32, path: u32, path_len: u32) => path::path_unlink_file;
    P1 poll_oneoff(subscriptions: u32, events: u32, count: u32, nevents_out: u32) => poll::poll_oneoff;
    P1 proc_exit(code: u32) noreturn => proc::proc_exit;
    P1 proc_raise(signal: u32) => proc::proc_raise;
    P1 sched_yield() => proc::sched_yield;
    P1 random_get(buf: u32, buf_len: u32) => random::random_get;
    P1 sock_accept(fd: u32, flags: u32, fd_out: u32) => sock::sock_accept;
    P1 sock_recv(fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen_out: u32, ro_flags_out: u32) => sock::sock_recv;
    P1 sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen_out: u32) => sock::sock_send;
    P1 sock_shutdown(fd: u32, how: u32) => sock::sock_shutdown;

    WASMUX abi_version(out: u32) => xproc::abi_version;
    WASMUX getpid(out: u32) => xproc::getpid;
    WASMUX getppid(out: u32) => xproc::getppid;
    WASMUX getpgid(pid: u32, out: u32) => xproc::getpgid;
    WASMUX setpgid(pid: u32, pgid: u32) => xproc::setpgid;
    WASMUX getsid(pid: u32, out: u32) => xproc::getsid;
    WASMUX setsid(out: u32) => xproc::setsid;
    WASMUX getids(out: u32) => xproc::getids;
    WASMUX umask(mask: u32, old_out: u32) => xproc::umask;
    WASMUX kill(pid: u32, signal: u32) => xproc::kill;
    WASMUX waitpid(pid: u32, options: u32, status_out: u32, pid_out: u32) => xproc::waitpid;
    WASMUX spawn(request: u32, pid_out: u32) => xspawn::spawn;
    WASMUX exec(path: u32, path_len: u32, argv: u32, argv_len: u32, envp: u32, envp_len: u32) => xspawn::exec;
    WASMUX dup(fd: u32, fd_out: u32) => xfd::dup;
    WASMUX dup3(fd: u32, newfd: u32, flags: u32) => xfd::dup3;
    WASMUX fcntl(fd: u32, cmd: u32, arg: u32, out: u32) => xfd::fcntl;
    WASMUX pipe(fds_out: u32, flags: u32) => xfd::pipe;
    WASMUX chdir(path: u32, path_len: u32) => cwd::chdir;
    WASMUX fchdir(fd: u32) => cwd::fchdir;
    WASMUX getcwd(buf: u32, len: u32, len_out: u32) => cwd::getcwd;
    WASMUX sigaction(signal: u32, act: u32, oldact: u32) => xsignal::sigaction;
    WASMUX sigprocmask(how: u32, set: u32, oldset: u32) => xsignal::sigprocmask;
    WASMUX sigpending(out: u32) => xsignal::sigpending;
    WASMUX sigsuspend(mask: u32) => xsignal::sigsuspend;
    WASMUX ioctl(fd: u32, request: u32, arg: u32, arg_len: u32) => tty::ioctl;
    WASMUX stat(dirfd: u32, path: u32, path_len: u32, flags: u32, out: u32) => attrs::stat;
    WASMUX chmod(dirfd: u32, path: u32, path_len: u32, mode: u32, flags: u32) => attrs::chmod;
    WASMUX chown(dirfd: u32, path: u32, path_len: u32, uid: u32, gid: u32, flags: u32) => attrs::chown;
    WASMUX statfs(dirfd: u32, path: u32, path_len: u32, out: u32) => attrs::statfs;
}

/// The imports a program may use, in table order, for the executor's linker.
pub fn host_functions() -> Vec<HostFunction> {
    SYSCALLS.iter().map(|syscall| syscall.function).collect()
}

/// Runs the system call `request` for the process in `cx`.
///
/// `Ok(())` means errno 0; an errno, a block, an exit or a raised signal
/// come back as [`SysError`] for the kernel to act on. A number outside the
/// table (impossible for a linked module) is ENOSYS.
pub fn dispatch(
    cx: &mut Context<'_>,
    memory: &mut dyn GuestMemory,
    request: &SyscallRequest,
) -> SysResult {
    let syscall = SYSCALLS
        .get(request.number as usize)
        .ok_or(SysError::Errno(Errno::NoSys))?;
    (syscall.handler)(cx, memory, request.args())
}

/// The errno value a completed call returns to the guest.
pub fn errno_value(result: Result<(), Errno>) -> u64 {
    match result {
        Ok(()) => 0,
        Err(errno) => u64::from(errno.raw()),
    }
}
