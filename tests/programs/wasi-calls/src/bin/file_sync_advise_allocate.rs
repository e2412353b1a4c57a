//! fd_sync, fd_datasync, fd_advise (every advice) and fd_allocate on a regular
//! file. fd_allocate must make room (the size grows to at least offset+len and
//! the data already there stays), or answer ENOTSUP: Wasmtime no longer
//! implements it. The output does not say which.

use guest::{check, check_eq, expect_errno, ok, say};

fn main() {
    let root = guest::root_dir();
    let fd = guest::create_file(root, "synced.txt", b"keep me");

    // SAFETY: these calls take plain numbers and write only their results.
    unsafe {
        ok(wasi::fd_sync(fd), "fd_sync");
        ok(wasi::fd_datasync(fd), "fd_datasync");
        say("fd_sync and fd_datasync: ok");

        let advice = [
            wasi::ADVICE_NORMAL,
            wasi::ADVICE_SEQUENTIAL,
            wasi::ADVICE_RANDOM,
            wasi::ADVICE_WILLNEED,
            wasi::ADVICE_DONTNEED,
            wasi::ADVICE_NOREUSE,
        ];
        for each in advice {
            ok(wasi::fd_advise(fd, 0, 7, each), each.name());
        }
        say("fd_advise: every advice accepted");

        match wasi::fd_allocate(fd, 0, 4096) {
            Ok(()) => {
                let size = ok(wasi::fd_filestat_get(fd), "filestat").size;
                check(size >= 4096, "fd_allocate grows the file");
                check_eq(
                    guest::read_file(root, "synced.txt")[..7].to_vec(),
                    b"keep me".to_vec(),
                    "data kept",
                );
            }
            Err(errno) => check_eq(errno, wasi::ERRNO_NOTSUP, "fd_allocate's errno"),
        }
        say("fd_allocate: room made (or ENOTSUP)");

        let dir = ok(
            guest::open_dir(root, ".", wasi::OFLAGS_DIRECTORY),
            "open the root again",
        );
        expect_errno(
            wasi::fd_allocate(dir, 0, 10),
            &[
                wasi::ERRNO_BADF,
                wasi::ERRNO_ISDIR,
                wasi::ERRNO_NOTSUP,
                wasi::ERRNO_NOTCAPABLE,
            ],
            "allocate a directory",
        );
        say("fd_allocate on a directory: refused");
        guest::close(dir);
    }
    guest::close(fd);
}
