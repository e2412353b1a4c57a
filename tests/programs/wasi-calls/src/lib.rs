//! Helpers shared by the guest test programs: checks that fail loudly, and thin
//! wrappers over the raw `wasi` preview1 bindings.
//!
//! A failed check prints `FAIL: <what>` (with the errno name where there is one)
//! on stderr and exits with status 1, so a host test sees both the message and a
//! non-zero exit. Programs print only deterministic facts on stdout (no times,
//! inode numbers or random bytes), so stdout compares across runtimes.

use std::process;

pub use wasi::{Errno, Fd};

/// Every right defined by preview1 (bits 0..=29).
pub const RIGHTS_ALL: wasi::Rights = (1 << 30) - 1;

/// Stops the program with a failure message and exit status 1.
pub fn fail(what: &str) -> ! {
    eprintln!("FAIL: {what}");
    process::exit(1)
}

/// Fails unless `condition` holds.
#[track_caller]
pub fn check(condition: bool, what: &str) {
    if !condition {
        fail(&format!("{what} (at {})", std::panic::Location::caller()));
    }
}

/// Fails unless `actual == expected`, showing both.
#[track_caller]
pub fn check_eq<T: PartialEq + std::fmt::Debug>(actual: T, expected: T, what: &str) {
    if actual != expected {
        fail(&format!(
            "{what}: got {actual:?}, expected {expected:?} (at {})",
            std::panic::Location::caller()
        ));
    }
}

/// Unwraps a WASI result, failing with the errno's name.
#[track_caller]
pub fn ok<T>(result: Result<T, Errno>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(errno) => fail(&format!(
            "{what}: errno {} (at {})",
            errno.name(),
            std::panic::Location::caller()
        )),
    }
}

/// Fails unless the call failed with one of `expected`; returns the errno seen.
#[track_caller]
pub fn expect_errno<T>(result: Result<T, Errno>, expected: &[Errno], what: &str) -> Errno {
    let names: Vec<&str> = expected.iter().map(|errno| errno.name()).collect();
    match result {
        Err(errno) if expected.contains(&errno) => errno,
        Err(errno) => fail(&format!(
            "{what}: errno {}, expected {} (at {})",
            errno.name(),
            names.join(" or "),
            std::panic::Location::caller()
        )),
        Ok(_) => fail(&format!(
            "{what}: succeeded, expected {} (at {})",
            names.join(" or "),
            std::panic::Location::caller()
        )),
    }
}

/// Prints a line on stdout (a wrapper so programs read as a transcript).
pub fn say(line: &str) {
    println!("{line}");
}

/// The name a preopened directory was given, or None when `fd` is not one.
pub fn preopen_name(fd: Fd) -> Option<String> {
    // SAFETY: fd_prestat_get writes only its result; any fd number is valid input.
    let prestat = unsafe { wasi::fd_prestat_get(fd) }.ok()?;
    // SAFETY: preopens are directories, so the `dir` variant is the live one.
    let length = unsafe { prestat.u.dir.pr_name_len };
    let mut name = vec![0u8; length];
    // SAFETY: `name` has exactly `length` writable bytes.
    ok(
        unsafe { wasi::fd_prestat_dir_name(fd, name.as_mut_ptr(), length) },
        "fd_prestat_dir_name",
    );
    Some(String::from_utf8_lossy(&name).into_owned())
}

/// The preopen named "/" (`--dir HOST::/`); fails when there is none.
pub fn root_dir() -> Fd {
    for fd in 3..64 {
        if preopen_name(fd).as_deref() == Some("/") {
            return fd;
        }
    }
    fail("no preopened directory named \"/\": run with --dir HOST::/")
}

/// Rights that make sense only for regular files; a directory opened with
/// them is EISDIR on some runtimes (Wasmtime).
pub const RIGHTS_FILE_ONLY: wasi::Rights = wasi::RIGHTS_FD_WRITE
    | wasi::RIGHTS_FD_ALLOCATE
    | wasi::RIGHTS_FD_FILESTAT_SET_SIZE
    | wasi::RIGHTS_FD_DATASYNC
    | wasi::RIGHTS_FD_SYNC;

/// The rights `dir` lets files opened under it have (its inheriting rights):
/// asking for more is ENOTCAPABLE on runtimes that enforce rights (node:wasi).
pub fn inheritable_rights(dir: Fd) -> wasi::Rights {
    // SAFETY: fd_fdstat_get writes only its result.
    match unsafe { wasi::fd_fdstat_get(dir) } {
        Ok(stat) => stat.fs_rights_inheriting,
        Err(_) => RIGHTS_ALL,
    }
}

