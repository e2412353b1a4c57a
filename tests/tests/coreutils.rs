//! userland/coreutils end to end: the built multicall binary run through
//! `wasmux run --dir ROOT::/ coreutils.wasm TOOL ARGS`, one test per tool
//! family, checking exact output and exit status.
//!
//! `wasmux run` mounts no /proc, so ps, uptime, free, mount and df are
//! checked here only for their clear failure; their formatting is unit-tested
//! against /proc fixtures in the crate, and the boot scenarios (tests/boot.rs)
//! run them live. Modes, owners and blocks
//! come from the kernel's stat of the host directory: the tests set modes
//! on the host and name its owner in the root's /etc/passwd. Tools that start programs (env, xargs, find -exec) find
//! the binary hard-linked as /bin/NAME in the root, as the rootfs has it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use wasmux_tests::locate;
use wasmux_tests::process::{self, Finished};

/// coreutils.wasm, as the userland build leaves it (built when missing).
fn coreutils_wasm() -> PathBuf {
    locate::userland("coreutils")
}

/// A root directory for one test, with the tools it needs linked in /bin.
struct Root {
    dir: PathBuf,
}

impl Root {
    fn new(label: &str) -> Root {
        let dir = locate::scratch_dir(&format!("coreutils-{label}")).join("root");
        std::fs::create_dir_all(dir.join("bin"))
            .unwrap_or_else(|error| panic!("root directory: {error}"));
        Root { dir }
    }

    /// Writes `text` at `path` (relative to the root), creating directories.
    fn file(self, path: &str, text: &str) -> Root {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|error| panic!("parent directory: {error}"));
        }
        std::fs::write(&file, text).unwrap_or_else(|error| panic!("fixture file: {error}"));
        self
    }

    /// Links the binary as /bin/NAME for each of `names`.
    fn tools(self, names: &[&str]) -> Root {
        for name in names {
            let link = self.dir.join("bin").join(name);
            if std::fs::hard_link(coreutils_wasm(), &link).is_err() {
                std::fs::copy(coreutils_wasm(), &link)
                    .unwrap_or_else(|error| panic!("copy of coreutils.wasm: {error}"));
            }
        }
        self
    }

    fn path(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }

    /// Runs `coreutils ARGS` with `stdin`; `None` when there is no wasmux CLI.
    fn run_with(&self, args: &[&str], stdin: &str) -> Option<Finished> {
        let Some(wasmux) = locate::wasmux() else {
            eprintln!("note: no wasmux CLI in the workspace: coreutils not run");
            return None;
        };
        let mut argv = vec![
            wasmux.to_string_lossy().into_owned(),
            "run".to_string(),
            "--dir".to_string(),
            format!("{}::/", self.dir.display()),
            "--env".to_string(),
            "PATH=/bin".to_string(),
            coreutils_wasm().to_string_lossy().into_owned(),
        ];
        argv.extend(args.iter().map(|arg| arg.to_string()));
        let finished = process::run(&argv, stdin.as_bytes(), Duration::from_secs(60))
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", argv.join(" ")));
        assert!(!finished.timed_out, "{} timed out", args.join(" "));
        Some(finished)
    }

    /// Checks stdout, stderr and status of `coreutils ARGS`.
    fn check(&self, args: &[&str], stdin: &str, stdout: &str, stderr: &str, status: i32) {
        let Some(finished) = self.run_with(args, stdin) else {
            return;
        };
        let shown = format!(
            "coreutils {}\n--- stdout ---\n{}--- stderr ---\n{}",
            args.join(" "),
            finished.stdout,
            finished.stderr
        );
        assert_eq!(finished.stdout, stdout, "stdout of {shown}");
        assert_eq!(finished.stderr, stderr, "stderr of {shown}");
        assert_eq!(finished.code, Some(status), "status of {shown}");
    }

    /// Checks `coreutils ARGS` succeeds, printing `stdout` and nothing on stderr.
    fn ok(&self, args: &[&str], stdout: &str) {
        self.check(args, "", stdout, "", 0);
    }
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

const FRUIT: &str = "pear\napple\nfig\napple\n";

