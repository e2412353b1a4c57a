//! `cargo xtask bench [--json FILE] [--quick] [--only NAME]`: builds the
//! guest programs and the root filesystem (for the booted system's
//! figures), then runs wasmux-bench (tests/bench) in release mode. It
//! prints one line per figure with its reference measured in the same run
//! and the ratio; `--json FILE` writes them as a list of
//! {name, value, unit, reference, ratio}.

use crate::command::Command;
use crate::{guests, project, rootfs};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut forwarded: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--json" | "--only" => {
                let value = rest.next().ok_or(format!("{arg} needs a value"))?;
                let value = if arg == "--json" {
                    // Relative to where the user ran the command, as they expect.
                    std::env::current_dir()
                        .map_err(|error| error.to_string())?
                        .join(value)
                        .to_string_lossy()
                        .into_owned()
                } else {
                    value.clone()
                };
                forwarded.push(arg.clone());
                forwarded.push(value);
            }
            "--quick" => forwarded.push(arg.clone()),
            _ => {
                return Err(
                    "usage: cargo xtask bench [--json FILE] [--quick] [--only NAME]".into(),
                );
            }
        }
    }
    let programs = guests::build()?;
    let rootfs = rootfs::build(&rootfs::default_output())?;
    Command::new(project::host_cargo())
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "wasmux-bench",
            "--",
            "--programs",
        ])
        .arg(programs)
        .arg("--rootfs")
        .arg(rootfs)
        .args(forwarded)
        .current_dir(project::root())
        .run()
}
