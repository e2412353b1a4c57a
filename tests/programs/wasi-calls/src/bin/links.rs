//! path_link, path_symlink, path_readlink, path_rename and path_unlink_file:
//! hard links share data and count links, symlinks resolve when followed and
//! show as symlinks when not, renames move and replace, unlinking the original
//! name keeps the data under the other.

use guest::{check_eq, expect_errno, ok, say};

fn stat(dir: wasi::Fd, flags: wasi::Lookupflags, path: &str) -> wasi::Filestat {
    // SAFETY: path_filestat_get writes only its result.
    ok(
        unsafe { wasi::path_filestat_get(dir, flags, path) },
        &format!("stat {path}"),
    )
}

fn readlink(dir: wasi::Fd, path: &str) -> Result<String, wasi::Errno> {
    let mut buffer = [0u8; 256];
    // SAFETY: `buffer` has 256 writable bytes.
    let length = unsafe { wasi::path_readlink(dir, path, buffer.as_mut_ptr(), buffer.len()) }?;
    Ok(String::from_utf8_lossy(&buffer[..length]).into_owned())
}

fn main() {
    let root = guest::root_dir();
    let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
    guest::close(guest::create_file(root, "original.txt", b"shared data"));

    // SAFETY: live &str paths in, results out.
    unsafe {
        ok(
            wasi::path_link(root, 0, "original.txt", root, "hard.txt"),
            "path_link",
        );
        check_eq(stat(root, 0, "original.txt").nlink, 2, "two links");
        check_eq(
            guest::read_file(root, "hard.txt"),
            b"shared data".to_vec(),
            "hard link reads the data",
        );
        expect_errno(
            wasi::path_link(root, 0, "original.txt", root, "hard.txt"),
            &[wasi::ERRNO_EXIST],
            "link again",
        );
        say("path_link: 2 links, same data; linking onto an existing name: EEXIST");

        ok(
            wasi::path_symlink("original.txt", root, "soft.txt"),
            "path_symlink",
        );
        check_eq(
            readlink(root, "soft.txt"),
            Ok("original.txt".into()),
            "readlink",
        );
        check_eq(
            guest::type_name(stat(root, 0, "soft.txt").filetype),
            "symbolic_link".into(),
            "lstat type",
        );
        check_eq(
            stat(root, 0, "soft.txt").size,
            12,
            "a symlink's size is its target's length",
        );
        check_eq(
            guest::type_name(stat(root, follow, "soft.txt").filetype),
            "regular_file".into(),
            "stat type",
        );
        check_eq(
            guest::read_file(root, "soft.txt"),
            b"shared data".to_vec(),
            "open follows the symlink",
        );
        say("path_symlink: readlink gives the target, followed it is the file");

        let nofollow = wasi::path_open(root, 0, "soft.txt", 0, wasi::RIGHTS_FD_READ, 0, 0);
        expect_errno(
            nofollow,
            &[wasi::ERRNO_LOOP],
            "open a symlink without SYMLINK_FOLLOW",
        );
        say("open of a symlink without SYMLINK_FOLLOW: ELOOP");

        expect_errno(
            readlink(root, "original.txt"),
            &[wasi::ERRNO_INVAL],
            "readlink of a file",
        );
        expect_errno(
            wasi::path_symlink("x", root, "soft.txt"),
            &[wasi::ERRNO_EXIST],
            "symlink onto a name",
        );
        say("readlink of a file: EINVAL; symlink onto an existing name: EEXIST");

        ok(
            wasi::path_symlink("nowhere.txt", root, "dangling.txt"),
            "dangling symlink",
        );
        check_eq(
            readlink(root, "dangling.txt"),
            Ok("nowhere.txt".into()),
            "readlink dangling",
        );
        expect_errno(
            guest::open(root, "dangling.txt", 0, 0),
            &[wasi::ERRNO_NOENT],
            "open a dangling link",
        );
        say("dangling symlink: readable link, ENOENT to open");

        ok(
            wasi::path_rename(root, "hard.txt", root, "renamed.txt"),
            "rename",
        );
        expect_errno(
            guest::file_type(root, "hard.txt"),
            &[wasi::ERRNO_NOENT],
            "old name gone",
        );
        check_eq(
            guest::read_file(root, "renamed.txt"),
            b"shared data".to_vec(),
            "new name reads the data",
        );
        say("path_rename: moved to the new name");

        guest::close(guest::create_file(root, "victim.txt", b"old"));
        ok(
            wasi::path_rename(root, "renamed.txt", root, "victim.txt"),
            "rename over a file",
        );
        check_eq(
            guest::read_file(root, "victim.txt"),
            b"shared data".to_vec(),
            "replaced",
        );
        say("path_rename over an existing file: replaced");

        ok(wasi::path_create_directory(root, "box"), "mkdir box");
        ok(
            wasi::path_rename(root, "victim.txt", root, "box/inside.txt"),
            "rename into a directory",
        );
        ok(
            wasi::path_rename(root, "box", root, "crate"),
            "rename a directory",
        );
        check_eq(
            guest::read_file(root, "crate/inside.txt"),
            b"shared data".to_vec(),
            "moved with its dir",
        );
        say("path_rename of a directory: contents move along");

        ok(
            wasi::path_unlink_file(root, "original.txt"),
            "unlink original",
        );
        check_eq(stat(root, 0, "crate/inside.txt").nlink, 1, "one link left");
        check_eq(
            guest::read_file(root, "crate/inside.txt"),
            b"shared data".to_vec(),
            "data survives",
        );
        expect_errno(
            guest::open(root, "soft.txt", 0, 0),
            &[wasi::ERRNO_NOENT],
            "symlink now dangles",
        );
        ok(
            wasi::path_unlink_file(root, "soft.txt"),
            "unlink the symlink itself",
        );
        expect_errno(
            wasi::path_unlink_file(root, "soft.txt"),
            &[wasi::ERRNO_NOENT],
            "unlink twice",
        );
        say("path_unlink_file: the other link keeps the data; unlinking twice: ENOENT");
    }
}