#[test]
fn the_binary_lists_its_tools_and_rejects_unknown_ones() {
    let root = Root::new("dispatch");
    let listed = include_str!("../../userland/coreutils/tools.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect::<String>();
    root.ok(&["--list"], &listed);
    let Some(unknown) = root.run_with(&["frobnicate"], "") else {
        return;
    };
    assert_eq!(unknown.code, Some(127));
    assert!(
        unknown
            .stderr
            .starts_with("coreutils: frobnicate: no such tool\n"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn text_tools_print_exactly() {
    let root = Root::new("text").file("fruit.txt", FRUIT);
    root.ok(&["cat", "/fruit.txt"], FRUIT);
    root.ok(&["head", "-n", "2", "/fruit.txt"], "pear\napple\n");
    root.ok(&["tail", "-n", "1", "/fruit.txt"], "apple\n");
    root.ok(&["wc", "-l", "/fruit.txt"], "4 /fruit.txt\n");
    root.ok(&["sort", "-u", "/fruit.txt"], "apple\nfig\npear\n");
    root.check(
        &["sort", "-c", "/fruit.txt"],
        "",
        "",
        "sort: --check and --merge are not supported on Wasmux (they need threads, which WASI lacks)\n",
        2,
    );
    root.check(
        &["uniq", "-c"],
        "a\na\nb\n",
        "      2 a\n      1 b\n",
        "",
        0,
    );
    root.check(&["cut", "-d", ":", "-f", "2"], "a:b:c\n", "b\n", "", 0);
    root.check(&["tr", "a-z", "A-Z"], "shout\n", "SHOUT\n", "", 0);
    root.check(&["tee", "/copy.txt"], "kept\n", "kept\n", "", 0);
    assert_eq!(
        std::fs::read_to_string(root.path("copy.txt"))
            .ok()
            .as_deref(),
        Some("kept\n")
    );
    root.ok(&["seq", "-s", ",", "1", "4"], "1,2,3,4\n");
    root.ok(&["echo", "-n", "no newline"], "no newline");
    root.ok(&["printf", "%s=%03d\\n", "x", "7"], "x=007\n");
    root.ok(&["base64", "/fruit.txt"], "cGVhcgphcHBsZQpmaWcKYXBwbGUK\n");
    root.ok(
        &["sha256sum", "/fruit.txt"],
        "08ac0db682cf1c0387d7a34a1f18a8c2f8b1a734c4ac83d412d903a6fc21161e  /fruit.txt\n",
    );
    root.ok(&["basename", "/usr/lib/libc.a", ".a"], "libc\n");
    root.ok(&["dirname", "/usr/lib/libc.a"], "/usr/lib\n");
    root.ok(&["true"], "");
    root.check(&["false"], "", "", "", 1);
    root.check(
        &["cat", "/nope"],
        "",
        "",
        "cat: /nope: No such file or directory\n",
        1,
    );
}

#[test]
fn file_tools_change_the_tree() {
    let root = Root::new("files")
        .file("d/sub/x.txt", "x\n")
        .file("old.txt", "old\n");
    root.ok(&["mkdir", "-p", "/a/b/c"], "");
    assert!(root.path("a/b/c").is_dir());
    root.ok(&["rmdir", "/a/b/c"], "");
    assert!(!exists(&root.path("a/b/c")));
    root.ok(&["cp", "-r", "/d", "/e"], "");
    assert_eq!(
        std::fs::read_to_string(root.path("e/sub/x.txt"))
            .ok()
            .as_deref(),
        Some("x\n")
    );
    root.ok(&["mv", "/old.txt", "/new.txt"], "");
    assert!(!exists(&root.path("old.txt")) && root.path("new.txt").is_file());
    root.ok(&["touch", "/empty"], "");
    assert_eq!(
        std::fs::metadata(root.path("empty")).map(|m| m.len()).ok(),
        Some(0)
    );
    // wasmux run confines preview1 paths: a link's target must be relative.
    root.ok(&["ln", "-s", "new.txt", "/link"], "");
    assert_eq!(
        std::fs::read_link(root.path("link")).ok(),
        Some(PathBuf::from("new.txt"))
    );
    root.ok(&["cat", "/link"], "old\n");
    root.ok(
        &["ls", "-a", "-R", "/d"],
        "/d:\n.\n..\nsub\n\n/d/sub:\n.\n..\nx.txt\n",
    );
    root.check(
        &["ls", "/nope"],
        "",
        "",
        "ls: cannot access '/nope': No such file or directory\n",
        2,
    );
    root.ok(&["rm", "-r", "-f", "/e", "/not-there"], "");
    assert!(!exists(&root.path("e")));
    root.check(
        &["rm", "/d"],
        "",
        "",
        "rm: cannot remove '/d': Is a directory\n",
        1,
    );
    root.check(
        &["rmdir", "/d"],
        "",
        "",
        "rmdir: failed to remove '/d': Directory not empty\n",
        1,
    );
}

/// Host-side facts about a fixture, to spell out what the kernel reports.
mod host {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::Path;

    pub fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|error| panic!("chmod {}: {error}", path.display()));
    }

    pub fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).map_or(0, |meta| meta.mode() & 0o7777)
    }

    /// (uid, gid) of the file.
    pub fn owner(path: &Path) -> (u32, u32) {
        std::fs::symlink_metadata(path).map_or((0, 0), |meta| (meta.uid(), meta.gid()))
    }

    pub fn size(path: &Path) -> u64 {
        std::fs::symlink_metadata(path).map_or(0, |meta| meta.len())
    }

    pub fn inode(path: &Path) -> u64 {
        std::fs::symlink_metadata(path).map_or(0, |meta| meta.ino())
    }

    /// The kernel's blocks for a size (rounded up to 4 KiB), in KiB, as du shows them.
    pub fn kib(size: u64) -> u64 {
        size.div_ceil(4096) * 4
    }

    pub fn set_mtime(path: &Path, seconds: u64) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        std::fs::File::open(path)
            .and_then(|file| file.set_modified(time))
            .unwrap_or_else(|error| panic!("mtime of {}: {error}", path.display()));
    }
}

