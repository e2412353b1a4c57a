//! fd_renumber: moving fd A onto open fd B closes B's file and leaves A closed;
//! a closed source or target is EBADF.

use guest::{check_eq, expect_errno, ok, say};

fn main() {
    let root = guest::root_dir();
    let first = guest::create_file(root, "first.txt", b"first");
    let second = guest::create_file(root, "second.txt", b"second");

    // SAFETY: plain numbers in, results out.
    unsafe {
        ok(
            wasi::fd_renumber(first, second),
            "renumber first onto second",
        );
        expect_errno(
            wasi::fd_tell(first),
            &[wasi::ERRNO_BADF],
            "the source is closed",
        );
        ok(wasi::fd_seek(second, 0, wasi::WHENCE_SET), "seek");
        check_eq(
            guest::read_to_end(second),
            b"first".to_vec(),
            "the target now reads the source's file",
        );
        say("renumber: target now refers to the source's file, source closed");

        expect_errno(
            wasi::fd_renumber(first, second),
            &[wasi::ERRNO_BADF],
            "renumber a closed fd",
        );
        say("renumber from a closed fd: EBADF");

        expect_errno(
            wasi::fd_renumber(second, 200),
            &[wasi::ERRNO_BADF],
            "renumber onto a closed fd",
        );
        check_eq(
            ok(wasi::fd_tell(second), "tell"),
            5,
            "a failed renumber leaves the source open",
        );
        say("renumber onto a closed fd: EBADF, source untouched");

        ok(wasi::fd_renumber(second, second), "renumber onto itself");
        check_eq(
            ok(wasi::fd_tell(second), "tell"),
            5,
            "renumber onto itself keeps the fd",
        );
        say("renumber onto itself: no-op");
    }
    guest::close(second);
}
