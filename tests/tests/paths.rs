//! Path calls relative to a directory fd: preopens, opening, directories,
//! listings, links and renames, and ordinary std file I/O on top of them.

use wasmux_tests::{BOTH_REFERENCES, Scenario, WASMTIME};

#[test]
fn preopens_are_listed_in_order_with_their_names() {
    Scenario::new("preopens")
        .dir_at("/data")
        .dir_at("relative/name")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "stdio: not preopens\n",
            "fd 3: \"/\"\n",
            "fd 4: \"/data\"\n",
            "fd 5: \"relative/name\"\n",
            "preopens: 3\n",
            "name buffer too small: refused\n",
        ))
        .check();
}

#[test]
fn no_preopens_without_dir_options() {
    Scenario::new("preopens")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("stdio: not preopens\npreopens: 0\n")
        .check();
}

/// node:wasi answers EINVAL for an empty path.
#[test]
fn path_open_honours_creat_excl_trunc_and_directory() {
    Scenario::new("path_open_flags")
        .references(WASMTIME)
        .stdout(concat!(
            "CREAT|EXCL on an existing file: EEXIST\n",
            "CREAT|EXCL on a new name: created, empty\n",
            "missing file or parent: ENOENT\n",
            "DIRECTORY or a trailing slash on a file: ENOTDIR\n",
            "a directory opens without DIRECTORY\n",
            "TRUNC: emptied\n",
            "CREAT alone on an existing file: data kept\n",
            "empty path: ENOENT\n",
        ))
        .check();
}

#[test]
fn directories_are_created_and_removed_with_posix_errors() {
    Scenario::new("directories")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "created outer/inner: directory\n",
            "mkdir of an existing directory: EEXIST\n",
            "mkdir under a missing parent: ENOENT\n",
            "rmdir of a non-empty directory: ENOTEMPTY\n",
            "rmdir of a file: ENOTDIR\n",
            "mkdir over a file: EEXIST\n",
            "unlink of a directory: refused\n",
            "mkdir relative to an opened directory: ok\n",
            "removed everything: outer is gone\n",
            "rmdir of a missing directory: ENOENT\n",
        ))
        .check();
}

/// node:wasi lacks the file's NOTDIR check (it answers ENOTCAPABLE, accepted).
#[test]
fn readdir_lists_entries_across_small_buffers() {
    Scenario::new("readdir")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "a-rather-long-file-name-to-cut-a-small-buffer.txt regular_file\n",
            "alpha.txt regular_file\n",
            "beta.txt regular_file\n",
            "link symbolic_link\n",
            "subdir directory\n",
            "tiny buffer: same entries\n",
            "cookie past the end: empty\n",
            "readdir of a file: refused\n",
        ))
        .check();
}

/// node:wasi follows a symlink even without LOOKUPFLAGS_SYMLINK_FOLLOW.
#[test]
fn links_symlinks_renames_and_unlinks() {
    Scenario::new("links")
        .references(WASMTIME)
        .stdout(concat!(
            "path_link: 2 links, same data; linking onto an existing name: EEXIST\n",
            "path_symlink: readlink gives the target, followed it is the file\n",
            "open of a symlink without SYMLINK_FOLLOW: ELOOP\n",
            "readlink of a file: EINVAL; symlink onto an existing name: EEXIST\n",
            "dangling symlink: readable link, ENOENT to open\n",
            "path_rename: moved to the new name\n",
            "path_rename over an existing file: replaced\n",
            "path_rename of a directory: contents move along\n",
            "path_unlink_file: the other link keeps the data; unlinking twice: ENOENT\n",
        ))
        .check();
}

#[test]
fn std_file_io_works_through_wasi_libc() {
    Scenario::new("std_file_io")
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "create_dir_all /work/nested/deeper\n",
            "write then append: two lines\n",
            "copy 18 bytes, then rename into deeper/\n",
            "metadata: file of 18 bytes, directory, old name gone\n",
            "read_dir /work/nested: deeper\n",
            "missing file: NotFound\n",
            "remove_dir_all /work: gone\n",
        ))
        .check();
}
