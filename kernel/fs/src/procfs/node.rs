//! The nodes of /proc and their inode numbers.
//!
//! An inode number is computed from what the node is (the pid, the fd, the
//! kind of file), never allocated, so a path names the same inode across
//! snapshot refreshes and procfs keeps no table. The two top bits tag the
//! layout:
//!
//! ```text
//! 00 ...                       fixed nodes: the root, self, uptime, mounts, meminfo
//! 01 ... pid (bits 8-39) kind  a process's directory and files
//! 10 pid (bits 32-61) fd       a link in /proc/<pid>/fd
//! ```
//!
//! Rejected: a counter per (pid, file) handed out on first lookup (a table
//! that grows without bound and must be pruned) and hashing (collisions).

use wasmux_uapi::{Fd, Pid};

use super::snapshot::ProcSnapshot;
use crate::{InodeId, NodeKind};

/// Pids at or above this are not shown: their fd links would not fit the
/// inode layout (wasmux-proc allocates pids below 2^22).
pub const PID_LIMIT: u32 = 1 << 30;

const TAG_SHIFT: u32 = 62;
const PROCESS_TAG: u64 = 1 << TAG_SHIFT;
const FD_TAG: u64 = 2 << TAG_SHIFT;

/// A node of /proc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Root,
    SelfLink,
    Uptime,
    Mounts,
    Meminfo,
    ProcessDir(Pid),
    Cmdline(Pid),
    Cwd(Pid),
    FdDir(Pid),
    Stat(Pid),
    Status(Pid),
    FdLink(Pid, Fd),
}

impl Node {
    /// The fixed nodes, in listing order (their index is their inode number
    /// minus one, and their readdir cookie minus one).
    pub const FIXED: [Node; 5] = [
        Node::Root,
        Node::SelfLink,
        Node::Uptime,
        Node::Mounts,
        Node::Meminfo,
    ];

    /// The files of a process directory, in listing order.
    pub const PROCESS_FILES: [fn(Pid) -> Node; 5] = [
        Node::Cmdline,
        Node::Cwd,
        Node::FdDir,
        Node::Stat,
        Node::Status,
    ];

    /// Index of a per-process node kind in the inode layout.
    fn process_kind(self) -> Option<(Pid, u64)> {
        let (pid, kind) = match self {
            Node::ProcessDir(pid) => (pid, 0),
            Node::Cmdline(pid) => (pid, 1),
            Node::Cwd(pid) => (pid, 2),
            Node::FdDir(pid) => (pid, 3),
            Node::Stat(pid) => (pid, 4),
            Node::Status(pid) => (pid, 5),
            _ => return None,
        };
        Some((pid, kind))
    }

    pub fn ino(self) -> InodeId {
        if let Some((pid, kind)) = self.process_kind() {
            return InodeId(PROCESS_TAG | (u64::from(pid.0) << 8) | kind);
        }
        if let Node::FdLink(pid, fd) = self {
            return InodeId(FD_TAG | (u64::from(pid.0) << 32) | u64::from(fd.0));
        }
        let index = Node::FIXED.iter().position(|&node| node == self);
        InodeId(index.map_or(0, |index| index as u64 + 1))
    }

    /// The node with inode number `ino`, if any could have it (whether it
    /// exists now is [`Node::exists`]).
    pub fn from_ino(ino: InodeId) -> Option<Node> {
        let ino = ino.0;
        match ino >> TAG_SHIFT {
            0 => Node::FIXED
                .get(usize::try_from(ino.checked_sub(1)?).ok()?)
                .copied(),
            1 => {
                let pid = Pid(u32::try_from((ino >> 8) & 0xffff_ffff).ok()?);
                if (ino & !PROCESS_TAG) >> 40 != 0 || pid.0 >= PID_LIMIT {
                    return None;
                }
                let make = match ino & 0xff {
                    0 => Node::ProcessDir,
                    kind => *Node::PROCESS_FILES.get(usize::try_from(kind - 1).ok()?)?,
                };
                Some(make(pid))
            }
            2 => {
                let pid = Pid(u32::try_from((ino & !FD_TAG) >> 32).ok()?);
                let fd = Fd(u32::try_from(ino & 0xffff_ffff).ok()?);
                (pid.0 < PID_LIMIT).then_some(Node::FdLink(pid, fd))
            }
            _ => None,
        }
    }