/// Opens the file `path` under `dir` with every right `dir` can give, following
/// symlinks, the way a program that wants to do anything with the file would
/// (and the way wasi-libc's open() does).
pub fn open(
    dir: Fd,
    path: &str,
    oflags: wasi::Oflags,
    fdflags: wasi::Fdflags,
) -> Result<Fd, Errno> {
    let rights = inheritable_rights(dir);
    let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
    // SAFETY: the bindings pass the path as a pointer and length of a live &str.
    unsafe { wasi::path_open(dir, follow, path, oflags, rights, rights, fdflags) }
}

/// Opens the directory `path` under `dir` with every right a directory can have.
pub fn open_dir(dir: Fd, path: &str, oflags: wasi::Oflags) -> Result<Fd, Errno> {
    let rights = inheritable_rights(dir);
    let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
    // SAFETY: as in open().
    unsafe {
        wasi::path_open(
            dir,
            follow,
            path,
            oflags,
            rights & !RIGHTS_FILE_ONLY,
            rights,
            0,
        )
    }
}

/// Creates (or truncates) `path` under `dir` and writes `contents` to it.
pub fn create_file(dir: Fd, path: &str, contents: &[u8]) -> Fd {
    let fd = ok(
        open(dir, path, wasi::OFLAGS_CREAT | wasi::OFLAGS_TRUNC, 0),
        &format!("create {path}"),
    );
    write_all(fd, contents);
    fd
}

/// Writes all of `parts` with gathering fd_write calls, resuming after short
/// writes (a runtime may write fewer bytes than asked, e.g. one iovec only).
/// Returns the number of fd_write calls made.
pub fn write_all_vectored(fd: Fd, parts: &[&[u8]]) -> usize {
    let mut parts: Vec<&[u8]> = parts
        .iter()
        .copied()
        .filter(|part| !part.is_empty())
        .collect();
    let mut calls = 0;
    while !parts.is_empty() {
        let iovecs: Vec<wasi::Ciovec> = parts
            .iter()
            .map(|part| wasi::Ciovec {
                buf: part.as_ptr(),
                buf_len: part.len(),
            })
            .collect();
        // SAFETY: the iovecs point into `parts`, alive for the call.
        let mut written = ok(unsafe { wasi::fd_write(fd, &iovecs) }, "fd_write");
        check(written > 0, "fd_write made progress");
        calls += 1;
        while written > 0 {
            let first = parts.remove(0);
            if written < first.len() {
                parts.insert(0, &first[written..]);
                written = 0;
            } else {
                written -= first.len();
            }
        }
    }
    calls
}

/// Writes all of `bytes` with fd_write, looping over short writes.
pub fn write_all(fd: Fd, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let iovec = wasi::Ciovec {
            buf: bytes.as_ptr(),
            buf_len: bytes.len(),
        };
        // SAFETY: the iovec points into `bytes`, alive for the call.
        let written = ok(unsafe { wasi::fd_write(fd, &[iovec]) }, "fd_write");
        check(written > 0, "fd_write made progress");
        bytes = &bytes[written..];
    }
}

/// Reads from the current position to the end of the file with fd_read.
pub fn read_to_end(fd: Fd) -> Vec<u8> {
    let mut contents = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let iovec = wasi::Iovec {
            buf: buffer.as_mut_ptr(),
            buf_len: buffer.len(),
        };
        // SAFETY: the iovec points into `buffer`, alive and writable for the call.
        let count = ok(unsafe { wasi::fd_read(fd, &[iovec]) }, "fd_read");
        if count == 0 {
            return contents;
        }
        contents.extend_from_slice(&buffer[..count]);
    }
}

/// Reads the whole file at `path` under `dir`.
pub fn read_file(dir: Fd, path: &str) -> Vec<u8> {
    let fd = ok(open(dir, path, 0, 0), &format!("open {path}"));
    let contents = read_to_end(fd);
    close(fd);
    contents
}

/// Closes `fd`, failing if that fails.
pub fn close(fd: Fd) {
    // SAFETY: fd_close takes a plain number.
    ok(unsafe { wasi::fd_close(fd) }, "fd_close");
}

/// The file type of what `path` names under `dir`, without following symlinks.
pub fn file_type(dir: Fd, path: &str) -> Result<wasi::Filetype, Errno> {
    // SAFETY: path_filestat_get writes only its result.
    unsafe { wasi::path_filestat_get(dir, 0, path) }.map(|stat| stat.filetype)
}

/// The file type's name in lower case, e.g. "regular_file".
pub fn type_name(filetype: wasi::Filetype) -> String {
    filetype.name().to_lowercase()
}

/// The command-line arguments after argv[0], which differs between runtimes.
pub fn arguments() -> Vec<String> {
    std::env::args().skip(1).collect()
}
