//! The in-memory inode table and namespace shared by memfs and diskfs.
//!
//! Both filesystems keep their whole tree in memory and differ only in where
//! file bytes live (a `Vec<u8>` for memfs, extents in a block store for
//! diskfs), so the namespace rules (names, nlink counts, rename, readdir
//! cookies, open-unlinked lifetimes) are written once here and the two
//! behave identically by construction.
//!
//! # Readdir cookies
//!
//! Every directory numbers its entries with a monotonically increasing
//! insertion sequence (starting at 2; `.` is cookie 0 and `..` cookie 1), and
//! an entry's cookie is its sequence plus one. Resuming at cookie `c` lists
//! the entries with sequence `>= c` in sequence order, so an entry present
//! throughout a listing is returned exactly once whatever is added or removed
//! meanwhile. Rejected: offsets into a sorted name list (shift when entries
//! are removed, so entries get skipped or repeated) and hashes of names
//! (collide, and the order is then unrelated to creation).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use crate::{Clock, DirEntry, FsError, InodeId, Metadata, NewAttrs, NewNode, NodeKind, SetAttr};

/// Longest name component in bytes.
pub(crate) const NAME_MAX: usize = 255;

/// The first sequence number given to a directory entry.
pub(crate) const FIRST_SEQ: u64 = 2;

/// Checks one name component for a filesystem operation.
pub(crate) fn check_name(name: &[u8]) -> Result<(), FsError> {
    if name.is_empty() || name.contains(&b'/') || name.contains(&0) {
        return Err(FsError::Invalid);
    }
    if name.len() > NAME_MAX {
        return Err(FsError::NameTooLong);
    }
    Ok(())
}

fn is_dot(name: &[u8]) -> bool {
    name == b"." || name == b".."
}

/// Plain attributes of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Attrs {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u64,
    pub size: u64,
    pub rdev: u64,
    pub atime: u64,
    pub mtime: u64,
    pub ctime: u64,
}

/// A directory's entries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dir {
    /// name -> (sequence, inode)
    pub entries: BTreeMap<Vec<u8>, (u64, u64)>,
    /// sequence -> name, for cookie order
    pub order: BTreeMap<u64, Vec<u8>>,
    pub next_seq: u64,
    pub parent: u64,
}

impl Dir {
    pub fn new(parent: u64) -> Dir {
        Dir {
            entries: BTreeMap::new(),
            order: BTreeMap::new(),
            next_seq: FIRST_SEQ,
            parent,
        }
    }

    /// Inserts `name` with a fresh sequence number.
    pub fn insert(&mut self, name: Vec<u8>, ino: u64) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        self.insert_with_seq(name, ino, seq);
    }

    /// Inserts `name` with a known sequence number (replay).
    pub fn insert_with_seq(&mut self, name: Vec<u8>, ino: u64, seq: u64) {
        self.remove(&name);
        self.order.insert(seq, name.clone());
        self.entries.insert(name, (seq, ino));
        if seq >= self.next_seq {
            self.next_seq = seq.saturating_add(1);
        }
    }

    pub fn remove(&mut self, name: &[u8]) -> Option<u64> {
        let (seq, ino) = self.entries.remove(name)?;
        self.order.remove(&seq);
        Some(ino)
    }

    pub fn get(&self, name: &[u8]) -> Option<u64> {
        self.entries.get(name).map(|&(_, ino)| ino)
    }
}

/// One inode. `D` is where a regular file's bytes live.
#[derive(Clone, Debug)]
pub(crate) struct Node<D> {
    pub kind: NodeKind,
    pub attrs: Attrs,
    /// Symlink target.
    pub target: Vec<u8>,
    /// Regular file content.
    pub data: D,
    pub dir: Option<Dir>,
    /// Open file descriptions referring to the node (not persisted).
    pub open: u64,
}

/// Changes since the last commit, kept only when tracking is on (diskfs).
#[derive(Clone, Debug, Default)]
pub(crate) struct Changes {
    pub nodes: BTreeSet<u64>,
    pub entries: BTreeSet<(u64, Vec<u8>)>,
}

