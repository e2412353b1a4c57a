//! The `wasmux` extension module: constants and struct layouts.
//!
//! The function list, arguments and errors are documented in
//! kernel/wasi/ABI.md; this module holds the numbers both sides must agree on.
//! Values follow Linux where a POSIX program would expect them (open flags,
//! wait options and status encoding, fcntl commands), so C and Rust code
//! written for Linux needs no translation tables.

/// The ABI version `abi_version` reports. Functions say in ABI.md which
/// version introduced them.
pub const ABI_VERSION: u32 = 1;

/// The import module name.
pub const MODULE: &str = "wasmux";

/// The export a program provides for signal handlers:
/// `__wasmux_signal_trampoline(signal: i32, handler: i32)` calls the
/// function at table index `handler` with `signal`.
pub const SIGNAL_TRAMPOLINE: &str = "__wasmux_signal_trampoline";

/// The fd every process image gets its root directory preopened at.
pub const ROOT_PREOPEN_FD: u32 = 3;

/// `open` flags (Linux values), used by spawn file actions and `pipe`.
pub mod open {
    pub const RDONLY: u32 = 0;
    pub const WRONLY: u32 = 1;
    pub const RDWR: u32 = 2;
    pub const ACCMODE: u32 = 3;
    pub const CREAT: u32 = 0o100;
    pub const EXCL: u32 = 0o200;
    pub const TRUNC: u32 = 0o1000;
    pub const APPEND: u32 = 0o2000;
    pub const NONBLOCK: u32 = 0o4000;
    pub const DIRECTORY: u32 = 0o200000;
    pub const NOFOLLOW: u32 = 0o400000;
    pub const CLOEXEC: u32 = 0o2000000;
}

/// `waitpid` options (Linux values).
pub mod wait {
    pub const NOHANG: u32 = 1;
    pub const UNTRACED: u32 = 2;
    pub const CONTINUED: u32 = 8;

    /// Status of a process that exited with `code`.
    pub const fn exited(code: u32) -> u32 {
        (code & 0xff) << 8
    }
    /// Status of a process a signal ended.
    pub const fn signaled(signal: u8, core: bool) -> u32 {
        signal as u32 | if core { 0x80 } else { 0 }
    }
    /// Status of a stopped process.
    pub const fn stopped(signal: u8) -> u32 {
        ((signal as u32) << 8) | 0x7f
    }
    /// Status of a continued process.
    pub const CONTINUED_STATUS: u32 = 0xffff;

    pub const fn if_exited(status: u32) -> bool {
        status & 0x7f == 0
    }
    pub const fn exit_status(status: u32) -> u32 {
        (status >> 8) & 0xff
    }
    pub const fn if_signaled(status: u32) -> bool {
        let low = status & 0x7f;
        low != 0 && low != 0x7f
    }
    pub const fn term_sig(status: u32) -> u32 {
        status & 0x7f
    }
    pub const fn if_stopped(status: u32) -> bool {
        status & 0xff == 0x7f
    }
    pub const fn stop_sig(status: u32) -> u32 {
        (status >> 8) & 0xff
    }
    pub const fn if_continued(status: u32) -> bool {
        status == CONTINUED_STATUS
    }
}

/// `fcntl` commands (Linux values) and fd flags.
pub mod fcntl {
    pub const DUPFD: u32 = 0;
    pub const GETFD: u32 = 1;
    pub const SETFD: u32 = 2;
    pub const GETFL: u32 = 3;
    pub const SETFL: u32 = 4;
    pub const DUPFD_CLOEXEC: u32 = 1030;
    /// The one fd flag.
    pub const FD_CLOEXEC: u32 = 1;
}

/// `sigprocmask` `how` values (Linux).
pub mod sigmask {
    pub const BLOCK: u32 = 0;
    pub const UNBLOCK: u32 = 1;
    pub const SETMASK: u32 = 2;
}

/// `sigaction` record: `{ kind: u32, handler: u32, mask: u64, flags: u32, pad: u32 }`.
pub mod sigaction {
    pub const SIZE: u32 = 24;
    pub const KIND: u32 = 0;
    pub const HANDLER: u32 = 4;
    pub const MASK: u32 = 8;
    pub const FLAGS: u32 = 16;
    /// `kind` values: what happens when the signal arrives.
    pub const KIND_DEFAULT: u32 = 0;
    pub const KIND_IGNORE: u32 = 1;
    pub const KIND_HANDLER: u32 = 2;
    /// `flags` bits (Linux values).
    pub const NOCLDSTOP: u32 = 1;
    pub const NOCLDWAIT: u32 = 2;
    pub const RESTART: u32 = 0x1000_0000;
    pub const NODEFER: u32 = 0x4000_0000;
    pub const RESETHAND: u32 = 0x8000_0000;
}

