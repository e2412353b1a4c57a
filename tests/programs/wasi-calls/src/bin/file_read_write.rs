//! fd_write, fd_read, fd_seek, fd_tell and fd_close on a regular file: gathered
//! writes, scattered reads, every whence, reads at the end returning 0, and a
//! closed fd answering EBADF.

use guest::{check_eq, expect_errno, ok, say};

fn main() {
    let root = guest::root_dir();
    let fd = ok(
        guest::open(root, "data.txt", wasi::OFLAGS_CREAT | wasi::OFLAGS_TRUNC, 0),
        "create",
    );

    // SAFETY: every iovec below points into a live local buffer.
    unsafe {
        let parts: [&[u8]; 3] = [b"hello", b", ", b"world\n"];
        guest::write_all_vectored(fd, &parts);
        check_eq(ok(wasi::fd_tell(fd), "tell"), 13, "position after write");
        say("wrote 13 bytes from 3 iovecs");

        check_eq(
            ok(wasi::fd_seek(fd, 0, wasi::WHENCE_SET), "seek set"),
            0,
            "seek to start",
        );
        let mut first = [0u8; 4];
        let mut second = [0u8; 20];
        let mut total = 0;
        while total < 13 {
            // Scatter into what is still empty; a runtime may fill one iovec per call.
            let (head, tail) = if total < 4 {
                (&mut first[total..], &mut second[..])
            } else {
                (&mut second[total - 4..], &mut [][..])
            };
            let iovecs = [
                wasi::Iovec {
                    buf: head.as_mut_ptr(),
                    buf_len: head.len(),
                },
                wasi::Iovec {
                    buf: tail.as_mut_ptr(),
                    buf_len: tail.len(),
                },
            ];
            let count = ok(wasi::fd_read(fd, &iovecs), "scattered read");
            guest::check(count > 0, "scattered read made progress");
            total += count;
        }
        check_eq(total, 13, "bytes read");
        check_eq(&first, b"hell", "first iovec");
        check_eq(&second[..9], b"o, world\n", "second iovec");
        say("read 13 bytes into 2 iovecs");

        let iovec = [wasi::Iovec {
            buf: first.as_mut_ptr(),
            buf_len: first.len(),
        }];
        check_eq(
            ok(wasi::fd_read(fd, &iovec), "read at end"),
            0,
            "read at end of file",
        );
        say("read at end: 0 bytes");

        check_eq(
            ok(wasi::fd_seek(fd, -6, wasi::WHENCE_END), "seek end"),
            7,
            "seek from end",
        );
        check_eq(
            ok(wasi::fd_seek(fd, 2, wasi::WHENCE_CUR), "seek cur"),
            9,
            "seek from current",
        );
        check_eq(ok(wasi::fd_tell(fd), "tell"), 9, "tell after seeks");
        let iovec = [wasi::Iovec {
            buf: first.as_mut_ptr(),
            buf_len: first.len(),
        }];
        check_eq(
            ok(wasi::fd_read(fd, &iovec), "read after seek"),
            4,
            "bytes after seek",
        );
        check_eq(&first, b"rld\n", "bytes after seek");
        say("seek set/cur/end and tell agree");

        expect_errno(
            wasi::fd_seek(fd, -100, wasi::WHENCE_CUR),
            &[wasi::ERRNO_INVAL],
            "seek before start",
        );
        say("seek before start: EINVAL");

        check_eq(
            ok(wasi::fd_seek(fd, 20, wasi::WHENCE_SET), "seek past end"),
            20,
            "seek past end",
        );
        guest::write_all(fd, b"!");
        check_eq(
            ok(wasi::fd_filestat_get(fd), "filestat").size,
            21,
            "size after writing past end",
        );
        check_eq(
            guest::read_file(root, "data.txt")[13..].to_vec(),
            b"\0\0\0\0\0\0\0!".to_vec(),
            "the gap reads as zeros",
        );
        say("write past end: the gap reads as zeros");

        ok(wasi::fd_close(fd), "close");
        let ciovec = [wasi::Ciovec {
            buf: b"x".as_ptr(),
            buf_len: 1,
        }];
        expect_errno(
            wasi::fd_write(fd, &ciovec),
            &[wasi::ERRNO_BADF],
            "write after close",
        );
        expect_errno(wasi::fd_close(fd), &[wasi::ERRNO_BADF], "close twice");
        say("closed fd: EBADF");
    }
}
