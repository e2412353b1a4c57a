//! Building the userland workspace (userland/: /sbin/init, /bin/sh,
//! coreutils, wasmux-sys) for wasm32-wasip1, in release mode.
//!
//! One function for everyone who needs the programs (`cargo xtask rootfs`,
//! the `guests` step of `cargo xtask test`, the shell's and coreutils' own
//! checks): [`build`] runs tools/cargo-wasip1 in userland/ with its own
//! target dir, target/wasm32-wasip1-userland, so it never thrashes the guest
//! programs' build, and returns the directory that holds the artifacts
//! (`<dir>/<binary>.wasm`). A second run is a no-op cargo build.
//! [`test`] runs the workspace's unit tests on the host.

use std::path::PathBuf;

use crate::command::Command;
use crate::project;

/// The userland's cargo target dir, under the root workspace's target dir.
pub const TARGET_DIR: &str = "wasm32-wasip1-userland";

/// The directory the userland's binaries are built into
/// (target/wasm32-wasip1-userland/wasm32-wasip1/release); they are there
/// only after [`build`].
pub fn artifacts_dir() -> PathBuf {
    project::target_dir()
        .join(TARGET_DIR)
        .join("wasm32-wasip1/release")
}

/// Builds every binary of the userland workspace (`--locked`: the
/// workspace's Cargo.lock must be up to date) and returns
/// [`artifacts_dir`]. Needs the toolchain of tools/setup.sh.
pub fn build() -> Result<PathBuf, String> {
    Command::new(project::tool("cargo-wasip1"))
        .arg("--locked")
        .arg("--target-dir")
        .arg(project::target_dir().join(TARGET_DIR))
        .current_dir(project::root().join("userland"))
        .run()?;
    Ok(artifacts_dir())
}

/// Runs the userland workspace's unit tests (and doctests) on the host
/// with `cargo` (the host cargo): the pure parts of every crate (parsers,
/// layouts) are meant to be tested there. Its own target dir, under
/// [`TARGET_DIR`], so it shares nothing with the wasm build.
pub fn test(cargo: &str) -> Result<(), String> {
    let manifest = project::root().join("userland/Cargo.toml");
    Command::new(cargo)
        .args(["test", "--workspace", "--locked", "--manifest-path"])
        .arg(manifest)
        .arg("--target-dir")
        .arg(project::target_dir().join(TARGET_DIR).join("host"))
        .run()
}
