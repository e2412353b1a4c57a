use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::*;
use crate::time::Civil;

/// A fresh directory under the system's temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("wasmux-ls-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> &Scratch {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    fn dir(&self, name: &str) -> &Scratch {
        std::fs::create_dir_all(self.0.join(name)).unwrap();
        self
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    fn set_mtime(&self, name: &str, seconds: u64) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        std::fs::File::options()
            .write(true)
            .open(self.0.join(name))
            .and_then(|file| file.set_modified(time))
            .unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = attrs::chmod(&self.0.join("locked"), 0o755);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// 2020-03-04 05:06:00 UTC.
const MARCH_2020: u64 = 1_583_298_360;

/// Runs ls with `args` (options and operands) as if not on a terminal;
/// returns stdout, stderr and the status.
fn ls_with(args: &[&str], accounts: &Accounts) -> (String, String, i32) {
    let args = args.iter().map(OsString::from).collect();
    let (options, operands) = parse(args, false, None, None).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = Lister::new(&options, accounts, &mut out, &mut err)
        .run(&operands)
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (text(out), text(err), status)
}

fn ls(args: &[&str]) -> (String, String, i32) {
    ls_with(args, &Accounts::default())
}

/// Accounts naming the current process's files' owner "owner", group "team".
fn owner_accounts(scratch: &Scratch) -> Accounts {
    let stat = attrs::stat(&scratch.0).unwrap();
    Accounts::parse(
        &format!("owner:x:{}:{}::/:/bin/sh\n", stat.uid, stat.gid),
        &format!("team:x:{}:\n", stat.gid),
    )
}

#[test]
fn names_sort_in_byte_order_and_hide_dot_files() {
    let scratch = Scratch::new("sort");
    for name in ["b", "B", "a", "_x", ".hidden", "a.txt", "Z"] {
        scratch.file(name, "");
    }
    let dir = scratch.path("");
    assert_eq!(ls(&[&dir]).0, "B\nZ\n_x\na\na.txt\nb\n");
    assert_eq!(ls(&["-A", &dir]).0, ".hidden\nB\nZ\n_x\na\na.txt\nb\n");
    assert_eq!(
        ls(&["-a", &dir]).0,
        ".\n..\n.hidden\nB\nZ\n_x\na\na.txt\nb\n"
    );
    // The last of -a and -A wins.
    assert_eq!(ls(&["-aA", &dir]).0, ls(&["-A", &dir]).0);
    assert_eq!(ls(&["-r", &dir]).0, "b\na.txt\na\n_x\nZ\nB\n");
}

#[test]
fn long_lines_show_modes_owners_sizes_and_times() {
    let scratch = Scratch::new("long");
    scratch
        .file("five", "12345")
        .file("sub/kb", &"k".repeat(2048));
    attrs::chmod(Path::new(&scratch.path("five")), 0o4750).unwrap();
    scratch.set_mtime("five", MARCH_2020);
    std::os::unix::fs::symlink("five", scratch.path("link")).unwrap();
    let accounts = owner_accounts(&scratch);
    let (out, err, status) = ls_with(&["-l", &scratch.path("five")], &accounts);
    assert_eq!((err.as_str(), status), ("", 0));
    let five = scratch.path("five");
    assert_eq!(
        out,
        format!("-rwsr-x--- 1 owner team 5 Mar  4  2020 {five}\n")
    );
    let stat = attrs::stat(&scratch.0).unwrap();
    let numeric = ls(&["-n", &five]).0;
    assert!(
        numeric.starts_with(&format!("-rwsr-x--- 1 {} {} 5 ", stat.uid, stat.gid)),
        "{numeric}"
    );
    // A directory: a total of 1K blocks, then its entries aligned.
    let out = ls_with(&["-l", &scratch.path("")], &accounts).0;
    let lines: Vec<&str> = out.lines().collect();
    let blocks: u64 = ["five", "link", "sub"]
        .iter()
        .map(|name| attrs::lstat(Path::new(&scratch.path(name))).unwrap().blocks)
        .sum();
    assert_eq!(lines[0], format!("total {}", blocks / 2));
    assert!(lines[1].starts_with("-rwsr-x--- 1 owner team "), "{out}");
    assert!(lines[1].ends_with(" Mar  4  2020 five"), "{out}");
    assert!(lines[2].starts_with("lrwxrwxrwx 1 owner team "), "{out}");
    assert!(lines[2].ends_with(" link -> five"), "{out}");
    assert!(
        lines[3].starts_with("drwx") && lines[3].ends_with(" sub"),
        "{out}"
    );
    let name_column = |line: &str| line.len() - line.split(' ').next_back().unwrap().len();
    assert_eq!(name_column(lines[1]), name_column(lines[3]), "{out}");
    // -h sizes.
    let human = ls_with(&["-lh", &scratch.path("sub")], &accounts).0;
    assert!(human.lines().nth(1).unwrap().contains(" 2.0K "), "{human}");
}

