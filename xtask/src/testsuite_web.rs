//! `cargo xtask wasi-testsuite DIR --browser [--executor jit|interp]`: the
//! same tests and specs in headless Chromium, on each executor (both by
//! default): the site is built and served with COOP/COEP, the specs are
//! written as one JSON list, and tests/browser/wasi-testsuite.mjs runs them
//! through the page's embedding API (a sandbox as `wasmux run --dir COPY::/`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::command::Command;
use crate::serve::Server;
use crate::{project, testsuite_spec, web};

/// Runs `tests` (with their display names) in the browser on `executors`.
pub fn run(tests: &[(String, PathBuf)], executors: &[String]) -> Result<(), String> {
    let mut list = Vec::new();
    for (name, test) in tests {
        list.push(describe(name, test)?);
    }
    let site = web::build()?;
    let server = Server::start(&site.dir, 0, true, false)?;
    let manifest =
        std::env::temp_dir().join(format!("wasmux-wasi-testsuite-{}.json", std::process::id()));
    std::fs::write(&manifest, Value::Array(list).to_string())
        .map_err(|error| format!("{}: {error}", manifest.display()))?;
    let result = Command::new("node")
        .arg(project::root().join("tests/browser/wasi-testsuite.mjs"))
        .env("WASMUX_URL", format!("http://127.0.0.1:{}/", server.port))
        .env("WASMUX_TESTSUITE", &manifest)
        .env("WASMUX_EXECUTORS", executors.join(","))
        .current_dir(project::root())
        .run();
    let _ = std::fs::remove_file(&manifest);
    result.map_err(|_| "wasi-testsuite tests failed in the browser".to_string())
}

/// One test as the browser runner reads it.
fn describe(name: &str, test: &Path) -> Result<Value, String> {
    let dir = test.parent().ok_or("a test without a directory")?;
    let text = std::fs::read_to_string(test.with_extension("json")).ok();
    let spec =
        testsuite_spec::parse(text.as_deref()).map_err(|error| format!("{name}: {error}"))?;
    Ok(json!({
        "name": name,
        "wasm": test,
        "root": spec.root.map(|root| dir.join(root)),
        "args": spec.args,
        "env": spec.env,
        "exit_code": spec.exit_code,
        "stdout": spec.stdout,
        "stderr": spec.stderr,
        "unsupported": spec.unsupported,
    }))
}
