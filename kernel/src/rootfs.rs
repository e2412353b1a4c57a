//! Installing a root filesystem from a tar archive (first boot), safely:
//! every entry is checked before anything is written, and an archive that
//! tries to escape (absolute paths, `..`, writing through a symlink) is
//! refused whole.

use std::collections::BTreeSet;
use std::io::Read;

use wasmux_fs::{Access, Cred, FsError, NewNode, NodeKind, OpenOptions, SetAttr, Vfs, Walk};

/// Why an archive could not be installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallError {
    /// Not a readable tar archive.
    Malformed(String),
    /// An entry that would write outside the tree or through a link; nothing was written.
    Hostile { path: String, reason: &'static str },
    /// Writing an entry failed (the tree may hold the entries before it).
    Write { path: String, error: FsError },
}

impl core::fmt::Display for InstallError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            InstallError::Malformed(message) => write!(f, "not a valid tar archive: {message}"),
            InstallError::Hostile { path, reason } => {
                write!(f, "refusing the archive: entry {path:?} {reason}")
            }
            InstallError::Write { path, error } => write!(f, "cannot install {path:?}: {error}"),
        }
    }
}

impl std::error::Error for InstallError {}

/// What was installed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstallReport {
    pub entries: usize,
    pub bytes: u64,
}

/// One entry, checked.
struct Entry {
    path: Vec<u8>,
    kind: tar::EntryType,
    link: Option<Vec<u8>>,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: u64,
    rdev: u64,
    data: Vec<u8>,
}

/// `a/./b/` -> `a/b`; refuses absolute paths and `..`.
fn clean(raw: &[u8]) -> Result<Vec<u8>, &'static str> {
    if raw.first() == Some(&b'/') {
        return Err("has an absolute path");
    }
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in raw.split(|&byte| byte == b'/') {
        match part {
            b"" | b"." => {}
            b".." => return Err("climbs out with `..`"),
            part => parts.push(part),
        }
    }
    Ok(parts.join(&b'/'))
}

fn read_entries(archive: &[u8]) -> Result<Vec<Entry>, InstallError> {
    let malformed = |error: std::io::Error| InstallError::Malformed(error.to_string());
    let mut tar = tar::Archive::new(archive);
    let mut entries = Vec::new();
    for entry in tar.entries().map_err(malformed)? {
        let mut entry = entry.map_err(malformed)?;
        let raw_path = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw_path).into_owned();
        let hostile = |reason| InstallError::Hostile {
            path: shown.clone(),
            reason,
        };
        let path = clean(&raw_path).map_err(hostile)?;
        let header = entry.header();
        let kind = header.entry_type();
        let link = entry.link_name_bytes().map(|link| link.into_owned());
        let mode = header.mode().map_err(malformed)? & 0o7777;
        let uid = u32::try_from(header.uid().map_err(malformed)?).unwrap_or(0);
        let gid = u32::try_from(header.gid().map_err(malformed)?).unwrap_or(0);
        let mtime = header.mtime().map_err(malformed)?;
        let major = header.device_major().ok().flatten().unwrap_or(0);
        let minor = header.device_minor().ok().flatten().unwrap_or(0);
        let mut data = Vec::new();
        if kind.is_file() {
            entry.read_to_end(&mut data).map_err(malformed)?;
        }
        entries.push(Entry {
            path,
            kind,
            link,
            mode,
            uid,
            gid,
            mtime,
            rdev: (u64::from(major) << 8) | u64::from(minor),
            data,
        });
    }
    Ok(entries)
}

/// Refuses entries that write through a symlink of the archive, and hard
/// links to paths outside it.
fn check(entries: &[Entry]) -> Result<(), InstallError> {
    let mut symlinks: BTreeSet<&[u8]> = BTreeSet::new();
    for entry in entries {
        let shown = || String::from_utf8_lossy(&entry.path).into_owned();
        let slashes = entry
            .path
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'/');
        for (index, _) in slashes {
            if entry
                .path
                .get(..index)
                .is_some_and(|prefix| symlinks.contains(prefix))
            {
                return Err(InstallError::Hostile {
                    path: shown(),
                    reason: "goes through a symlink",
                });
            }
        }
        if entry.kind.is_hard_link() {
            let target = entry.link.as_deref().unwrap_or_default();
            clean(target).map_err(|reason| InstallError::Hostile {
                path: shown(),
                reason,
            })?;
        }
        if entry.kind.is_symlink() {
            symlinks.insert(&entry.path);
        }
    }
    Ok(())
}

