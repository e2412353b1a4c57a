//! diskfs: persistence, mount errors, crash safety.

use std::cell::RefCell;
use std::rc::Rc;

use proptest::prelude::*;

use super::*;
use crate::model_tests::{Model, Op, apply_vfs, cases, dump, op_strategy};
use crate::{FakeClock, NodeKind, SharedFs, Vfs};

const ATTRS: NewAttrs = NewAttrs {
    mode: 0o644,
    uid: 0,
    gid: 0,
};

fn clock() -> Rc<FakeClock> {
    Rc::new(FakeClock::new(1_000))
}

fn small() -> DiskOptions {
    DiskOptions {
        capacity: 64 << 20,
        min_log: 8192,
        ..DiskOptions::default()
    }
}

fn fresh() -> DiskFs<MemoryStore> {
    DiskFs::format(MemoryStore::new(), clock(), small()).unwrap()
}

fn remount(fs: DiskFs<MemoryStore>) -> DiskFs<MemoryStore> {
    DiskFs::mount(fs.into_store(), clock(), small()).unwrap()
}

fn read_all(fs: &mut DiskFs<MemoryStore>, ino: InodeId) -> Vec<u8> {
    let size = fs.stat(ino).unwrap().size as usize;
    let mut buf = vec![0; size];
    assert_eq!(fs.read(ino, 0, &mut buf), Ok(size));
    buf
}

#[test]
fn synced_files_survive_a_remount() {
    let mut fs = fresh();
    let root = fs.root();
    let dir = fs.create(root, b"etc", NewNode::Directory, ATTRS).unwrap();
    let file = fs.create(dir, b"motd", NewNode::Regular, ATTRS).unwrap();
    fs.write(file, 0, b"welcome").unwrap();
    fs.create(
        root,
        b"link",
        NewNode::Symlink {
            target: b"etc/motd".to_vec(),
        },
        ATTRS,
    )
    .unwrap();
    fs.create(
        root,
        b"null",
        NewNode::Device {
            kind: NodeKind::CharDevice,
            rdev: 0x103,
        },
        ATTRS,
    )
    .unwrap();
    fs.create(root, &[0xff, b'x'], NewNode::Regular, ATTRS)
        .unwrap();
    fs.sync().unwrap();
    let mut fs = remount(fs);
    let root = fs.root();
    let dir = fs.lookup(root, b"etc").unwrap();
    let file = fs.lookup(dir, b"motd").unwrap();
    assert_eq!(read_all(&mut fs, file), b"welcome");
    let link = fs.lookup(root, b"link").unwrap();
    assert_eq!(fs.readlink(link), Ok(b"etc/motd".to_vec()));
    let null = fs.lookup(root, b"null").unwrap();
    let null = fs.stat(null).unwrap();
    assert_eq!((null.kind, null.rdev), (NodeKind::CharDevice, 0x103));
    assert!(fs.lookup(root, &[0xff, b'x']).is_ok());
    assert_eq!(fs.stat(root).unwrap().nlink, 3);
}

#[test]
fn unsynced_changes_are_lost_but_the_disk_mounts() {
    let mut fs = fresh();
    let root = fs.root();
    fs.create(root, b"kept", NewNode::Regular, ATTRS).unwrap();
    fs.sync().unwrap();
    fs.create(root, b"lost", NewNode::Regular, ATTRS).unwrap();
    let mut fs = remount(fs);
    let root = fs.root();
    assert!(fs.lookup(root, b"kept").is_ok());
    assert_eq!(fs.lookup(root, b"lost"), Err(FsError::NotFound));
}

#[test]
fn log_compaction_keeps_everything() {
    let mut fs = fresh();
    let root = fs.root();
    for index in 0..500u32 {
        let name = format!("file{index}");
        let ino = fs
            .create(root, name.as_bytes(), NewNode::Regular, ATTRS)
            .unwrap();
        fs.write(ino, 0, name.as_bytes()).unwrap();
        fs.sync().unwrap();
    }
    assert!(fs.superblock.generation > 2, "the log was compacted");
    let mut fs = remount(fs);
    let root = fs.root();
    for index in 0..500u32 {
        let name = format!("file{index}");
        let ino = fs.lookup(root, name.as_bytes()).unwrap();
        assert_eq!(read_all(&mut fs, ino), name.as_bytes());
    }
}

#[test]
fn freed_blocks_are_reused_only_after_a_commit() {
    let mut fs = fresh();
    let root = fs.root();
    let a = fs.create(root, b"a", NewNode::Regular, ATTRS).unwrap();
    fs.write(a, 0, &[1; 8192]).unwrap();
    fs.sync().unwrap();
    let free = fs.stats().free_blocks;
    fs.unlink(root, b"a").unwrap();
    assert_eq!(fs.stats().free_blocks, free);
    fs.sync().unwrap();
    assert_eq!(fs.stats().free_blocks, free + 2);
}

