//! `cargo xtask rootfs [--out FILE]`: builds the userland and writes the
//! root filesystem, target/wasmux/rootfs.tar, that `wasmux boot` installs
//! on a fresh disk.
//!
//! The tree is Linux's: the directories of [`DIRECTORIES`] (with /dev,
//! /proc and /tmp as mount points), the files of userland/rootfs/ (etc/...)
//! as they are, and the programs of [`PROGRAMS`] with their links. A
//! program not built yet (the shell, coreutils) is left out with a notice,
//! so the archive is always usable for what exists.
//!
//! The archive is reproducible: entries in path order, fixed owners, modes
//! and mtimes, nothing from the build machine (no user names, no times).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{project, userland};

/// Every entry's mtime (2024-01-01): the archive must not change with the clock.
const MTIME: u64 = 1_704_067_200;

/// The unprivileged account of etc/passwd, owner of /home/user.
const USER_ID: u64 = 1000;

/// Directories: path, mode, owner (uid = gid).
pub const DIRECTORIES: &[(&str, u32, u64)] = &[
    ("bin", 0o755, 0),
    ("dev", 0o755, 0),
    ("etc", 0o755, 0),
    ("home", 0o755, 0),
    ("home/user", 0o755, USER_ID),
    ("lib", 0o755, 0),
    ("proc", 0o555, 0),
    ("root", 0o700, 0),
    ("sbin", 0o755, 0),
    ("tmp", 0o1777, 0),
    ("usr", 0o755, 0),
    ("usr/bin", 0o755, 0),
    ("usr/lib", 0o755, 0),
    ("usr/sbin", 0o755, 0),
    ("var", 0o755, 0),
    ("var/lib", 0o755, 0),
    ("var/lib/wpm", 0o755, 0),
    ("var/log", 0o755, 0),
    ("var/tmp", 0o1777, 0),
];

/// Programs: the userland binary (NAME.wasm) and where it goes.
pub const PROGRAMS: &[(&str, &str)] = &[
    ("init", "sbin/init"),
    ("poweroff", "sbin/poweroff"),
    ("sh", "bin/sh"),
    ("coreutils", "bin/coreutils"),
];

/// Symlinks besides the coreutils ones: path, target.
const LINKS: &[(&str, &str)] = &[("sbin/halt", "poweroff"), ("sbin/shutdown", "poweroff")];

/// The list of coreutils' tools (one name a line, `#` comments), which
/// the coreutils crate keeps next to its code.
const COREUTILS_LIST: &str = "userland/coreutils/tools.txt";

/// The tools of tests/programs/coreutils (uutils' multicall), used until
/// userland/coreutils exports its list.
const FALLBACK_TOOLS: &[&str] = &["cat", "cp", "sort", "wc"];

/// One entry of the archive.
#[derive(Debug)]
enum Node {
    Directory {
        mode: u32,
        owner: u64,
    },
    File {
        mode: u32,
        owner: u64,
        data: Vec<u8>,
    },
    Symlink {
        target: String,
    },
}

/// Where `cargo xtask rootfs` writes by default.
pub fn default_output() -> PathBuf {
    project::target_dir().join("wasmux/rootfs.tar")
}

/// `cargo xtask rootfs [--out FILE]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => default_output(),
        [flag, file] if flag == "--out" => PathBuf::from(file),
        _ => return Err("usage: cargo xtask rootfs [--out FILE]".into()),
    };
    project::run_setup()?;
    build(&out).map(|_| ())
}

/// Builds the userland and writes the archive at `out`; returns its path.
pub fn build(out: &Path) -> Result<PathBuf, String> {
    let programs = userland::build()?;
    let tree = tree(&project::root().join("userland/rootfs"), &programs)?;
    let archive = pack(&tree).map_err(|error| format!("packing the archive: {error}"))?;
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
    }
    let partial = out.with_extension("tar.partial");
    fs::write(&partial, &archive).map_err(|error| format!("{}: {error}", partial.display()))?;
    fs::rename(&partial, out).map_err(|error| format!("{}: {error}", out.display()))?;
    eprintln!(
        "rootfs: {} ({} entries, {} KiB)",
        out.display(),
        tree.len(),
        archive.len() / 1024
    );
    Ok(out.to_path_buf())
}

