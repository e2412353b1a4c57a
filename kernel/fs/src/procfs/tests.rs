//! Behaviour of /proc through the real VFS: a memfs root with procfs on
//! /proc and devfs on /dev.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::*;
use crate::devfs::{self, FakeRandom, MemoryDevices};
use crate::{Access, Cred, FakeClock, FsError, MemFs, OpenOptions, SeekFrom, SharedFs, Vfs, Walk};

pub(super) struct Fixture {
    pub vfs: Vfs,
    pub snapshot: SharedSnapshot,
}

pub(super) fn walk(vfs: &Vfs, cred: Cred) -> Walk {
    let root = vfs.root();
    Walk {
        cred,
        base: root,
        root,
        confine: false,
    }
}

/// pid 1 (init, root, in /) and pid 7 (sh, user 1000, in /tmp, three fds), pid 7 calling.
pub(super) fn sample() -> ProcSnapshot {
    let init = ProcessInfo {
        ppid: Pid(0),
        pgid: Pid(1),
        sid: Pid(1),
        state: ProcState::Sleeping,
        name: command_name(b"/sbin/init"),
        argv: vec![b"/sbin/init".to_vec()],
        cwd: b"/".to_vec(),
        ..ProcessInfo::default()
    };
    let fds = [(0, "/dev/console"), (1, "/dev/console"), (2, "pipe:[3]")];
    let shell = ProcessInfo {
        ppid: Pid(1),
        pgid: Pid(7),
        sid: Pid(1),
        uid: 1000,
        gid: 100,
        state: ProcState::Running,
        name: command_name(b"/bin/sh"),
        argv: vec![b"/bin/sh".to_vec(), b"-c".to_vec(), b"echo hi".to_vec()],
        cwd: b"/tmp".to_vec(),
        fds: fds
            .iter()
            .map(|&(fd, target)| (Fd(fd), target.as_bytes().to_vec()))
            .collect(),
        cpu_time: 1_250_000_000,
        start_time: 3_000_000_000,
        memory_bytes: 2 << 20,
    };
    ProcSnapshot {
        current: Some(Pid(7)),
        boot_time: 1_700_000_000_000_000_000,
        uptime: 12_345_678_900,
        idle: 10_000_000_000,
        mounts: Vec::new(),
        processes: BTreeMap::from([(Pid(1), init), (Pid(7), shell)]),
        memory: None,
    }
}

impl Fixture {
    pub fn new(snapshot: ProcSnapshot) -> Fixture {
        let clock = Rc::new(FakeClock::new(1_000));
        let root: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
        let mut vfs = Vfs::new(root, clock.clone());
        let walk = walk(&vfs, Cred::ROOT);
        for dir in ["/proc", "/dev", "/tmp"] {
            vfs.mkdir(&walk, dir.as_bytes(), 0o755).unwrap();
        }
        let snapshot = Rc::new(RefCell::new(snapshot));
        let proc_fs: SharedFs = Rc::new(RefCell::new(ProcFs::new(snapshot.clone())));
        let at = vfs.resolve(&walk, b"/proc", true).unwrap();
        vfs.mount(at, proc_fs).unwrap();
        let dev_fs: SharedFs = Rc::new(RefCell::new(devfs::new(clock).unwrap()));
        let at = vfs.resolve(&walk, b"/dev", true).unwrap();
        vfs.mount(at, dev_fs).unwrap();
        vfs.set_devices(Rc::new(MemoryDevices::new(Rc::new(FakeRandom::new(1)))));
        if snapshot.borrow().mounts.is_empty() {
            snapshot.borrow_mut().set_mounts(&vfs.mounts());
        }
        Fixture { vfs, snapshot }
    }

    pub fn read(&mut self, path: &str) -> Result<Vec<u8>, FsError> {
        let walk = walk(&self.vfs, Cred::ROOT);
        let file = self.vfs.open(&walk, path.as_bytes(), &OpenOptions::READ)?;
        let mut out = Vec::new();
        let mut buf = [0; 5];
        loop {
            match file.read(&mut buf)? {
                0 => return Ok(out),
                count => out.extend_from_slice(&buf[..count]),
            }
        }
    }

