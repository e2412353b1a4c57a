//! Finding what the tests run: the repository, the guest programs, the
//! reference runners and the `wasmux` binary. Each is looked up (and built if
//! needed) once per test process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The root workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo_root().join("target"), PathBuf::from)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs `cargo xtask guests` (the guest programs and the userland), once
/// per test process; panics if it fails.
fn build_guests() {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let status = Command::new(cargo())
            .args(["run", "--quiet", "--package", "xtask", "--", "guests"])
            .current_dir(repo_root())
            .status()
            .map_err(|error| format!("cannot run cargo xtask guests: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("cargo xtask guests failed: {status}"))
        }
    });
    if let Err(message) = built {
        panic!("building the guest programs failed: {message}");
    }
}

/// The directory of built guest programs: $WASMUX_GUESTS_DIR, else
/// target/wasm32-wasip1-programs, built with `cargo xtask guests` the first
/// time a program is missing.
pub fn guest(name: &str) -> PathBuf {
    let dir = std::env::var_os("WASMUX_GUESTS_DIR").map_or_else(
        || target_dir().join("wasm32-wasip1-programs"),
        PathBuf::from,
    );
    let program = dir.join(format!("{name}.wasm"));
    if !program.exists() {
        build_guests();
    }
    assert!(
        program.exists(),
        "guest program {} does not exist after `cargo xtask guests`",
        program.display()
    );
    program
}

/// A program of the userland workspace (userland/: `sh`, `coreutils`,
/// `init`) as built for wasm32-wasip1 in
/// target/wasm32-wasip1-userland/wasm32-wasip1/release, built with
/// `cargo xtask guests` the first time it is missing.
pub fn userland(name: &str) -> PathBuf {
    let program = target_dir()
        .join("wasm32-wasip1-userland/wasm32-wasip1/release")
        .join(format!("{name}.wasm"));
    if !program.exists() {
        build_guests();
    }
    assert!(
        program.exists(),
        "userland program {} does not exist after `cargo xtask guests`",
        program.display()
    );
    program
}

/// A reference runner script under tools/.
pub fn tool(name: &str) -> PathBuf {
    repo_root().join("tools").join(name)
}

/// The `wasmux` binary: $WASMUX_BIN (a path or a wrapper script, e.g.
/// tools/wasmux-via-reference to check this harness), else target/debug/wasmux
/// freshly built from the workspace's wasmux-native package. None while the
/// workspace has no such package: then the end-to-end tests check only the
/// references.
pub fn wasmux() -> Option<PathBuf> {
    static WASMUX: OnceLock<Result<Option<PathBuf>, String>> = OnceLock::new();
    let found = WASMUX.get_or_init(|| {
        if let Some(path) = std::env::var_os("WASMUX_BIN") {
            // Relative to the repository (tests run with tests/ as their cwd).
            return Ok(Some(repo_root().join(path)));
        }
        let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap_or_default();
        if !manifest.contains("\"kernel/arch/native\"") {
            return Ok(None);
        }
        // Always build: `cargo test` does not rebuild a binary of another package.
        let status = Command::new(cargo())
            .args([
                "build",
                "--quiet",
                "--package",
                "wasmux-native",
                "--bin",
                "wasmux",
            ])
            .current_dir(repo_root())
            .status()
            .map_err(|error| format!("cannot run cargo build: {error}"))?;
        if !status.success() {
            return Err(format!(
                "cargo build --package wasmux-native failed: {status}"
            ));
        }
        Ok(Some(target_dir().join("debug").join("wasmux")))
    });
    match found {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// A fresh empty directory under target/wasmux-tests for one run.
pub fn scratch_dir(label: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = target_dir()
        .join("wasmux-tests")
        .join(format!("{label}-{}-{count}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(error) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {error}", dir.display());
    }
    dir
}
