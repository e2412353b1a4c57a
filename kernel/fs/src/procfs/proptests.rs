//! Properties of /proc for any snapshot: what is listed can be looked up
//! and read, what is not listed cannot be looked up, and nothing panics.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::tests::{Fixture, walk};
use super::*;
use crate::{Cred, DirEntry, OpenOptions};

fn pid() -> impl Strategy<Value = Pid> {
    prop_oneof![
        4 => 0u32..12,
        1 => Just(PID_LIMIT - 1),
        1 => PID_LIMIT..=u32::MAX,
        1 => any::<u32>(),
    ]
    .prop_map(Pid)
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..12)
}

fn state() -> impl Strategy<Value = ProcState> {
    prop::sample::select(vec![
        ProcState::Running,
        ProcState::Sleeping,
        ProcState::Stopped,
        ProcState::Zombie,
    ])
}

fn process() -> impl Strategy<Value = ProcessInfo> {
    let ids = (pid(), pid(), pid(), any::<u32>(), any::<u32>(), state());
    let fd = prop_oneof![0u32..6, any::<u32>()].prop_map(Fd);
    let text = (
        bytes(),
        prop::collection::vec(bytes(), 0..4),
        prop_oneof![Just(Vec::new()), bytes()],
        prop::collection::btree_map(fd, bytes(), 0..5),
    );
    let times = (any::<u64>(), any::<u64>(), any::<u64>());
    (ids, text, times).prop_map(|(ids, text, times)| ProcessInfo {
        ppid: ids.0,
        pgid: ids.1,
        sid: ids.2,
        uid: ids.3,
        gid: ids.4,
        state: ids.5,
        name: text.0,
        argv: text.1,
        cwd: text.2,
        fds: text.3,
        cpu_time: times.0,
        start_time: times.1,
        memory_bytes: times.2,
    })
}

fn snapshot() -> impl Strategy<Value = ProcSnapshot> {
    let mount = (bytes(), bytes(), bytes(), any::<bool>()).prop_map(|m| MountEntry {
        device: m.0,
        path: m.1,
        fs_type: m.2,
        read_only: m.3,
    });
    let memory = (any::<u64>(), any::<u64>()).prop_map(|(total, free)| MemoryInfo { total, free });
    (
        prop::option::of(pid()),
        (any::<u64>(), any::<u64>(), any::<u64>()),
        prop::collection::vec(mount, 0..3),
        prop::collection::btree_map(pid(), process(), 0..6),
        prop::option::of(memory),
    )
        .prop_map(|(current, times, mounts, processes, memory)| ProcSnapshot {
            current,
            boot_time: times.0,
            uptime: times.1,
            idle: times.2,
            mounts,
            processes,
            memory,
        })
}

/// Names worth trying in any /proc directory.
const CANDIDATES: [&str; 20] = [
    "self",
    "uptime",
    "mounts",
    "meminfo",
    "loadavg",
    "cmdline",
    "cwd",
    "fd",
    "stat",
    "status",
    "0",
    "1",
    "2",
    "5",
    "11",
    "01",
    "-1",
    "+1",
    "1073741823",
    "4294967295",
];

fn listing(fx: &mut Fixture, path: &[u8]) -> Vec<DirEntry> {
    let walk = walk(&fx.vfs, Cred::ROOT);
    let options = OpenOptions {
        directory: true,
        ..OpenOptions::READ
    };
    let dir = fx.vfs.open(&walk, path, &options).unwrap();
    let mut entries = Vec::new();
    dir.readdir(0, &mut |entry| {
        entries.push(entry);
        true
    })
    .unwrap();
    entries
}

/// Checks every entry of the directory `path` and recurses; checks names not listed.
fn check_directory(fx: &mut Fixture, path: &[u8], extra: &[u8]) -> Result<(), TestCaseError> {
    let walk = walk(&fx.vfs, Cred::ROOT);
    let entries = listing(fx, path);
    let names: BTreeSet<&[u8]> = entries.iter().map(|entry| &entry.name[..]).collect();
    prop_assert_eq!(
        names.len(),
        entries.len(),
        "a name listed twice in {:?}",
        path
    );
    for entry in entries.iter().skip(2) {
        let child = [path, b"/", &entry.name].concat();
        let meta = fx.vfs.stat_path(&walk, &child, false);
        prop_assert_eq!(meta.map(|m| (m.ino, m.kind)), Ok((entry.ino, entry.kind)));
        match entry.kind {
            NodeKind::Directory => check_directory(fx, &child, extra)?,
            NodeKind::Symlink => prop_assert!(!fx.vfs.readlink(&walk, &child).unwrap().is_empty()),
            _ => {
                let file = fx.vfs.open(&walk, &child, &OpenOptions::READ).unwrap();
                let mut buf = [0; 64];
                while file.read(&mut buf).unwrap() > 0 {}
            }
        }
    }
    let candidates = CANDIDATES.iter().map(|name| name.as_bytes());
    for name in candidates.chain([extra]) {
        if name.is_empty() || name.contains(&b'/') || name.contains(&0) || names.contains(name) {
            continue;
        }
        let child = [path, b"/", name].concat();
        let found = fx.vfs.stat_path(&walk, &child, false).map(drop);
        prop_assert_eq!(
            found,
            Err(FsError::NotFound),
            "{:?}",
            String::from_utf8_lossy(&child)
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn every_listed_entry_can_be_looked_up_and_read(snapshot in snapshot(), extra in bytes()) {
        let mut fx = Fixture::new(snapshot);
        check_directory(&mut fx, b"/proc", &extra)?;
    }

    #[test]
    fn any_inode_and_offset_fails_cleanly(
        snapshot in snapshot(),
        inos in prop::collection::vec(any::<u64>(), 1..20),
        offset in any::<u64>(),
        name in bytes(),
    ) {
        let shared = std::rc::Rc::new(std::cell::RefCell::new(snapshot));
        let mut fs = ProcFs::new(shared);
        let pids: Vec<u64> = fs.snapshot.borrow().processes.keys().map(|p| u64::from(p.0)).collect();
        let known = pids.iter().flat_map(|&pid| [(1 << 62) | pid << 8 | 3, (2 << 62) | pid << 32]);
        for ino in inos.into_iter().chain(1..8).chain(known).map(InodeId) {
            let exists = fs.stat(ino).is_ok();
            let mut buf = [0; 16];
            let read = fs.read(ino, offset, &mut buf);
            prop_assert!(exists || read == Err(FsError::NotFound));
            let _ = fs.readlink(ino);
            let _ = fs.lookup(ino, &name);
            let listed = fs.readdir(ino, offset, &mut |_| true);
            prop_assert!(exists || listed == Err(FsError::NotFound));
        }
    }
}