/// The whole tree, by path.
fn tree(skeleton: &Path, programs: &Path) -> Result<BTreeMap<String, Node>, String> {
    let mut tree = BTreeMap::new();
    for &(path, mode, owner) in DIRECTORIES {
        tree.insert(path.to_string(), Node::Directory { mode, owner });
    }
    add_skeleton(&mut tree, skeleton, "")?;
    for &(name, path) in PROGRAMS {
        let binary = programs.join(format!("{name}.wasm"));
        let Ok(data) = fs::read(&binary) else {
            eprintln!("notice: {} is not built yet: no /{path}", binary.display());
            continue;
        };
        let owner = 0;
        tree.insert(
            path.to_string(),
            Node::File {
                mode: 0o755,
                owner,
                data,
            },
        );
    }
    for &(path, target) in LINKS {
        tree.insert(
            path.to_string(),
            Node::Symlink {
                target: target.into(),
            },
        );
    }
    if tree.contains_key("bin/coreutils") {
        for tool in coreutils_tools()? {
            let path = format!("bin/{tool}");
            tree.entry(path).or_insert(Node::Symlink {
                target: "coreutils".into(),
            });
        }
    }
    Ok(tree)
}

/// Adds the files under `dir` (userland/rootfs, but its README.md).
fn add_skeleton(tree: &mut BTreeMap<String, Node>, dir: &Path, prefix: &str) -> Result<(), String> {
    let io = |error: std::io::Error| format!("{}: {error}", dir.display());
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefix.is_empty() && name == "README.md" {
            continue;
        }
        let path = format!("{prefix}{name}");
        let owner = if path == "home/user" || path.starts_with("home/user/") {
            USER_ID
        } else {
            0
        };
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            tree.entry(path.clone())
                .or_insert(Node::Directory { mode: 0o755, owner });
            add_skeleton(tree, &entry.path(), &format!("{path}/"))?;
        } else {
            let data = fs::read(entry.path()).map_err(io)?;
            let mode = if is_executable(&entry.path()) {
                0o755
            } else {
                0o644
            };
            tree.insert(path, Node::File { mode, owner, data });
        }
    }
    Ok(())
}

/// The names to link to /bin/coreutils, from [`COREUTILS_LIST`].
fn coreutils_tools() -> Result<Vec<String>, String> {
    let list = project::root().join(COREUTILS_LIST);
    let Ok(text) = fs::read_to_string(&list) else {
        eprintln!(
            "notice: {} does not exist yet: linking only {}",
            list.display(),
            FALLBACK_TOOLS.join(" ")
        );
        return Ok(FALLBACK_TOOLS.iter().map(|tool| tool.to_string()).collect());
    };
    let mut tools = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains(['/', ' ']) || line == "." || line == ".." {
            return Err(format!("{}: {line:?} is not a tool name", list.display()));
        }
        tools.push(line.to_string());
    }
    Ok(tools)
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|metadata| metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

/// The tar archive of `tree`, entries in path order (parents first).
fn pack(tree: &BTreeMap<String, Node>) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, node) in tree {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(MTIME);
        let (mode, owner, data): (u32, u64, &[u8]) = match node {
            Node::Directory { mode, owner } => {
                header.set_entry_type(tar::EntryType::Directory);
                (*mode, *owner, &[])
            }
            Node::File { mode, owner, data } => {
                header.set_entry_type(tar::EntryType::Regular);
                (*mode, *owner, data)
            }
            Node::Symlink { target } => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_link_name(target)?;
                (0o777, 0, &[])
            }
        };
        header.set_mode(mode);
        header.set_uid(owner);
        header.set_gid(owner);
        header.set_size(data.len() as u64);
        let name = match node {
            Node::Directory { .. } => format!("{path}/"),
            _ => path.clone(),
        };
        builder.append_data(&mut header, name, data)?;
    }
    builder.into_inner()
}
