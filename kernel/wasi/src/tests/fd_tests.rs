use wasmux_uapi::{Errno, Rights};

use super::{Harness, ROOT_FD};

#[test]
fn fd_write_gathers_every_iovec() {
    let mut h = Harness::new();
    h.put(1000, b"hello, ");
    h.put(2000, b"world");
    h.iovec(16, 1000, 7);
    h.iovec(24, 2000, 5);
    assert_eq!(h.errno("fd_write", &[1, 16, 2, 8]), 0);
    assert_eq!(h.u32_at(8), 12);
    assert_eq!(h.stdout.text(), "hello, world");
}

#[test]
fn an_iovec_outside_memory_is_efault_and_writes_nothing() {
    let mut h = Harness::new();
    h.put(1000, b"ok");
    h.iovec(16, 1000, 2);
    h.iovec(24, 65_530, 100);
    assert_eq!(h.errno("fd_write", &[1, 16, 2, 8]), Errno::Fault.raw());
    assert_eq!(h.stdout.text(), "");
}

#[test]
fn a_closed_fd_is_ebadf() {
    let mut h = Harness::new();
    h.iovec(16, 1000, 2);
    assert_eq!(h.errno("fd_write", &[9, 16, 1, 8]), Errno::BadF.raw());
    assert_eq!(h.errno("fd_close", &[9]), Errno::BadF.raw());
}

#[test]
fn written_data_reads_back_after_a_seek() {
    let mut h = Harness::new();
    let fd = h.create("data");
    h.put(1000, b"0123456789");
    h.iovec(16, 1000, 10);
    assert_eq!(h.errno("fd_write", &[fd, 16, 1, 8]), 0);
    assert_eq!(h.errno("fd_seek", &[fd, 3, 0, 40]), 0);
    assert_eq!(h.u64_at(40), 3);
    h.iovec(16, 3000, 4);
    assert_eq!(h.errno("fd_read", &[fd, 16, 1, 8]), 0);
    assert_eq!(h.u32_at(8), 4);
    assert_eq!(h.memory.bytes()[3000..3004], *b"3456");
    assert_eq!(h.errno("fd_tell", &[fd, 40]), 0);
    assert_eq!(h.u64_at(40), 7);
}

#[test]
fn dropped_rights_stay_dropped() {
    let mut h = Harness::new();
    let fd = h.create("file");
    let keep = (Rights::FD_SEEK | Rights::FD_TELL).bits();
    assert_eq!(h.errno("fd_fdstat_set_rights", &[fd, keep, 0]), 0);
    h.iovec(16, 1000, 1);
    assert_eq!(
        h.errno("fd_write", &[fd, 16, 1, 8]),
        Errno::NotCapable.raw()
    );
    assert_eq!(
        h.errno("fd_fdstat_set_rights", &[fd, Rights::all().bits(), 0]),
        Errno::NotCapable.raw()
    );
    assert_eq!(h.errno("fd_fdstat_get", &[fd, 64]), 0);
    assert_eq!(h.u64_at(64 + 8), keep);
}

#[test]
fn renumber_moves_and_closes() {
    let mut h = Harness::new();
    let a = h.create("a");
    let b = h.create("b");
    assert_eq!(h.errno("fd_renumber", &[a, b]), 0);
    assert_eq!(h.errno("fd_fdstat_get", &[a, 64]), Errno::BadF.raw());
    assert_eq!(h.errno("fd_fdstat_get", &[b, 64]), 0);
    assert_eq!(h.errno("fd_renumber", &[b, 99]), Errno::BadF.raw());
}

#[test]
fn prestat_names_the_preopen() {
    let mut h = Harness::new();
    assert_eq!(h.errno("fd_prestat_get", &[ROOT_FD, 64]), 0);
    assert_eq!(h.u32_at(68), 1);
    assert_eq!(
        h.errno("fd_prestat_dir_name", &[ROOT_FD, 80, 0]),
        Errno::NameTooLong.raw()
    );
    assert_eq!(h.errno("fd_prestat_dir_name", &[ROOT_FD, 80, 1]), 0);
    assert_eq!(h.memory.bytes()[80], b'/');
    assert_eq!(
        h.errno("fd_prestat_dir_name", &[ROOT_FD, 80, 16]),
        0,
        "a larger buffer is fine"
    );
    assert_eq!(h.errno("fd_prestat_get", &[1, 64]), Errno::BadF.raw());
}

#[test]
fn args_and_environment_are_laid_out_with_nuls() {
    let mut h = Harness::new();
    assert_eq!(h.errno("args_sizes_get", &[0, 4]), 0);
    assert_eq!((h.u32_at(0), h.u32_at(4)), (2, 9));
    assert_eq!(h.errno("args_get", &[100, 200]), 0);
    assert_eq!((h.u32_at(100), h.u32_at(104)), (200, 205));
    assert_eq!(h.memory.bytes()[200..209], *b"prog\0arg\0");
    assert_eq!(h.errno("environ_sizes_get", &[0, 4]), 0);
    assert_eq!((h.u32_at(0), h.u32_at(4)), (1, 4));
}

#[test]
fn readdir_lists_dot_entries_and_cuts_the_last_entry_to_the_buffer() {
    let mut h = Harness::new();
    h.create("entry");
    assert_eq!(h.errno("fd_readdir", &[ROOT_FD, 1000, 4096, 0, 8]), 0);
    let used = h.u32_at(8);
    assert_eq!(used, 3 * 24 + 1 + 2 + 5);
    assert_eq!(h.errno("fd_readdir", &[ROOT_FD, 1000, 30, 0, 8]), 0);
    assert_eq!(
        h.u32_at(8),
        30,
        "a full buffer tells the program to ask again"
    );
}

#[test]
fn random_get_fills_the_buffer() {
    let mut h = Harness::new();
    assert_eq!(h.errno("random_get", &[500, 64]), 0);
    assert!(h.memory.bytes()[500..564].iter().any(|&byte| byte != 0));
    assert_eq!(h.errno("random_get", &[65_500, 64]), Errno::Fault.raw());
}

#[test]
fn sockets_calls_on_files_say_not_a_socket() {
    let mut h = Harness::new();
    assert_eq!(h.errno("sock_shutdown", &[1, 3]), Errno::NotSock.raw());
    assert_eq!(h.errno("sock_shutdown", &[77, 3]), Errno::BadF.raw());
    assert_eq!(
        h.errno("sock_accept", &[ROOT_FD, 0, 8]),
        Errno::NotSock.raw()
    );
}