/// Installs the tar `archive` into `vfs` at its root, as root.
/// Errors: see [`InstallError`]; a hostile archive writes nothing.
pub fn install_rootfs(vfs: &mut Vfs, archive: &[u8]) -> Result<InstallReport, InstallError> {
    let entries = read_entries(archive)?;
    check(&entries)?;
    let root = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    let mut report = InstallReport::default();
    for entry in &entries {
        if entry.path.is_empty() {
            continue;
        }
        write_entry(vfs, &walk, entry).map_err(|error| InstallError::Write {
            path: String::from_utf8_lossy(&entry.path).into_owned(),
            error,
        })?;
        report.entries += 1;
        report.bytes += entry.data.len() as u64;
    }
    Ok(report)
}

/// Makes the parent directories an archive left out (0755), and refuses to
/// write through a symlink already in the tree.
fn prepare_parents(vfs: &mut Vfs, walk: &Walk, path: &[u8]) -> Result<(), FsError> {
    for (index, _) in path.iter().enumerate().filter(|(_, byte)| **byte == b'/') {
        let prefix = path.get(..index).unwrap_or_default();
        match vfs.stat_path(walk, prefix, false) {
            Ok(meta) if meta.kind == NodeKind::Symlink => return Err(FsError::Access),
            Ok(_) => {}
            Err(FsError::NotFound) => vfs.mkdir(walk, prefix, 0o755)?,
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

fn write_entry(vfs: &mut Vfs, walk: &Walk, entry: &Entry) -> Result<(), FsError> {
    use tar::EntryType;
    prepare_parents(vfs, walk, &entry.path)?;
    let path = entry.path.as_slice();
    let node = match entry.kind {
        EntryType::Directory => {
            match vfs.mkdir(walk, path, entry.mode) {
                Ok(()) | Err(FsError::Exists) => {}
                Err(error) => return Err(error),
            }
            None
        }
        EntryType::Symlink => {
            let target = entry.link.as_deref().unwrap_or_default();
            match vfs.unlink(walk, path) {
                Ok(()) | Err(FsError::NotFound) => {}
                Err(error) => return Err(error),
            }
            vfs.symlink(target, walk, path)?;
            return Ok(());
        }
        EntryType::Link => {
            let target =
                clean(entry.link.as_deref().unwrap_or_default()).map_err(|_| FsError::Access)?;
            vfs.link(walk, &target, false, walk, path)?;
            return Ok(());
        }
        EntryType::Char => Some(NewNode::Device {
            kind: NodeKind::CharDevice,
            rdev: entry.rdev,
        }),
        EntryType::Block => Some(NewNode::Device {
            kind: NodeKind::BlockDevice,
            rdev: entry.rdev,
        }),
        EntryType::Fifo => Some(NewNode::Fifo),
        _ => {
            let options = OpenOptions {
                access: Access::WRITE,
                create: true,
                truncate: true,
                follow: false,
                mode: entry.mode,
                ..OpenOptions::READ
            };
            let file = vfs.open(walk, path, &options)?;
            let mut written = 0;
            while let Some(rest) = entry.data.get(written..).filter(|rest| !rest.is_empty()) {
                written += file.write(rest)?;
            }
            None
        }
    };
    if let Some(node) = node {
        match vfs.mknod(walk, path, node, entry.mode) {
            Ok(()) | Err(FsError::Exists) => {}
            Err(error) => return Err(error),
        }
    }
    let mtime = entry.mtime.saturating_mul(1_000_000_000);
    let attrs = SetAttr {
        mode: Some(entry.mode),
        uid: Some(entry.uid),
        gid: Some(entry.gid),
        atime: Some(mtime),
        mtime: Some(mtime),
        ..SetAttr::default()
    };
    vfs.set_attr_path(walk, path, false, &attrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// A tar of (path, kind, content-or-link, mode).
    fn archive(entries: &[(&str, tar::EntryType, &str, u32)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for &(path, kind, data, mode) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_mode(mode);
            header.set_uid(0);
            header.set_gid(0);
            header.set_mtime(1_700_000_000);
            let body: &[u8] = if kind.is_file() { data.as_bytes() } else { b"" };
            header.set_size(body.len() as u64);
            if kind.is_symlink() || kind.is_hard_link() {
                header.set_link_name_literal(data).unwrap();
            }
            // Bypass the builder's own path checks: hostile archives are the point.
            let name = header.as_old_mut();
            name.name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            builder.append(&header, body).unwrap();
        }
        builder.into_inner().unwrap()
    }

    fn read(vfs: &mut Vfs, path: &str) -> Result<Vec<u8>, FsError> {
        let root = vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let file = vfs.open(&walk, path.as_bytes(), &OpenOptions::READ)?;
        let mut out = vec![0; 256];
        let count = file.read(&mut out)?;
        out.truncate(count);
        Ok(out)
    }

    use tar::EntryType::{Directory, Link, Regular, Symlink};

    #[test]
    fn a_tree_installs_with_modes_links_and_symlinks() {
        let mut kernel = testing::kernel();
        let tar = archive(&[
            ("bin/", Directory, "", 0o755),
            ("bin/prog", Regular, "program", 0o755),
            ("bin/alias", Symlink, "prog", 0o777),
            ("bin/hard", Link, "bin/prog", 0o755),
            ("./etc/motd", Regular, "hello", 0o644),
        ]);
        let report = install_rootfs(kernel.vfs(), &tar).unwrap();
        assert_eq!(report.entries, 5);
        let vfs = kernel.vfs();
        assert_eq!(read(vfs, "/bin/alias").unwrap(), b"program");
        assert_eq!(read(vfs, "/bin/hard").unwrap(), b"program");
        assert_eq!(read(vfs, "/etc/motd").unwrap(), b"hello");
        let root = vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let meta = vfs.stat_path(&walk, b"/bin/prog", false).unwrap();
        assert_eq!(
            (meta.mode, meta.nlink, meta.mtime),
            (0o755, 2, 1_700_000_000_000_000_000)
        );
    }

    #[test]
    fn absolute_paths_and_dotdot_are_refused_and_nothing_is_written() {
        for bad in ["/etc/passwd", "a/../../etc/passwd"] {
            let mut kernel = testing::kernel();
            let tar = archive(&[
                ("ok", Regular, "fine", 0o644),
                (bad, Regular, "evil", 0o644),
            ]);
            let error = install_rootfs(kernel.vfs(), &tar).unwrap_err();
            assert!(
                matches!(error, InstallError::Hostile { .. }),
                "{bad}: {error}"
            );
            assert_eq!(
                read(kernel.vfs(), "/ok"),
                Err(FsError::NotFound),
                "nothing written for {bad}"
            );
        }
    }

    #[test]
    fn writing_through_a_symlink_is_refused() {
        let mut kernel = testing::kernel();
        let tar = archive(&[
            ("etc", Directory, "", 0o755),
            ("link", Symlink, "/etc", 0o777),
            ("link/passwd", Regular, "evil", 0o644),
        ]);
        let error = install_rootfs(kernel.vfs(), &tar).unwrap_err();
        assert!(
            matches!(
                error,
                InstallError::Hostile {
                    reason: "goes through a symlink",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let mut kernel = testing::kernel();
        let mut junk = archive(&[("a", Regular, "x", 0o644)]);
        junk[0..100].fill(0xff);
        junk[148..156].copy_from_slice(b"1234567\0");
        assert!(matches!(
            install_rootfs(kernel.vfs(), &junk),
            Err(InstallError::Malformed(_))
        ));
        // A short buffer reads as an archive that ends at once: nothing installed.
        assert_eq!(
            install_rootfs(kernel.vfs(), b"definitely not tar")
                .map(|r| r.entries)
                .unwrap_or(0),
            0
        );
    }
}
