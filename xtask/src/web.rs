//! The browser build: the kernel for wasm32-unknown-unknown through
//! wasm-bindgen, and the static site every other web command serves or
//! copies (index.html, boot.js, worker.js, pkg/, vendor/xterm/, rootfs.tar).

use std::fs;
use std::path::{Path, PathBuf};

use crate::command::Command;
use crate::{project, web_rootfs};

/// The page's own files, at the repository root.
pub const PAGE_FILES: &[&str] = &["index.html", "boot.js", "worker.js"];

/// The jit executor's scripts (kernel/arch/web/js), at the site's root.
const JIT_FILES: &[&str] = &["jit.js", "process.js", "channel.js", "isolation-sw.js"];

/// npm files the page loads, as (path under node_modules, path in the site).
const VENDOR_FILES: &[(&str, &str)] = &[
    ("@xterm/xterm/lib/xterm.mjs", "vendor/xterm/xterm.mjs"),
    ("@xterm/xterm/css/xterm.css", "vendor/xterm/xterm.css"),
    (
        "@xterm/addon-fit/lib/addon-fit.mjs",
        "vendor/xterm/addon-fit.mjs",
    ),
];

/// Target dir of the browser kernel: the one `cargo xtask test` checks the
/// kernel crates in (test.rs), so both share one build of std; wasmi's
/// different features here get their own artifacts there.
const WEB_TARGET_DIR: &str = "wasm32-kernel";

/// What a build produced.
#[derive(Debug)]
pub struct Site {
    /// The directory to serve.
    pub dir: PathBuf,
    /// "real" (`cargo xtask rootfs`'s) or "test" (the stand-in).
    pub rootfs_kind: &'static str,
}

/// Where builds go.
pub fn web_dir() -> PathBuf {
    project::target_dir().join("web")
}

/// The wasm-bindgen CLI tools/setup.sh installs (pinned to the crate's version).
pub fn wasm_bindgen_cli() -> PathBuf {
    project::target_dir().join("tools/bin/wasm-bindgen")
}

/// Builds the kernel for the browser into `web_dir()/pkg`.
pub fn build_kernel() -> Result<PathBuf, String> {
    let target = project::target_dir().join(WEB_TARGET_DIR);
    Command::new("/usr/bin/cargo")
        .args([
            "build",
            "--locked",
            "--release",
            "-Zbuild-std=std,panic_abort",
        ])
        .args(["--target", "wasm32-unknown-unknown", "-p", "wasmux-web"])
        .arg("--target-dir")
        .arg(&target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTC", "/usr/bin/rustc")
        .env("RUSTDOC", "/usr/bin/rustdoc")
        .current_dir(project::root())
        .run()?;
    let wasm = target.join("wasm32-unknown-unknown/release/wasmux_web.wasm");
    let pkg = web_dir().join("pkg");
    Command::new(wasm_bindgen_cli())
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&pkg)
        .arg(&wasm)
        .run()?;
    Ok(pkg)
}

/// Builds everything and assembles the site in `web_dir()/site`.
pub fn build() -> Result<Site, String> {
    project::run_setup()?;
    let pkg = build_kernel()?;
    let (rootfs, rootfs_kind) = web_rootfs::locate_or_build()?;
    let dir = web_dir().join("site");
    assemble(&dir, &pkg, &rootfs)?;
    Ok(Site { dir, rootfs_kind })
}

/// Writes the static site into `out` (replacing what was there).
pub fn assemble(out: &Path, pkg: &Path, rootfs: &Path) -> Result<(), String> {
    let error = |path: &Path, error: std::io::Error| format!("{}: {error}", path.display());
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| error(out, e))?;
    }
    let root = project::root();
    let modules = root.join("node_modules");
    let mut copies: Vec<(PathBuf, PathBuf)> = PAGE_FILES
        .iter()
        .map(|name| (root.join(name), out.join(name)))
        .collect();
    for name in JIT_FILES {
        copies.push((root.join("kernel/arch/web/js").join(name), out.join(name)));
    }
    for (from, to) in VENDOR_FILES {
        copies.push((modules.join(from), out.join(to)));
    }
    for name in ["wasmux_web.js", "wasmux_web_bg.wasm"] {
        copies.push((pkg.join(name), out.join("pkg").join(name)));
    }
    copies.push((rootfs.to_path_buf(), out.join("rootfs.tar")));
    for (from, to) in copies {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| error(parent, e))?;
        }
        fs::copy(&from, &to).map_err(|e| error(&from, e))?;
    }
    Ok(())
}
