//! Ordinary Rust std file I/O over WASI, the way real programs use it: create
//! nested directories, write, append, read back, list, copy, rename, metadata,
//! remove. Paths are absolute ("/..."), resolved by wasi-libc via the preopens.

use std::fs;
use std::io::Write;

use guest::{check, check_eq, say};

fn attempt<T>(result: std::io::Result<T>, what: &str) -> T {
    result.unwrap_or_else(|error| guest::fail(&format!("{what}: {error}")))
}

fn main() {
    attempt(fs::create_dir_all("/work/nested/deeper"), "create_dir_all");
    say("create_dir_all /work/nested/deeper");

    attempt(fs::write("/work/notes.txt", "line one\n"), "write");
    let mut file = attempt(
        fs::OpenOptions::new().append(true).open("/work/notes.txt"),
        "open for append",
    );
    attempt(file.write_all(b"line two\n"), "append");
    drop(file);
    check_eq(
        attempt(fs::read_to_string("/work/notes.txt"), "read"),
        "line one\nline two\n".into(),
        "contents",
    );
    say("write then append: two lines");

    let copied = attempt(fs::copy("/work/notes.txt", "/work/nested/copy.txt"), "copy");
    check_eq(copied, 18, "bytes copied");
    attempt(
        fs::rename("/work/nested/copy.txt", "/work/nested/deeper/moved.txt"),
        "rename",
    );
    say("copy 18 bytes, then rename into deeper/");

    let metadata = attempt(fs::metadata("/work/nested/deeper/moved.txt"), "metadata");
    check(
        metadata.is_file() && metadata.len() == 18,
        "metadata of the moved file",
    );
    check(
        attempt(fs::metadata("/work/nested"), "metadata").is_dir(),
        "a directory's metadata",
    );
    check(
        fs::metadata("/work/nested/copy.txt").is_err(),
        "the old name is gone",
    );
    say("metadata: file of 18 bytes, directory, old name gone");

    let mut names: Vec<String> = attempt(fs::read_dir("/work/nested"), "read_dir")
        .map(|entry| {
            attempt(entry, "entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    say(&format!("read_dir /work/nested: {}", names.join(", ")));

    let error = fs::read("/work/missing.txt")
        .err()
        .map(|error| error.kind());
    check_eq(
        error,
        Some(std::io::ErrorKind::NotFound),
        "reading a missing file",
    );
    say("missing file: NotFound");

    attempt(fs::remove_dir_all("/work"), "remove_dir_all");
    check(fs::metadata("/work").is_err(), "everything is removed");
    say("remove_dir_all /work: gone");
}
