//! procfs: /proc, generated from a snapshot of plain data the kernel keeps
//! up to date.
//!
//! The kernel owns the truth (process table, fd tables, mounts); procfs only
//! formats a [`ProcSnapshot`] shared as `Rc<RefCell<_>>`. procfs borrows it
//! for the length of one call and never keeps it borrowed, so the kernel
//! writes it between calls without coordination. Rejected: a trait the
//! kernel implements for procfs to call back (procfs runs inside a VFS
//! call, while the kernel has the calling process out of its table and the
//! VFS borrowed; a callback would re-enter both).
//!
//! ```text
//! /proc/self             -> <current pid>
//! /proc/uptime           "12.34 0.50\n"
//! /proc/mounts           "memfs / memfs rw 0 0\n..."
//! /proc/meminfo          only when the snapshot has memory figures
//! /proc/<pid>/cmdline    argv, each followed by NUL
//! /proc/<pid>/cwd        -> the working directory (absent when unknown)
//! /proc/<pid>/fd/<n>     -> "/path", "pipe:[7]"...
//! /proc/<pid>/stat       one line of 52 fields
//! /proc/<pid>/status     "Name:\tsh\nState:\tS (sleeping)\n..."
//! ```
//!
//! Files report size 0, like Linux's, and a read at any offset slices
//! text generated at that read. Inode numbers are computed from what a node
//! is (`node.rs`), so they are stable across refreshes; readdir cookies are
//! too: `.` 0, `..` 1, fixed names from 2, a pid `p` at `16 + p`, an fd `n`
//! at `2 + n`, so a listing survives processes coming and going. A node
//! whose process vanished answers `NotFound` to everything.
//!
//! Everything that would change the tree fails with `ReadOnly`; attribute
//! changes with `Perm`, as Linux's proc does for chmod. /proc/loadavg is
//! left out: the kernel keeps no load averages to fill it with.
//!
//! # Example
//!
//! ```
//! use std::cell::RefCell;
//! use std::rc::Rc;
//! use wasmux_fs::procfs::{ProcFs, ProcSnapshot, ProcessInfo, command_name};
//! use wasmux_fs::{Cred, FakeClock, MemFs, OpenOptions, SharedFs, Vfs, Walk};
//! use wasmux_uapi::Pid;
//!
//! let clock = Rc::new(FakeClock::new(0));
//! let root_fs: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
//! let mut vfs = Vfs::new(root_fs, clock);
//! let root = vfs.root();
//! let walk = Walk { cred: Cred::ROOT, base: root, root, confine: false };
//! vfs.mkdir(&walk, b"/proc", 0o555)?;
//!
//! // Boot: share one snapshot between the kernel and the mounted procfs.
//! let snapshot = ProcSnapshot::shared();
//! let proc_fs: SharedFs = Rc::new(RefCell::new(ProcFs::new(snapshot.clone())));
//! let at = vfs.resolve(&walk, b"/proc", true)?;
//! vfs.mount(at, proc_fs)?;
//! snapshot.borrow_mut().set_mounts(&vfs.mounts());
//!
//! // When the process table changes, and before each system call.
//! let argv = vec![b"/bin/sh".to_vec()];
//! let shell = ProcessInfo { name: command_name(&argv[0]), argv, ..ProcessInfo::default() };
//! snapshot.borrow_mut().processes.insert(Pid(7), shell);
//! snapshot.borrow_mut().current = Some(Pid(7));
//!
//! let file = vfs.open(&walk, b"/proc/self/cmdline", &OpenOptions::READ)?;
//! let mut buf = [0; 64];
//! let count = file.read(&mut buf)?;
//! assert_eq!(&buf[..count], b"/bin/sh\0");
//! # Ok::<(), wasmux_fs::FsError>(())
//! ```

mod node;
mod render;
mod snapshot;

pub use node::PID_LIMIT;
pub use render::USER_HZ;
pub use snapshot::{
    MemoryInfo, MountEntry, ProcSnapshot, ProcState, ProcessInfo, SharedSnapshot, command_name,
};

use node::{Node, parse_number};
use wasmux_uapi::{Fd, Pid};

use crate::{
    DirEntry, FileSystem, FsError, FsStats, InodeId, Metadata, NewAttrs, NewNode, NodeKind, SetAttr,
};

