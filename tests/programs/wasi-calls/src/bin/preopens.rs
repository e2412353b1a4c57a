//! fd_prestat_get and fd_prestat_dir_name: lists the preopened directories in fd
//! order, from fd 3 up to the first fd that is not one (EBADF). Stdio are not
//! preopens. Run with e.g. `--dir A::/ --dir B::/data`.

use guest::{check, check_eq, expect_errno, ok, say};

fn main() {
    // SAFETY: fd_prestat_get writes only its result.
    unsafe {
        for fd in 0..3 {
            check(wasi::fd_prestat_get(fd).is_err(), "stdio are not preopens");
        }
    }
    say("stdio: not preopens");

    let mut fd = 3;
    loop {
        // SAFETY: as above.
        let prestat = match unsafe { wasi::fd_prestat_get(fd) } {
            Ok(prestat) => prestat,
            Err(errno) => {
                check_eq(errno, wasi::ERRNO_BADF, "the first fd after the preopens");
                break;
            }
        };
        check_eq(prestat.tag, wasi::PREOPENTYPE_DIR.raw(), "preopen type");
        let name = guest::preopen_name(fd).unwrap_or_else(|| guest::fail("preopen_name"));
        // SAFETY: the dir variant is the live one for a directory preopen.
        check_eq(
            name.len(),
            unsafe { prestat.u.dir.pr_name_len },
            "name length",
        );
        // SAFETY: fd_fdstat_get writes only its result.
        let stat = ok(unsafe { wasi::fd_fdstat_get(fd) }, "fd_fdstat_get");
        check_eq(
            guest::type_name(stat.fs_filetype),
            "directory".into(),
            "a preopen is a directory",
        );
        say(&format!("fd {fd}: {name:?}"));
        fd += 1;
    }
    say(&format!("preopens: {}", fd - 3));

    if fd > 3 {
        let mut short = [0u8; 0];
        // SAFETY: a zero-length buffer: nothing may be written.
        let result = unsafe { wasi::fd_prestat_dir_name(3, short.as_mut_ptr(), 0) };
        let name_length = guest::preopen_name(3).map_or(0, |name| name.len());
        if name_length > 0 {
            expect_errno(
                result,
                &[
                    wasi::ERRNO_NAMETOOLONG,
                    wasi::ERRNO_NOBUFS,
                    wasi::ERRNO_INVAL,
                ],
                "name buffer too small",
            );
            say("name buffer too small: refused");
        }
    }
}