/// The inode table.
pub(crate) struct Tree<D> {
    pub nodes: HashMap<u64, Node<D>>,
    pub next_ino: u64,
    pub root: u64,
    pub clock: Rc<dyn Clock>,
    /// Data of nodes freed since the owner last drained it.
    pub freed: Vec<D>,
    pub changes: Option<Changes>,
}

impl<D> core::fmt::Debug for Tree<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tree")
            .field("nodes", &self.nodes.len())
            .field("next_ino", &self.next_ino)
            .finish()
    }
}

/// The root inode number of a fresh tree.
pub(crate) const ROOT_INO: u64 = 1;

impl<D: Default> Tree<D> {
    /// A tree holding only a root directory with mode 0o755 owned by root.
    pub fn new(clock: Rc<dyn Clock>) -> Tree<D> {
        let now = clock.now();
        let attrs = Attrs {
            mode: 0o755,
            uid: 0,
            gid: 0,
            nlink: 2,
            size: 0,
            rdev: 0,
            atime: now,
            mtime: now,
            ctime: now,
        };
        let root = Node {
            kind: NodeKind::Directory,
            attrs,
            target: Vec::new(),
            data: D::default(),
            dir: Some(Dir::new(ROOT_INO)),
            open: 0,
        };
        let mut nodes = HashMap::new();
        nodes.insert(ROOT_INO, root);
        Tree {
            nodes,
            next_ino: ROOT_INO + 1,
            root: ROOT_INO,
            clock,
            freed: Vec::new(),
            changes: None,
        }
    }

    pub fn node(&self, ino: InodeId) -> Result<&Node<D>, FsError> {
        self.nodes.get(&ino.0).ok_or(FsError::NotFound)
    }

    /// A node to change; marks it dirty.
    pub fn node_mut(&mut self, ino: InodeId) -> Result<&mut Node<D>, FsError> {
        if let Some(changes) = &mut self.changes {
            changes.nodes.insert(ino.0);
        }
        self.nodes.get_mut(&ino.0).ok_or(FsError::NotFound)
    }

    fn touch_entry(&mut self, dir: u64, name: &[u8]) {
        if let Some(changes) = &mut self.changes {
            changes.entries.insert((dir, name.to_vec()));
            changes.nodes.insert(dir);
        }
    }

    fn dir(&self, ino: InodeId) -> Result<&Dir, FsError> {
        self.node(ino)?.dir.as_ref().ok_or(FsError::NotDir)
    }

    fn dir_mut(&mut self, ino: InodeId) -> Result<&mut Dir, FsError> {
        self.node_mut(ino)?.dir.as_mut().ok_or(FsError::NotDir)
    }

    pub fn now(&self) -> u64 {
        self.clock.now()
    }

    pub fn stat(&self, ino: InodeId) -> Result<Metadata, FsError> {
        let node = self.node(ino)?;
        let size = match &node.dir {
            Some(dir) => dir.entries.len() as u64,
            None if node.kind == NodeKind::Symlink => node.target.len() as u64,
            None => node.attrs.size,
        };
        Ok(Metadata {
            dev: 0,
            ino,
            kind: node.kind,
            mode: node.attrs.mode,
            nlink: node.attrs.nlink,
            uid: node.attrs.uid,
            gid: node.attrs.gid,
            size,
            rdev: node.attrs.rdev,
            atime: node.attrs.atime,
            mtime: node.attrs.mtime,
            ctime: node.attrs.ctime,
        })
    }

    pub fn lookup(&self, dir: InodeId, name: &[u8]) -> Result<InodeId, FsError> {
        let entries = self.dir(dir)?;
        match name {
            b"." => Ok(dir),
            b".." => Ok(InodeId(entries.parent)),
            _ => entries.get(name).map(InodeId).ok_or(FsError::NotFound),
        }
    }

    /// Updates mtime and ctime of a directory whose entries changed.
    fn dir_changed(&mut self, dir: InodeId, now: u64) -> Result<(), FsError> {
        let node = self.node_mut(dir)?;
        node.attrs.mtime = now;
        node.attrs.ctime = now;
        Ok(())
    }