#[test]
fn unlinked_open_file_is_freed_at_the_next_mount() {
    let mut fs = fresh();
    let root = fs.root();
    let a = fs.create(root, b"a", NewNode::Regular, ATTRS).unwrap();
    fs.write(a, 0, &[1; 8192]).unwrap();
    fs.open(a);
    fs.unlink(root, b"a").unwrap();
    fs.sync().unwrap();
    let mut fs = remount(fs);
    assert_eq!(fs.stat(a), Err(FsError::NotFound));
    assert_eq!(fs.stats().files, 1);
}

#[test]
fn empty_store_is_formatted_and_foreign_data_is_not_wasmux() {
    let fs = DiskFs::open(MemoryStore::new(), clock(), small()).unwrap();
    assert_eq!(fs.superblock.generation, 1);
    let foreign = MemoryStore::from_bytes(b"#!/bin/sh\necho not a disk\n".to_vec());
    assert_eq!(
        DiskFs::open(foreign, clock(), small()).map(drop),
        Err(DiskError::NotWasmux)
    );
}

#[test]
fn damaged_images_are_clear_errors() {
    let mut fs = fresh();
    fs.sync().unwrap();
    let image = fs.into_store().bytes().to_vec();
    let mut both = image.clone();
    both[20] ^= 0xff;
    both[4096 + 20] ^= 0xff;
    let error = DiskFs::mount(MemoryStore::from_bytes(both), clock(), small()).map(drop);
    assert!(matches!(error, Err(DiskError::Corrupt(_))), "{error:?}");
    let mut version = image.clone();
    version[4096 + 8] = 9;
    version[8] = 9;
    assert_eq!(
        DiskFs::mount(MemoryStore::from_bytes(version), clock(), small()).map(drop),
        Err(DiskError::UnsupportedVersion(9))
    );
    let superblock = Superblock::decode(&image[4096..]).unwrap();
    let mut snapshot = image.clone();
    snapshot[superblock.snapshot_offset as usize] ^= 1;
    let error = DiskFs::mount(MemoryStore::from_bytes(snapshot), clock(), small()).map(drop);
    assert!(matches!(error, Err(DiskError::Corrupt(_))), "{error:?}");
    let message = FsError::from(DiskError::NotWasmux).to_string();
    assert!(message.contains("not a Wasmux disk"), "{message}");
}

#[test]
fn random_garbage_never_panics_the_mount() {
    let mut fs = fresh();
    let root = fs.root();
    let file = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
    fs.write(file, 0, b"data").unwrap();
    fs.sync().unwrap();
    let image = fs.into_store().bytes().to_vec();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..300 {
        let mut damaged = image.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % damaged.len() as u64) as usize;
            damaged[at] = (seed >> 32) as u8;
        }
        let _ = DiskFs::mount(MemoryStore::from_bytes(damaged), clock(), small());
    }
}

#[test]
fn failed_flush_is_an_error_and_a_later_sync_recovers() {
    let mut fs = DiskFs::format(FaultStore::new(), clock(), small()).unwrap();
    let root = fs.root();
    fs.create(root, b"a", NewNode::Regular, ATTRS).unwrap();
    fs.store_mut().fail_flush(true);
    assert!(matches!(fs.sync(), Err(FsError::Io(_))));
    assert!(fs.needs_flush());
    fs.store_mut().fail_flush(false);
    fs.sync().unwrap();
    assert!(!fs.needs_flush());
    let store = FaultStore::from_bytes(fs.into_store().image());
    let mut fs = DiskFs::mount(store, clock(), small()).unwrap();
    let root = fs.root();
    assert!(fs.lookup(root, b"a").is_ok());
}

#[test]
fn periodic_flush_commits_after_the_interval() {
    let clock = clock();
    let mut fs = DiskFs::format(MemoryStore::new(), clock.clone(), small()).unwrap();
    let root = fs.root();
    assert_eq!(fs.flush_deadline(), None);
    fs.create(root, b"a", NewNode::Regular, ATTRS).unwrap();
    let deadline = fs.flush_deadline().unwrap();
    assert_eq!(deadline, 1_000 + small().flush_interval);
    fs.flush_if_due(deadline - 1).unwrap();
    assert!(fs.needs_flush());
    fs.flush_if_due(deadline).unwrap();
    assert!(!fs.needs_flush());
}

#[test]
fn full_store_is_no_space() {
    let options = DiskOptions {
        capacity: 1 << 20,
        min_log: 8192,
        ..DiskOptions::default()
    };
    let mut fs = DiskFs::format(MemoryStore::new(), clock(), options).unwrap();
    let root = fs.root();
    let file = fs.create(root, b"big", NewNode::Regular, ATTRS).unwrap();
    assert_eq!(fs.write(file, 0, &vec![1; 2 << 20]), Err(FsError::NoSpace));
    assert_eq!(fs.write(file, 0, &vec![1; 512 << 10]), Ok(512 << 10));
}

