//! Booting the real system: `wasmux boot` on a disk image of its own with
//! the root filesystem `cargo xtask rootfs` builds, either for one command
//! (`-c`, output captured) or interactively on a pseudo-terminal.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::locate;
use crate::process::{self, Finished};
use crate::terminal::Terminal;

/// The root filesystem archive: $WASMUX_ROOTFS, else target/wasmux/rootfs.tar,
/// built (or brought up to date) with `cargo xtask rootfs` once per test
/// process.
pub fn rootfs() -> PathBuf {
    static ROOTFS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = ROOTFS.get_or_init(|| {
        if let Some(path) = std::env::var_os("WASMUX_ROOTFS") {
            return Ok(locate::repo_root().join(path));
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let status = Command::new(cargo)
            .args(["run", "--quiet", "--package", "xtask", "--", "rootfs"])
            .current_dir(locate::repo_root())
            .status()
            .map_err(|error| format!("cannot run cargo xtask rootfs: {error}"))?;
        if !status.success() {
            return Err(format!("cargo xtask rootfs failed: {status}"));
        }
        Ok(locate::target_dir().join("wasmux/rootfs.tar"))
    });
    match found {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// A machine: a disk image of its own, installed from [`rootfs`] at its
/// first boot and kept between boots.
#[derive(Debug)]
pub struct Machine {
    pub disk: PathBuf,
}

impl Machine {
    /// A machine with a fresh (empty) disk.
    pub fn new(label: &str) -> Machine {
        Machine {
            disk: locate::scratch_dir(label).join("disk.img"),
        }
    }

    /// The `wasmux boot` command line, with `-c COMMAND` when given.
    pub fn argv(&self, command: Option<&str>) -> Vec<String> {
        let Some(wasmux) = locate::wasmux() else {
            panic!("booting needs the wasmux binary (package wasmux-native)");
        };
        let mut argv = vec![
            wasmux.to_string_lossy().into_owned(),
            "boot".to_string(),
            "--disk".to_string(),
            self.disk.to_string_lossy().into_owned(),
            "--rootfs".to_string(),
            rootfs().to_string_lossy().into_owned(),
        ];
        if let Some(command) = command {
            argv.push("-c".to_string());
            argv.push(command.to_string());
        }
        argv
    }

    /// Boots, runs `sh -c COMMAND` as the session, and returns what the
    /// console showed (with `\r\n` turned into `\n`) once the system is down.
    pub fn run(&self, command: &str) -> Finished {
        self.run_for(command, Duration::from_secs(120))
    }

    /// [`Machine::run`] with a time limit.
    pub fn run_for(&self, command: &str, limit: Duration) -> Finished {
        let mut finished = process::run(&self.argv(Some(command)), b"", limit)
            .unwrap_or_else(|error| panic!("wasmux boot runs: {error}"));
        finished.stdout = finished.stdout.replace("\r\n", "\n");
        assert!(
            !finished.timed_out,
            "`{command}` was still running after {limit:?}; it showed:\n{}\nstderr:\n{}",
            finished.stdout, finished.stderr
        );
        finished
    }

    /// Boots interactively on a 24x80 pseudo-terminal.
    pub fn terminal(&self) -> Terminal {
        Terminal::spawn(&self.argv(None), 24, 80)
            .unwrap_or_else(|error| panic!("cannot start python3 on a terminal: {error}"))
    }
}
