use wasmux_fs::Cred;
use wasmux_uapi::Errno;
use wasmux_uapi::wasmux::{at, stat as st};

use super::Harness;

/// Puts `path` at 100 and returns its length.
fn path(h: &mut Harness, text: &str) -> u64 {
    h.put(100, text.as_bytes());
    text.len() as u64
}

const CWD: u64 = at::FDCWD as u64;

#[test]
fn stat_reports_type_and_permission_bits_owner_and_blocks() {
    let mut h = Harness::new();
    let fd = h.create("file");
    h.put(1000, &[7; 5000]);
    h.iovec(16, 1000, 5000);
    assert_eq!(h.errno("fd_write", &[fd, 16, 1, 8]), 0);
    let len = path(&mut h, "/file");
    assert_eq!(h.errno("stat", &[CWD, 100, len, 0, 2000]), 0);
    assert_eq!(
        h.u32_at(2000 + st::MODE),
        st::IFREG | 0o644,
        "0666 less the umask 022"
    );
    assert_eq!(h.u32_at(2000 + st::UID), 0);
    assert_eq!(h.u64_at(2000 + st::SIZE_FIELD), 5000);
    assert_eq!(
        h.u64_at(2000 + st::BLOCKS),
        16,
        "two 4 KiB blocks in 512-byte units"
    );
    // The fd itself, with an empty path.
    assert_eq!(
        h.errno("stat", &[fd, 100, 0, u64::from(at::EMPTY_PATH), 2000]),
        0
    );
    assert_eq!(h.u32_at(2000 + st::MODE) & st::IFMT, st::IFREG);
    assert_eq!(
        h.errno("stat", &[fd, 100, 0, 0, 2000]),
        Errno::NoEnt.raw(),
        "empty path needs AT_EMPTY_PATH"
    );
    assert_eq!(
        h.errno("stat", &[CWD, 100, len, 0x7, 2000]),
        Errno::Inval.raw()
    );
}

#[test]
fn stat_without_following_sees_the_symlink() {
    let mut h = Harness::new();
    h.create("target");
    h.put(200, b"target");
    h.put(300, b"link");
    assert_eq!(h.errno("path_symlink", &[200, 6, 3, 300, 4]), 0);
    let len = path(&mut h, "/link");
    assert_eq!(
        h.errno(
            "stat",
            &[CWD, 100, len, u64::from(at::SYMLINK_NOFOLLOW), 2000]
        ),
        0
    );
    assert_eq!(h.u32_at(2000 + st::MODE) & st::IFMT, st::IFLNK);
    assert_eq!(h.errno("stat", &[CWD, 100, len, 0, 2000]), 0);
    assert_eq!(h.u32_at(2000 + st::MODE) & st::IFMT, st::IFREG);
}

#[test]
fn chmod_changes_mode_and_only_the_owner_may() {
    let mut h = Harness::new();
    h.create("script");
    let len = path(&mut h, "/script");
    assert_eq!(h.errno("chmod", &[CWD, 100, len, 0o755, 0]), 0);
    assert_eq!(h.errno("stat", &[CWD, 100, len, 0, 2000]), 0);
    assert_eq!(h.u32_at(2000 + st::MODE), st::IFREG | 0o755);
    h.process.cred = Cred {
        uid: 1000,
        gid: 1000,
    };
    assert_eq!(
        h.errno("chmod", &[CWD, 100, len, 0o777, 0]),
        Errno::Perm.raw()
    );
    assert_eq!(
        h.errno("chown", &[CWD, 100, len, 1000, u64::from(u32::MAX), 0]),
        Errno::Perm.raw()
    );
}

#[test]
fn root_gives_files_away() {
    let mut h = Harness::new();
    h.create("gift");
    let len = path(&mut h, "/gift");
    assert_eq!(h.errno("chown", &[CWD, 100, len, 1000, 100, 0]), 0);
    assert_eq!(h.errno("stat", &[CWD, 100, len, 0, 2000]), 0);
    assert_eq!(
        (h.u32_at(2000 + st::UID), h.u32_at(2000 + st::GID)),
        (1000, 100)
    );
}

#[test]
fn statfs_answers_for_the_filesystem_of_a_path() {
    let mut h = Harness::new();
    let len = path(&mut h, "/");
    assert_eq!(h.errno("statfs", &[CWD, 100, len, 3000]), 0);
    assert_eq!(h.u32_at(3000 + 48), 255, "namemax");
    let missing = path(&mut h, "/nope");
    assert_eq!(
        h.errno("statfs", &[CWD, 100, missing, 3000]),
        Errno::NoEnt.raw()
    );
}
