//! memfs: a filesystem held entirely in memory (tmpfs).
//!
//! The namespace is the `Tree` shared with diskfs (`tree.rs`); a regular file's bytes
//! are one `Vec<u8>`. A byte budget (default 1 GiB, `with_limit` to change)
//! turns runaway writes into `NoSpace` instead of exhausting the kernel's
//! memory; allocation failures are `NoSpace` too, never an abort.

use std::rc::Rc;

use crate::tree::Tree;
use crate::{
    Clock, DirEntry, FileSystem, FsError, FsStats, InodeId, Metadata, NewAttrs, NewNode, SetAttr,
};

/// Default byte budget of a memfs.
pub const MEMFS_DEFAULT_LIMIT: u64 = 1 << 30;

/// Largest file offset any filesystem here accepts (`off_t` is signed).
pub(crate) const MAX_FILE_SIZE: u64 = i64::MAX as u64;

const BLOCK: u64 = 4096;

/// An in-memory filesystem.
#[derive(Debug)]
pub struct MemFs {
    tree: Tree<Vec<u8>>,
    used: u64,
    limit: u64,
}

impl MemFs {
    /// An empty memfs (a root directory, mode 0o755, owned by root).
    pub fn new(clock: Rc<dyn Clock>) -> MemFs {
        MemFs::with_limit(clock, MEMFS_DEFAULT_LIMIT)
    }

    /// An empty memfs whose files may hold at most `limit` bytes in total.
    pub fn with_limit(clock: Rc<dyn Clock>, limit: u64) -> MemFs {
        MemFs {
            tree: Tree::new(clock),
            used: 0,
            limit,
        }
    }

    /// Bytes held by regular files.
    pub fn used_bytes(&self) -> u64 {
        self.used
    }

    fn reclaim(&mut self) {
        for data in self.tree.freed.drain(..) {
            self.used = self.used.saturating_sub(data.len() as u64);
        }
    }

    /// Grows or shrinks `ino`'s content to `size` bytes (new bytes are zero).
    fn resize(&mut self, ino: InodeId, size: u64) -> Result<(), FsError> {
        let old = self.tree.regular(ino)?.data.len() as u64;
        if size > MAX_FILE_SIZE {
            return Err(FsError::TooBig);
        }
        if size > old && self.used.saturating_add(size - old) > self.limit {
            return Err(FsError::NoSpace);
        }
        let new_len = usize::try_from(size).map_err(|_| FsError::TooBig)?;
        let node = self.tree.node_mut(ino)?;
        if new_len > node.data.len() {
            node.data
                .try_reserve(new_len - node.data.len())
                .map_err(|_| FsError::NoSpace)?;
        }
        node.data.resize(new_len, 0);
        if node.data.capacity() > 2 * new_len + BLOCK as usize {
            node.data.shrink_to_fit();
        }
        node.attrs.size = size;
        self.used = self.used.saturating_sub(old).saturating_add(size);
        Ok(())
    }
}

