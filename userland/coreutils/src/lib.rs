//! coreutils for Wasmux: one multicall binary holding the everyday Unix
//! tools, chosen by the name it is run as (`/bin/ls -> coreutils`).
//!
//! Most tools are uutils' `uu_*` crates from crates.io, built for
//! wasm32-wasip1 as they are ([`tools::TOOLS`] says which). The rest are
//! written here, because they need the kernel (ps, kill, env, xargs and
//! find's `-exec` spawn or signal through `wasmux-sys`, stty asks it for
//! the terminal's size; mount, free, uptime and df read /proc), because uutils has none (grep, over the `regex`
//! crate; find, over `glob`; which, clear), or because their uutils crate
//! does not build or does not work on WASI: id and whoami need libc's
//! getpwuid; ls, stat, chmod, chown, chgrp, du and df read mode bits,
//! owners, blocks and statvfs only on Unix targets; pwd resolves via
//! realpath.
//!
//! One binary rather than one per tool: the uutils crates share uucore and
//! std, so one module is a fraction of the sum, and the kernel compiles it
//! once for every tool.
//!
//! # File attributes
//!
//! preview1's filestat has no mode bits, owners or block counts, so the
//! tools that show or change them go to the kernel's `stat`, `chmod`,
//! `chown` and `statfs` calls (`wasmux_sys::fs`) through [`attrs`], which
//! reads std's Unix metadata instead on the host, for unit tests (so ls,
//! written here, shows real modes, owners, links and blocks). [`mode`]
//! turns modes into text (`drwxr-xr-x`) and applies chmod's modes; names
//! of owners come from /etc/passwd and /etc/group ([`users::Accounts`]).
//! uutils' tools that create files (cp, mkdir, touch) go through preview1
//! and so cannot preserve or set modes (`cp -p`, `mkdir -m`).
//!
//! # What the kernel cannot tell yet
//!
//! Mounting (no mount call): mount only lists. /proc/meminfo, load
//! averages and users: free says the kernel publishes no figures, uptime
//! leaves them out.
//!
//! # Invariants
//!
//! - `tools.txt` and [`tools::TOOLS`] list the same names (a unit test
//!   checks it); the root filesystem build links /bin/NAME for each.
//! - Every tool exits with its usual status and reports errors in GNU's
//!   form, `TOOL: SUBJECT: Reason` ([`common::report`]).
//! - On the host only the hand-written tools run (for unit tests); uutils'
//!   tools are built for wasm32-wasip1 only.
//!
//! # Example
//!
//! ```
//! use std::ffi::OsString;
//!
//! let argv = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
//! // Chosen by argv[0]'s basename, or by the first argument.
//! assert_eq!(wasmux_coreutils::tool_for(&argv(&["/bin/grep", "x"])).unwrap().0.name, "grep");
//! assert_eq!(wasmux_coreutils::tool_for(&argv(&["coreutils", "ps"])).unwrap().0.name, "ps");
//! assert!(wasmux_coreutils::tool_for(&argv(&["coreutils", "nope"])).is_none());
//! ```

#![cfg_attr(target_os = "wasi", feature(wasi_ext))]

pub mod attrs;
pub mod chmod;
pub mod chown;
pub mod common;
pub mod disk;
pub mod find;
pub mod grep;
pub mod guard;
pub mod kill;
pub mod ls;
pub mod mode;
pub mod procinfo;
pub mod ps;
pub mod size;
pub mod spawn;
pub mod stat;
pub mod stty;
pub mod system;
pub mod time;
pub mod tools;
pub mod users;

use std::ffi::OsString;
use std::path::Path;

use tools::Tool;

/// The tool `argv` asks for and whether its name is the second argument
/// (`coreutils NAME ARGS`) rather than argv\[0\].
pub fn tool_for(argv: &[OsString]) -> Option<(&'static Tool, bool)> {
    let base = |arg: &OsString| {
        let name = Path::new(arg).file_name().unwrap_or(arg.as_os_str());
        let name = name.to_string_lossy().into_owned();
        name.strip_suffix(".wasm")
            .map(str::to_owned)
            .unwrap_or(name)
    };
    if let Some(tool) = argv.first().map(base).and_then(|name| tools::find(&name)) {
        return Some((tool, false));
    }
    let name = argv.get(1)?.to_str()?;
    tools::find(name).map(|tool| (tool, true))
}

fn usage() -> String {
    let names: Vec<&str> = tools::TOOLS.iter().map(|tool| tool.name).collect();
    format!(
        "usage: coreutils TOOL [ARGUMENTS]...  (or run through a link named TOOL)\n\
         coreutils --list: one tool name a line\n\ntools: {}",
        names.join(" ")
    )
}

/// Runs the tool `argv` names; returns the exit status.
pub fn run(mut argv: Vec<OsString>) -> i32 {
    if let Some((tool, second)) = tool_for(&argv) {
        if second {
            argv.remove(0);
            #[cfg(target_os = "wasi")]
            uucore::set_utility_is_second_arg();
        }
        return (tool.main)(argv);
    }
    match argv.get(1).and_then(|arg| arg.to_str()) {
        Some("--list") => {
            for tool in tools::TOOLS {
                println!("{}", tool.name);
            }
            0
        }
        Some("--help") => {
            println!("{}", usage());
            0
        }
        Some(name) => {
            eprintln!("coreutils: {name}: no such tool\n{}", usage());
            127
        }
        None => {
            eprintln!("{}", usage());
            1
        }
    }
}