#[test]
fn recent_times_show_the_clock_and_old_ones_the_year() {
    let now = 1_700_000_000;
    let nanos = |seconds: i64| seconds as u64 * 1_000_000_000;
    let hour_ago = Civil::from_unix(now - 3600);
    assert_eq!(
        long::time(nanos(now - 3600), now),
        format!(
            "{} {:>2} {:02}:{:02}",
            hour_ago.month_name(),
            hour_ago.day,
            hour_ago.hour,
            hour_ago.minute
        )
    );
    assert_eq!(long::time(nanos(MARCH_2020 as i64), now), "Mar  4  2020");
    // In the future: the year too.
    assert!(long::time(nanos(now + 3600), now).ends_with("  2023"));
    assert_eq!(long::total(16, false), "8");
    assert_eq!(long::total(16, true), "8.0K");
}

#[test]
fn time_and_size_sorts_put_newest_and_largest_first() {
    let scratch = Scratch::new("order");
    scratch
        .file("old", "1")
        .file("mid", "123")
        .file("new", "12");
    scratch.set_mtime("old", MARCH_2020);
    scratch.set_mtime("mid", MARCH_2020 + 10);
    scratch.set_mtime("new", MARCH_2020 + 20);
    let dir = scratch.path("");
    assert_eq!(ls(&["-t", &dir]).0, "new\nmid\nold\n");
    assert_eq!(ls(&["-tr", &dir]).0, "old\nmid\nnew\n");
    assert_eq!(ls(&["-S", &dir]).0, "mid\nnew\nold\n");
}

#[test]
fn recursion_lists_each_directory_after_its_parent() {
    let scratch = Scratch::new("recursive");
    scratch
        .file("a/x", "")
        .file("a/b/y", "")
        .file("c/z", "")
        .file("top", "");
    let dir = scratch.path("");
    let expected = format!("{dir}:\na\nc\ntop\n\n{dir}a:\nb\nx\n\n{dir}a/b:\ny\n\n{dir}c:\nz\n");
    assert_eq!(ls(&["-R", &dir]).0, expected);
    let plain = dir.trim_end_matches('/');
    assert!(ls(&["-aR", plain]).0.starts_with(&format!(
        "{plain}:\n.\n..\na\nc\ntop\n\n{plain}/a:\n.\n..\nb\nx\n"
    )));
}

#[test]
fn operands_list_files_first_then_directories_with_headers() {
    let scratch = Scratch::new("operands");
    scratch
        .file("d/in", "")
        .file("f", "")
        .file("g", "")
        .dir("e");
    let (d, e, f, g) = (
        scratch.path("d"),
        scratch.path("e"),
        scratch.path("f"),
        scratch.path("g"),
    );
    let (out, err, status) = ls(&[&d, &g, "--", &f, &e]);
    assert_eq!((err.as_str(), status), ("", 0));
    assert_eq!(out, format!("{f}\n{g}\n\n{d}:\nin\n\n{e}:\n"));
    assert_eq!(ls(&[&d]).0, "in\n");
    assert_eq!(ls(&["-d", &d, &f]).0, format!("{d}\n{f}\n"));
    assert_eq!(ls(&["-dF", &d, &f]).0, format!("{d}/\n{f}\n"));
}

#[test]
fn missing_operands_are_reported_and_the_rest_listed() {
    let scratch = Scratch::new("missing");
    scratch.file("d/in", "");
    let missing = scratch.path("nope");
    let (out, err, status) = ls(&[&missing, &scratch.path("d")]);
    assert_eq!(
        err,
        format!("ls: cannot access '{missing}': No such file or directory\n")
    );
    assert_eq!(out, format!("{}:\nin\n", scratch.path("d")));
    assert_eq!(status, 2);
}

#[test]
fn an_unreadable_subdirectory_is_a_minor_problem() {
    let scratch = Scratch::new("locked");
    scratch.file("locked/x", "");
    attrs::chmod(Path::new(&scratch.path("locked")), 0).unwrap();
    if std::fs::read_dir(scratch.path("locked")).is_ok() {
        return; // root reads any directory: nothing to check
    }
    let dir = scratch.path("");
    let (out, err, status) = ls(&["-R", &dir]);
    assert_eq!(out, format!("{dir}:\nlocked\n"));
    assert_eq!(
        err,
        format!("ls: cannot open directory '{dir}locked': Permission denied\n")
    );
    assert_eq!(status, 1);
    let (_, _, status) = ls(&[&scratch.path("locked")]);
    assert_eq!(status, 2);
}

