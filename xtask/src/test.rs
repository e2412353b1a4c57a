//! `cargo xtask test`: the one command that runs every test, as CI does.
//!
//! Order: setup; rustfmt and clippy (when installed); the guest programs and
//! the root filesystem (the userland, `rootfs::build`); the userland's unit
//! tests on the host; the kernel crates for wasm32-unknown-unknown (Debian's
//! cargo + build-std, in its own target dir so it does not thrash the host
//! build); the wasmux CLI; then `cargo test --workspace --locked` with
//! WASMUX_BIN, WASMUX_GUESTS_DIR and WASMUX_ROOTFS set for the end-to-end
//! tests; then the browser tests (the kernel for the web, the site, headless
//! Chromium: `web_test`). Every step runs even if an earlier one failed (but
//! setup), and a summary lists each step's outcome and time.

use std::time::Instant;

use crate::command::Command;
use crate::{guests, project, rootfs, userland, wasmux_cli, web_test};

/// The kernel crates that must build for wasm32-unknown-unknown (the browser).
/// Crates not (yet) in the workspace are skipped with a notice; extend freely.
pub const KERNEL_WASM_CRATES: &[&str] = &[
    "wasmux-uapi",
    "wasmux-mm",
    "wasmux-fs",
    "wasmux-proc",
    "wasmux-wasi",
    "wasmux-kernel",
];

/// The target dir of the wasm32-unknown-unknown build, under the main one.
const KERNEL_WASM_TARGET_DIR: &str = "wasm32-kernel";

#[derive(Debug)]
struct Outcome {
    step: &'static str,
    result: Result<(), String>,
    seconds: f64,
}

fn step(
    outcomes: &mut Vec<Outcome>,
    step: &'static str,
    action: impl FnOnce() -> Result<(), String>,
) -> bool {
    eprintln!("==> {step}");
    let start = Instant::now();
    let result = action();
    if let Err(message) = &result {
        eprintln!("xtask: {step} failed: {message}");
    }
    let ok = result.is_ok();
    outcomes.push(Outcome {
        step,
        result,
        seconds: start.elapsed().as_secs_f64(),
    });
    ok
}

pub fn run() -> Result<(), String> {
    let mut outcomes = Vec::new();
    if !step(&mut outcomes, "setup", project::run_setup) {
        return Err("setup failed".into());
    }
    let cargo = project::host_cargo();
    step(&mut outcomes, "rustfmt", || rustfmt(&cargo));
    step(&mut outcomes, "clippy", || clippy(&cargo));
    step(&mut outcomes, "guest programs", || {
        guests::build_programs()?;
        rootfs::build(&rootfs::default_output()).map(|_| ())
    });
    step(&mut outcomes, "userland unit tests", || {
        userland::test(&cargo)
    });
    step(
        &mut outcomes,
        "kernel for wasm32-unknown-unknown",
        build_kernel_for_wasm,
    );
    let mut wasmux = None;
    step(&mut outcomes, "wasmux CLI", || {
        wasmux = wasmux_cli::locate_or_build()?;
        if wasmux.is_none() {
            eprintln!(
                "notice: no {} package yet: the end-to-end tests check the references only",
                wasmux_cli::PACKAGE
            );
        }
        Ok(())
    });
    step(&mut outcomes, "cargo test", || {
        let mut test = Command::new(&cargo)
            .args(["test", "--workspace", "--locked"])
            .env("WASMUX_GUESTS_DIR", guests::output_dir())
            .env("WASMUX_ROOTFS", rootfs::default_output())
            .current_dir(project::root());
        if let Some(path) = &wasmux {
            test = test.env("WASMUX_BIN", path);
        }
        test.run()
    });
    step(
        &mut outcomes,
        "browser tests (headless Chromium)",
        web_test::run,
    );

    eprintln!("\nsummary:");
    for outcome in &outcomes {
        let verdict = if outcome.result.is_ok() {
            "ok"
        } else {
            "FAILED"
        };
        eprintln!(
            "  {:<36} {verdict:<6} {:>7.1} s",
            outcome.step, outcome.seconds
        );
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|outcome| outcome.result.is_err())
        .map(|outcome| outcome.step)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}

fn rustfmt(cargo: &str) -> Result<(), String> {
    if !Command::new(cargo)
        .args(["fmt", "--version"])
        .succeeds_silently()
    {
        eprintln!("notice: rustfmt is not installed: formatting not checked");
        return Ok(());
    }
    Command::new(cargo)
        .args(["fmt", "--all", "--check"])
        .current_dir(project::root())
        .run()?;
    let programs = project::root().join("tests/programs/Cargo.toml");
    Command::new(cargo)
        .args(["fmt", "--all", "--check", "--manifest-path"])
        .arg(programs)
        .run()
}

fn clippy(cargo: &str) -> Result<(), String> {
    if !Command::new(cargo)
        .args(["clippy", "--version"])
        .succeeds_silently()
    {
        eprintln!("notice: clippy is not installed: lints not checked");
        return Ok(());
    }
    Command::new(cargo)
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(project::root())
        .run()
}

fn build_kernel_for_wasm() -> Result<(), String> {
    let members = project::workspace_packages()?;
    let (present, absent): (Vec<&str>, Vec<&str>) = KERNEL_WASM_CRATES
        .iter()
        .partition(|name| members.iter().any(|member| member == *name));
    if !absent.is_empty() {
        eprintln!(
            "notice: not in the workspace yet, not built for wasm: {}",
            absent.join(", ")
        );
    }
    if present.is_empty() {
        return Ok(());
    }
    let mut build = Command::new("/usr/bin/cargo")
        .args([
            "build",
            "--locked",
            "--release",
            "-Zbuild-std=std,panic_abort",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .arg("--target-dir")
        .arg(project::target_dir().join(KERNEL_WASM_TARGET_DIR))
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTC", "/usr/bin/rustc")
        .env("RUSTDOC", "/usr/bin/rustdoc")
        .current_dir(project::root());
    for name in present {
        build = build.args(["-p", name]);
    }
    build.run()
}
