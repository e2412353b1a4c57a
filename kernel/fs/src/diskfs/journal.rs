//! Metadata as JSON: the snapshot, the log records, and rebuilding the tree.
//!
//! # Why a snapshot plus a log of state records
//!
//! The tree is small next to file data and changes by single nodes and
//! entries, so a commit appends one frame holding the *final state* of every
//! node and directory entry changed since the previous commit (a batch), not
//! the operations that changed them. Replaying states is idempotent and
//! needs no operation semantics, a batch is atomic (one checksummed frame),
//! and a file written a thousand times between commits costs one record.
//! When the log region fills, the whole tree is written as a new snapshot
//! and the superblock flips to it (compaction); the log is sized at twice
//! the snapshot, so compaction stays amortised O(1) per change.
//!
//! Rejected: rewriting the whole JSON tree on every commit (quadratic when
//! creating many files with fsync), an operation log (replay must then
//! re-run rename/unlink rules, and a bug there breaks mounting), and one
//! store object per file (an OPFS file costs milliseconds to create).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::extents::Extent;
use crate::tree::{Attrs, Changes, Dir, Node, Tree, check_name};
use crate::{Clock, NodeKind};

/// A byte string in JSON: the string itself when it is UTF-8, else `"\0"` and hex.
/// (Names and symlink targets never contain NUL, so the marker is unambiguous.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bytes(pub Vec<u8>);

impl Bytes {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match core::str::from_utf8(&self.0) {
            Ok(text) if !text.starts_with('\0') => serializer.serialize_str(text),
            _ => {
                let mut text = String::with_capacity(1 + 2 * self.0.len());
                text.push('\0');
                for byte in &self.0 {
                    text.push_str(&format!("{byte:02x}"));
                }
                serializer.serialize_str(&text)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Bytes, D::Error> {
        let text = String::deserialize(deserializer)?;
        let Some(hex) = text.strip_prefix('\0') else {
            return Ok(Bytes(text.into_bytes()));
        };
        let digits = hex.as_bytes();
        if digits.len() % 2 != 0 {
            return Err(serde::de::Error::custom("odd hex length"));
        }
        let mut bytes = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks(2) {
            let pair = core::str::from_utf8(pair).map_err(serde::de::Error::custom)?;
            bytes.push(u8::from_str_radix(pair, 16).map_err(serde::de::Error::custom)?);
        }
        Ok(Bytes(bytes))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    Chr,
    Blk,
    Fifo,
    Sock,
}

impl From<NodeKind> for Kind {
    fn from(kind: NodeKind) -> Kind {
        match kind {
            NodeKind::Regular => Kind::File,
            NodeKind::Directory => Kind::Dir,
            NodeKind::Symlink => Kind::Symlink,
            NodeKind::CharDevice => Kind::Chr,
            NodeKind::BlockDevice => Kind::Blk,
            NodeKind::Fifo => Kind::Fifo,
            NodeKind::Socket => Kind::Sock,
        }
    }
}

impl From<Kind> for NodeKind {
    fn from(kind: Kind) -> NodeKind {
        match kind {
            Kind::File => NodeKind::Regular,
            Kind::Dir => NodeKind::Directory,
            Kind::Symlink => NodeKind::Symlink,
            Kind::Chr => NodeKind::CharDevice,
            Kind::Blk => NodeKind::BlockDevice,
            Kind::Fifo => NodeKind::Fifo,
            Kind::Sock => NodeKind::Socket,
        }
    }
}

/// One directory entry: name, inode, insertion sequence (the readdir cookie order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EntryState(pub Bytes, pub u64, pub u64);

/// Everything about one node. In a log record `entries` is empty (entries
/// travel as their own records); in a snapshot a directory lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NodeState {
    pub ino: u64,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u64,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub rdev: u64,
    pub atime: u64,
    pub mtime: u64,
    pub ctime: u64,
    #[serde(default, skip_serializing_if = "Bytes::is_empty")]
    pub target: Bytes,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extents: Vec<Extent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<EntryState>,
}

/// One change in a log batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Record {
    /// A node's state (created or changed).
    Node(NodeState),
    /// A directory entry now names `ino`, or (with `None`) is gone.
    Entry {
        dir: u64,
        name: Bytes,
        ino: Option<u64>,
        seq: u64,
    },
    /// A node was freed.
    Drop { ino: u64 },
}

/// One log frame's payload: every change of one commit.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Batch {
    pub next_ino: u64,
    pub records: Vec<Record>,
}

