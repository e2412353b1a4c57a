//! `/sbin/init [-c COMMAND]`: pid 1 (see the crate doc). Also run by
//! itself as `/sbin/init --session PROGRAM ARGS...` to start the console
//! session (see `session`).

use std::ffi::OsString;
use std::process::exit;

use wasmux_init::session::{self, SESSION_FLAG, SessionKind};

const USAGE: &str = "usage: /sbin/init [-c COMMAND]   (pid 1 only; stop the system with poweroff)";

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    let init_path = match args.first().and_then(|arg| arg.to_str()) {
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => "/sbin/init".to_string(),
    };
    let words: Vec<Option<&str>> = args.iter().skip(1).map(|arg| arg.to_str()).collect();
    let kind = match words.as_slice() {
        [Some(flag), ..] if *flag == SESSION_FLAG => exit(session::lead(&args[2..])),
        [] => SessionKind::Login(None),
        [Some("-c"), Some(command)] => SessionKind::Command((*command).to_string()),
        [Some("-h" | "--help")] => {
            println!("{USAGE}");
            exit(0);
        }
        _ => {
            eprintln!("{USAGE}");
            exit(2);
        }
    };
    if wasmux_sys::getpid() != 1 {
        eprintln!(
            "init: must run as pid 1 (it is pid {})",
            wasmux_sys::getpid()
        );
        exit(1);
    }
    exit(wasmux_init::boot(&init_path, kind));
}
