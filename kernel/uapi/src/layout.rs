//! Sizes and field offsets of the structs `wasi_snapshot_preview1` passes
//! through guest memory (little-endian, wasm32 alignment).

/// `iovec` / `ciovec`: `{ buf: u32, buf_len: u32 }`.
pub mod iovec {
    pub const SIZE: u32 = 8;
    pub const BUF: u32 = 0;
    pub const BUF_LEN: u32 = 4;
}

/// `fdstat`.
pub mod fdstat {
    pub const SIZE: u32 = 24;
    pub const FILETYPE: u32 = 0;
    pub const FLAGS: u32 = 2;
    pub const RIGHTS_BASE: u32 = 8;
    pub const RIGHTS_INHERITING: u32 = 16;
}

/// `filestat`.
pub mod filestat {
    pub const SIZE: u32 = 64;
    pub const DEV: u32 = 0;
    pub const INO: u32 = 8;
    pub const FILETYPE: u32 = 16;
    pub const NLINK: u32 = 24;
    pub const SIZE_FIELD: u32 = 32;
    pub const ATIM: u32 = 40;
    pub const MTIM: u32 = 48;
    pub const CTIM: u32 = 56;
}

/// `dirent` (the name follows the header, not NUL-terminated).
pub mod dirent {
    pub const SIZE: u32 = 24;
    pub const NEXT: u32 = 0;
    pub const INO: u32 = 8;
    pub const NAMLEN: u32 = 16;
    pub const TYPE: u32 = 20;
}

/// `prestat`.
pub mod prestat {
    pub const SIZE: u32 = 8;
    pub const TAG: u32 = 0;
    pub const DIR_NAME_LEN: u32 = 4;
}

/// `subscription`.
pub mod subscription {
    pub const SIZE: u32 = 48;
    pub const USERDATA: u32 = 0;
    pub const TAG: u32 = 8;
    pub const CLOCK_ID: u32 = 16;
    pub const CLOCK_TIMEOUT: u32 = 24;
    pub const CLOCK_PRECISION: u32 = 32;
    pub const CLOCK_FLAGS: u32 = 40;
    pub const FD: u32 = 16;
}

/// `event`.
pub mod event {
    pub const SIZE: u32 = 32;
    pub const USERDATA: u32 = 0;
    pub const ERROR: u32 = 8;
    pub const TYPE: u32 = 10;
    pub const NBYTES: u32 = 16;
    pub const FLAGS: u32 = 24;
}
