//! `cargo xtask`: the project's build orchestration, in Rust so that it runs the
//! same everywhere cargo does (the usual xtask pattern).
//!
//! Each subcommand is a module; shared plumbing (paths, running commands) is in
//! `project` and `command`. Nothing here is needed to build the kernel crates
//! themselves: plain `cargo build` does that.

mod bench;
mod command;
mod dist;
mod guests;
mod project;
mod rootfs;
mod serve;
mod test;
mod testsuite;
mod testsuite_spec;
mod userland;
mod wasmux_cli;
mod web;
mod web_bench;
mod web_guests;
mod web_rootfs;
mod web_test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                       install what the project needs (tools/setup.sh)
  guests                      build the guest test programs into target/wasm32-wasip1-programs/
  test                        run every test, as CI does
  test-browser                only the browser tests (headless Chromium)
  wasi-testsuite DIR [--runtime CMD] [--filter TEXT]
                              run the official WASI preview1 testsuite from a local checkout
                              under `wasmux run` (or CMD, e.g. tools/run-wasmtime)
  rootfs [--out FILE]         build the userland and write the root filesystem (target/wasmux/rootfs.tar)
  bench [--json FILE] [--quick] [--only NAME]
                              every benchmark figure against a reference from the same run
  bench --browser [--json FILE]
                              the browser figures, in headless Chromium
  serve [--port N] [--no-isolation]
                              build the browser site and serve it on 127.0.0.1 (default 8080)
  dist [--out DIR]            the browser site as a static directory (default target/wasmux/web)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => project::run_setup(),
        Some("guests") => guests::build().map(|_| ()),
        Some("test") => test::run(),
        Some("test-browser") => project::run_setup().and_then(|()| web_test::run()),
        Some("wasi-testsuite") => testsuite::run(&args[1..]),
        Some("rootfs") => rootfs::run(&args[1..]),
        Some("bench") if args.iter().any(|arg| arg == "--browser") => web_bench::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("serve") => serve::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
