//! Every fd-taking call on an fd that was never opened answers EBADF, and the
//! program carries on.

use guest::{expect_errno, say};

const NEVER_OPENED: wasi::Fd = 77;

fn main() {
    let badf = [wasi::ERRNO_BADF];
    let mut buffer = [0u8; 16];
    // SAFETY: every call gets live buffers; the fd is the only thing wrong.
    unsafe {
        let iovec = [wasi::Iovec {
            buf: buffer.as_mut_ptr(),
            buf_len: buffer.len(),
        }];
        let ciovec = [wasi::Ciovec {
            buf: buffer.as_ptr(),
            buf_len: buffer.len(),
        }];
        let fd = NEVER_OPENED;
        expect_errno(wasi::fd_read(fd, &iovec), &badf, "fd_read");
        expect_errno(wasi::fd_write(fd, &ciovec), &badf, "fd_write");
        expect_errno(wasi::fd_pread(fd, &iovec, 0), &badf, "fd_pread");
        expect_errno(wasi::fd_pwrite(fd, &ciovec, 0), &badf, "fd_pwrite");
        expect_errno(wasi::fd_seek(fd, 0, wasi::WHENCE_SET), &badf, "fd_seek");
        expect_errno(wasi::fd_tell(fd), &badf, "fd_tell");
        expect_errno(wasi::fd_close(fd), &badf, "fd_close");
        expect_errno(wasi::fd_sync(fd), &badf, "fd_sync");
        expect_errno(wasi::fd_datasync(fd), &badf, "fd_datasync");
        expect_errno(
            wasi::fd_advise(fd, 0, 0, wasi::ADVICE_NORMAL),
            &badf,
            "fd_advise",
        );
        expect_errno(wasi::fd_allocate(fd, 0, 1), &badf, "fd_allocate");
        expect_errno(wasi::fd_fdstat_get(fd), &badf, "fd_fdstat_get");
        expect_errno(
            wasi::fd_fdstat_set_flags(fd, 0),
            &badf,
            "fd_fdstat_set_flags",
        );
        expect_errno(
            wasi::fd_fdstat_set_rights(fd, 0, 0),
            &badf,
            "fd_fdstat_set_rights",
        );
        expect_errno(wasi::fd_filestat_get(fd), &badf, "fd_filestat_get");
        expect_errno(
            wasi::fd_filestat_set_size(fd, 0),
            &badf,
            "fd_filestat_set_size",
        );
        expect_errno(
            wasi::fd_filestat_set_times(fd, 0, 0, 0),
            &badf,
            "fd_filestat_set_times",
        );
        expect_errno(wasi::fd_prestat_get(fd), &badf, "fd_prestat_get");
        expect_errno(
            wasi::fd_prestat_dir_name(fd, buffer.as_mut_ptr(), 1),
            &badf,
            "fd_prestat_dir_name",
        );
        expect_errno(
            wasi::fd_readdir(fd, buffer.as_mut_ptr(), buffer.len(), 0),
            &badf,
            "fd_readdir",
        );
        expect_errno(wasi::fd_renumber(fd, 1), &badf, "fd_renumber");
        expect_errno(wasi::path_open(fd, 0, "x", 0, 0, 0, 0), &badf, "path_open");
        expect_errno(
            wasi::path_create_directory(fd, "x"),
            &badf,
            "path_create_directory",
        );
        expect_errno(
            wasi::path_filestat_get(fd, 0, "x"),
            &badf,
            "path_filestat_get",
        );
        expect_errno(wasi::path_unlink_file(fd, "x"), &badf, "path_unlink_file");
        expect_errno(
            wasi::path_remove_directory(fd, "x"),
            &badf,
            "path_remove_directory",
        );
        expect_errno(
            wasi::path_readlink(fd, "x", buffer.as_mut_ptr(), buffer.len()),
            &badf,
            "path_readlink",
        );
        expect_errno(wasi::path_symlink("x", fd, "y"), &badf, "path_symlink");
    }
    say("28 calls on a never-opened fd: EBADF each");
}
