//! fd_readdir: lists a directory with a roomy buffer and again with a tiny one
//! that forces resuming from cookies mid-listing; both give the same entries with
//! the right types. Reading past the last cookie gives nothing; a file is not a
//! directory. Prints the entries sorted ("." and ".." are not printed).

use guest::{check, check_eq, expect_errno, ok, say};

const DIRENT_SIZE: usize = std::mem::size_of::<wasi::Dirent>();

/// Reads every entry of `dir` using a buffer of `buffer_size` bytes; returns
/// them with the cookie that follows the last one.
fn list(dir: wasi::Fd, buffer_size: usize) -> (Vec<(String, String)>, u64) {
    let mut entries = Vec::new();
    let mut cookie = 0;
    let mut buffer = vec![0u8; buffer_size];
    loop {
        // SAFETY: `buffer` has `buffer_size` writable bytes.
        let used = ok(
            unsafe { wasi::fd_readdir(dir, buffer.as_mut_ptr(), buffer_size, cookie) },
            "fd_readdir",
        );
        check(used <= buffer_size, "fd_readdir stays in the buffer");
        let mut offset = 0;
        let mut progressed = false;
        while offset + DIRENT_SIZE <= used {
            // SAFETY: a whole Dirent lies inside the filled part; read unaligned.
            let dirent: wasi::Dirent =
                unsafe { std::ptr::read_unaligned(buffer[offset..].as_ptr().cast()) };
            let name_start = offset + DIRENT_SIZE;
            let name_end = name_start + dirent.d_namlen as usize;
            if name_end > used {
                break; // The name was cut off: resume from this entry's cookie.
            }
            let name = String::from_utf8_lossy(&buffer[name_start..name_end]).into_owned();
            entries.push((name, guest::type_name(dirent.d_type)));
            cookie = dirent.d_next;
            offset = name_end;
            progressed = true;
        }
        if used < buffer_size {
            return (entries, cookie);
        }
        check(progressed, "the buffer holds at least one whole entry");
    }
}

fn main() {
    let root = guest::root_dir();
    // SAFETY: live &str paths in, nothing out.
    unsafe {
        ok(
            wasi::path_create_directory(root, "listing"),
            "mkdir listing",
        );
        ok(
            wasi::path_create_directory(root, "listing/subdir"),
            "mkdir subdir",
        );
        ok(
            wasi::path_symlink("alpha.txt", root, "listing/link"),
            "symlink",
        );
    }
    for name in [
        "alpha.txt",
        "beta.txt",
        "a-rather-long-file-name-to-cut-a-small-buffer.txt",
    ] {
        guest::close(guest::create_file(root, &format!("listing/{name}"), b"x"));
    }
    let dir = ok(
        guest::open_dir(root, "listing", wasi::OFLAGS_DIRECTORY),
        "open listing",
    );

    let (mut roomy, end_cookie) = list(dir, 4096);
    let (mut tiny, _) = list(dir, DIRENT_SIZE + 64); // one long name fits, two entries rarely
    roomy.sort();
    tiny.sort();
    check_eq(&tiny, &roomy, "a tiny buffer lists the same entries");
    for (name, kind) in &roomy {
        if name == "." || name == ".." {
            check_eq(kind.as_str(), "directory", "dot entries are directories");
            continue;
        }
        say(&format!("{name} {kind}"));
    }
    say("tiny buffer: same entries");

    // SAFETY: as in list().
    let used = ok(
        unsafe { wasi::fd_readdir(dir, [0u8; 64].as_mut_ptr(), 64, end_cookie) },
        "readdir from the last cookie",
    );
    check_eq(used, 0, "nothing after the last cookie");
    say("cookie past the end: empty");

    let file = ok(guest::open(root, "listing/alpha.txt", 0, 0), "open a file");
    // SAFETY: as in list().
    let result = unsafe { wasi::fd_readdir(file, [0u8; 64].as_mut_ptr(), 64, 0) };
    expect_errno(
        result,
        &[wasi::ERRNO_NOTDIR, wasi::ERRNO_BADF, wasi::ERRNO_NOTCAPABLE],
        "readdir of a file",
    );
    say("readdir of a file: refused");
    guest::close(file);
    guest::close(dir);
}
