//! `cargo xtask bench --browser [--json FILE]`: builds the site with the
//! benchmark's guests, serves it and runs tests/browser/bench.mjs in
//! headless Chromium. Same output forms as `cargo xtask bench`.

use crate::command::Command;
use crate::serve::Server;
use crate::{guests, project, web, web_guests};

const USAGE: &str = "usage: cargo xtask bench --browser [--json FILE]";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut json = None;
    let mut rest = args.iter().filter(|arg| *arg != "--browser");
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--json" => {
                let file = rest.next().ok_or(USAGE)?;
                let cwd = std::env::current_dir().map_err(|error| error.to_string())?;
                json = Some(cwd.join(file));
            }
            _ => return Err(USAGE.into()),
        }
    }
    let site = web::build()?;
    web_guests::write(&site.dir.join("bench"), &guests::output_dir())?;
    let server = Server::start(&site.dir, 0, true, false)?;
    let mut bench = Command::new("node")
        .arg(project::root().join("tests/browser/bench.mjs"))
        .env("WASMUX_URL", format!("http://127.0.0.1:{}/", server.port))
        .env("WASMUX_ROOTFS_KIND", site.rootfs_kind)
        .current_dir(project::root());
    if let Some(json) = json {
        bench = bench.arg("--json").arg(json);
    }
    bench.run()
}
