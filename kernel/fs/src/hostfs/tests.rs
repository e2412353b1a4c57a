//! hostfs over a temporary host directory, through the VFS.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use proptest::prelude::*;

use super::*;
use crate::model_tests::{Model, apply_vfs, cases, dump, op_strategy, root_walk};
use crate::{Access, FakeClock, OpenOptions, SharedFs, Vfs};

/// A host directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "wasmux-hostfs-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn vfs(dir: &TempDir) -> Vfs {
    let host: SharedFs = Rc::new(RefCell::new(HostFs::new(&dir.0).unwrap()));
    Vfs::new(host, Rc::new(FakeClock::new(0)))
}

fn read(vfs: &mut Vfs, path: &[u8]) -> Result<Vec<u8>, FsError> {
    let walk = root_walk(vfs);
    let file = vfs.open(&walk, path, &OpenOptions::READ)?;
    let mut buf = vec![0; 4096];
    let count = file.read(&mut buf)?;
    buf.truncate(count);
    Ok(buf)
}

#[test]
fn files_written_through_the_vfs_appear_on_the_host() {
    let dir = TempDir::new();
    let mut vfs = vfs(&dir);
    let walk = root_walk(&vfs);
    vfs.mkdir(&walk, b"sub", 0o755).unwrap();
    let options = OpenOptions {
        access: Access::READ_WRITE,
        create: true,
        ..OpenOptions::READ
    };
    let file = vfs.open(&walk, b"sub/f", &options).unwrap();
    file.write(b"from guest").unwrap();
    assert_eq!(fs::read(dir.0.join("sub/f")).unwrap(), b"from guest");
    fs::write(dir.0.join("g"), b"from host").unwrap();
    assert_eq!(read(&mut vfs, b"g").unwrap(), b"from host");
    let meta = vfs.stat_path(&walk, b"g", true).unwrap();
    assert_eq!(meta.ino.0, fs::metadata(dir.0.join("g")).unwrap().ino());
    assert_eq!(meta.dev, vfs.root().mount.dev());
}

#[test]
fn host_symlinks_are_resolved_by_the_vfs_not_the_host() {
    let dir = TempDir::new();
    fs::create_dir(dir.0.join("inside")).unwrap();
    fs::write(dir.0.join("inside/f"), b"in").unwrap();
    std::os::unix::fs::symlink("/", dir.0.join("escape")).unwrap();
    std::os::unix::fs::symlink("inside/f", dir.0.join("rel")).unwrap();
    let mut vfs = vfs(&dir);
    assert_eq!(read(&mut vfs, b"rel").unwrap(), b"in");
    // "/" is the VFS root, which is the host directory itself.
    assert_eq!(read(&mut vfs, b"escape/inside/f").unwrap(), b"in");
    assert_eq!(read(&mut vfs, b"escape/etc/passwd"), Err(FsError::NotFound));
    assert_eq!(
        read(&mut vfs, b"../../../etc/passwd"),
        Err(FsError::NotFound)
    );
    let walk = root_walk(&vfs);
    let nofollow = OpenOptions {
        follow: false,
        ..OpenOptions::READ
    };
    assert_eq!(
        vfs.open(&walk, b"rel", &nofollow).map(drop),
        Err(FsError::Loop)
    );
    assert_eq!(vfs.readlink(&walk, b"escape"), Ok(b"/".to_vec()));
}

#[test]
fn readdir_is_sorted_with_stable_cookies() {
    let dir = TempDir::new();
    for name in ["c", "a", "b"] {
        fs::write(dir.0.join(name), b"").unwrap();
    }
    let mut vfs = vfs(&dir);
    let walk = root_walk(&vfs);
    let listing = vfs.open(&walk, b"/", &OpenOptions::READ).unwrap();
    let mut names = Vec::new();
    listing
        .readdir(0, &mut |entry| {
            names.push((entry.name, entry.next));
            true
        })
        .unwrap();
    let expected: Vec<(Vec<u8>, u64)> = [".", "..", "a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(index, name)| (name.as_bytes().to_vec(), index as u64 + 1))
        .collect();
    assert_eq!(names, expected);
    let mut rest = Vec::new();
    listing
        .readdir(3, &mut |entry| {
            rest.push(entry.name);
            true
        })
        .unwrap();
    assert_eq!(rest, vec![b"b".to_vec(), b"c".to_vec()]);
}

#[test]
fn unlink_open_file_keeps_data() {
    let dir = TempDir::new();
    fs::write(dir.0.join("f"), b"kept").unwrap();
    let mut vfs = vfs(&dir);
    let walk = root_walk(&vfs);
    let file = vfs.open(&walk, b"f", &OpenOptions::READ).unwrap();
    vfs.unlink(&walk, b"f").unwrap();
    assert!(!dir.0.join("f").exists());
    let mut buf = [0; 8];
    assert_eq!(file.read(&mut buf), Ok(4));
    assert_eq!(&buf[..4], b"kept");
}

#[test]
fn set_attr_maps_to_host_truncate_chmod_and_times() {
    let dir = TempDir::new();
    fs::write(dir.0.join("f"), b"abcdef").unwrap();
    let mut vfs = vfs(&dir);
    let walk = root_walk(&vfs);
    let changes = SetAttr {
        size: Some(2),
        mode: Some(0o600),
        atime: Some(1_000_000_123),
        mtime: Some(2_000_000_456),
        ..SetAttr::default()
    };
    vfs.set_attr_path(&walk, b"f", true, &changes).unwrap();
    let meta = vfs.stat_path(&walk, b"f", true).unwrap();
    assert_eq!(
        (meta.size, meta.mode, meta.atime, meta.mtime),
        (2, 0o600, 1_000_000_123, 2_000_000_456)
    );
    assert_eq!(fs::read(dir.0.join("f")).unwrap(), b"ab");
}

#[test]
fn dot_dot_of_the_mounted_directory_is_itself() {
    let dir = TempDir::new();
    let mut host = HostFs::new(&dir.0).unwrap();
    let root = host.root();
    assert_eq!(host.lookup(root, b".."), Ok(root));
    assert_eq!(host.lookup(root, b"a/b"), Err(FsError::Invalid));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(16), ..ProptestConfig::default() })]

    /// hostfs obeys the same model as memfs and diskfs.
    #[test]
    fn hostfs_matches_the_model(ops in prop::collection::vec(op_strategy(), 1..40)) {
        let dir = TempDir::new();
        let mut vfs = vfs(&dir);
        let mut model = Model::default();
        for op in &ops {
            let expected = model.apply(op);
            prop_assert_eq!(apply_vfs(&mut vfs, op), expected, "{:?}", op);
        }
        prop_assert_eq!(dump(&mut vfs).unwrap(), model.shape());
    }
}
