//! path_create_directory and path_remove_directory: nested creation, EEXIST,
//! ENOENT for a missing parent, ENOTEMPTY for a full directory, ENOTDIR for a
//! file, and unlinking a directory as a file refused.

use guest::{check_eq, expect_errno, ok, say};

fn main() {
    let root = guest::root_dir();
    // SAFETY: live &str paths in, results out.
    unsafe {
        ok(wasi::path_create_directory(root, "outer"), "mkdir outer");
        ok(
            wasi::path_create_directory(root, "outer/inner"),
            "mkdir outer/inner",
        );
        check_eq(
            guest::file_type(root, "outer/inner").map(guest::type_name),
            Ok("directory".into()),
            "type",
        );
        say("created outer/inner: directory");

        expect_errno(
            wasi::path_create_directory(root, "outer"),
            &[wasi::ERRNO_EXIST],
            "mkdir again",
        );
        say("mkdir of an existing directory: EEXIST");

        expect_errno(
            wasi::path_create_directory(root, "missing/child"),
            &[wasi::ERRNO_NOENT],
            "mkdir under missing",
        );
        say("mkdir under a missing parent: ENOENT");

        expect_errno(
            wasi::path_remove_directory(root, "outer"),
            &[wasi::ERRNO_NOTEMPTY],
            "rmdir non-empty",
        );
        say("rmdir of a non-empty directory: ENOTEMPTY");

        guest::close(guest::create_file(root, "outer/file.txt", b"f"));
        expect_errno(
            wasi::path_remove_directory(root, "outer/file.txt"),
            &[wasi::ERRNO_NOTDIR],
            "rmdir a file",
        );
        say("rmdir of a file: ENOTDIR");

        expect_errno(
            wasi::path_create_directory(root, "outer/file.txt"),
            &[wasi::ERRNO_EXIST],
            "mkdir over a file",
        );
        say("mkdir over a file: EEXIST");

        expect_errno(
            wasi::path_unlink_file(root, "outer/inner"),
            &[wasi::ERRNO_ISDIR, wasi::ERRNO_PERM],
            "unlink a dir",
        );
        say("unlink of a directory: refused");

        let inner = ok(
            guest::open_dir(root, "outer/inner", wasi::OFLAGS_DIRECTORY),
            "open inner",
        );
        ok(
            wasi::path_create_directory(inner, "deepest"),
            "mkdir relative to an opened directory",
        );
        check_eq(
            guest::file_type(root, "outer/inner/deepest").map(guest::type_name),
            Ok("directory".into()),
            "type",
        );
        say("mkdir relative to an opened directory: ok");
        guest::close(inner);

        ok(
            wasi::path_remove_directory(root, "outer/inner/deepest"),
            "rmdir deepest",
        );
        ok(
            wasi::path_remove_directory(root, "outer/inner"),
            "rmdir inner",
        );
        ok(
            wasi::path_unlink_file(root, "outer/file.txt"),
            "unlink file",
        );
        ok(wasi::path_remove_directory(root, "outer"), "rmdir outer");
        expect_errno(
            guest::file_type(root, "outer"),
            &[wasi::ERRNO_NOENT],
            "outer is gone",
        );
        say("removed everything: outer is gone");

        expect_errno(
            wasi::path_remove_directory(root, "outer"),
            &[wasi::ERRNO_NOENT],
            "rmdir missing",
        );
        say("rmdir of a missing directory: ENOENT");
    }
}