/// 2020-03-04 05:06:00 UTC.
const MARCH_2020: u64 = 1_583_298_360;

/// d/five (5 bytes, 0644, March 2020), d/link -> five, d/sub/kb (2048
/// bytes, 0600), directories 0755; /etc/passwd and /etc/group name the
/// host's owner of the files "owner" and their group "team".
fn attributes_root(label: &str) -> Root {
    let root = Root::new(label)
        .file("d/five", "12345")
        .file("d/sub/kb", &"k".repeat(2048));
    let (uid, gid) = host::owner(&root.path("d/five"));
    let root = root
        .file("etc/passwd", &format!("owner:x:{uid}:{gid}::/:/bin/sh\n"))
        .file("etc/group", &format!("team:x:{gid}:\n"));
    std::os::unix::fs::symlink("five", root.path("d/link"))
        .unwrap_or_else(|error| panic!("symlink: {error}"));
    for (path, mode) in [
        ("d", 0o755),
        ("d/sub", 0o755),
        ("d/five", 0o644),
        ("d/sub/kb", 0o600),
    ] {
        host::set_mode(&root.path(path), mode);
    }
    host::set_mtime(&root.path("d/five"), MARCH_2020);
    root
}

#[test]
fn stat_shows_modes_owners_blocks_and_times() {
    let root = attributes_root("stat");
    root.ok(
        &["stat", "-c", "%a %A %U %G %s %b %B %h %F", "/d/five"],
        "644 -rw-r--r-- owner team 5 8 512 1 regular file\n",
    );
    root.ok(
        &["stat", "-c", "%N %F %a", "/d/link"],
        "'/d/link' -> 'five' symbolic link 777\n",
    );
    root.ok(
        &["stat", "-L", "-c", "%F %s", "/d/link"],
        "regular file 5\n",
    );
    root.ok(
        &["stat", "-c", "%y %Y", "/d/five"],
        "2020-03-04 05:06:00.000000000 +0000 1583298360\n",
    );
    let (uid, gid) = host::owner(&root.path("d/five"));
    root.ok(
        &["stat", "-c", "%u:%g %i", "/d/five"],
        &format!("{uid}:{gid} {}\n", host::inode(&root.path("d/five"))),
    );
    let Some(default) = root.run_with(&["stat", "/d/sub/kb"], "") else {
        return;
    };
    assert!(
        default.stdout.starts_with(
            "  File: /d/sub/kb\n  Size: 2048      \tBlocks: 8          IO Block: 4096   regular file\n"
        ) && default.stdout.contains(&format!(
            "Access: (0600/-rw-------)  Uid: ({uid:>5}/   owner)   Gid: ({gid:>5}/    team)\n"
        )) && default.stdout.ends_with(" Birth: -\n"),
        "{}",
        default.stdout
    );
    root.check(
        &["stat", "/nope"],
        "",
        "",
        "stat: cannot stat '/nope': No such file or directory\n",
        1,
    );
}

