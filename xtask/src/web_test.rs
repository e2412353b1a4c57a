//! The browser tests: builds the site, serves it twice on free ports (with
//! COOP/COEP and without) and runs tests/browser/*.test.mjs under
//! `node --test` in headless Chromium: wasmux.test.mjs (on each executor), then guests.test.mjs
//! (the guest programs on both executors against `wasmux run`). Screenshots
//! go to target/web/artifacts. A step of `cargo xtask test`, and on its own
//! `cargo xtask test-browser`.

use crate::command::Command;
use crate::serve::Server;
use crate::{guests, project, wasmux_cli, web};

pub fn run() -> Result<(), String> {
    let site = web::build()?;
    let isolated = Server::start(&site.dir, 0, true, false)?;
    let plain = Server::start(&site.dir, 0, false, false)?;
    let artifacts = web::web_dir().join("artifacts");
    let programs = guests::build_programs()?;
    // The scenarios once on each executor (the isolated page; the page
    // without isolation runs the interpreter either way).
    for executor in ["jit", "interp"] {
        eprintln!("browser scenarios on the {executor} executor");
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            .arg(project::root().join("tests/browser/wasmux.test.mjs"))
            .env("WASMUX_URL", format!("http://127.0.0.1:{}/", isolated.port))
            .env(
                "WASMUX_URL_PLAIN",
                format!("http://127.0.0.1:{}/", plain.port),
            )
            .env("WASMUX_ROOTFS_KIND", site.rootfs_kind)
            .env("WASMUX_EXECUTOR", executor)
            .env("WASMUX_GUESTS", &programs)
            .env("WASMUX_ARTIFACTS", artifacts.join(executor))
            .current_dir(project::root())
            .run()?;
    }
    let wasmux = wasmux_cli::locate_or_build()?
        .ok_or("the guest programs' browser test needs the wasmux CLI")?;
    Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
        .arg(project::root().join("tests/browser/guests.test.mjs"))
        .env("WASMUX_URL", format!("http://127.0.0.1:{}/", isolated.port))
        .env("WASMUX_GUESTS", &programs)
        .env("WASMUX_BIN", &wasmux)
        .current_dir(project::root())
        .run()?;
    eprintln!("browser tests: screenshot in {}", artifacts.display());
    Ok(())
}