    pub fn create(
        &mut self,
        dir: InodeId,
        name: &[u8],
        new: NewNode,
        attrs: NewAttrs,
    ) -> Result<InodeId, FsError> {
        if is_dot(name) {
            self.dir(dir)?;
            return Err(FsError::Exists);
        }
        check_name(name)?;
        if self.dir(dir)?.get(name).is_some() {
            return Err(FsError::Exists);
        }
        let now = self.now();
        let ino = self.next_ino;
        self.next_ino = self.next_ino.checked_add(1).ok_or(FsError::NoSpace)?;
        let (kind, target, rdev, dir_body, nlink) = match new {
            NewNode::Regular => (NodeKind::Regular, Vec::new(), 0, None, 1),
            NewNode::Directory => (NodeKind::Directory, Vec::new(), 0, Some(Dir::new(dir.0)), 2),
            NewNode::Symlink { target } => {
                if target.is_empty() || target.contains(&0) {
                    return Err(FsError::Invalid);
                }
                if target.len() > crate::vfs::PATH_MAX {
                    return Err(FsError::NameTooLong);
                }
                (NodeKind::Symlink, target, 0, None, 1)
            }
            NewNode::Device { kind, rdev } => match kind {
                NodeKind::CharDevice | NodeKind::BlockDevice => (kind, Vec::new(), rdev, None, 1),
                _ => return Err(FsError::Invalid),
            },
            NewNode::Fifo => (NodeKind::Fifo, Vec::new(), 0, None, 1),
        };
        let is_dir = dir_body.is_some();
        let node = Node {
            kind,
            attrs: Attrs {
                mode: attrs.mode & 0o7777,
                uid: attrs.uid,
                gid: attrs.gid,
                nlink,
                size: 0,
                rdev,
                atime: now,
                mtime: now,
                ctime: now,
            },
            target,
            data: D::default(),
            dir: dir_body,
            open: 0,
        };
        self.nodes.insert(ino, node);
        if let Some(changes) = &mut self.changes {
            changes.nodes.insert(ino);
        }
        self.dir_mut(dir)?.insert(name.to_vec(), ino);
        self.touch_entry(dir.0, name);
        self.dir_changed(dir, now)?;
        if is_dir {
            let parent = self.node_mut(dir)?;
            parent.attrs.nlink = parent.attrs.nlink.saturating_add(1);
        }
        Ok(InodeId(ino))
    }

    pub fn link(&mut self, ino: InodeId, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        if is_dot(name) {
            self.dir(dir)?;
            return Err(FsError::Exists);
        }
        check_name(name)?;
        if self.dir(dir)?.get(name).is_some() {
            return Err(FsError::Exists);
        }
        let node = self.node(ino)?;
        if node.kind == NodeKind::Directory {
            return Err(FsError::Perm);
        }
        if node.attrs.nlink == 0 {
            return Err(FsError::NotFound);
        }
        if node.attrs.nlink >= u64::from(u32::MAX) {
            return Err(FsError::TooManyLinks);
        }
        let now = self.now();
        let node = self.node_mut(ino)?;
        node.attrs.nlink += 1;
        node.attrs.ctime = now;
        self.dir_mut(dir)?.insert(name.to_vec(), ino.0);
        self.touch_entry(dir.0, name);
        self.dir_changed(dir, now)
    }

    /// Drops one link of `ino`; frees it when no links and no opens remain.
    fn drop_link(&mut self, ino: u64, now: u64) -> Result<(), FsError> {
        let node = self.node_mut(InodeId(ino))?;
        node.attrs.nlink = node.attrs.nlink.saturating_sub(1);
        node.attrs.ctime = now;
        self.maybe_free(ino);
        Ok(())
    }

    fn maybe_free(&mut self, ino: u64) {
        let free =
            matches!(self.nodes.get(&ino), Some(node) if node.attrs.nlink == 0 && node.open == 0);
        if !free {
            return;
        }
        if let Some(node) = self.nodes.remove(&ino) {
            if let Some(changes) = &mut self.changes {
                changes.nodes.insert(ino);
            }
            self.freed.push(node.data);
        }
    }

