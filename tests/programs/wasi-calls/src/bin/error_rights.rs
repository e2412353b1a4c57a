//! fd_fdstat_set_rights drops rights for good: after dropping FD_WRITE a write
//! is ENOTCAPABLE while reading still works, the right cannot be taken back, and
//! a directory without PATH_CREATE_FILE cannot create files.

use guest::{check, check_eq, expect_errno, ok, say};

fn rights(fd: wasi::Fd) -> (wasi::Rights, wasi::Rights) {
    // SAFETY: fd_fdstat_get writes only its result.
    let stat = ok(unsafe { wasi::fd_fdstat_get(fd) }, "fd_fdstat_get");
    (stat.fs_rights_base, stat.fs_rights_inheriting)
}

fn main() {
    let root = guest::root_dir();
    let fd = guest::create_file(root, "guarded.txt", b"readable");
    let (base, inheriting) = rights(fd);
    check(
        base & wasi::RIGHTS_FD_WRITE != 0,
        "the file starts writable",
    );

    // SAFETY: plain numbers and live buffers only.
    unsafe {
        ok(
            wasi::fd_fdstat_set_rights(fd, base & !wasi::RIGHTS_FD_WRITE, inheriting),
            "drop FD_WRITE",
        );
        check_eq(rights(fd).0 & wasi::RIGHTS_FD_WRITE, 0, "FD_WRITE is gone");
        say("dropped FD_WRITE");

        let ciovec = [wasi::Ciovec {
            buf: b"x".as_ptr(),
            buf_len: 1,
        }];
        expect_errno(
            wasi::fd_write(fd, &ciovec),
            &[wasi::ERRNO_NOTCAPABLE],
            "write without FD_WRITE",
        );
        say("fd_write without FD_WRITE: ENOTCAPABLE");

        ok(
            wasi::fd_seek(fd, 0, wasi::WHENCE_SET),
            "seek (still allowed)",
        );
        check_eq(
            guest::read_to_end(fd),
            b"readable".to_vec(),
            "reading still works",
        );
        say("fd_read still works");

        let regain = wasi::fd_fdstat_set_rights(fd, base, inheriting);
        expect_errno(regain, &[wasi::ERRNO_NOTCAPABLE], "taking FD_WRITE back");
        check_eq(
            rights(fd).0 & wasi::RIGHTS_FD_WRITE,
            0,
            "FD_WRITE stays gone",
        );
        say("taking FD_WRITE back: ENOTCAPABLE");

        let dir = ok(
            guest::open_dir(root, ".", wasi::OFLAGS_DIRECTORY),
            "open the root again",
        );
        let (dir_base, dir_inheriting) = rights(dir);
        ok(
            wasi::fd_fdstat_set_rights(
                dir,
                dir_base & !wasi::RIGHTS_PATH_CREATE_FILE,
                dir_inheriting,
            ),
            "drop CREATE_FILE",
        );
        let created = wasi::path_open(
            dir,
            0,
            "new.txt",
            wasi::OFLAGS_CREAT,
            wasi::RIGHTS_FD_READ,
            0,
            0,
        );
        expect_errno(
            created,
            &[wasi::ERRNO_NOTCAPABLE],
            "create without PATH_CREATE_FILE",
        );
        expect_errno(
            guest::file_type(root, "new.txt"),
            &[wasi::ERRNO_NOENT],
            "nothing was created",
        );
        say("path_open CREAT without PATH_CREATE_FILE: ENOTCAPABLE");
        guest::close(dir);
    }
    guest::close(fd);
}