#[test]
fn chmod_sets_octal_and_symbolic_modes() {
    let root = attributes_root("chmod");
    let mode = |path: &str| host::mode(&root.path(path));
    root.ok(&["chmod", "4755", "/d/five"], "");
    assert_eq!(mode("d/five"), 0o4755);
    root.ok(
        &["chmod", "-v", "u-s,go-rx,o+w", "/d/five"],
        "mode of '/d/five' changed from 4755 (rwsr-xr-x) to 0702 (rwx----w-)\n",
    );
    // -R: a directory before its contents; the symlink inside is left alone.
    root.ok(
        &["chmod", "-R", "-c", "go-rwx", "/d"],
        "mode of '/d' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)\n\
         mode of '/d/five' changed from 0702 (rwx----w-) to 0700 (rwx------)\n\
         mode of '/d/sub' changed from 0755 (rwxr-xr-x) to 0700 (rwx------)\n",
    );
    assert_eq!(
        (mode("d"), mode("d/sub"), mode("d/sub/kb")),
        (0o700, 0o700, 0o600)
    );
    root.ok(&["chmod", "a=r,u+w", "/d/link"], "");
    assert_eq!(mode("d/five"), 0o644, "a symlink operand is followed");
    root.ok(&["chmod", "--reference=/d/sub/kb", "/d/five"], "");
    root.ok(&["stat", "-c", "%a", "/d/five"], "600\n");
    // `wasmux run` starts programs with umask 022: "-w" keeps go's w bits.
    host::set_mode(&root.path("d/five"), 0o666);
    root.check(
        &["chmod", "-w", "/d/five"],
        "",
        "",
        "chmod: /d/five: new permissions are r--rw-rw-, not r--r--r--\n",
        1,
    );
    root.check(
        &["chmod", "+x", "/d/nope"],
        "",
        "",
        "chmod: cannot access '/d/nope': No such file or directory\n",
        1,
    );
    root.check(
        &["chmod", "u+q", "/d/five"],
        "",
        "",
        "chmod: invalid mode: 'u+q'\nTry 'chmod --help' for more information.\n",
        1,
    );
}

#[test]
fn chown_and_chgrp_resolve_names() {
    let root = attributes_root("chown");
    root.ok(
        &["chown", "-v", "owner:team", "/d/five"],
        "ownership of '/d/five' retained as owner:team\n",
    );
    root.ok(
        &["chgrp", "-v", "team", "/d/five"],
        "group of '/d/five' retained as team\n",
    );
    root.ok(&["chown", "-c", "owner", "/d/five"], "");
    root.check(
        &["chown", "ghost", "/d/five"],
        "",
        "",
        "chown: invalid user: 'ghost'\n",
        1,
    );
    root.check(
        &["chown", "owner:ghost", "/d/five"],
        "",
        "",
        "chown: invalid group: 'owner:ghost'\n",
        1,
    );
    root.check(
        &["chgrp", "ghost", "/d/five"],
        "",
        "",
        "chgrp: invalid group: 'ghost'\n",
        1,
    );
    root.check(
        &["chown", "owner", "/nope"],
        "",
        "",
        "chown: cannot access '/nope': No such file or directory\n",
        1,
    );
    // Giving files away needs root on the host too (`wasmux run` passes
    // chown through to the host directory).
    if host::owner(&root.dir) != (0, 0) {
        return;
    }
    std::os::unix::fs::symlink("../../etc/group", root.path("d/sub/up"))
        .unwrap_or_else(|error| panic!("symlink: {error}"));
    root.ok(&["chown", "-R", "4242:4343", "/d"], "");
    assert_eq!(host::owner(&root.path("d/sub/kb")), (4242, 4343));
    assert_eq!(
        host::owner(&root.path("d/sub/up")),
        (4242, 4343),
        "-R changes links themselves"
    );
    assert_eq!(
        host::owner(&root.path("etc/group")),
        (0, 0),
        "and does not follow them"
    );
    root.ok(&["chgrp", "-h", "team", "/d/link"], "");
    assert_eq!(host::owner(&root.path("d/link")), (4242, 0));
}