    pub fn unlink(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        if is_dot(name) {
            self.dir(dir)?;
            return Err(FsError::IsDir);
        }
        check_name(name)?;
        let ino = self.dir(dir)?.get(name).ok_or(FsError::NotFound)?;
        if self.node(InodeId(ino))?.kind == NodeKind::Directory {
            return Err(FsError::IsDir);
        }
        let now = self.now();
        self.dir_mut(dir)?.remove(name);
        self.touch_entry(dir.0, name);
        self.dir_changed(dir, now)?;
        self.drop_link(ino, now)
    }

    pub fn rmdir(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        match name {
            b"." => {
                self.dir(dir)?;
                return Err(FsError::Invalid);
            }
            b".." => {
                self.dir(dir)?;
                return Err(FsError::NotEmpty);
            }
            _ => check_name(name)?,
        }
        let ino = self.dir(dir)?.get(name).ok_or(FsError::NotFound)?;
        let victim = self.dir(InodeId(ino))?;
        if !victim.entries.is_empty() {
            return Err(FsError::NotEmpty);
        }
        let now = self.now();
        self.dir_mut(dir)?.remove(name);
        self.touch_entry(dir.0, name);
        self.dir_changed(dir, now)?;
        let parent = self.node_mut(dir)?;
        parent.attrs.nlink = parent.attrs.nlink.saturating_sub(1);
        let node = self.node_mut(InodeId(ino))?;
        node.attrs.nlink = 0;
        node.attrs.ctime = now;
        self.maybe_free(ino);
        Ok(())
    }

    /// Whether `ancestor` is `ino` or one of its ancestors.
    fn is_ancestor(&self, ancestor: u64, mut ino: u64) -> bool {
        // Bounded by the node count so a corrupt parent chain cannot loop forever.
        for _ in 0..=self.nodes.len() {
            if ino == ancestor {
                return true;
            }
            match self.nodes.get(&ino).and_then(|node| node.dir.as_ref()) {
                Some(dir) if dir.parent != ino => ino = dir.parent,
                _ => return false,
            }
        }
        false
    }

    pub fn rename(
        &mut self,
        from_dir: InodeId,
        from_name: &[u8],
        to_dir: InodeId,
        to_name: &[u8],
    ) -> Result<(), FsError> {
        self.dir(from_dir)?;
        self.dir(to_dir)?;
        if is_dot(from_name) || is_dot(to_name) {
            return Err(FsError::Busy);
        }
        check_name(from_name)?;
        check_name(to_name)?;
        let ino = self
            .dir(from_dir)?
            .get(from_name)
            .ok_or(FsError::NotFound)?;
        let moving_dir = self.node(InodeId(ino))?.kind == NodeKind::Directory;
        let existing = self.dir(to_dir)?.get(to_name);
        if existing == Some(ino) {
            return Ok(());
        }
        if moving_dir && self.is_ancestor(ino, to_dir.0) {
            return Err(FsError::Invalid);
        }
        if let Some(target) = existing {
            let target_node = self.node(InodeId(target))?;
            match (&target_node.dir, moving_dir) {
                (Some(dir), true) if !dir.entries.is_empty() => return Err(FsError::NotEmpty),
                (Some(_), false) => return Err(FsError::IsDir),
                (None, true) => return Err(FsError::NotDir),
                _ => {}
            }
        }
        let now = self.now();
        if let Some(target) = existing {
            self.dir_mut(to_dir)?.remove(to_name);
            if moving_dir {
                let parent = self.node_mut(to_dir)?;
                parent.attrs.nlink = parent.attrs.nlink.saturating_sub(1);
                let node = self.node_mut(InodeId(target))?;
                node.attrs.nlink = 0;
                node.attrs.ctime = now;
                self.maybe_free(target);
            } else {
                self.drop_link(target, now)?;
            }
        }
        self.dir_mut(from_dir)?.remove(from_name);
        self.touch_entry(from_dir.0, from_name);
        self.dir_mut(to_dir)?.insert(to_name.to_vec(), ino);
        self.touch_entry(to_dir.0, to_name);
        self.dir_changed(from_dir, now)?;
        self.dir_changed(to_dir, now)?;
        let node = self.node_mut(InodeId(ino))?;
        node.attrs.ctime = now;
        if moving_dir && from_dir != to_dir {
            if let Some(dir) = &mut node.dir {
                dir.parent = to_dir.0;
            }
            let old_parent = self.node_mut(from_dir)?;
            old_parent.attrs.nlink = old_parent.attrs.nlink.saturating_sub(1);
            let new_parent = self.node_mut(to_dir)?;
            new_parent.attrs.nlink = new_parent.attrs.nlink.saturating_add(1);
        }
        Ok(())
    }