    pub fn read_text(&mut self, path: &str) -> String {
        String::from_utf8(self.read(path).unwrap()).unwrap()
    }

    pub fn readlink(&mut self, path: &str) -> Result<Vec<u8>, FsError> {
        let walk = walk(&self.vfs, Cred::ROOT);
        self.vfs.readlink(&walk, path.as_bytes())
    }

    /// Names listed in the directory `path`, without `.` and `..`.
    pub fn list(&mut self, path: &str) -> Result<Vec<String>, FsError> {
        let walk = walk(&self.vfs, Cred::ROOT);
        let options = OpenOptions {
            directory: true,
            ..OpenOptions::READ
        };
        let dir = self.vfs.open(&walk, path.as_bytes(), &options)?;
        let mut names = Vec::new();
        dir.readdir(2, &mut |entry| {
            names.push(String::from_utf8_lossy(&entry.name).into_owned());
            true
        })?;
        Ok(names)
    }
}

#[test]
fn proc_self_points_at_the_calling_process() {
    let mut fx = Fixture::new(sample());
    assert_eq!(fx.readlink("/proc/self"), Ok(b"7".to_vec()));
    assert!(fx.read_text("/proc/self/status").contains("\nPid:\t7\n"));
    fx.snapshot.borrow_mut().current = Some(Pid(1));
    assert_eq!(fx.readlink("/proc/self"), Ok(b"1".to_vec()));
    assert_eq!(fx.read_text("/proc/self/cmdline"), "/sbin/init\0");
    fx.snapshot.borrow_mut().current = None;
    assert_eq!(fx.readlink("/proc/self"), Err(FsError::NotFound));
}

#[test]
fn a_vanished_process_reads_as_not_found() {
    let mut fx = Fixture::new(sample());
    let walk = walk(&fx.vfs, Cred::ROOT);
    let status = fx
        .vfs
        .open(&walk, b"/proc/7/status", &OpenOptions::READ)
        .unwrap();
    let fd_dir = fx.vfs.resolve(&walk, b"/proc/7/fd", true).unwrap();
    fx.snapshot.borrow_mut().processes.remove(&Pid(7));
    let mut buf = [0; 16];
    assert_eq!(status.read(&mut buf), Err(FsError::NotFound));
    assert_eq!(fx.vfs.stat(fd_dir), Err(FsError::NotFound));
    assert_eq!(fx.read("/proc/7/stat"), Err(FsError::NotFound));
    assert_eq!(fx.readlink("/proc/self"), Ok(b"7".to_vec()));
    assert_eq!(fx.read("/proc/self/status"), Err(FsError::NotFound));
    assert_eq!(fx.list("/proc").unwrap(), ["self", "uptime", "mounts", "1"]);
}

#[test]
fn status_has_the_linux_fields() {
    let mut fx = Fixture::new(sample());
    let expected = "Name:\tsh\nState:\tR (running)\nTgid:\t7\nPid:\t7\nPPid:\t1\n\
        Uid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n\
        NStgid:\t7\nNSpid:\t7\nNSpgid:\t7\nNSsid:\t1\n\
        VmSize:\t    2048 kB\nVmRSS:\t    2048 kB\nThreads:\t1\n";
    assert_eq!(fx.read_text("/proc/7/status"), expected);
    assert!(
        fx.read_text("/proc/1/status")
            .starts_with("Name:\tinit\nState:\tS (sleeping)\n")
    );
}

#[test]
fn stat_is_one_line_of_52_fields() {
    let mut fx = Fixture::new(sample());
    let stat = fx.read_text("/proc/7/stat");
    assert!(stat.starts_with("7 (sh) R 1 7 1 0 -1 0 0 0 0 0 125 0 0 0 20 0 1 0 300 2097152 512 "));
    assert!(stat.ends_with(" 0\n"));
    assert_eq!(stat.split_whitespace().count(), 52);
}