/// The fields of an `ls -l` line that do not change with the clock: mode,
/// links, owner, group and name (times and directory sizes vary).
fn steady_fields(line: &str) -> String {
    let fields: Vec<&str> = line.split_whitespace().collect();
    match fields.as_slice() {
        [mode, links, owner, group, .., name] => format!("{mode} {links} {owner} {group} {name}"),
        _ => line.to_string(),
    }
}

#[test]
fn ls_shows_modes_owners_links_and_blocks() {
    let root = attributes_root("ls");
    host::set_mtime(&root.path("d/sub/kb"), MARCH_2020);
    root.ok(&["chmod", "u+x,g+w", "/d/five"], "");
    root.ok(
        &["ls", "-l", "/d/five"],
        "-rwxrw-r-- 1 owner team 5 Mar  4  2020 /d/five\n",
    );
    let (uid, gid) = host::owner(&root.path("d/five"));
    root.ok(
        &["ls", "-n", "/d/five"],
        &format!("-rwxrw-r-- 1 {uid} {gid} 5 Mar  4  2020 /d/five\n"),
    );
    root.ok(
        &["ls", "-l", "/d/sub"],
        "total 4\n-rw------- 1 owner team 2048 Mar  4  2020 kb\n",
    );
    root.ok(
        &["ls", "-lh", "/d/sub"],
        "total 4.0K\n-rw------- 1 owner team 2.0K Mar  4  2020 kb\n",
    );
    // -la: . and .. first, then the entries; a total of every entry's
    // blocks in KiB (the kernel counts files in 4 KiB blocks).
    let Some(listing) = root.run_with(&["ls", "-la", "/d"], "") else {
        return;
    };
    assert_eq!((listing.stderr.as_str(), listing.code), ("", Some(0)));
    let total = host::kib(host::size(&root.path("d")))
        + host::kib(host::size(&root.dir))
        + 4
        + 4
        + host::kib(host::size(&root.path("d/sub")));
    let lines: Vec<&str> = listing.stdout.lines().collect();
    assert_eq!(lines.first(), Some(&format!("total {total}").as_str()));
    let steady: Vec<String> = lines[1..].iter().map(|line| steady_fields(line)).collect();
    assert_eq!(steady[0], "drwxr-xr-x 3 owner team .", "{}", listing.stdout);
    assert!(steady[1].starts_with("drwx") && steady[1].ends_with(" .."));
    assert_eq!(
        steady[2..],
        [
            "-rwxrw-r-- 1 owner team five",
            "lrwxrwxrwx 1 owner team five",
            "drwxr-xr-x 2 owner team sub",
        ]
    );
    assert!(
        lines[3].ends_with(" Mar  4  2020 five"),
        "{}",
        listing.stdout
    );
    assert!(lines[4].ends_with(" link -> five"), "{}", listing.stdout);
    root.ok(&["ls", "-R", "/d"], "/d:\nfive\nlink\nsub\n\n/d/sub:\nkb\n");
    root.ok(&["ls", "-F", "/d"], "five*\nlink@\nsub/\n");
    root.ok(
        &["ls", "-C", "-w", "20", "/d", "/d/sub"],
        "/d:\nfive  link  sub\n\n/d/sub:\nkb\n",
    );
    root.check(
        &["ls", "/nope", "/d/five"],
        "",
        "/d/five\n",
        "ls: cannot access '/nope': No such file or directory\n",
        2,
    );
}

