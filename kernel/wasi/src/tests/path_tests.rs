use wasmux_uapi::Errno;

use super::{Harness, ROOT_FD};

fn path_call(h: &mut Harness, name: &str, path: &str) -> u16 {
    h.put(100, path.as_bytes());
    h.errno(name, &[ROOT_FD, 100, path.len() as u64])
}

#[test]
fn directories_are_created_and_removed() {
    let mut h = Harness::new();
    assert_eq!(path_call(&mut h, "path_create_directory", "d"), 0);
    assert_eq!(
        path_call(&mut h, "path_create_directory", "d"),
        Errno::Exist.raw()
    );
    assert_eq!(path_call(&mut h, "path_remove_directory", "d"), 0);
    assert_eq!(
        path_call(&mut h, "path_remove_directory", "d"),
        Errno::NoEnt.raw()
    );
}

#[test]
fn paths_that_leave_the_preopen_are_not_capable() {
    let mut h = Harness::new();
    assert_eq!(
        path_call(&mut h, "path_create_directory", "../x"),
        Errno::NotCapable.raw()
    );
    assert_eq!(
        path_call(&mut h, "path_create_directory", "/x"),
        Errno::NotCapable.raw()
    );
}

#[test]
fn a_path_that_is_not_utf8_is_ilseq() {
    let mut h = Harness::new();
    h.put(100, &[0xff, 0xfe]);
    assert_eq!(
        h.errno("path_create_directory", &[ROOT_FD, 100, 2]),
        Errno::IlSeq.raw()
    );
}

#[test]
fn symlinks_read_back_and_are_cut_to_the_buffer() {
    let mut h = Harness::new();
    h.put(100, b"target");
    h.put(200, b"link");
    assert_eq!(h.errno("path_symlink", &[100, 6, ROOT_FD, 200, 4]), 0);
    assert_eq!(h.errno("path_readlink", &[ROOT_FD, 200, 4, 300, 64, 8]), 0);
    assert_eq!(h.u32_at(8), 6);
    assert_eq!(h.memory.bytes()[300..306], *b"target");
    assert_eq!(h.errno("path_readlink", &[ROOT_FD, 200, 4, 400, 3, 8]), 0);
    assert_eq!(h.u32_at(8), 3);
}

#[test]
fn filestat_reports_size_and_type() {
    let mut h = Harness::new();
    let fd = h.create("f");
    h.put(1000, b"abc");
    h.iovec(16, 1000, 3);
    assert_eq!(h.errno("fd_write", &[fd, 16, 1, 8]), 0);
    h.put(100, b"f");
    assert_eq!(h.errno("path_filestat_get", &[ROOT_FD, 1, 100, 1, 500]), 0);
    assert_eq!(h.memory.bytes()[500 + 16], 4, "regular file");
    assert_eq!(h.u64_at(500 + 32), 3);
}

#[test]
fn set_times_rejects_a_time_given_twice() {
    let mut h = Harness::new();
    h.create("f");
    h.put(100, b"f");
    // ATIM | ATIM_NOW
    assert_eq!(
        h.errno("path_filestat_set_times", &[ROOT_FD, 0, 100, 1, 5, 5, 0b11]),
        Errno::Inval.raw()
    );
    assert_eq!(
        h.errno(
            "path_filestat_set_times",
            &[ROOT_FD, 0, 100, 1, 5, 7, 0b0101]
        ),
        0
    );
    assert_eq!(h.errno("path_filestat_get", &[ROOT_FD, 0, 100, 1, 500]), 0);
    assert_eq!((h.u64_at(540), h.u64_at(548)), (5, 7));
}

#[test]
fn rename_and_unlink() {
    let mut h = Harness::new();
    h.create("old");
    h.put(100, b"old");
    h.put(200, b"new");
    assert_eq!(
        h.errno("path_rename", &[ROOT_FD, 100, 3, ROOT_FD, 200, 3]),
        0
    );
    assert_eq!(
        h.errno("path_unlink_file", &[ROOT_FD, 100, 3]),
        Errno::NoEnt.raw()
    );
    assert_eq!(h.errno("path_unlink_file", &[ROOT_FD, 200, 3]), 0);
}
