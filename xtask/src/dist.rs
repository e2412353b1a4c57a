//! `cargo xtask dist [--out DIR]`: the browser site as a static directory
//! (default target/wasmux/web), deployable to any static host. Without
//! COOP/COEP headers the page still works (the interpreter needs no
//! SharedArrayBuffer); a host that can add them should.

use std::path::PathBuf;

use crate::{project, web};

const USAGE: &str = "usage: cargo xtask dist [--out DIR]";

pub fn run(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => project::target_dir().join("wasmux/web"),
        [flag, dir] if flag == "--out" => std::env::current_dir()
            .map_err(|error| error.to_string())?
            .join(PathBuf::from(dir)),
        _ => return Err(USAGE.into()),
    };
    let site = web::build()?;
    let pkg = web::web_dir().join("pkg");
    web::assemble(&out, &pkg, &site.dir.join("rootfs.tar"))?;
    eprintln!(
        "dist: the site ({} rootfs) is in {}; serve it over https (or localhost) from any static host",
        site.rootfs_kind,
        out.display()
    );
    Ok(())
}
