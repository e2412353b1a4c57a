//! Bit sets of `wasi_snapshot_preview1`, with WASI's bit values.

use bitflags::bitflags;

bitflags! {
    /// What an fd may be used for. Dropping a right is permanent for that fd.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct Rights: u64 {
        const FD_DATASYNC = 1 << 0;
        const FD_READ = 1 << 1;
        const FD_SEEK = 1 << 2;
        const FD_FDSTAT_SET_FLAGS = 1 << 3;
        const FD_SYNC = 1 << 4;
        const FD_TELL = 1 << 5;
        const FD_WRITE = 1 << 6;
        const FD_ADVISE = 1 << 7;
        const FD_ALLOCATE = 1 << 8;
        const PATH_CREATE_DIRECTORY = 1 << 9;
        const PATH_CREATE_FILE = 1 << 10;
        const PATH_LINK_SOURCE = 1 << 11;
        const PATH_LINK_TARGET = 1 << 12;
        const PATH_OPEN = 1 << 13;
        const FD_READDIR = 1 << 14;
        const PATH_READLINK = 1 << 15;
        const PATH_RENAME_SOURCE = 1 << 16;
        const PATH_RENAME_TARGET = 1 << 17;
        const PATH_FILESTAT_GET = 1 << 18;
        const PATH_FILESTAT_SET_SIZE = 1 << 19;
        const PATH_FILESTAT_SET_TIMES = 1 << 20;
        const FD_FILESTAT_GET = 1 << 21;
        const FD_FILESTAT_SET_SIZE = 1 << 22;
        const FD_FILESTAT_SET_TIMES = 1 << 23;
        const PATH_SYMLINK = 1 << 24;
        const PATH_REMOVE_DIRECTORY = 1 << 25;
        const PATH_UNLINK_FILE = 1 << 26;
        const POLL_FD_READWRITE = 1 << 27;
        const SOCK_SHUTDOWN = 1 << 28;
        const SOCK_ACCEPT = 1 << 29;
    }
}

impl Rights {
    /// Rights that only make sense on a regular file (or a stream that reads and writes).
    pub const REGULAR_FILE: Rights = Rights::FD_DATASYNC
        .union(Rights::FD_READ)
        .union(Rights::FD_SEEK)
        .union(Rights::FD_FDSTAT_SET_FLAGS)
        .union(Rights::FD_SYNC)
        .union(Rights::FD_TELL)
        .union(Rights::FD_WRITE)
        .union(Rights::FD_ADVISE)
        .union(Rights::FD_ALLOCATE)
        .union(Rights::FD_FILESTAT_GET)
        .union(Rights::FD_FILESTAT_SET_SIZE)
        .union(Rights::FD_FILESTAT_SET_TIMES)
        .union(Rights::POLL_FD_READWRITE);

    /// Rights that only make sense on a directory.
    pub const DIRECTORY: Rights = Rights::FD_FDSTAT_SET_FLAGS
        .union(Rights::FD_SYNC)
        .union(Rights::FD_ADVISE)
        .union(Rights::PATH_CREATE_DIRECTORY)
        .union(Rights::PATH_CREATE_FILE)
        .union(Rights::PATH_LINK_SOURCE)
        .union(Rights::PATH_LINK_TARGET)
        .union(Rights::PATH_OPEN)
        .union(Rights::FD_READDIR)
        .union(Rights::PATH_READLINK)
        .union(Rights::PATH_RENAME_SOURCE)
        .union(Rights::PATH_RENAME_TARGET)
        .union(Rights::PATH_FILESTAT_GET)
        .union(Rights::PATH_FILESTAT_SET_SIZE)
        .union(Rights::PATH_FILESTAT_SET_TIMES)
        .union(Rights::FD_FILESTAT_GET)
        .union(Rights::FD_FILESTAT_SET_TIMES)
        .union(Rights::PATH_SYMLINK)
        .union(Rights::PATH_REMOVE_DIRECTORY)
        .union(Rights::PATH_UNLINK_FILE)
        .union(Rights::POLL_FD_READWRITE);

    /// Rights of a character device or a stream such as a pipe or a tty.
    pub const STREAM: Rights = Rights::FD_READ
        .union(Rights::FD_WRITE)
        .union(Rights::FD_FDSTAT_SET_FLAGS)
        .union(Rights::FD_FILESTAT_GET)
        .union(Rights::POLL_FD_READWRITE);

    /// Rights of a connected socket.
    pub const SOCKET: Rights = Rights::STREAM
        .union(Rights::SOCK_SHUTDOWN)
        .union(Rights::SOCK_ACCEPT);
}

bitflags! {
    /// File descriptor flags (`fdflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct FdFlags: u16 {
        const APPEND = 1 << 0;
        const DSYNC = 1 << 1;
        const NONBLOCK = 1 << 2;
        const RSYNC = 1 << 3;
        const SYNC = 1 << 4;
    }
}

bitflags! {
    /// Open flags of `path_open` (`oflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct OFlags: u16 {
        const CREAT = 1 << 0;
        const DIRECTORY = 1 << 1;
        const EXCL = 1 << 2;
        const TRUNC = 1 << 3;
    }
}

bitflags! {
    /// Path lookup flags (`lookupflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct LookupFlags: u32 {
        const SYMLINK_FOLLOW = 1 << 0;
    }
}

bitflags! {
    /// Which timestamps `*_filestat_set_times` sets (`fstflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct FstFlags: u16 {
        const ATIM = 1 << 0;
        const ATIM_NOW = 1 << 1;
        const MTIM = 1 << 2;
        const MTIM_NOW = 1 << 3;
    }
}

bitflags! {
    /// Flags of a clock subscription (`subclockflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct SubclockFlags: u16 {
        const ABSTIME = 1 << 0;
    }
}

bitflags! {
    /// Flags of an fd readiness event (`eventrwflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct EventRwFlags: u16 {
        const HANGUP = 1 << 0;
    }
}

bitflags! {
    /// `sock_recv` input flags (`riflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct RiFlags: u16 {
        const RECV_PEEK = 1 << 0;
        const RECV_WAITALL = 1 << 1;
    }
}

bitflags! {
    /// `sock_recv` output flags (`roflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct RoFlags: u16 {
        const RECV_DATA_TRUNCATED = 1 << 0;
    }
}

bitflags! {
    /// Which directions `sock_shutdown` closes (`sdflags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct SdFlags: u8 {
        const RD = 1 << 0;
        const WR = 1 << 1;
    }
}
