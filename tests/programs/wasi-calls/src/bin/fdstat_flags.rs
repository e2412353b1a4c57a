//! fd_fdstat_get and fd_fdstat_set_flags: file types of stdio, a file and a
//! directory; rights that allow what the fd is for; APPEND set after opening
//! sends every write to the end.

use guest::{check, check_eq, ok, say};

fn fdstat(fd: wasi::Fd) -> wasi::Fdstat {
    // SAFETY: fd_fdstat_get writes only its result.
    ok(unsafe { wasi::fd_fdstat_get(fd) }, "fd_fdstat_get")
}

fn main() {
    let root = guest::root_dir();

    let stdout = fdstat(1);
    check(
        stdout.fs_rights_base & wasi::RIGHTS_FD_WRITE != 0,
        "stdout may be written",
    );
    say("stdout: writable");

    let dir = fdstat(root);
    check_eq(
        guest::type_name(dir.fs_filetype),
        "directory".into(),
        "root preopen type",
    );
    check(
        dir.fs_rights_base & wasi::RIGHTS_PATH_OPEN != 0,
        "the root preopen may open paths",
    );
    say("root preopen: directory, may open paths");

    let fd = guest::create_file(root, "log.txt", b"first\n");
    let file = fdstat(fd);
    check_eq(
        guest::type_name(file.fs_filetype),
        "regular_file".into(),
        "file type",
    );
    check_eq(file.fs_flags, 0, "no flags on a plain open");
    let wanted = wasi::RIGHTS_FD_READ | wasi::RIGHTS_FD_WRITE | wasi::RIGHTS_FD_SEEK;
    check_eq(
        file.fs_rights_base & wanted,
        wanted,
        "a file opened with every right may read, write, seek",
    );
    say("file: regular_file, no flags, read/write/seek");

    // SAFETY: plain numbers in, nothing out.
    ok(
        unsafe { wasi::fd_fdstat_set_flags(fd, wasi::FDFLAGS_APPEND) },
        "set APPEND",
    );
    check_eq(
        fdstat(fd).fs_flags & wasi::FDFLAGS_APPEND,
        wasi::FDFLAGS_APPEND,
        "APPEND is reported",
    );
    // SAFETY: as above.
    ok(
        unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) },
        "seek to start",
    );
    guest::write_all(fd, b"second\n");
    check_eq(
        guest::read_file(root, "log.txt"),
        b"first\nsecond\n".to_vec(),
        "append after seek",
    );
    say("APPEND: a write after seeking to 0 lands at the end");

    // SAFETY: as above.
    ok(unsafe { wasi::fd_fdstat_set_flags(fd, 0) }, "clear APPEND");
    check_eq(
        fdstat(fd).fs_flags & wasi::FDFLAGS_APPEND,
        0,
        "APPEND is cleared",
    );
    // SAFETY: as above.
    ok(
        unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) },
        "seek to start",
    );
    guest::write_all(fd, b"FIRST");
    check_eq(
        guest::read_file(root, "log.txt"),
        b"FIRST\nsecond\n".to_vec(),
        "overwrite after clearing",
    );
    say("APPEND cleared: writes go to the position again");

    let appender = ok(
        guest::open(root, "log.txt", 0, wasi::FDFLAGS_APPEND),
        "open with APPEND",
    );
    check_eq(
        fdstat(appender).fs_flags & wasi::FDFLAGS_APPEND,
        wasi::FDFLAGS_APPEND,
        "APPEND from path_open",
    );
    guest::write_all(appender, b"third\n");
    check_eq(
        guest::read_file(root, "log.txt"),
        b"FIRST\nsecond\nthird\n".to_vec(),
        "append from open",
    );
    say("path_open with APPEND: appends");
    guest::close(appender);
    guest::close(fd);
}
