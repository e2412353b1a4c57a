//! `cargo xtask guests`: builds the guest test programs (tests/programs/) for
//! wasm32-wasip1 and gathers them as target/wasm32-wasip1-programs/NAME.wasm,
//! then the userland (`userland::build`: /bin/sh, coreutils, init), whose
//! programs the end-to-end tests run too (tests/tests/shell.rs).
//!
//! Rust programs go through tools/cargo-wasip1 (Debian's cargo + build-std) with
//! their own target dir, so a second run is a no-op cargo build; C programs
//! (tests/programs/c/*.c) are compiled with tools/wasi-cc only when their source
//! is newer than their output. A program's .wasm is copied only when it changed,
//! so timestamps stay meaningful for whoever consumes the directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::command::Command;
use crate::{project, userland};

/// Where the built programs are gathered, under the target dir.
pub const OUTPUT_DIR: &str = "wasm32-wasip1-programs";

pub fn output_dir() -> PathBuf {
    project::target_dir().join(OUTPUT_DIR)
}

/// `cargo xtask guests`: setup, then build the programs and the userland.
pub fn build() -> Result<PathBuf, String> {
    project::run_setup()?;
    let output = build_programs()?;
    userland::build()?;
    Ok(output)
}

/// Builds every guest program; returns the output directory.
pub fn build_programs() -> Result<PathBuf, String> {
    let programs = project::root().join("tests/programs");
    let cargo_target = project::target_dir().join("wasip1-programs");
    let output = output_dir();
    fs::create_dir_all(&output)
        .map_err(|error| format!("cannot create {}: {error}", output.display()))?;

    Command::new(project::tool("cargo-wasip1"))
        .arg("--locked")
        .arg("--target-dir")
        .arg(&cargo_target)
        .current_dir(&programs)
        .run()?;
    let built = cargo_target.join("wasm32-wasip1/release");
    let mut count = 0;
    for entry in read_dir(&built)? {
        if entry
            .extension()
            .is_some_and(|extension| extension == "wasm")
        {
            let Some(name) = entry.file_name() else {
                continue;
            };
            copy_if_changed(&entry, &output.join(name))?;
            count += 1;
        }
    }

    let compiler = project::tool("wasi-cc");
    for source in read_dir(&programs.join("c"))? {
        if source.extension().is_none_or(|extension| extension != "c") {
            continue;
        }
        let Some(stem) = source.file_stem() else {
            continue;
        };
        let wasm = output.join(stem).with_extension("wasm");
        if is_newer(&wasm, &[&source, &compiler]) {
            count += 1;
            continue;
        }
        Command::new(&compiler)
            .args(["-O2", "-Wall", "-Wextra", "-Werror"])
            .arg(&source)
            .arg("-o")
            .arg(&wasm)
            .run()?;
        count += 1;
    }
    eprintln!("guests: {count} programs in {}", output.display());
    Ok(output)
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    Ok(paths)
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
}

/// True when `output` exists and is at least as new as every input.
fn is_newer(output: &Path, inputs: &[&Path]) -> bool {
    let Some(output_time) = modified(output) else {
        return false;
    };
    inputs
        .iter()
        .all(|input| modified(input).is_some_and(|input_time| input_time <= output_time))
}

fn copy_if_changed(from: &Path, to: &Path) -> Result<(), String> {
    let same = match (fs::read(from), fs::read(to)) {
        (Ok(new), Ok(old)) => new == old,
        _ => false,
    };
    if !same {
        let partial = to.with_extension("wasm.partial");
        fs::copy(from, &partial)
            .map_err(|error| format!("cannot copy {}: {error}", from.display()))?;
        fs::rename(&partial, to)
            .map_err(|error| format!("cannot rename to {}: {error}", to.display()))?;
    }
    Ok(())
}
