//! sock_accept, sock_recv, sock_send and sock_shutdown on fds that are not
//! sockets. Expected (and what Wasmtime answers): ENOTSOCK for an open
//! non-socket fd (a regular file, a directory), EBADF for an fd that is not
//! open. Also accepted, because the output names the errno seen and so shows the
//! difference: ENOTCAPABLE (node:wasi checks the fd's rights first, and files
//! have no socket rights), ENOTSUP/ENOSYS (a runtime with no sockets at all).

use guest::{expect_errno, say};

fn report(what: &str, result: Result<(), wasi::Errno>, expected: &[wasi::Errno]) {
    let errno = expect_errno(result, expected, what);
    say(&format!("{what}: {}", errno.name()));
}

fn main() {
    let root = guest::root_dir();
    let file = guest::create_file(root, "not-a-socket.txt", b"data");
    let closed = 200;
    let not_socket = [
        wasi::ERRNO_NOTSOCK,
        wasi::ERRNO_NOTCAPABLE,
        wasi::ERRNO_NOTSUP,
        wasi::ERRNO_NOSYS,
    ];
    let bad = [wasi::ERRNO_BADF];
    let mut buffer = [0u8; 8];

    for (name, fd, expected) in [
        ("file", file, &not_socket[..]),
        ("dir", root, &not_socket[..]),
        ("closed", closed, &bad[..]),
    ] {
        // SAFETY: each call gets a live buffer or none; results are plain values.
        unsafe {
            report(
                &format!("sock_accept {name}"),
                wasi::sock_accept(fd, 0).map(drop),
                expected,
            );
            let iovec = [wasi::Iovec {
                buf: buffer.as_mut_ptr(),
                buf_len: buffer.len(),
            }];
            report(
                &format!("sock_recv {name}"),
                wasi::sock_recv(fd, &iovec, 0).map(drop),
                expected,
            );
            let ciovec = [wasi::Ciovec {
                buf: buffer.as_ptr(),
                buf_len: buffer.len(),
            }];
            report(
                &format!("sock_send {name}"),
                wasi::sock_send(fd, &ciovec, 0).map(drop),
                expected,
            );
            report(
                &format!("sock_shutdown {name}"),
                wasi::sock_shutdown(fd, wasi::SDFLAGS_RD | wasi::SDFLAGS_WR),
                expected,
            );
        }
    }
    guest::check_eq(
        guest::read_file(root, "not-a-socket.txt"),
        b"data".to_vec(),
        "the file is untouched",
    );
    say("the file is untouched");
}
