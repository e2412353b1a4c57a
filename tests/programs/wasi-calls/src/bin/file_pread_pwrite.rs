//! fd_pread and fd_pwrite: positioned I/O that leaves the file position alone,
//! zero-fills a gap, and reads short at the end of the file.

use guest::{check_eq, ok, say};

fn pread(fd: wasi::Fd, length: usize, offset: u64) -> Vec<u8> {
    let mut buffer = vec![0u8; length];
    let iovec = [wasi::Iovec {
        buf: buffer.as_mut_ptr(),
        buf_len: length,
    }];
    // SAFETY: the iovec points into `buffer`.
    let count = ok(unsafe { wasi::fd_pread(fd, &iovec, offset) }, "fd_pread");
    buffer.truncate(count);
    buffer
}

fn pwrite(fd: wasi::Fd, bytes: &[u8], offset: u64) -> usize {
    let iovec = [wasi::Ciovec {
        buf: bytes.as_ptr(),
        buf_len: bytes.len(),
    }];
    // SAFETY: the iovec points into `bytes`.
    ok(unsafe { wasi::fd_pwrite(fd, &iovec, offset) }, "fd_pwrite")
}

fn tell(fd: wasi::Fd) -> u64 {
    // SAFETY: fd_tell writes only its result.
    ok(unsafe { wasi::fd_tell(fd) }, "fd_tell")
}

fn main() {
    let root = guest::root_dir();
    let fd = guest::create_file(root, "positioned.bin", b"0123456789");
    check_eq(tell(fd), 10, "position after the first write");

    check_eq(pread(fd, 4, 3), b"3456".to_vec(), "pread in the middle");
    check_eq(tell(fd), 10, "pread leaves the position");
    say("pread: 3456, position unchanged");

    check_eq(pwrite(fd, b"ab", 1), 2, "pwrite count");
    check_eq(tell(fd), 10, "pwrite leaves the position");
    check_eq(
        pread(fd, 10, 0),
        b"0ab3456789".to_vec(),
        "pwrite overwrote in place",
    );
    say("pwrite: overwrote bytes 1-2, position unchanged");

    check_eq(pwrite(fd, b"Z", 14), 1, "pwrite past the end");
    check_eq(
        pread(fd, 100, 8),
        b"89\0\0\0\0Z".to_vec(),
        "the gap reads as zeros",
    );
    say("pwrite past end: the gap reads as zeros");

    check_eq(pread(fd, 10, 13), b"\0Z".to_vec(), "short pread at the end");
    check_eq(
        pread(fd, 10, 1000),
        Vec::<u8>::new(),
        "pread beyond the end",
    );
    say("pread at end: short, then empty");
    guest::close(fd);
}