#[test]
fn du_counts_blocks_and_find_tests_modes() {
    let root = attributes_root("du");
    let (d, sub) = (
        host::kib(host::size(&root.path("d"))),
        host::kib(host::size(&root.path("d/sub"))),
    );
    root.ok(
        &["du", "-a", "/d"],
        &format!(
            "4\t/d/five\n4\t/d/link\n4\t/d/sub/kb\n{}\t/d/sub\n{}\t/d\n",
            sub + 4,
            d + sub + 12
        ),
    );
    let bytes = host::size(&root.path("d")) + host::size(&root.path("d/sub")) + 5 + 4 + 2048;
    root.ok(&["du", "-s", "-b", "/d"], &format!("{bytes}\t/d\n"));
    root.ok(&["du", "-sh", "/d/sub/kb"], "4.0K\t/d/sub/kb\n");
    host::set_mode(&root.path("d/five"), 0o755);
    root.ok(&["find", "/d", "-type", "f", "-perm", "-u+x"], "/d/five\n");
    root.ok(&["find", "/d", "-perm", "600"], "/d/sub/kb\n");
    root.ok(&["find", "/d", "-type", "f", "-perm", "/o+r"], "/d/five\n");
    root.ok(
        &["find", "/d", "-user", "owner", "-name", "k*"],
        "/d/sub/kb\n",
    );
    root.ok(&["find", "/d", "-nouser"], "");
    root.check(
        &["find", "/d", "-user", "ghost"],
        "",
        "",
        "find: 'ghost' is not the name of a known user\n",
        1,
    );
}

#[test]
fn grep_selects_lines_with_gnu_options_and_statuses() {
    let root = Root::new("grep")
        .file("fruit.txt", FRUIT)
        .file("more/veg.txt", "Leek\napple pie\n");
    root.ok(&["grep", "apple", "/fruit.txt"], "apple\napple\n");
    root.ok(
        &["grep", "-n", "-v", "apple", "/fruit.txt"],
        "1:pear\n3:fig\n",
    );
    root.ok(&["grep", "-c", "-i", "LEEK", "/more/veg.txt"], "1\n");
    root.ok(
        &["grep", "-l", "apple", "/fruit.txt", "/more/veg.txt"],
        "/fruit.txt\n/more/veg.txt\n",
    );
    root.ok(&["grep", "-r", "pie", "/more"], "/more/veg.txt:apple pie\n");
    root.ok(&["grep", "-E", "^(pear|fig)$", "/fruit.txt"], "pear\nfig\n");
    root.check(&["grep", "-F", "p.e", "/fruit.txt"], "", "", "", 1);
    root.ok(&["grep", "-o", "-w", "pie", "/more/veg.txt"], "pie\n");
    root.check(
        &["grep", "-e", "ig", "-e", "ea"],
        FRUIT,
        "pear\nfig\n",
        "",
        0,
    );
    root.check(&["grep", "kiwi", "/fruit.txt"], "", "", "", 1);
    root.check(
        &["grep", "-q", "fig", "/nope", "/fruit.txt"],
        "",
        "",
        "grep: /nope: No such file or directory\n",
        0,
    );
    root.check(
        &["grep", "fig", "/nope"],
        "",
        "",
        "grep: /nope: No such file or directory\n",
        2,
    );
    root.check(&["grep", "-E", "("], "", "", "grep: unclosed group\n", 2);
}

