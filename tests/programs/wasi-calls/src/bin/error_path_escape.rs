//! Paths that would leave the preopened directory are refused with ENOTCAPABLE
//! or EPERM (runtimes differ, so the output says "denied"): "..", an absolute
//! path, ".." after a subdirectory, and symlinks pointing out. The host test puts
//! a real file `outside.txt` next to the preopened directory. Paths with ".."
//! that stay inside keep working.

use guest::{check_eq, expect_errno, ok, say};

const DENIED: [wasi::Errno; 2] = [wasi::ERRNO_NOTCAPABLE, wasi::ERRNO_PERM];

fn denied<T>(what: &str, result: Result<T, wasi::Errno>) {
    expect_errno(result, &DENIED, what);
    say(&format!("{what}: denied"));
}

fn main() {
    let root = guest::root_dir();
    // SAFETY: live &str paths in, results out.
    unsafe {
        ok(wasi::path_create_directory(root, "sub"), "mkdir sub");
        guest::close(guest::create_file(root, "inside.txt", b"inside"));

        denied(
            "open ../outside.txt",
            guest::open(root, "../outside.txt", 0, 0),
        );
        denied("open /outside.txt", guest::open(root, "/outside.txt", 0, 0));
        denied(
            "open sub/../../outside.txt",
            guest::open(root, "sub/../../outside.txt", 0, 0),
        );
        denied("stat ..", wasi::path_filestat_get(root, 0, ".."));
        denied(
            "mkdir ../made",
            wasi::path_create_directory(root, "../made"),
        );
        denied(
            "create ../made.txt",
            guest::open(root, "../made.txt", wasi::OFLAGS_CREAT, 0),
        );
        denied(
            "unlink ../outside.txt",
            wasi::path_unlink_file(root, "../outside.txt"),
        );
        denied(
            "rename into ..",
            wasi::path_rename(root, "inside.txt", root, "../moved.txt"),
        );

        check_eq(
            guest::read_file(root, "sub/../inside.txt"),
            b"inside".to_vec(),
            "a .. that stays inside",
        );
        say("open sub/../inside.txt: allowed");

        for (link, target) in [
            ("up", ".."),
            ("up-file", "../outside.txt"),
            ("absolute", "/"),
        ] {
            // Creating a link whose target points out may itself be refused;
            // either way, following it must not leave the preopen.
            if wasi::path_symlink(target, root, link).is_ok() {
                let through = if target.ends_with(".txt") {
                    link.to_string()
                } else {
                    format!("{link}/outside.txt")
                };
                expect_errno(
                    guest::open(root, &through, 0, 0),
                    &[DENIED[0], DENIED[1], wasi::ERRNO_NOENT],
                    &through,
                );
            }
            say(&format!("symlink {link} -> {target}: not followed out"));
        }
    }
}