/// Readdir cookie of pid 0 in /proc; pid `p` is at `PID_COOKIE + p`.
const PID_COOKIE: u64 = 16;

/// The /proc filesystem over a shared snapshot.
#[derive(Debug)]
pub struct ProcFs {
    snapshot: SharedSnapshot,
}

impl ProcFs {
    /// A /proc showing `snapshot`, which the kernel keeps a clone of to update.
    pub fn new(snapshot: SharedSnapshot) -> ProcFs {
        ProcFs { snapshot }
    }

    /// Runs `f` on the snapshot, borrowed for this call only.
    /// Errors: Io if the kernel holds it borrowed mutably, else `f`'s.
    fn with<R>(&self, f: impl FnOnce(&ProcSnapshot) -> Result<R, FsError>) -> Result<R, FsError> {
        let snapshot = self
            .snapshot
            .try_borrow()
            .map_err(|_| FsError::Io("the /proc snapshot is being updated".into()))?;
        f(&snapshot)
    }
}

/// The node `ino` if it exists in `snapshot`. Errors: NotFound.
fn existing(ino: InodeId, snapshot: &ProcSnapshot) -> Result<Node, FsError> {
    Node::from_ino(ino)
        .filter(|node| node.exists(snapshot))
        .ok_or(FsError::NotFound)
}

/// The entries of directory `dir` after `.` and `..`, with their cookies, in cookie order.
/// Errors: NotDir.
fn children(dir: Node, snapshot: &ProcSnapshot) -> Result<Vec<(u64, Node)>, FsError> {
    let entries: Vec<(u64, Node)> = match dir {
        Node::Root => {
            let fixed = Node::FIXED.iter().enumerate().skip(1);
            let fixed = fixed.map(|(index, &node)| (index as u64 + 1, node));
            let pids = snapshot.processes.keys().filter(|pid| pid.0 < PID_LIMIT);
            let pids = pids.map(|&pid| (PID_COOKIE + u64::from(pid.0), Node::ProcessDir(pid)));
            fixed.chain(pids).collect()
        }
        Node::ProcessDir(pid) => Node::PROCESS_FILES
            .iter()
            .enumerate()
            .map(|(index, make)| (index as u64 + 2, make(pid)))
            .collect(),
        Node::FdDir(pid) => snapshot
            .processes
            .get(&pid)
            .map(|process| {
                let fds = process.fds.keys();
                fds.map(|&fd| (u64::from(fd.0) + 2, Node::FdLink(pid, fd)))
                    .collect()
            })
            .unwrap_or_default(),
        _ => return Err(FsError::NotDir),
    };
    Ok(entries
        .into_iter()
        .filter(|(_, node)| node.exists(snapshot))
        .collect())
}

/// The child `name` of the existing directory `dir`. Errors: NotFound, NotDir.
fn child(dir: Node, name: &[u8], snapshot: &ProcSnapshot) -> Result<Node, FsError> {
    let found = match (dir, name) {
        (_, b".") if dir.kind() == NodeKind::Directory => Some(dir),
        (_, b"..") if dir.kind() == NodeKind::Directory => Some(dir.parent()),
        (Node::Root, _) => match parse_number(name) {
            Some(pid) => Some(Node::ProcessDir(Pid(pid))),
            None => Node::FIXED[1..].iter().copied().find(|n| n.name() == name),
        },
        (Node::ProcessDir(pid), _) => Node::PROCESS_FILES
            .iter()
            .map(|make| make(pid))
            .find(|node| node.name() == name),
        (Node::FdDir(pid), _) => parse_number(name).map(|fd| Node::FdLink(pid, Fd(fd))),
        _ => return Err(FsError::NotDir),
    };
    found
        .filter(|node| node.exists(snapshot))
        .ok_or(FsError::NotFound)
}