#[test]
fn find_walks_with_tests_and_actions() {
    let root = Root::new("find")
        .file("t/a.txt", "A\n")
        .file("t/b.md", "B\n")
        .file("t/sub/c.txt", "C\n")
        .tools(&["cat"]);
    root.ok(
        &["find", "/t"],
        "/t\n/t/a.txt\n/t/b.md\n/t/sub\n/t/sub/c.txt\n",
    );
    root.ok(
        &["find", "/t", "-name", "*.txt"],
        "/t/a.txt\n/t/sub/c.txt\n",
    );
    root.ok(
        &["find", "/t", "-maxdepth", "1", "-type", "f"],
        "/t/a.txt\n/t/b.md\n",
    );
    root.ok(&["find", "/t", "-type", "d"], "/t\n/t/sub\n");
    root.ok(
        &["find", "/t", "-name", "*.txt", "-exec", "cat", "{}", ";"],
        "A\nC\n",
    );
    root.check(
        &["find", "/nope"],
        "",
        "",
        "find: '/nope': No such file or directory\n",
        1,
    );
    root.check(
        &["find", "/t", "-bogus"],
        "",
        "",
        "find: unknown predicate '-bogus'\n",
        1,
    );
}

#[test]
fn tools_that_start_programs() {
    let root = Root::new("spawn").tools(&["echo", "env"]);
    root.ok(&["env", "-i", "A=1", "B=2"], "A=1\nB=2\n");
    root.ok(&["env", "-i", "C=3", "env"], "C=3\n");
    root.check(
        &["env", "/bin/nope"],
        "",
        "",
        "env: '/bin/nope': No such file or directory\n",
        127,
    );
    root.check(&["xargs", "echo", "got"], "a b\nc\n", "got a b c\n", "", 0);
    root.check(&["xargs", "-n", "2"], "1 2 3\n", "1 2\n3\n", "", 0);
    root.check(
        &["xargs", "-I", "{}", "echo", "<{}>"],
        "x y\nz\n",
        "<x y>\n<z>\n",
        "",
        0,
    );
    root.ok(&["which", "env"], "/bin/env\n");
    root.check(&["which", "nope"], "", "", "", 1);
    root.ok(&["sleep", "0.05"], "");
}

#[test]
fn identity_and_system_tools() {
    let root = Root::new("system")
        .file(
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n",
        )
        .file("etc/group", "root:x:0:\nwheel:x:10:root\n")
        .file("etc/hostname", "box\n");
    root.ok(&["whoami"], "root\n");
    root.ok(
        &["id"],
        "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n",
    );
    root.ok(&["id", "-un"], "root\n");
    root.ok(&["id", "user"], "uid=1000(user) gid=1000 groups=1000\n");
    root.check(&["id", "ghost"], "", "", "id: 'ghost': no such user\n", 1);
    root.ok(&["uname"], "Wasmux\n");
    root.ok(
        &["uname", "-snrm"],
        &format!("Wasmux box {} wasm32\n", env!("CARGO_PKG_VERSION")),
    );
    root.ok(
        &["date", "-u", "-d", "@86400", "+%Y-%m-%d %H:%M"],
        "1970-01-02 00:00\n",
    );
    root.ok(&["clear"], "\x1b[H\x1b[2J\x1b[3J");
    root.ok(&["pwd"], "/\n");
    root.ok(&["kill", "-l", "9"], "KILL\n");
    root.check(
        &["kill", "-s", "TERM", "4000"],
        "",
        "",
        "kill: (4000) - No such process\n",
        1,
    );
}

#[test]
fn proc_tools_say_clearly_when_there_is_no_proc() {
    // `wasmux run` has no /proc; `wasmux boot` does (tests/boot.rs).
    let root = Root::new("noproc");
    root.check(
        &["ps"],
        "",
        "",
        "ps: /proc: No such file or directory (is /proc mounted?)\n",
        1,
    );
    root.check(
        &["uptime"],
        "",
        "",
        "uptime: /proc/uptime: No such file or directory\n",
        1,
    );
    root.check(
        &["free"],
        "",
        "",
        "free: /proc/meminfo: No such file or directory (the kernel publishes no memory figures)\n",
        1,
    );
    root.check(
        &["mount"],
        "",
        "",
        "mount: /proc/mounts: No such file or directory\n",
        32,
    );
    root.check(
        &["df"],
        "",
        "",
        "df: cannot read table of mounted file systems: No such file or directory\n",
        1,
    );
    root.check(
        &["mount", "-t", "memfs", "none", "/mnt"],
        "",
        "",
        "mount: mounting is not supported: the Wasmux ABI has no mount call yet\n",
        32,
    );
}