    pub fn readlink(&self, ino: InodeId) -> Result<Vec<u8>, FsError> {
        let node = self.node(ino)?;
        if node.kind != NodeKind::Symlink {
            return Err(FsError::Invalid);
        }
        Ok(node.target.clone())
    }

    pub fn readdir(
        &self,
        dir: InodeId,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError> {
        let entries = self.dir(dir)?;
        if cookie == 0 {
            let entry = DirEntry {
                next: 1,
                ino: dir,
                kind: NodeKind::Directory,
                name: b".".to_vec(),
            };
            if !sink(entry) {
                return Ok(());
            }
        }
        if cookie <= 1 {
            let entry = DirEntry {
                next: 2,
                ino: InodeId(entries.parent),
                kind: NodeKind::Directory,
                name: b"..".to_vec(),
            };
            if !sink(entry) {
                return Ok(());
            }
        }
        for (&seq, name) in entries.order.range(cookie.max(FIRST_SEQ)..) {
            let Some(&(_, ino)) = entries.entries.get(name) else {
                continue;
            };
            let kind = self
                .nodes
                .get(&ino)
                .map_or(NodeKind::Regular, |node| node.kind);
            let entry = DirEntry {
                next: seq.saturating_add(1),
                ino: InodeId(ino),
                kind,
                name: name.clone(),
            };
            if !sink(entry) {
                break;
            }
        }
        Ok(())
    }

    pub fn open(&mut self, ino: InodeId) {
        if let Some(node) = self.nodes.get_mut(&ino.0) {
            node.open = node.open.saturating_add(1);
        }
    }

    pub fn release(&mut self, ino: InodeId) {
        if let Some(node) = self.nodes.get_mut(&ino.0) {
            node.open = node.open.saturating_sub(1);
        }
        self.maybe_free(ino.0);
    }

    /// Applies the non-size parts of `changes` and stamps ctime.
    pub fn set_meta(&mut self, ino: InodeId, changes: &SetAttr) -> Result<(), FsError> {
        let now = self.now();
        let node = self.node_mut(ino)?;
        if changes.size.is_some() && node.kind != NodeKind::Regular {
            return Err(if node.kind == NodeKind::Directory {
                FsError::IsDir
            } else {
                FsError::Invalid
            });
        }
        if let Some(mode) = changes.mode {
            node.attrs.mode = mode & 0o7777;
        }
        if let Some(uid) = changes.uid {
            node.attrs.uid = uid;
        }
        if let Some(gid) = changes.gid {
            node.attrs.gid = gid;
        }
        if let Some(atime) = changes.atime {
            node.attrs.atime = atime;
        }
        if let Some(mtime) = changes.mtime {
            node.attrs.mtime = mtime;
        }
        node.attrs.ctime = now;
        Ok(())
    }

    /// Checks that `ino` is a regular file.
    pub fn regular(&self, ino: InodeId) -> Result<&Node<D>, FsError> {
        let node = self.node(ino)?;
        match node.kind {
            NodeKind::Regular => Ok(node),
            NodeKind::Directory => Err(FsError::IsDir),
            _ => Err(FsError::Invalid),
        }
    }

    pub fn file_count(&self) -> u64 {
        self.nodes.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    fn tree() -> Tree<Vec<u8>> {
        Tree::new(Rc::new(FakeClock::new(1_000)))
    }

    const ATTRS: NewAttrs = NewAttrs {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };

    fn root() -> InodeId {
        InodeId(ROOT_INO)
    }

    #[test]
    fn directory_nlink_counts_subdirectories() {
        let mut tree = tree();
        let a = tree
            .create(root(), b"a", NewNode::Directory, ATTRS)
            .unwrap();
        tree.create(root(), b"b", NewNode::Directory, ATTRS)
            .unwrap();
        tree.create(a, b"c", NewNode::Directory, ATTRS).unwrap();
        tree.create(a, b"f", NewNode::Regular, ATTRS).unwrap();
        assert_eq!(tree.stat(root()).unwrap().nlink, 4);
        assert_eq!(tree.stat(a).unwrap().nlink, 3);
        tree.rename(a, b"c", root(), b"c").unwrap();
        assert_eq!(tree.stat(root()).unwrap().nlink, 5);
        assert_eq!(tree.stat(a).unwrap().nlink, 2);
        tree.rmdir(root(), b"c").unwrap();
        assert_eq!(tree.stat(root()).unwrap().nlink, 4);
    }

    #[test]
    fn rename_directory_into_itself_is_invalid() {
        let mut tree = tree();
        let a = tree
            .create(root(), b"a", NewNode::Directory, ATTRS)
            .unwrap();
        let b = tree.create(a, b"b", NewNode::Directory, ATTRS).unwrap();
        assert_eq!(tree.rename(root(), b"a", b, b"x"), Err(FsError::Invalid));
        assert_eq!(tree.rename(root(), b"a", a, b"x"), Err(FsError::Invalid));
    }

    #[test]
    fn rename_over_hard_link_to_same_file_is_a_no_op() {
        let mut tree = tree();
        let f = tree.create(root(), b"f", NewNode::Regular, ATTRS).unwrap();
        tree.link(f, root(), b"g").unwrap();
        tree.rename(root(), b"f", root(), b"g").unwrap();
        assert_eq!(tree.lookup(root(), b"f"), Ok(f));
        assert_eq!(tree.stat(f).unwrap().nlink, 2);
    }

    #[test]
    fn unlinked_open_node_lives_until_release() {
        let mut tree = tree();
        let f = tree.create(root(), b"f", NewNode::Regular, ATTRS).unwrap();
        tree.open(f);
        tree.unlink(root(), b"f").unwrap();
        assert_eq!(tree.stat(f).unwrap().nlink, 0);
        tree.release(f);
        assert_eq!(tree.stat(f), Err(FsError::NotFound));
        assert_eq!(tree.freed.len(), 1);
    }

    #[test]
    fn readdir_cookies_survive_removal_and_insertion() {
        let mut tree = tree();
        for name in [b"a", b"b", b"c"] {
            tree.create(root(), name, NewNode::Regular, ATTRS).unwrap();
        }
        let mut first = Vec::new();
        tree.readdir(root(), 0, &mut |entry| {
            first.push(entry);
            first.len() < 3
        })
        .unwrap();
        assert_eq!(first[2].name, b"a");
        tree.unlink(root(), b"a").unwrap();
        tree.create(root(), b"0", NewNode::Regular, ATTRS).unwrap();
        let mut rest = Vec::new();
        tree.readdir(root(), first[2].next, &mut |entry| {
            rest.push(entry.name);
            true
        })
        .unwrap();
        assert_eq!(rest, vec![b"b".to_vec(), b"c".to_vec(), b"0".to_vec()]);
    }

    #[test]
    fn bad_names_are_rejected() {
        let mut tree = tree();
        assert_eq!(
            tree.create(root(), b"a/b", NewNode::Regular, ATTRS),
            Err(FsError::Invalid)
        );
        assert_eq!(
            tree.create(root(), b"a\0", NewNode::Regular, ATTRS),
            Err(FsError::Invalid)
        );
        assert_eq!(
            tree.create(root(), &[b'x'; 256], NewNode::Regular, ATTRS),
            Err(FsError::NameTooLong)
        );
        assert_eq!(
            tree.create(root(), b"..", NewNode::Directory, ATTRS),
            Err(FsError::Exists)
        );
        assert_eq!(tree.rmdir(root(), b"."), Err(FsError::Invalid));
    }
}