#[test]
fn classify_marks_types_and_inodes_lead() {
    let scratch = Scratch::new("classify");
    scratch.file("run", "").file("plain", "").dir("sub");
    attrs::chmod(Path::new(&scratch.path("run")), 0o755).unwrap();
    std::os::unix::fs::symlink("plain", scratch.path("link")).unwrap();
    let dir = scratch.path("");
    assert_eq!(ls(&["-F", &dir]).0, "link@\nplain\nrun*\nsub/\n");
    assert_eq!(ls(&["-p", &dir]).0, "link\nplain\nrun\nsub/\n");
    let long = ls(&["-lF", &dir]).0;
    assert!(
        long.contains(" link -> plain\n") && long.contains(" sub/\n"),
        "{long}"
    );
    let inode = attrs::lstat(Path::new(&scratch.path("plain"))).unwrap().ino;
    let out = ls(&["-i1", &scratch.path("plain")]).0;
    assert_eq!(out, format!("{inode} {}\n", scratch.path("plain")));
}

#[test]
fn symlinks_to_directories_are_followed_unless_long() {
    let scratch = Scratch::new("dirlink");
    scratch.file("d/in", "");
    std::os::unix::fs::symlink("d", scratch.path("to")).unwrap();
    assert_eq!(ls(&[&scratch.path("to")]).0, "in\n");
    let long = ls(&["-l", &scratch.path("to")]).0;
    assert!(
        long.starts_with('l') && long.ends_with("to -> d\n"),
        "{long}"
    );
}

fn cells(names: &[&str]) -> Vec<(String, usize)> {
    names.iter().map(|n| (n.to_string(), n.len())).collect()
}

#[test]
fn columns_fill_down_then_across_within_the_width() {
    let names = [
        "alpha", "beta", "delta", "epsilon", "eta", "gamma", "iota", "kappa", "theta", "zeta",
    ];
    // As GNU ls -C -T0 -w WIDTH lays them out.
    assert_eq!(
        layout(&cells(&names), 30),
        "alpha  epsilon  iota   zeta\nbeta   eta      kappa\ndelta  gamma    theta\n"
    );
    assert_eq!(
        layout(&cells(&names), 80),
        "alpha  beta  delta  epsilon  eta  gamma  iota  kappa  theta  zeta\n"
    );
    assert_eq!(
        layout(&cells(&names), 20),
        "alpha    gamma\nbeta     iota\ndelta    kappa\nepsilon  theta\neta      zeta\n"
    );
    assert_eq!(
        layout(&cells(&names), 12),
        names.map(|n| format!("{n}\n")).concat()
    );
    assert_eq!(layout(&cells(&names[..3]), 5), "alpha\nbeta\ndelta\n");
    assert_eq!(layout(&cells(&["a", "b", "c"]), 1), "a\nb\nc\n");
    assert_eq!(layout(&[], 80), "");
}

#[test]
fn the_width_comes_from_w_then_columns_then_the_terminal() {
    let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
    let width = |list: &[&str], env: Option<&str>| parse(args(list), true, Some(100), env);
    assert_eq!(width(&[], None).unwrap().0.width, 100);
    assert_eq!(width(&[], Some("50")).unwrap().0.width, 50);
    assert_eq!(width(&["-w", "20"], Some("50")).unwrap().0.width, 20);
    assert_eq!(parse(args(&[]), false, None, None).unwrap().0.width, 80);
    // A terminal gets columns, a pipe one name a line; -1, -C and -l win.
    assert_eq!(width(&[], None).unwrap().0.format, Format::Columns);
    assert_eq!(
        parse(args(&[]), false, None, None).unwrap().0.format,
        Format::Single
    );
    assert_eq!(width(&["-l1"], None).unwrap().0.format, Format::Single);
    assert_eq!(width(&["-1l"], None).unwrap().0.format, Format::Long);
}

#[test]
fn bad_options_are_usage_errors() {
    let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
    assert_eq!(
        parse(args(&["-z"]), false, None, None).unwrap_err(),
        Stop::Usage("invalid option -- 'z'".into(), 2)
    );
    assert!(matches!(
        parse(args(&["--color=sometimes"]), false, None, None),
        Err(Stop::Usage(_, 1))
    ));
    assert_eq!(
        parse(args(&["-w", "x"]), false, None, None).unwrap_err(),
        Stop::Invalid("invalid line width: 'x'".into())
    );
    let (options, operands) =
        parse(args(&["--color", "--", "--color"]), false, None, None).unwrap();
    assert!(options.color);
    assert_eq!(operands, args(&["--color"]));
}

#[test]
fn colors_wrap_names_but_not_their_width() {
    let scratch = Scratch::new("color");
    scratch.dir("sub").file("plain", "");
    let out = ls(&["--color=always", &scratch.path("")]).0;
    assert_eq!(out, "plain\n\x1b[01;34msub\x1b[0m\n");
}