/// The whole tree.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub format: u32,
    pub root: u64,
    pub next_ino: u64,
    pub nodes: Vec<NodeState>,
}

pub(crate) type DiskTree = Tree<Vec<Extent>>;

fn node_state(ino: u64, node: &Node<Vec<Extent>>, with_entries: bool) -> NodeState {
    let entries = match (&node.dir, with_entries) {
        (Some(dir), true) => dir
            .order
            .iter()
            .filter_map(|(&seq, name)| Some(EntryState(Bytes(name.clone()), dir.get(name)?, seq)))
            .collect(),
        _ => Vec::new(),
    };
    NodeState {
        ino,
        kind: node.kind.into(),
        mode: node.attrs.mode,
        uid: node.attrs.uid,
        gid: node.attrs.gid,
        nlink: node.attrs.nlink,
        size: node.attrs.size,
        rdev: node.attrs.rdev,
        atime: node.attrs.atime,
        mtime: node.attrs.mtime,
        ctime: node.attrs.ctime,
        target: Bytes(node.target.clone()),
        extents: node.data.clone(),
        entries,
    }
}

/// The snapshot of a tree, nodes in inode order.
pub(crate) fn snapshot(tree: &DiskTree) -> Snapshot {
    let mut inos: Vec<u64> = tree.nodes.keys().copied().collect();
    inos.sort_unstable();
    let nodes = inos
        .iter()
        .filter_map(|ino| Some(node_state(*ino, tree.nodes.get(ino)?, true)))
        .collect();
    Snapshot {
        format: 1,
        root: tree.root,
        next_ino: tree.next_ino,
        nodes,
    }
}

/// The batch describing `changes` against the current tree.
pub(crate) fn batch(tree: &DiskTree, changes: &Changes) -> Batch {
    let mut records = Vec::new();
    let mut drops = Vec::new();
    for &ino in &changes.nodes {
        match tree.nodes.get(&ino) {
            Some(node) => records.push(Record::Node(node_state(ino, node, false))),
            None => drops.push(Record::Drop { ino }),
        }
    }
    for (dir, name) in &changes.entries {
        let Some(entries) = tree.nodes.get(dir).and_then(|node| node.dir.as_ref()) else {
            continue;
        };
        let (seq, ino) = match entries.entries.get(name) {
            Some(&(seq, ino)) => (seq, Some(ino)),
            None => (0, None),
        };
        records.push(Record::Entry {
            dir: *dir,
            name: Bytes(name.clone()),
            ino,
            seq,
        });
    }
    records.extend(drops);
    Batch {
        next_ino: tree.next_ino,
        records,
    }
}

/// A tree under construction from a snapshot and log batches, before checking.
#[derive(Debug, Default)]
pub(crate) struct Loader {
    root: u64,
    next_ino: u64,
    nodes: HashMap<u64, NodeState>,
    /// dir -> name -> (seq, ino)
    entries: HashMap<u64, BTreeMap<Vec<u8>, (u64, u64)>>,
}

impl Loader {
    pub fn from_snapshot(snapshot: Snapshot) -> Loader {
        let mut loader = Loader {
            root: snapshot.root,
            next_ino: snapshot.next_ino,
            ..Loader::default()
        };
        for mut node in snapshot.nodes {
            if node.kind == Kind::Dir {
                let entries = loader.entries.entry(node.ino).or_default();
                for EntryState(name, ino, seq) in core::mem::take(&mut node.entries) {
                    entries.insert(name.0, (seq, ino));
                }
            }
            loader.nodes.insert(node.ino, node);
        }
        loader
    }

    pub fn apply(&mut self, batch: Batch) {
        self.next_ino = self.next_ino.max(batch.next_ino);
        for record in batch.records {
            match record {
                Record::Node(node) => {
                    if node.kind == Kind::Dir {
                        self.entries.entry(node.ino).or_default();
                    }
                    self.nodes.insert(node.ino, node);
                }
                Record::Entry {
                    dir,
                    name,
                    ino: Some(ino),
                    seq,
                } => {
                    self.entries
                        .entry(dir)
                        .or_default()
                        .insert(name.0, (seq, ino));
                }
                Record::Entry {
                    dir,
                    name,
                    ino: None,
                    ..
                } => {
                    if let Some(entries) = self.entries.get_mut(&dir) {
                        entries.remove(&name.0);
                    }
                }
                Record::Drop { ino } => {
                    self.nodes.remove(&ino);
                    self.entries.remove(&ino);
                }
            }
        }
    }

