//! `coreutils UTILITY [ARGS...]`: runs one of uutils' cat, sort, wc or cp, the
//! way a multicall binary does (busybox style, selected by the first argument).
//! Real third-party code that reads and writes files through wasi-libc.

use std::ffi::OsString;
use std::process::exit;

const UTILITIES: &[(&str, fn(std::vec::IntoIter<OsString>) -> i32)] = &[
    ("cat", |args| uu_cat::uumain(args)),
    ("sort", |args| uu_sort::uumain(args)),
    ("wc", |args| uu_wc::uumain(args)),
    ("cp", |args| uu_cp::uumain(args)),
];

fn main() {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let Some(name) = args
        .first()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
    else {
        eprintln!("usage: coreutils UTILITY [ARGS...]; utilities: cat sort wc cp");
        exit(2);
    };
    let Some((_, run)) = UTILITIES.iter().find(|(utility, _)| *utility == name) else {
        eprintln!("coreutils: unknown utility {name:?}");
        exit(2);
    };
    args[0] = OsString::from(&name);
    exit(run(args.into_iter()));
}
