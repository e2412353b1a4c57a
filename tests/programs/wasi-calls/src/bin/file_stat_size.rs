//! fd_filestat_get and fd_filestat_set_size: type, size and link count of a new
//! file; truncation drops bytes, extension reads back as zeros.

use guest::{check_eq, ok, say};

fn stat(fd: wasi::Fd) -> wasi::Filestat {
    // SAFETY: fd_filestat_get writes only its result.
    ok(unsafe { wasi::fd_filestat_get(fd) }, "fd_filestat_get")
}

fn set_size(fd: wasi::Fd, size: u64) {
    // SAFETY: plain numbers in, nothing out.
    ok(
        unsafe { wasi::fd_filestat_set_size(fd, size) },
        "fd_filestat_set_size",
    );
}

fn main() {
    let root = guest::root_dir();
    let fd = guest::create_file(root, "sized.txt", b"0123456789");
    let before = stat(fd);
    check_eq(
        guest::type_name(before.filetype),
        "regular_file".into(),
        "file type",
    );
    check_eq(before.size, 10, "size");
    check_eq(before.nlink, 1, "link count");
    say("new file: regular_file, 10 bytes, 1 link");

    set_size(fd, 4);
    check_eq(stat(fd).size, 4, "size after truncating");
    check_eq(
        guest::read_file(root, "sized.txt"),
        b"0123".to_vec(),
        "contents after truncating",
    );
    say("truncated to 4: 0123");

    set_size(fd, 8);
    check_eq(stat(fd).size, 8, "size after extending");
    check_eq(
        guest::read_file(root, "sized.txt"),
        b"0123\0\0\0\0".to_vec(),
        "contents after extending",
    );
    say("extended to 8: zeros after 0123");

    set_size(fd, 0);
    check_eq(stat(fd).size, 0, "size after emptying");
    say("emptied: 0 bytes");

    let root_stat = stat(root);
    check_eq(
        guest::type_name(root_stat.filetype),
        "directory".into(),
        "a directory's type",
    );
    say("root preopen: directory");
    guest::close(fd);
}
