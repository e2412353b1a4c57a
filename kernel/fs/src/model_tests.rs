//! Random operation sequences against a simple model, for every filesystem.
//!
//! The model is a `BTreeMap` from path to "directory" or "file with these
//! bytes" that knows the POSIX error of each operation. The invariant: for
//! any sequence, every operation returns what the model says, and the tree
//! read back (readdir + read) equals the model. memfs and diskfs run the same
//! sequences, so they also behave identically; diskfs additionally must read
//! back the same tree after a sync and a remount.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use proptest::prelude::*;

use crate::{
    Access, Cred, FakeClock, FsError, NodeKind, OpenOptions, SetAttr, SharedFs, Vfs, Walk,
};

pub(crate) type Path = Vec<u8>;

#[derive(Clone, Debug)]
pub(crate) enum Op {
    Create(Path),
    Write(Path, u64, Vec<u8>),
    Truncate(Path, u64),
    Unlink(Path),
    Mkdir(Path),
    Rmdir(Path),
    Rename(Path, Path),
    Sync,
}

fn path_strategy() -> impl Strategy<Value = Path> {
    prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 1..=3)
        .prop_map(|names| names.join("/").into_bytes())
}

pub(crate) fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => path_strategy().prop_map(Op::Create),
        4 => (path_strategy(), 0u64..10_000, prop::collection::vec(any::<u8>(), 0..6000))
            .prop_map(|(path, offset, data)| Op::Write(path, offset, data)),
        1 => (path_strategy(), 0u64..12_000).prop_map(|(path, size)| Op::Truncate(path, size)),
        2 => path_strategy().prop_map(Op::Unlink),
        3 => path_strategy().prop_map(Op::Mkdir),
        1 => path_strategy().prop_map(Op::Rmdir),
        2 => (path_strategy(), path_strategy()).prop_map(|(from, to)| Op::Rename(from, to)),
        1 => Just(Op::Sync),
    ]
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Dir,
    /// A file: an identity (kept across renames) and its bytes.
    File(u64, Vec<u8>),
}

/// What a tree holds: path -> entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Model {
    pub entries: BTreeMap<Path, Entry>,
    next_id: u64,
}

fn parent(path: &[u8]) -> Option<&[u8]> {
    path.iter()
        .rposition(|&byte| byte == b'/')
        .map(|at| &path[..at])
}

fn is_under(path: &[u8], dir: &[u8]) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path[dir.len()] == b'/'
}

impl Model {
    /// Checks that every ancestor of `path` is a directory.
    fn walk(&self, path: &[u8]) -> Result<(), FsError> {
        let mut end = 0;
        while let Some(at) = path[end..].iter().position(|&byte| byte == b'/') {
            match self.entries.get(&path[..end + at]) {
                None => return Err(FsError::NotFound),
                Some(Entry::File(..)) => return Err(FsError::NotDir),
                Some(Entry::Dir) => end += at + 1,
            }
        }
        Ok(())
    }

    fn file_mut(&mut self, path: &[u8]) -> Result<&mut Vec<u8>, FsError> {
        self.walk(path)?;
        match self.entries.get_mut(path) {
            None => Err(FsError::NotFound),
            Some(Entry::Dir) => Err(FsError::IsDir),
            Some(Entry::File(_, data)) => Ok(data),
        }
    }

    /// The identity of the file at `path`, if it is one.
    pub fn file_id(&self, path: &[u8]) -> Option<u64> {
        match self.entries.get(path) {
            Some(Entry::File(id, _)) => Some(*id),
            _ => None,
        }
    }

    pub fn apply(&mut self, op: &Op) -> Result<(), FsError> {
        match op {
            Op::Create(path) => {
                self.walk(path)?;
                match self.entries.get(path) {
                    Some(Entry::Dir) => Err(FsError::IsDir),
                    Some(Entry::File(..)) => Ok(()),
                    None => {
                        self.next_id += 1;
                        self.entries
                            .insert(path.clone(), Entry::File(self.next_id, Vec::new()));
                        Ok(())
                    }
                }
            }
            Op::Write(path, offset, data) => {
                let file = self.file_mut(path)?;
                let offset = *offset as usize;
                if !data.is_empty() {
                    if file.len() < offset + data.len() {
                        file.resize(offset + data.len(), 0);
                    }
                    file[offset..offset + data.len()].copy_from_slice(data);
                }
                Ok(())
            }
            Op::Truncate(path, size) => {
                self.file_mut(path)?.resize(*size as usize, 0);
                Ok(())
            }
            Op::Unlink(path) => {
                self.walk(path)?;
                match self.entries.get(path) {
                    None => Err(FsError::NotFound),
                    Some(Entry::Dir) => Err(FsError::IsDir),
                    Some(Entry::File(..)) => {
                        self.entries.remove(path);
                        Ok(())
                    }
                }
            }
            Op::Mkdir(path) => {
                self.walk(path)?;
                if self.entries.contains_key(path) {
                    return Err(FsError::Exists);
                }
                self.entries.insert(path.clone(), Entry::Dir);
                Ok(())
            }
            Op::Rmdir(path) => {
                self.walk(path)?;
                match self.entries.get(path) {
                    None => Err(FsError::NotFound),
                    Some(Entry::File(..)) => Err(FsError::NotDir),
                    Some(Entry::Dir) if self.entries.keys().any(|key| is_under(key, path)) => {
                        Err(FsError::NotEmpty)
                    }
                    Some(Entry::Dir) => {
                        self.entries.remove(path);
                        Ok(())
                    }
                }
            }
            Op::Rename(from, to) => self.rename(from, to),
            Op::Sync => Ok(()),
        }
    }

