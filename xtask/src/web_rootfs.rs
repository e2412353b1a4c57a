//! The root filesystem the browser boots on first start: the real one
//! (`cargo xtask rootfs` writes target/wasmux/rootfs.tar) once it has an
//! init and a shell, else a small stand-in for the browser tests:
//! /sbin/init is `tsh` (tests/browser/guest, a line runner, not the real
//! shell) and /bin holds the guest programs (coreutils multicall,
//! abi_helper, hello). The stand-in says what it is in its banner and in
//! /etc/wasmux-test-rootfs. "Has a shell" is checked by booting it
//! natively (`wasmux boot -c`) and running two commands. `WASMUX_WEB_ROOTFS=test`
//! (or `real`, or a path to a tar) overrides the choice.

use std::path::{Path, PathBuf};

use std::time::Duration;

use crate::command::Command;
use crate::{guests, project, rootfs, wasmux_cli};

/// The guest programs the stand-in's /bin holds (name in /bin, file built).
const TEST_PROGRAMS: &[&str] = &["coreutils", "abi_helper", "hello", "stdin_echo"];

/// The rootfs to serve and its kind ("real" or "test").
pub fn locate_or_build() -> Result<(PathBuf, &'static str), String> {
    let choice = std::env::var("WASMUX_WEB_ROOTFS").unwrap_or_default();
    match choice.as_str() {
        "test" => return Ok((build_test_rootfs()?, "test")),
        "" | "real" => {}
        path => return Ok((PathBuf::from(path), "real")),
    }
    let real = rootfs::default_output();
    match rootfs::build(&real) {
        Ok(_) if is_bootable(&real) && answers_commands(&real) => return Ok((real, "real")),
        Ok(_) => eprintln!("notice: {} has no shell yet", real.display()),
        Err(message) => eprintln!("notice: cargo xtask rootfs failed: {message}"),
    }
    if choice == "real" {
        return Err(format!("{} has no sbin/init and bin/sh", real.display()));
    }
    eprintln!("notice: serving the browser tests' stand-in rootfs (tsh as init)");
    Ok((build_test_rootfs()?, "test"))
}

/// Whether the rootfs boots natively (`wasmux boot`) to a shell that
/// runs two commands typed a second apart, as the browser tests type them.
fn answers_commands(rootfs: &Path) -> bool {
    use std::io::{Read, Write};
    use std::process::Stdio;

    let Ok(Some(wasmux)) = wasmux_cli::locate_or_build() else {
        return false;
    };
    let scratch = crate::web::web_dir().join("rootfs-check");
    let _ = std::fs::remove_dir_all(&scratch);
    if std::fs::create_dir_all(&scratch).is_err() {
        return false;
    }
    let child = std::process::Command::new(&wasmux)
        .arg("boot")
        .arg("--disk")
        .arg(scratch.join("disk.img"))
        .arg("--rootfs")
        .arg(rootfs)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return false;
    };
    if let Some(mut input) = child.stdin.take() {
        std::thread::spawn(move || {
            for line in ["echo wasmux-one\n", "echo wasmux-two\n", "exit\n"] {
                std::thread::sleep(Duration::from_millis(1000));
                if input.write_all(line.as_bytes()).is_err() {
                    break;
                }
            }
        });
    }
    let reader = child.stdout.take().map(|mut stdout| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        })
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while matches!(child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let output = reader
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&scratch);
    let works = output.contains("wasmux-one") && output.contains("wasmux-two");
    if !works {
        eprintln!(
            "notice: {} does not run typed commands yet",
            rootfs.display()
        );
    }
    works
}

/// Whether the archive at `path` holds an init and a shell.
fn is_bootable(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut archive = tar::Archive::new(file);
    let Ok(entries) = archive.entries() else {
        return false;
    };
    let mut found = [false; 2];
    for entry in entries.flatten() {
        let Ok(name) = entry.path() else { continue };
        let name = name.to_string_lossy().trim_start_matches("./").to_string();
        if let Some(slot) = ["sbin/init", "bin/sh"]
            .iter()
            .position(|want| *want == name)
        {
            found[slot] = true;
        }
    }
    found == [true, true]
}

/// Builds tsh and the guest programs and writes the stand-in rootfs.tar.
pub fn build_test_rootfs() -> Result<PathBuf, String> {
    let programs = guests::build_programs()?;
    // The same target dir and profile as the guest programs: std is shared.
    let cargo_target = project::target_dir().join("wasip1-programs");
    Command::new(project::tool("cargo-wasip1"))
        .arg("--locked")
        .arg("--target-dir")
        .arg(&cargo_target)
        .current_dir(project::root().join("tests/browser/guest"))
        .run()?;
    let tsh = cargo_target.join("wasm32-wasip1/release/tsh.wasm");
    let out = crate::web::web_dir().join("test-rootfs.tar");
    write_tar(&out, &tsh, &programs)?;
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn write_tar(out: &Path, tsh: &Path, programs: &Path) -> Result<(), String> {
    let io = |error: std::io::Error| format!("{}: {error}", out.display());
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |path: &str, body: &[u8], mode: u32, kind: tar::EntryType| {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(1_700_000_000);
        header.set_size(body.len() as u64);
        builder.append_data(&mut header, path, body)
    };
    for dir in ["bin", "sbin", "etc", "root", "tmp", "home", "dev", "proc"] {
        add(dir, b"", 0o755, tar::EntryType::Directory).map_err(io)?;
    }
    let tsh = read(tsh)?;
    add("sbin/init", &tsh, 0o755, tar::EntryType::Regular).map_err(io)?;
    add("bin/tsh", &tsh, 0o755, tar::EntryType::Regular).map_err(io)?;
    for name in TEST_PROGRAMS {
        let body = read(&programs.join(format!("{name}.wasm")))?;
        add(
            &format!("bin/{name}"),
            &body,
            0o755,
            tar::EntryType::Regular,
        )
        .map_err(io)?;
    }
    let marker = b"This is the browser tests' stand-in root filesystem (tests/browser/guest).\n\
        The real one comes from `cargo xtask rootfs`.\n";
    add(
        "etc/wasmux-test-rootfs",
        marker,
        0o644,
        tar::EntryType::Regular,
    )
    .map_err(io)?;
    let bytes = builder.into_inner().map_err(io)?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(out, bytes).map_err(io)
}
