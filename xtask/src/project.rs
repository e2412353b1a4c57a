//! Where things are in the repository, and the setup step every command needs.

use std::path::{Path, PathBuf};

use crate::command::Command;

/// The repository root (the parent of xtask/).
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The root workspace's target directory (honours CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("target"),
    }
}

/// A script under tools/.
pub fn tool(name: &str) -> PathBuf {
    root().join("tools").join(name)
}

/// The cargo that runs xtask (rustup's, for host builds, fmt and clippy).
pub fn host_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs tools/setup.sh: installs what is missing, quietly.
pub fn run_setup() -> Result<(), String> {
    Command::new(tool("setup.sh")).run()
}

/// The names of the root workspace's member packages (`cargo metadata`).
pub fn workspace_packages() -> Result<Vec<String>, String> {
    let json = Command::new(host_cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root())
        .quiet()
        .output()?;
    let metadata: serde_json::Value = serde_json::from_str(&json)
        .map_err(|error| format!("cargo metadata printed bad JSON: {error}"))?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?;
    Ok(packages
        .iter()
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect())
}