    fn rename(&mut self, from: &Path, to: &Path) -> Result<(), FsError> {
        self.walk(from)?;
        self.walk(to)?;
        let source = self.entries.get(from).cloned().ok_or(FsError::NotFound)?;
        if from == to {
            return Ok(());
        }
        let moving_dir = source == Entry::Dir;
        if moving_dir && is_under(to, from) {
            return Err(FsError::Invalid);
        }
        match (self.entries.get(to), moving_dir) {
            (Some(Entry::Dir), true) if self.entries.keys().any(|key| is_under(key, to)) => {
                return Err(FsError::NotEmpty);
            }
            (Some(Entry::Dir), false) => return Err(FsError::IsDir),
            (Some(Entry::File(..)), true) => return Err(FsError::NotDir),
            _ => {}
        }
        let moved: Vec<(Path, Entry)> = self
            .entries
            .iter()
            .filter(|(key, _)| *key == from || is_under(key, from))
            .map(|(key, entry)| (key.clone(), entry.clone()))
            .collect();
        self.entries.remove(to);
        for (key, _) in &moved {
            self.entries.remove(key);
        }
        for (key, entry) in moved {
            let mut new_key = to.clone();
            new_key.extend_from_slice(&key[from.len()..]);
            self.entries.insert(new_key, entry);
        }
        debug_assert!(parent(to).is_none_or(|dir| self.entries.get(dir) == Some(&Entry::Dir)));
        Ok(())
    }

    /// The size of the file at `path`, if it is one.
    pub fn file_size(&self, path: &[u8]) -> Option<u64> {
        match self.entries.get(path) {
            Some(Entry::File(_, data)) => Some(data.len() as u64),
            _ => None,
        }
    }

    /// The model with file identities erased, for comparing with a dump.
    pub fn shape(&self) -> BTreeMap<Path, Option<Vec<u8>>> {
        self.entries
            .iter()
            .map(|(path, entry)| {
                let content = match entry {
                    Entry::Dir => None,
                    Entry::File(_, data) => Some(data.clone()),
                };
                (path.clone(), content)
            })
            .collect()
    }
}

pub(crate) fn root_walk(vfs: &Vfs) -> Walk {
    let root = vfs.root();
    Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    }
}

/// Runs `op` through the VFS.
pub(crate) fn apply_vfs(vfs: &mut Vfs, op: &Op) -> Result<(), FsError> {
    let walk = root_walk(vfs);
    match op {
        Op::Create(path) => {
            let options = OpenOptions {
                access: Access::READ_WRITE,
                create: true,
                ..OpenOptions::READ
            };
            vfs.open(&walk, path, &options).map(drop)
        }
        Op::Write(path, offset, data) => {
            let options = OpenOptions {
                access: Access::WRITE,
                ..OpenOptions::READ
            };
            let file = vfs.open(&walk, path, &options)?;
            file.write_at(*offset, data).map(drop)
        }
        Op::Truncate(path, size) => vfs.set_attr_path(
            &walk,
            path,
            true,
            &SetAttr {
                size: Some(*size),
                ..SetAttr::default()
            },
        ),
        Op::Unlink(path) => vfs.unlink(&walk, path),
        Op::Mkdir(path) => vfs.mkdir(&walk, path, 0o755),
        Op::Rmdir(path) => vfs.rmdir(&walk, path),
        Op::Rename(from, to) => vfs.rename(&walk, from, &walk, to),
        Op::Sync => vfs.sync_all(),
    }
}

/// Reads the whole tree back through the VFS: path -> None (dir) or Some(bytes).
pub(crate) fn dump(vfs: &mut Vfs) -> Result<BTreeMap<Path, Option<Vec<u8>>>, FsError> {
    let walk = root_walk(vfs);
    let mut out = BTreeMap::new();
    let mut queue: Vec<Path> = vec![Vec::new()];
    while let Some(dir) = queue.pop() {
        let path: &[u8] = if dir.is_empty() { b"/" } else { &dir };
        let listing = vfs.open(&walk, path, &OpenOptions::READ)?;
        let mut names = Vec::new();
        listing.readdir(0, &mut |entry| {
            if entry.name != b"." && entry.name != b".." {
                names.push((entry.name, entry.kind));
            }
            true
        })?;
        for (name, kind) in names {
            let mut child = dir.clone();
            if !child.is_empty() {
                child.push(b'/');
            }
            child.extend_from_slice(&name);
            if kind == NodeKind::Directory {
                out.insert(child.clone(), None);
                queue.push(child);
            } else {
                let file = vfs.open(&walk, &child, &OpenOptions::READ)?;
                let size = file.stat()?.size as usize;
                let mut data = vec![0; size + 1];
                let count = file.read_at(0, &mut data)?;
                data.truncate(count);
                out.insert(child, Some(data));
            }
        }
    }
    Ok(out)
}

/// Proptest cases: `default`, or `PROPTEST_CASES` from the environment for a longer soak.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

pub(crate) fn memfs_vfs() -> Vfs {
    let clock = Rc::new(FakeClock::new(1));
    let fs: SharedFs = Rc::new(RefCell::new(crate::MemFs::new(clock.clone())));
    Vfs::new(fs, clock)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn memfs_matches_the_model(ops in prop::collection::vec(op_strategy(), 1..60)) {
        let mut vfs = memfs_vfs();
        let mut model = Model::default();
        for op in &ops {
            let expected = model.apply(op);
            prop_assert_eq!(apply_vfs(&mut vfs, op), expected, "{:?}", op);
        }
        prop_assert_eq!(dump(&mut vfs).unwrap(), model.shape());
    }
}