#[test]
fn image_file_store_holds_a_filesystem() {
    let dir = std::env::temp_dir().join(format!("wasmux-diskfs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("disk.img");
    let mut fs = DiskFs::open_image(&path, clock(), small()).unwrap();
    let root = fs.root();
    let file = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
    fs.write(file, 0, b"on disk").unwrap();
    fs.sync().unwrap();
    drop(fs);
    let mut fs = DiskFs::open_image(&path, clock(), small()).unwrap();
    let root = fs.root();
    let file = fs.lookup(root, b"f").unwrap();
    let mut buf = [0; 7];
    fs.read(file, 0, &mut buf).unwrap();
    assert_eq!(&buf, b"on disk");
    std::fs::write(dir.join("text"), b"hello").unwrap();
    let error = DiskFs::open_image(dir.join("text"), clock(), small()).map(drop);
    assert_eq!(error, Err(DiskError::NotWasmux));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn vfs_over<S: BlockStore + 'static>(fs: DiskFs<S>) -> (Vfs, Rc<RefCell<DiskFs<S>>>) {
    let fs = Rc::new(RefCell::new(fs));
    let shared: SharedFs = fs.clone();
    (Vfs::new(shared, clock()), fs)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    /// Same sequences as memfs: the same results, the same tree, and the
    /// same tree again after a sync and a remount.
    #[test]
    fn diskfs_matches_the_model_and_survives_remount(ops in prop::collection::vec(op_strategy(), 1..60)) {
        let (mut vfs, fs) = vfs_over(DiskFs::format(MemoryStore::new(), clock(), small()).unwrap());
        let mut model = Model::default();
        for op in &ops {
            let expected = model.apply(op);
            prop_assert_eq!(apply_vfs(&mut vfs, op), expected, "{:?}", op);
        }
        prop_assert_eq!(dump(&mut vfs).unwrap(), model.shape());
        vfs.sync_all().unwrap();
        drop(vfs);
        let store = Rc::try_unwrap(fs).unwrap().into_inner().into_store();
        let (mut vfs, _) = vfs_over(DiskFs::mount(store, clock(), small()).unwrap());
        prop_assert_eq!(dump(&mut vfs).unwrap(), model.shape());
    }

    /// Invariant: whatever prefix of the writes reaches the store (the last
    /// one possibly torn), the image mounts, and its tree is the state of the
    /// last sync that completed, or of the sync the crash interrupted. File
    /// contents written after the last completed sync may show partially
    /// (data is written in place), so only their sizes are compared.
    #[test]
    fn crash_at_any_point_mounts_to_a_synced_state(
        ops in prop::collection::vec(op_strategy(), 1..50),
        crash_at in 0u64..120,
        tear in any::<bool>(),
    ) {
        let (mut vfs, fs) = vfs_over(DiskFs::format(FaultStore::new(), clock(), small()).unwrap());
        fs.borrow_mut().store_mut().crash_after(crash_at);
        fs.borrow_mut().store_mut().tear_last_write(tear);
        let mut model = Model::default();
        let mut durable = Model::default();
        let mut volatile: Vec<u64> = Vec::new();
        let mut interrupted: Option<Model> = None;
        for op in &ops {
            let before = fs.borrow().store().crashed();
            if !before {
                // Writes change data in place; growing a file zeroes the old
                // last block's tail in place. Shrinking touches no data.
                let in_place = match op {
                    Op::Write(path, ..) => Some(path),
                    Op::Truncate(path, size) if model.file_size(path).is_some_and(|old| *size > old) => Some(path),
                    _ => None,
                };
                if let Some(path) = in_place {
                    volatile.extend(model.file_id(path));
                }
            }
            let expected = model.apply(op);
            let got = apply_vfs(&mut vfs, op);
            if !before {
                prop_assert_eq!(&got, &expected, "{:?}", op);
            }
            if matches!(op, Op::Sync) && !before {
                if fs.borrow().store().crashed() {
                    interrupted = Some(model.clone());
                } else {
                    durable = model.clone();
                    volatile.clear();
                }
            }
        }
        let image = fs.borrow().store().image();
        drop(vfs);
        let mounted = DiskFs::mount(MemoryStore::from_bytes(image), clock(), small());
        prop_assert!(mounted.is_ok(), "mount failed: {:?}", mounted.err());
        let (mut vfs, _) = vfs_over(mounted.unwrap());
        let found = dump(&mut vfs).unwrap();
        let exact = interrupted.is_some_and(|state| state.shape() == found);
        if !exact {
            let expected = durable.shape();
            prop_assert_eq!(found.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
            for (path, content) in &expected {
                let got = &found[path];
                let skip = durable.file_id(path).is_some_and(|id| volatile.contains(&id));
                if skip {
                    prop_assert_eq!(got.as_ref().map(Vec::len), content.as_ref().map(Vec::len), "{:?}", path);
                } else {
                    prop_assert!(got == content, "content of {:?} differs", String::from_utf8_lossy(path));
                }
            }
        }
    }
}