impl FileSystem for MemFs {
    fn type_name(&self) -> &'static str {
        "memfs"
    }

    fn root(&self) -> InodeId {
        InodeId(self.tree.root)
    }

    fn stat(&mut self, ino: InodeId) -> Result<Metadata, FsError> {
        self.tree.stat(ino)
    }

    fn lookup(&mut self, dir: InodeId, name: &[u8]) -> Result<InodeId, FsError> {
        self.tree.lookup(dir, name)
    }

    fn create(
        &mut self,
        dir: InodeId,
        name: &[u8],
        node: NewNode,
        attrs: NewAttrs,
    ) -> Result<InodeId, FsError> {
        self.tree.create(dir, name, node, attrs)
    }

    fn link(&mut self, ino: InodeId, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        self.tree.link(ino, dir, name)
    }

    fn unlink(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let result = self.tree.unlink(dir, name);
        self.reclaim();
        result
    }

    fn rmdir(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        self.tree.rmdir(dir, name)
    }

    fn rename(
        &mut self,
        from_dir: InodeId,
        from_name: &[u8],
        to_dir: InodeId,
        to_name: &[u8],
    ) -> Result<(), FsError> {
        let result = self.tree.rename(from_dir, from_name, to_dir, to_name);
        self.reclaim();
        result
    }

    fn readlink(&mut self, ino: InodeId) -> Result<Vec<u8>, FsError> {
        self.tree.readlink(ino)
    }

    fn read(&mut self, ino: InodeId, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        let data = &self.tree.regular(ino)?.data;
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let Some(available) = data.get(start..) else {
            return Ok(0);
        };
        let count = available.len().min(buf.len());
        buf[..count].copy_from_slice(&available[..count]);
        Ok(count)
    }

    fn write(&mut self, ino: InodeId, offset: u64, data: &[u8]) -> Result<usize, FsError> {
        let size = self.tree.regular(ino)?.attrs.size;
        if data.is_empty() {
            return Ok(0);
        }
        let end = offset
            .checked_add(data.len() as u64)
            .ok_or(FsError::TooBig)?;
        if end > size {
            self.resize(ino, end)?;
        }
        let now = self.tree.now();
        let node = self.tree.node_mut(ino)?;
        let start = usize::try_from(offset).map_err(|_| FsError::TooBig)?;
        let target = node
            .data
            .get_mut(start..start.saturating_add(data.len()))
            .ok_or(FsError::TooBig)?;
        target.copy_from_slice(data);
        node.attrs.mtime = now;
        node.attrs.ctime = now;
        Ok(data.len())
    }

    fn set_attr(&mut self, ino: InodeId, changes: &SetAttr) -> Result<(), FsError> {
        if let Some(size) = changes.size {
            self.tree.regular(ino)?;
            self.resize(ino, size)?;
            let now = self.tree.now();
            self.tree.node_mut(ino)?.attrs.mtime = now;
        }
        self.tree.set_meta(ino, changes)
    }

    fn readdir(
        &mut self,
        dir: InodeId,
        cookie: u64,
        sink: &mut dyn FnMut(DirEntry) -> bool,
    ) -> Result<(), FsError> {
        self.tree.readdir(dir, cookie, sink)
    }

    fn open(&mut self, ino: InodeId) {
        self.tree.open(ino);
    }

    fn release(&mut self, ino: InodeId) {
        self.tree.release(ino);
        self.reclaim();
    }

    fn sync(&mut self) -> Result<(), FsError> {
        Ok(())
    }

    fn stats(&mut self) -> FsStats {
        FsStats {
            block_size: BLOCK,
            total_blocks: self.limit / BLOCK,
            free_blocks: self.limit.saturating_sub(self.used) / BLOCK,
            files: self.tree.file_count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    const ATTRS: NewAttrs = NewAttrs {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };

    fn memfs() -> (MemFs, Rc<FakeClock>) {
        let clock = Rc::new(FakeClock::new(1_000));
        (MemFs::new(clock.clone()), clock)
    }

    #[test]
    fn read_past_end_returns_zero() {
        let (mut fs, _) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        fs.write(f, 0, b"abc").unwrap();
        let mut buf = [0; 8];
        assert_eq!(fs.read(f, 3, &mut buf), Ok(0));
        assert_eq!(fs.read(f, u64::MAX, &mut buf), Ok(0));
        assert_eq!(fs.read(f, 1, &mut buf), Ok(2));
        assert_eq!(&buf[..2], b"bc");
    }

    #[test]
    fn write_past_end_leaves_a_zero_filled_hole() {
        let (mut fs, _) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        fs.write(f, 4, b"x").unwrap();
        let mut buf = [9; 5];
        assert_eq!(fs.read(f, 0, &mut buf), Ok(5));
        assert_eq!(&buf, b"\0\0\0\0x");
    }

    #[test]
    fn write_at_huge_offset_fails_cleanly() {
        let (mut fs, _) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        assert_eq!(fs.write(f, u64::MAX, b"x"), Err(FsError::TooBig));
        assert_eq!(fs.write(f, 1 << 50, b"x"), Err(FsError::NoSpace));
        assert_eq!(
            fs.set_attr(
                f,
                &SetAttr {
                    size: Some(u64::MAX),
                    ..SetAttr::default()
                }
            ),
            Err(FsError::TooBig)
        );
    }

    #[test]
    fn write_updates_mtime_and_ctime() {
        let (mut fs, clock) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        clock.advance(500);
        fs.write(f, 0, b"x").unwrap();
        let meta = fs.stat(f).unwrap();
        assert_eq!((meta.atime, meta.mtime, meta.ctime), (1_000, 1_500, 1_500));
    }

    #[test]
    fn unlink_open_file_keeps_data_until_release() {
        let (mut fs, _) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        fs.write(f, 0, b"data").unwrap();
        fs.open(f);
        fs.unlink(root, b"f").unwrap();
        let mut buf = [0; 4];
        assert_eq!(fs.read(f, 0, &mut buf), Ok(4));
        assert_eq!(fs.used_bytes(), 4);
        fs.release(f);
        assert_eq!(fs.used_bytes(), 0);
        assert_eq!(fs.stat(f), Err(FsError::NotFound));
    }

    #[test]
    fn truncate_shrinks_and_extends_with_zeros() {
        let (mut fs, _) = memfs();
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        fs.write(f, 0, b"abcdef").unwrap();
        fs.set_attr(
            f,
            &SetAttr {
                size: Some(2),
                ..SetAttr::default()
            },
        )
        .unwrap();
        fs.set_attr(
            f,
            &SetAttr {
                size: Some(4),
                ..SetAttr::default()
            },
        )
        .unwrap();
        let mut buf = [9; 8];
        assert_eq!(fs.read(f, 0, &mut buf), Ok(4));
        assert_eq!(&buf[..4], b"ab\0\0");
    }

    #[test]
    fn budget_exhaustion_is_no_space() {
        let clock = Rc::new(FakeClock::new(0));
        let mut fs = MemFs::with_limit(clock, 10);
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::Regular, ATTRS).unwrap();
        assert_eq!(fs.write(f, 0, &[1; 10]), Ok(10));
        assert_eq!(fs.write(f, 10, &[1]), Err(FsError::NoSpace));
    }
}