    pub fn kind(self) -> NodeKind {
        match self {
            Node::Root | Node::ProcessDir(_) | Node::FdDir(_) => NodeKind::Directory,
            Node::SelfLink | Node::Cwd(_) | Node::FdLink(..) => NodeKind::Symlink,
            _ => NodeKind::Regular,
        }
    }

    /// The process the node belongs to.
    pub fn pid(self) -> Option<Pid> {
        match self {
            Node::FdLink(pid, _) => Some(pid),
            node => node.process_kind().map(|(pid, _)| pid),
        }
    }

    /// The directory holding the node (the root for the root).
    pub fn parent(self) -> Node {
        match self {
            Node::FdLink(pid, _) => Node::FdDir(pid),
            Node::ProcessDir(_) => Node::Root,
            node => node.pid().map_or(Node::Root, Node::ProcessDir),
        }
    }

    /// The name under its parent (the root's is empty).
    pub fn name(self) -> Vec<u8> {
        let name: &[u8] = match self {
            Node::Root => b"",
            Node::SelfLink => b"self",
            Node::Uptime => b"uptime",
            Node::Mounts => b"mounts",
            Node::Meminfo => b"meminfo",
            Node::ProcessDir(pid) => return pid.0.to_string().into_bytes(),
            Node::FdLink(_, fd) => return fd.0.to_string().into_bytes(),
            Node::Cmdline(_) => b"cmdline",
            Node::Cwd(_) => b"cwd",
            Node::FdDir(_) => b"fd",
            Node::Stat(_) => b"stat",
            Node::Status(_) => b"status",
        };
        name.to_vec()
    }

    /// Whether the node exists in `snapshot`.
    pub fn exists(self, snapshot: &ProcSnapshot) -> bool {
        let process = self
            .pid()
            .filter(|pid| pid.0 < PID_LIMIT)
            .and_then(|pid| snapshot.processes.get(&pid));
        match self {
            Node::Root | Node::Uptime | Node::Mounts => true,
            Node::SelfLink => snapshot.current.is_some(),
            Node::Meminfo => snapshot.memory.is_some(),
            Node::Cwd(_) => process.is_some_and(|process| !process.cwd.is_empty()),
            Node::FdLink(_, fd) => process.is_some_and(|process| process.fds.contains_key(&fd)),
            _ => process.is_some(),
        }
    }
}

/// Parses a decimal number written the way /proc lists it: digits only, no
/// sign, no leading zero.
pub(crate) fn parse_number(name: &[u8]) -> Option<u32> {
    if name.is_empty() || name.len() > 10 || (name.len() > 1 && name.first() == Some(&b'0')) {
        return None;
    }
    if !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    core::str::from_utf8(name).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inode_numbers_round_trip() {
        let pids = [Pid(0), Pid(1), Pid(4_194_303), Pid(PID_LIMIT - 1)];
        for pid in pids {
            let mut nodes = vec![Node::ProcessDir(pid), Node::FdLink(pid, Fd(u32::MAX))];
            nodes.extend(Node::PROCESS_FILES.iter().map(|make| make(pid)));
            for node in nodes.into_iter().chain(Node::FIXED) {
                assert_eq!(Node::from_ino(node.ino()), Some(node), "{node:?}");
            }
        }
        assert_eq!(Node::from_ino(InodeId(0)), None);
        assert_eq!(Node::from_ino(InodeId(u64::MAX)), None);
        assert_eq!(Node::from_ino(InodeId(PROCESS_TAG | 0x77)), None);
    }

    #[test]
    fn only_canonical_numbers_parse() {
        assert_eq!(parse_number(b"0"), Some(0));
        assert_eq!(parse_number(b"42"), Some(42));
        for bad in [
            &b""[..],
            b"042",
            b"+1",
            b"-1",
            b"4294967296",
            b"1a",
            b"99999999999",
        ] {
            assert_eq!(parse_number(bad), None);
        }
    }
}