fn metadata(node: Node, snapshot: &ProcSnapshot) -> Metadata {
    let process = node.pid().and_then(|pid| snapshot.processes.get(&pid));
    let (uid, gid, started) = process.map_or((0, 0, 0), |p| (p.uid, p.gid, p.start_time));
    let time = snapshot.boot_time.saturating_add(started);
    let (mode, nlink) = match node {
        Node::Root => {
            let shown = snapshot.processes.range(..Pid(PID_LIMIT)).count() as u64;
            (0o555, 2 + shown)
        }
        Node::ProcessDir(_) => (0o555, 3),
        Node::FdDir(_) => (0o500, 2),
        Node::FdLink(..) => (0o700, 1),
        _ if node.kind() == NodeKind::Symlink => (0o777, 1),
        _ => (0o444, 1),
    };
    Metadata {
        dev: 0,
        ino: node.ino(),
        kind: node.kind(),
        mode,
        nlink,
        uid,
        gid,
        size: 0,
        rdev: 0,
        atime: time,
        mtime: time,
        ctime: time,
    }
}

impl FileSystem for ProcFs {
    /// "proc", Linux's name, so that tools reading /proc/mounts recognise it.
    fn type_name(&self) -> &'static str {
        "proc"
    }

    fn root(&self) -> InodeId {
        Node::Root.ino()
    }

    fn stat(&mut self, ino: InodeId) -> Result<Metadata, FsError> {
        self.with(|snapshot| Ok(metadata(existing(ino, snapshot)?, snapshot)))
    }

    fn lookup(&mut self, dir: InodeId, name: &[u8]) -> Result<InodeId, FsError> {
        self.with(|snapshot| Ok(child(existing(dir, snapshot)?, name, snapshot)?.ino()))
    }

    fn create(
        &mut self,
        _: InodeId,
        _: &[u8],
        _: NewNode,
        _: NewAttrs,
    ) -> Result<InodeId, FsError> {
        Err(FsError::ReadOnly)
    }

    fn link(&mut self, _: InodeId, _: InodeId, _: &[u8]) -> Result<(), FsError> {
        Err(FsError::ReadOnly)
    }

    fn unlink(&mut self, _: InodeId, _: &[u8]) -> Result<(), FsError> {
        Err(FsError::ReadOnly)
    }

    fn rmdir(&mut self, _: InodeId, _: &[u8]) -> Result<(), FsError> {
        Err(FsError::ReadOnly)
    }

    fn rename(&mut self, _: InodeId, _: &[u8], _: InodeId, _: &[u8]) -> Result<(), FsError> {
        Err(FsError::ReadOnly)
    }

    fn readlink(&mut self, ino: InodeId) -> Result<Vec<u8>, FsError> {
        self.with(|snapshot| render::link_target(existing(ino, snapshot)?, snapshot))
    }

    fn read(&mut self, ino: InodeId, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        let text = self.with(|snapshot| {
            let node = existing(ino, snapshot)?;
            if node.kind() == NodeKind::Directory {
                return Err(FsError::IsDir);
            }
            render::content(node, snapshot)
        })?;
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let rest = text.get(start..).unwrap_or_default();
        let count = rest.len().min(buf.len());
        buf[..count].copy_from_slice(&rest[..count]);
        Ok(count)
    }

    fn write(&mut self, _: InodeId, _: u64, _: &[u8]) -> Result<usize, FsError> {
        Err(FsError::ReadOnly)
    }

    fn set_attr(&mut self, _: InodeId, _: &SetAttr) -> Result<(), FsError> {
        Err(FsError::Perm)
    }

    fn readdir(
        &mut self,
        dir: InodeId,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError> {
        // Collected first, so that `sink` runs with the snapshot released.
        let entries = self.with(|snapshot| {
            let node = existing(dir, snapshot)?;
            let mut entries = vec![(0, node, b".".to_vec()), (1, node.parent(), b"..".to_vec())];
            let children = children(node, snapshot)?.into_iter();
            entries.extend(children.map(|(cookie, child)| (cookie, child, child.name())));
            Ok(entries)
        })?;
        for (at, node, name) in entries.into_iter().filter(|&(at, ..)| at >= cookie) {
            let entry = DirEntry {
                next: at + 1,
                ino: node.ino(),
                kind: node.kind(),
                name,
            };
            if !sink(entry) {
                break;
            }
        }
        Ok(())
    }

    fn open(&mut self, _: InodeId) {}

    fn release(&mut self, _: InodeId) {}

    fn sync(&mut self) -> Result<(), FsError> {
        Ok(())
    }

    fn stats(&mut self) -> FsStats {
        FsStats {
            block_size: 4096,
            ..FsStats::default()
        }
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
