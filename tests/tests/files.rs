//! Regular-file calls on an open fd: read/write/seek/tell, positioned I/O,
//! sync/advise/allocate, fdstat flags, sizes, times, renumbering.

use wasmux_tests::{BOTH_REFERENCES, Scenario, WASMTIME};

#[test]
fn read_write_seek_tell_and_close() {
    Scenario::new("file_read_write")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "wrote 13 bytes from 3 iovecs\n",
            "read 13 bytes into 2 iovecs\n",
            "read at end: 0 bytes\n",
            "seek set/cur/end and tell agree\n",
            "seek before start: EINVAL\n",
            "write past end: the gap reads as zeros\n",
            "closed fd: EBADF\n",
        ))
        .check();
}

#[test]
fn pread_and_pwrite_leave_the_position_alone() {
    Scenario::new("file_pread_pwrite")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "pread: 3456, position unchanged\n",
            "pwrite: overwrote bytes 1-2, position unchanged\n",
            "pwrite past end: the gap reads as zeros\n",
            "pread at end: short, then empty\n",
        ))
        .check();
}

#[test]
fn sync_advise_and_allocate_succeed_on_files() {
    Scenario::new("file_sync_advise_allocate")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "fd_sync and fd_datasync: ok\n",
            "fd_advise: every advice accepted\n",
            "fd_allocate: room made (or ENOTSUP)\n",
            "fd_allocate on a directory: refused\n",
        ))
        .check();
}

/// node:wasi reports host open flags (O_RDWR|O_LARGEFILE) in fs_flags.
#[test]
fn fdstat_reports_types_and_append_flag_works() {
    Scenario::new("fdstat_flags")
        .references(WASMTIME)
        .stdout(concat!(
            "stdout: writable\n",
            "root preopen: directory, may open paths\n",
            "file: regular_file, no flags, read/write/seek\n",
            "APPEND: a write after seeking to 0 lands at the end\n",
            "APPEND cleared: writes go to the position again\n",
            "path_open with APPEND: appends\n",
        ))
        .check();
}

#[test]
fn filestat_size_truncates_and_extends_with_zeros() {
    Scenario::new("file_stat_size")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "new file: regular_file, 10 bytes, 1 link\n",
            "truncated to 4: 0123\n",
            "extended to 8: zeros after 0123\n",
            "emptied: 0 bytes\n",
            "root preopen: directory\n",
        ))
        .check();
}

/// node:wasi drops the sub-second part of times it sets.
#[test]
fn file_times_are_set_exactly_or_to_now() {
    Scenario::new("file_times")
        .references(WASMTIME)
        .stdout(concat!(
            "fd_filestat_set_times: exact atim and mtim kept\n",
            "fd_filestat_set_times: MTIM_NOW is now, atim untouched\n",
            "MTIM with MTIM_NOW: EINVAL\n",
            "path_filestat_set_times: exact atim and mtim kept\n",
            "path_filestat_set_times: ATIM_NOW is now\n",
            "missing file: ENOENT\n",
        ))
        .check();
}

#[test]
fn renumber_moves_an_fd_onto_another() {
    Scenario::new("renumber")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "renumber: target now refers to the source's file, source closed\n",
            "renumber from a closed fd: EBADF\n",
            "renumber onto a closed fd: EBADF, source untouched\n",
            "renumber onto itself: no-op\n",
        ))
        .check();
}