    /// Checks and builds the tree. Keeps only what is reachable from the root
    /// (an unlinked file that was open at the crash is freed here) and
    /// recomputes link counts and parents from the entries.
    /// Errors: a message saying what is inconsistent.
    pub fn finish(mut self, clock: Rc<dyn Clock>) -> Result<(DiskTree, bool), String> {
        let root = self
            .nodes
            .get(&self.root)
            .ok_or("the root directory is missing")?;
        if root.kind != Kind::Dir {
            return Err("the root is not a directory".into());
        }
        let mut nlink: HashMap<u64, u64> = HashMap::new();
        let mut parent: HashMap<u64, u64> = HashMap::new();
        let mut seen: HashSet<u64> = HashSet::from([self.root]);
        let mut queue = vec![self.root];
        parent.insert(self.root, self.root);
        while let Some(dir) = queue.pop() {
            let Some(entries) = self.entries.get(&dir) else {
                continue;
            };
            for (name, &(_, ino)) in entries {
                check_name(name).map_err(|_| format!("directory {dir} holds a bad name"))?;
                let node = self
                    .nodes
                    .get(&ino)
                    .ok_or_else(|| format!("directory {dir} names missing inode {ino}"))?;
                *nlink.entry(ino).or_default() += 1;
                if node.kind == Kind::Dir {
                    if seen.contains(&ino) {
                        return Err(format!("directory {ino} is linked twice"));
                    }
                    parent.insert(ino, dir);
                    *nlink.entry(dir).or_default() += 1;
                    *nlink.entry(ino).or_default() += 1;
                }
                if seen.insert(ino) && node.kind == Kind::Dir {
                    queue.push(ino);
                }
            }
        }
        let dropped_some = self.nodes.len() != seen.len();
        let root_ino = self.root;
        *nlink.entry(root_ino).or_default() += 2;
        let mut nodes = HashMap::with_capacity(seen.len());
        let mut max_ino = 0;
        for ino in seen {
            let Some(state) = self.nodes.remove(&ino) else {
                continue;
            };
            max_ino = max_ino.max(ino);
            let kind: NodeKind = state.kind.into();
            let dir = (kind == NodeKind::Directory).then(|| {
                let mut dir = Dir::new(parent.get(&ino).copied().unwrap_or(root_ino));
                for (name, (seq, child)) in self.entries.remove(&ino).unwrap_or_default() {
                    dir.insert_with_seq(name, child, seq);
                }
                dir
            });
            let attrs = Attrs {
                mode: state.mode & 0o7777,
                uid: state.uid,
                gid: state.gid,
                nlink: nlink.get(&ino).copied().unwrap_or(0),
                size: if kind == NodeKind::Regular {
                    state.size
                } else {
                    0
                },
                rdev: state.rdev,
                atime: state.atime,
                mtime: state.mtime,
                ctime: state.ctime,
            };
            let node = Node {
                kind,
                attrs,
                target: state.target.0,
                data: state.extents,
                dir,
                open: 0,
            };
            nodes.insert(ino, node);
        }
        let tree = Tree {
            nodes,
            next_ino: self.next_ino.max(max_ino.saturating_add(1)),
            root: root_ino,
            clock,
            freed: Vec::new(),
            changes: Some(Changes::default()),
        };
        Ok((tree, dropped_some))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_plain_strings_when_utf8_and_hex_otherwise() {
        let plain = serde_json::to_string(&Bytes(b"caf\xc3\xa9".to_vec())).unwrap();
        assert_eq!(plain, "\"café\"");
        let binary = serde_json::to_string(&Bytes(vec![0xff, 0x41])).unwrap();
        assert_eq!(binary, "\"\\u0000ff41\"");
        let back: Bytes = serde_json::from_str(&binary).unwrap();
        assert_eq!(back.0, vec![0xff, 0x41]);
        assert!(serde_json::from_str::<Bytes>("\"\\u0000f\"").is_err());
    }

    #[test]
    fn missing_root_is_an_error_not_a_panic() {
        let snapshot = Snapshot {
            format: 1,
            root: 9,
            next_ino: 10,
            nodes: Vec::new(),
        };
        let clock: Rc<dyn Clock> = Rc::new(crate::FakeClock::new(0));
        assert!(Loader::from_snapshot(snapshot).finish(clock).is_err());
    }
}
