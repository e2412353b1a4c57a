//! The table of tools: each name, where its code comes from, and its entry
//! point. tools.txt (read by the root filesystem build) lists the same
//! names; a unit test keeps the two equal.

use std::ffi::OsString;

/// A tool's entry point: its arguments, argv\[0\] being the tool's name;
/// returns the exit status.
pub type Main = fn(Vec<OsString>) -> i32;

/// Where a tool's code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// uutils' `uu_NAME` crate from crates.io.
    Uutils,
    /// This crate (it needs the kernel, or nothing on crates.io fits).
    Wasmux,
}

/// One tool of the multicall binary.
#[derive(Debug, Clone, Copy)]
pub struct Tool {
    pub name: &'static str,
    pub origin: Origin,
    pub main: Main,
}

/// tools.txt, as the root filesystem build reads it.
pub const TOOLS_TXT: &str = include_str!("../tools.txt");

/// A uutils tool: its crate's `uumain` on wasm32-wasip1; on the host (where
/// only the hand-written tools are built, for their unit tests) a stub.
macro_rules! uutils {
    ($name:literal, $krate:ident) => {
        Tool {
            name: $name,
            origin: Origin::Uutils,
            #[cfg(target_os = "wasi")]
            main: |args| $krate::uumain(args.into_iter()),
            #[cfg(not(target_os = "wasi"))]
            main: |_| host_stub($name),
        }
    };
}

macro_rules! own {
    ($name:literal, $main:path) => {
        Tool {
            name: $name,
            origin: Origin::Wasmux,
            main: $main,
        }
    };
}

#[cfg(not(target_os = "wasi"))]
fn host_stub(name: &str) -> i32 {
    eprintln!("{name}: uutils' tools are only built for wasm32-wasip1");
    1
}

/// Every tool, in name order.
pub const TOOLS: &[Tool] = &[
    uutils!("base64", uu_base64),
    uutils!("basename", uu_basename),
    uutils!("cat", uu_cat),
    own!("chgrp", crate::chown::chgrp),
    own!("chmod", crate::chmod::main),
    own!("chown", crate::chown::chown),
    own!("clear", crate::system::clear),
    uutils!("cp", uu_cp),
    uutils!("cut", uu_cut),
    uutils!("date", uu_date),
    own!("df", crate::disk::df),
    uutils!("dirname", uu_dirname),
    own!("du", crate::disk::du),
    uutils!("echo", uu_echo),
    own!("env", crate::spawn::env),
    uutils!("false", uu_false),
    own!("find", crate::find::main),
    own!("free", crate::procinfo::free),
    own!("grep", crate::grep::main),
    uutils!("head", uu_head),
    own!("id", crate::users::id),
    own!("kill", crate::kill::main),
    uutils!("ln", uu_ln),
    own!("ls", crate::ls::main),
    uutils!("mkdir", uu_mkdir),
    own!("mount", crate::procinfo::mount),
    uutils!("mv", uu_mv),
    uutils!("printf", uu_printf),
    own!("ps", crate::ps::main),
    own!("pwd", crate::system::pwd),
    uutils!("rm", uu_rm),
    uutils!("rmdir", uu_rmdir),
    uutils!("seq", uu_seq),
    uutils!("sha256sum", uu_sha256sum),
    uutils!("sleep", uu_sleep),
    // uu_sort behind a guard: --check and --merge need threads.
    Tool {
        name: "sort",
        origin: Origin::Uutils,
        main: crate::guard::sort,
    },
    own!("stat", crate::stat::main),
    own!("stty", crate::stty::main),
    uutils!("tail", uu_tail),
    uutils!("tee", uu_tee),
    uutils!("touch", uu_touch),
    uutils!("tr", uu_tr),
    uutils!("true", uu_true),
    own!("uname", crate::system::uname),
    uutils!("uniq", uu_uniq),
    own!("uptime", crate::procinfo::uptime),
    uutils!("wc", uu_wc),
    own!("which", crate::spawn::which),
    own!("whoami", crate::users::whoami),
    own!("xargs", crate::spawn::xargs),
    uutils!("yes", uu_yes),
];

/// The tool called `name`.
pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_txt_lists_every_tool_of_the_table() {
        let listed: Vec<&str> = TOOLS_TXT
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        let table: Vec<&str> = TOOLS.iter().map(|tool| tool.name).collect();
        assert_eq!(listed, table);
    }

    #[test]
    fn names_are_sorted_and_unique() {
        assert!(TOOLS.windows(2).all(|pair| pair[0].name < pair[1].name));
    }
}
