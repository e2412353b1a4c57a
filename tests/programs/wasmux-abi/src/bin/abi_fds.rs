//! Fd calls and identity: pipe flags, dup/dup2/dup3 and close-on-exec,
//! non-blocking reads, and the identity calls (ABI version, ids, umask).

use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;

use abi::{check, check_eq, ok, say};
use wasmux_sys::{
    Errno, PipeFlags, cloexec, dup, dup2, dup3, getids, getpid, getppid, nonblocking, pipe,
    set_cloexec, set_nonblocking, umask,
};

fn main() {
    check_eq(
        ok(wasmux_sys::abi_version(), "abi_version"),
        1,
        "ABI version",
    );
    check(getpid() > 0, "a pid");
    check_eq(getppid(), 0, "nobody waits for the first process");
    let ids = getids();
    check_eq((ids.uid, ids.euid), (ids.uid, ids.uid), "uid == euid");
    let old = umask(0o077);
    check_eq(umask(old), 0o077, "umask reads back");
    say("identity: ABI version 1, ids, umask");

    let (mut reader, mut writer) = ok(pipe(PipeFlags::empty()), "pipe");
    check(
        !ok(cloexec(&reader), "F_GETFD"),
        "no close-on-exec without the flag",
    );
    check(
        !ok(nonblocking(&reader), "F_GETFL"),
        "blocking without the flag",
    );
    ok(writer.write_all(b"through"), "write");
    let mut buffer = [0u8; 16];
    let count = ok(reader.read(&mut buffer), "read");
    check_eq(&buffer[..count], b"through", "a pipe carries bytes");
    let (flagged, _) = ok(
        pipe(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK),
        "pipe with flags",
    );
    check(ok(cloexec(&flagged), "F_GETFD"), "O_CLOEXEC");
    check(ok(nonblocking(&flagged), "F_GETFL"), "O_NONBLOCK");
    say("pipe: bytes through, O_CLOEXEC and O_NONBLOCK as asked");

    ok(set_nonblocking(&reader, true), "set O_NONBLOCK");
    match reader.read(&mut buffer) {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {}
        other => abi::fail(&format!("read of an empty non-blocking pipe: {other:?}")),
    }
    ok(set_nonblocking(&reader, false), "clear O_NONBLOCK");
    check(!ok(nonblocking(&reader), "F_GETFL"), "blocking again");
    say("non-blocking read of an empty pipe: EAGAIN");

    let copy = ok(dup(&writer), "dup");
    check(copy.as_raw_fd() != writer.as_raw_fd(), "a new fd");
    ok(set_cloexec(&copy, true), "set FD_CLOEXEC");
    check(ok(cloexec(&copy), "F_GETFD"), "FD_CLOEXEC set");
    check(!ok(cloexec(&writer), "F_GETFD"), "the flag is per fd");
    let target = copy.as_raw_fd();
    ok(dup2(&reader, target), "dup2 onto the copy");
    check(!ok(cloexec(&copy), "F_GETFD"), "dup2 clears close-on-exec");
    ok(dup3(&reader, target, true), "dup3 O_CLOEXEC");
    check(ok(cloexec(&copy), "F_GETFD"), "dup3 sets it");
    // `copy` now refers to the read end: bytes written come out of it.
    ok(writer.write_all(b"x"), "write");
    let mut copy = std::fs::File::from(copy);
    let count = ok(copy.read(&mut buffer), "read through the dup2 target");
    check_eq(&buffer[..count], b"x", "the target refers to the read end");
    drop(copy);
    ok(dup2(&reader, reader.as_raw_fd()), "dup2 onto itself");
    let mut out = 0;
    // SAFETY: `out` is a u32 to write; fd 900 is never opened here.
    let errno = unsafe { wasmux_sys::raw::dup(900, &mut out) };
    check_eq(errno, Errno::BadF as i32, "dup of a closed fd");
    say("dup, dup2, dup3: new fds, close-on-exec per fd, EBADF for closed ones");
}
