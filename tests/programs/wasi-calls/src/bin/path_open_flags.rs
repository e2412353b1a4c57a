//! path_open's flags: CREAT|EXCL on an existing file is EEXIST, a missing file
//! is ENOENT, DIRECTORY on a file is ENOTDIR, TRUNC empties, a directory opens
//! without DIRECTORY, a trailing slash on a file is ENOTDIR.

use guest::{check_eq, expect_errno, ok, say};

fn main() {
    let root = guest::root_dir();
    guest::close(guest::create_file(root, "exists.txt", b"some bytes"));

    let create_new = wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL;
    expect_errno(
        guest::open(root, "exists.txt", create_new, 0),
        &[wasi::ERRNO_EXIST],
        "CREAT|EXCL existing",
    );
    say("CREAT|EXCL on an existing file: EEXIST");

    let fresh = ok(
        guest::open(root, "fresh.txt", create_new, 0),
        "CREAT|EXCL new",
    );
    // SAFETY: fd_filestat_get writes only its result.
    check_eq(
        ok(unsafe { wasi::fd_filestat_get(fresh) }, "stat").size,
        0,
        "a created file is empty",
    );
    guest::close(fresh);
    say("CREAT|EXCL on a new name: created, empty");

    expect_errno(
        guest::open(root, "absent.txt", 0, 0),
        &[wasi::ERRNO_NOENT],
        "open a missing file",
    );
    expect_errno(
        guest::open(root, "absent/deeper.txt", wasi::OFLAGS_CREAT, 0),
        &[wasi::ERRNO_NOENT],
        "missing dir",
    );
    say("missing file or parent: ENOENT");

    expect_errno(
        guest::open(root, "exists.txt", wasi::OFLAGS_DIRECTORY, 0),
        &[wasi::ERRNO_NOTDIR],
        "DIRECTORY",
    );
    expect_errno(
        guest::open(root, "exists.txt/", 0, 0),
        &[wasi::ERRNO_NOTDIR],
        "trailing slash",
    );
    say("DIRECTORY or a trailing slash on a file: ENOTDIR");

    let dir = ok(
        guest::open_dir(root, ".", 0),
        "open a directory without DIRECTORY",
    );
    // SAFETY: fd_fdstat_get writes only its result.
    let stat = ok(unsafe { wasi::fd_fdstat_get(dir) }, "fdstat");
    check_eq(
        guest::type_name(stat.fs_filetype),
        "directory".into(),
        "the opened directory's type",
    );
    guest::close(dir);
    say("a directory opens without DIRECTORY");

    let truncated = ok(
        guest::open(root, "exists.txt", wasi::OFLAGS_TRUNC, 0),
        "TRUNC",
    );
    guest::close(truncated);
    check_eq(
        guest::read_file(root, "exists.txt"),
        Vec::new(),
        "TRUNC empties the file",
    );
    say("TRUNC: emptied");

    let again = ok(
        guest::open(root, "exists.txt", wasi::OFLAGS_CREAT, 0),
        "CREAT on an existing file",
    );
    guest::write_all(again, b"kept");
    guest::close(again);
    let reopened = ok(
        guest::open(root, "exists.txt", wasi::OFLAGS_CREAT, 0),
        "CREAT again",
    );
    check_eq(
        guest::read_to_end(reopened),
        b"kept".to_vec(),
        "CREAT without TRUNC keeps the data",
    );
    guest::close(reopened);
    say("CREAT alone on an existing file: data kept");

    expect_errno(
        guest::open(root, "", 0, 0),
        &[wasi::ERRNO_NOENT],
        "empty path",
    );
    say("empty path: ENOENT");
}