#[test]
fn cmdline_is_nul_terminated_arguments_and_empty_for_a_zombie() {
    let mut fx = Fixture::new(sample());
    assert_eq!(fx.read_text("/proc/7/cmdline"), "/bin/sh\0-c\0echo hi\0");
    fx.snapshot
        .borrow_mut()
        .processes
        .get_mut(&Pid(7))
        .unwrap()
        .state = ProcState::Zombie;
    assert_eq!(fx.read_text("/proc/7/cmdline"), "");
    assert!(fx.read_text("/proc/7/stat").starts_with("7 (sh) Z "));
}

#[test]
fn fd_links_name_what_each_fd_refers_to() {
    let mut fx = Fixture::new(sample());
    assert_eq!(fx.list("/proc/7/fd").unwrap(), ["0", "1", "2"]);
    assert_eq!(fx.readlink("/proc/7/fd/2"), Ok(b"pipe:[3]".to_vec()));
    assert_eq!(fx.readlink("/proc/self/fd/0"), Ok(b"/dev/console".to_vec()));
    assert_eq!(fx.readlink("/proc/7/fd/3"), Err(FsError::NotFound));
    assert_eq!(fx.readlink("/proc/7/fd/01"), Err(FsError::NotFound));
    assert_eq!(fx.list("/proc/1/fd").unwrap(), Vec::<String>::new());
}

#[test]
fn cwd_is_a_link_the_walk_follows() {
    let mut fx = Fixture::new(sample());
    let walk = walk(&fx.vfs, Cred::ROOT);
    assert_eq!(fx.readlink("/proc/self/cwd"), Ok(b"/tmp".to_vec()));
    let tmp = fx.vfs.resolve(&walk, b"/tmp", true).unwrap();
    assert_eq!(fx.vfs.resolve(&walk, b"/proc/self/cwd", true), Ok(tmp));
    fx.snapshot
        .borrow_mut()
        .processes
        .get_mut(&Pid(7))
        .unwrap()
        .cwd
        .clear();
    assert_eq!(
        fx.list("/proc/7").unwrap(),
        ["cmdline", "fd", "stat", "status"]
    );
    assert_eq!(fx.readlink("/proc/7/cwd"), Err(FsError::NotFound));
}

#[test]
fn uptime_mounts_and_meminfo_use_linux_formats() {
    let mut fx = Fixture::new(sample());
    assert_eq!(fx.read_text("/proc/uptime"), "12.34 10.00\n");
    assert_eq!(
        fx.read_text("/proc/mounts"),
        "memfs / memfs rw 0 0\nproc /proc proc rw 0 0\nmemfs /dev memfs rw 0 0\n"
    );
    assert_eq!(fx.read("/proc/meminfo"), Err(FsError::NotFound));
    fx.snapshot.borrow_mut().memory = Some(MemoryInfo {
        total: 256 << 20,
        free: 100 << 20,
    });
    assert_eq!(
        fx.read_text("/proc/meminfo"),
        "MemTotal:         262144 kB\nMemFree:          102400 kB\nMemAvailable:     102400 kB\n"
    );
    fx.snapshot.borrow_mut().mounts[1].path = b"/my proc".to_vec();
    assert!(
        fx.read_text("/proc/mounts")
            .contains("proc /my\\040proc proc")
    );
}

#[test]
fn reads_at_any_offset_slice_the_generated_text() {
    let mut fx = Fixture::new(sample());
    let walk = walk(&fx.vfs, Cred::ROOT);
    let file = fx
        .vfs
        .open(&walk, b"/proc/uptime", &OpenOptions::READ)
        .unwrap();
    let mut buf = [0; 4];
    assert_eq!(file.read_at(3, &mut buf), Ok(4));
    assert_eq!(&buf, b"34 1");
    assert_eq!(file.read_at(u64::MAX, &mut buf), Ok(0));
    assert_eq!(file.stat().unwrap().size, 0);
    assert_eq!(file.seek(SeekFrom::End(0)), Ok(0));
}