/// The `spawn` request: where the program, its arguments, environment,
/// working directory and file actions are.
///
/// `{ path, path_len, argv, argv_len, envp, envp_len, cwd, cwd_len,
///    actions, action_count, flags, pgroup: u32; sigmask, sigdefault: u64 }`.
/// `argv` and `envp` are buffers of NUL-terminated strings back to back;
/// `cwd_len` 0 keeps the caller's directory.
pub mod spawn {
    pub const SIZE: u32 = 64;
    pub const PATH: u32 = 0;
    pub const PATH_LEN: u32 = 4;
    pub const ARGV: u32 = 8;
    pub const ARGV_LEN: u32 = 12;
    pub const ENVP: u32 = 16;
    pub const ENVP_LEN: u32 = 20;
    pub const CWD: u32 = 24;
    pub const CWD_LEN: u32 = 28;
    pub const ACTIONS: u32 = 32;
    pub const ACTION_COUNT: u32 = 36;
    pub const FLAGS: u32 = 40;
    pub const PGROUP: u32 = 44;
    pub const SIGMASK: u32 = 48;
    pub const SIGDEFAULT: u32 = 56;
    /// `flags` bits (posix_spawn's, Linux values).
    pub const SETPGROUP: u32 = 2;
    pub const SETSIGDEF: u32 = 4;
    pub const SETSIGMASK: u32 = 8;
    pub const SETSID: u32 = 0x80;
    /// The most file actions one request may carry.
    pub const MAX_ACTIONS: u32 = 256;
}

/// One spawn file action: `{ kind, fd, source_fd, path, path_len, oflags, mode, pad: u32 }`.
pub mod file_action {
    pub const SIZE: u32 = 32;
    pub const KIND: u32 = 0;
    pub const FD: u32 = 4;
    pub const SOURCE_FD: u32 = 8;
    pub const PATH: u32 = 12;
    pub const PATH_LEN: u32 = 16;
    pub const OFLAGS: u32 = 20;
    pub const MODE: u32 = 24;
    /// `kind` values.
    pub const CLOSE: u32 = 1;
    /// `fd` becomes a duplicate of `source_fd` (dup2).
    pub const DUP2: u32 = 2;
    /// `fd` becomes `path` opened with `oflags` and `mode`.
    pub const OPEN: u32 = 3;
}

#[cfg(test)]
mod tests {
    use super::wait;

    #[test]
    fn wait_status_round_trips() {
        let exited = wait::exited(3);
        assert!(wait::if_exited(exited) && !wait::if_signaled(exited));
        assert_eq!(wait::exit_status(exited), 3);
        let killed = wait::signaled(9, false);
        assert!(wait::if_signaled(killed) && !wait::if_exited(killed));
        assert_eq!(wait::term_sig(killed), 9);
        let stopped = wait::stopped(20);
        assert!(wait::if_stopped(stopped) && !wait::if_signaled(stopped));
        assert_eq!(wait::stop_sig(stopped), 20);
        assert!(wait::if_continued(wait::CONTINUED_STATUS));
    }
}

/// `*at` conventions of the file-attribute calls (Linux values).
pub mod at {
    /// The "directory fd" meaning the working directory.
    pub const FDCWD: u32 = -100i32 as u32;
    /// Do not follow a final symlink.
    pub const SYMLINK_NOFOLLOW: u32 = 0x100;
    /// An empty path means the fd itself (fstat, fchmod, fchown).
    pub const EMPTY_PATH: u32 = 0x1000;
}

/// `stat` record: `{ dev: u64, ino: u64, mode: u32, nlink: u32, uid: u32,
/// gid: u32, rdev: u64, size: u64, blksize: u32, pad: u32, blocks: u64,
/// atime: u64, mtime: u64, ctime: u64 }`; times in ns since the epoch,
/// `mode` holds the file type bits (Linux `S_IF*`) and the permission bits,
/// `blocks` counts 512-byte units.
pub mod stat {
    pub const SIZE: u32 = 88;
    pub const DEV: u32 = 0;
    pub const INO: u32 = 8;
    pub const MODE: u32 = 16;
    pub const NLINK: u32 = 20;
    pub const UID: u32 = 24;
    pub const GID: u32 = 28;
    pub const RDEV: u32 = 32;
    pub const SIZE_FIELD: u32 = 40;
    pub const BLKSIZE: u32 = 48;
    pub const BLOCKS: u32 = 56;
    pub const ATIME: u32 = 64;
    pub const MTIME: u32 = 72;
    pub const CTIME: u32 = 80;
    /// File type bits of `mode` (Linux).
    pub const IFMT: u32 = 0o170000;
    pub const IFSOCK: u32 = 0o140000;
    pub const IFLNK: u32 = 0o120000;
    pub const IFREG: u32 = 0o100000;
    pub const IFBLK: u32 = 0o060000;
    pub const IFDIR: u32 = 0o040000;
    pub const IFCHR: u32 = 0o020000;
    pub const IFIFO: u32 = 0o010000;
}

/// `statfs` record: `{ bsize, blocks, bfree, bavail, files, ffree: u64,
/// namemax: u32, pad: u32 }`.
pub mod statfs {
    pub const SIZE: u32 = 56;
    pub const BSIZE: u32 = 0;
    pub const BLOCKS: u32 = 8;
    pub const BFREE: u32 = 16;
    pub const BAVAIL: u32 = 24;
    pub const FILES: u32 = 32;
    pub const FFREE: u32 = 40;
    pub const NAMEMAX: u32 = 48;
}
