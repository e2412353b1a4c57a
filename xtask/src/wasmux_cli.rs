//! Finding the `wasmux` command-line program (package wasmux-native, binary
//! wasmux) for the commands that run guests through it.

use std::path::PathBuf;

use crate::command::Command;
use crate::project;

pub const PACKAGE: &str = "wasmux-native";
pub const BINARY: &str = "wasmux";

/// The wasmux binary: $WASMUX_BIN if set, else built from the workspace with
/// the host cargo. None when the workspace has no wasmux-native package yet.
pub fn locate_or_build() -> Result<Option<PathBuf>, String> {
    if let Some(path) = std::env::var_os("WASMUX_BIN") {
        return Ok(Some(PathBuf::from(path)));
    }
    if !project::workspace_packages()?
        .iter()
        .any(|name| name == PACKAGE)
    {
        return Ok(None);
    }
    Command::new(project::host_cargo())
        .args(["build", "--locked", "-p", PACKAGE, "--bin", BINARY])
        .run()?;
    Ok(Some(project::target_dir().join("debug").join(BINARY)))
}