#[test]
fn proc_refuses_every_change() {
    let mut fx = Fixture::new(sample());
    let root = walk(&fx.vfs, Cred::ROOT);
    let user = walk(
        &fx.vfs,
        Cred {
            uid: 1000,
            gid: 100,
        },
    );
    assert_eq!(
        fx.vfs.mkdir(&root, b"/proc/x", 0o755),
        Err(FsError::ReadOnly)
    );
    assert_eq!(
        fx.vfs.unlink(&root, b"/proc/uptime"),
        Err(FsError::ReadOnly)
    );
    assert_eq!(
        fx.vfs.rename(&root, b"/proc/1", &root, b"/proc/2"),
        Err(FsError::ReadOnly)
    );
    assert_eq!(
        fx.vfs.symlink(b"x", &root, b"/proc/l"),
        Err(FsError::ReadOnly)
    );
    let write = OpenOptions {
        access: Access::WRITE,
        ..OpenOptions::READ
    };
    assert_eq!(
        fx.vfs.open(&user, b"/proc/7/status", &write).map(drop),
        Err(FsError::Access)
    );
    let file = fx.vfs.open(&root, b"/proc/7/status", &write).unwrap();
    assert_eq!(file.write(b"x"), Err(FsError::ReadOnly));
    let chmod = SetAttr {
        mode: Some(0o777),
        ..SetAttr::default()
    };
    assert_eq!(
        fx.vfs.set_attr_path(&root, b"/proc/uptime", true, &chmod),
        Err(FsError::Perm)
    );
}

#[test]
fn a_process_directory_belongs_to_its_owner() {
    let mut fx = Fixture::new(sample());
    let root = walk(&fx.vfs, Cred::ROOT);
    let meta = fx.vfs.stat_path(&root, b"/proc/7", true).unwrap();
    assert_eq!(
        (meta.uid, meta.gid, meta.mode, meta.nlink),
        (1000, 100, 0o555, 3)
    );
    assert_eq!(meta.mtime, 1_700_000_003_000_000_000);
    let fd = fx.vfs.stat_path(&root, b"/proc/1/fd", true).unwrap();
    assert_eq!((fd.uid, fd.mode), (0, 0o500));
    let stranger = walk(
        &fx.vfs,
        Cred {
            uid: 1000,
            gid: 100,
        },
    );
    assert_eq!(
        fx.vfs.resolve(&stranger, b"/proc/1/fd/0", false),
        Err(FsError::Access)
    );
    let proc_root = fx.vfs.stat_path(&root, b"/proc", true).unwrap();
    assert_eq!(proc_root.nlink, 4);
}

#[test]
fn inode_numbers_and_paths_survive_refreshes() {
    let mut fx = Fixture::new(sample());
    let root = walk(&fx.vfs, Cred::ROOT);
    let before = fx.vfs.resolve(&root, b"/proc/7/fd", true).unwrap();
    *fx.snapshot.borrow_mut() = sample();
    let after = fx.vfs.resolve(&root, b"/proc/7/fd", true).unwrap();
    assert_eq!(before, after);
    assert_eq!(fx.vfs.path_of(after), Ok(b"/proc/7/fd".to_vec()));
}

#[test]
fn a_listing_survives_processes_coming_and_going() {
    let mut fx = Fixture::new(sample());
    let root = walk(&fx.vfs, Cred::ROOT);
    let options = OpenOptions {
        directory: true,
        ..OpenOptions::READ
    };
    let dir = fx.vfs.open(&root, b"/proc", &options).unwrap();
    let mut cookie = 0;
    let mut names = Vec::new();
    for round in 0..10u32 {
        let mut page = Vec::new();
        dir.readdir(cookie, &mut |entry| {
            page.push(entry);
            page.len() < 2
        })
        .unwrap();
        let Some(last) = page.last() else { break };
        cookie = last.next;
        names.extend(page.into_iter().map(|entry| entry.name));
        let mut snapshot = fx.snapshot.borrow_mut();
        snapshot
            .processes
            .insert(Pid(100 + round), ProcessInfo::default());
        snapshot.processes.remove(&Pid(100 + round - 1));
    }
    let expected: [&[u8]; 6] = [b".", b"..", b"self", b"uptime", b"mounts", b"1"];
    assert_eq!(names[..6], expected);
    assert!(names.contains(&b"7".to_vec()));
    assert_eq!(names.iter().filter(|name| *name == b"7").count(), 1);
}
