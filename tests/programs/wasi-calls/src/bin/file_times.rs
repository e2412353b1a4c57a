//! fd_filestat_set_times and path_filestat_set_times, checked through
//! fd_filestat_get and path_filestat_get: exact times are kept (to the
//! microsecond at least), *_NOW sets the present, and asking for a time and
//! "now" together is EINVAL.

use guest::{check, check_eq, expect_errno, ok, say};

const SECOND: u64 = 1_000_000_000;
const ACCESS: u64 = 1_500_000_000 * SECOND + 123_456_000;
const MODIFY: u64 = 1_600_000_000 * SECOND + 654_321_000;
const JANUARY_2020: u64 = 1_577_836_800 * SECOND;

fn path_stat(dir: wasi::Fd, path: &str) -> wasi::Filestat {
    // SAFETY: path_filestat_get writes only its result.
    ok(
        unsafe { wasi::path_filestat_get(dir, wasi::LOOKUPFLAGS_SYMLINK_FOLLOW, path) },
        "path_filestat_get",
    )
}

fn main() {
    let root = guest::root_dir();
    let fd = guest::create_file(root, "timed.txt", b"tick");

    // SAFETY: plain numbers and a live &str in, results out.
    unsafe {
        ok(
            wasi::fd_filestat_set_times(
                fd,
                ACCESS,
                MODIFY,
                wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM,
            ),
            "fd set times",
        );
        let stat = ok(wasi::fd_filestat_get(fd), "fd_filestat_get");
        check_eq(stat.atim / 1000, ACCESS / 1000, "atim set through the fd");
        check_eq(stat.mtim / 1000, MODIFY / 1000, "mtim set through the fd");
        say("fd_filestat_set_times: exact atim and mtim kept");

        ok(
            wasi::fd_filestat_set_times(fd, 0, 0, wasi::FSTFLAGS_MTIM_NOW),
            "fd set mtim now",
        );
        let stat = ok(wasi::fd_filestat_get(fd), "fd_filestat_get");
        check(stat.mtim > JANUARY_2020, "MTIM_NOW sets the present");
        check_eq(
            stat.atim / 1000,
            ACCESS / 1000,
            "atim untouched when not asked",
        );
        say("fd_filestat_set_times: MTIM_NOW is now, atim untouched");

        let both = wasi::FSTFLAGS_MTIM | wasi::FSTFLAGS_MTIM_NOW;
        expect_errno(
            wasi::fd_filestat_set_times(fd, 0, MODIFY, both),
            &[wasi::ERRNO_INVAL],
            "MTIM with MTIM_NOW",
        );
        say("MTIM with MTIM_NOW: EINVAL");

        let flags = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
        ok(
            wasi::path_filestat_set_times(
                root,
                flags,
                "timed.txt",
                MODIFY,
                ACCESS,
                wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM,
            ),
            "path set times",
        );
        let stat = path_stat(root, "timed.txt");
        check_eq(stat.atim / 1000, MODIFY / 1000, "atim set through the path");
        check_eq(stat.mtim / 1000, ACCESS / 1000, "mtim set through the path");
        check_eq(stat.size, 4, "size through the path");
        check_eq(
            guest::type_name(stat.filetype),
            "regular_file".into(),
            "type through the path",
        );
        say("path_filestat_set_times: exact atim and mtim kept");

        ok(
            wasi::path_filestat_set_times(root, flags, "timed.txt", 0, 0, wasi::FSTFLAGS_ATIM_NOW),
            "path atim now",
        );
        check(
            path_stat(root, "timed.txt").atim > JANUARY_2020,
            "ATIM_NOW sets the present",
        );
        say("path_filestat_set_times: ATIM_NOW is now");

        expect_errno(
            wasi::path_filestat_set_times(
                root,
                flags,
                "missing.txt",
                0,
                0,
                wasi::FSTFLAGS_MTIM_NOW,
            ),
            &[wasi::ERRNO_NOENT],
            "set times of a missing file",
        );
        say("missing file: ENOENT");
    }
    guest::close(fd);
}
