//! diskfs: the persistent root filesystem, inside one block store.
//!
//! The whole tree lives in memory (the `Tree` shared with memfs, `tree.rs`); file
//! bytes live in extents of the store and are read and written in place;
//! metadata is JSON made durable by a snapshot plus an append-only log (see
//! `journal` for the format and why, `layout` for the bytes).
//!
//! # Durability
//!
//! Data writes go to the store at once. Metadata changes collect in memory
//! and are committed by [`FileSystem::sync`] (fsync) or by the kernel's
//! periodic [`FileSystem::flush_if_due`] (every `flush_interval`, default
//! 5 s): one checksummed log frame, then a store flush. Blocks freed by a
//! change (truncate, unlink) are reused only after that change is durable,
//! so a crash never leaves a durable file pointing at another file's data.
//! A crash at any point (any prefix of the writes, the last one torn) mounts
//! to the state of the last commit that reached the store, which is at least
//! the last completed sync.

mod alloc;
mod extents;
mod fault;
mod journal;
mod layout;
mod store;

use std::rc::Rc;

use wasmux_uapi::Timestamp;

pub use fault::FaultStore;
#[cfg(not(target_arch = "wasm32"))]
pub use store::ImageFileStore;
pub use store::{BlockStore, MemoryStore, StoreError};

pub use layout::{BLOCK_SIZE, VERSION};

use crate::{
    Clock, DirEntry, FileSystem, FsError, FsStats, InodeId, Metadata, NewAttrs, NewNode, SetAttr,
};
use alloc::Allocator;
use extents::Space;
use journal::{DiskTree, Loader};
use layout::{DATA_START_BLOCK, FRAME_HEADER, SLOT_OFFSETS, SlotError, Superblock};

/// Why a store could not be mounted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskError {
    /// The store holds something that is not a Wasmux disk.
    NotWasmux,
    /// A Wasmux disk of a format version this build does not read.
    UnsupportedVersion(u32),
    /// A Wasmux disk whose metadata is damaged; the message says where.
    Corrupt(String),
    /// The store itself failed.
    Store(StoreError),
}

impl core::fmt::Display for DiskError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DiskError::NotWasmux => f.write_str("not a Wasmux disk image (no WASMUXFS superblock)"),
            DiskError::UnsupportedVersion(version) => {
                write!(
                    f,
                    "Wasmux disk format version {version} is not supported (this build reads {VERSION})"
                )
            }
            DiskError::Corrupt(message) => write!(f, "corrupt Wasmux disk: {message}"),
            DiskError::Store(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for DiskError {}

impl From<StoreError> for DiskError {
    fn from(error: StoreError) -> DiskError {
        DiskError::Store(error)
    }
}

impl From<DiskError> for FsError {
    fn from(error: DiskError) -> FsError {
        match error {
            DiskError::Store(error) => error.into(),
            other => FsError::Io(other.to_string()),
        }
    }
}

/// Tunables of a diskfs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskOptions {
    /// The most bytes the store may grow to (what `df` shows as the size).
    pub capacity: u64,
    /// How long a change may wait before `flush_if_due` commits it, in ns.
    pub flush_interval: Timestamp,
    /// The smallest log region, in bytes (the log is sized at twice the snapshot).
    pub min_log: u64,
}

impl Default for DiskOptions {
    fn default() -> DiskOptions {
        DiskOptions {
            capacity: 64 << 30,
            flush_interval: 5_000_000_000,
            min_log: 1 << 20,
        }
    }
}

/// Largest snapshot or log region mount accepts (a bound against corrupt lengths).
const MAX_METADATA: u64 = 1 << 32;

fn region_blocks(bytes: u64) -> u64 {
    bytes.div_ceil(BLOCK_SIZE).max(1)
}

/// The persistent filesystem over a [`BlockStore`].
pub struct DiskFs<S: BlockStore = Box<dyn BlockStore>> {
    store: S,
    tree: DiskTree,
    alloc: Allocator,
    cursor: u64,
    /// Runs freed by changes not yet durable.
    pending_free: Vec<(u64, u64)>,
    superblock: Superblock,
    log_used: u64,
    data_dirty: bool,
    dirty_since: Option<Timestamp>,
    /// A compaction failed after writing a superblock: the next commit compacts again.
    must_compact: bool,
    options: DiskOptions,
}

impl<S: BlockStore> core::fmt::Debug for DiskFs<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DiskFs")
            .field("generation", &self.superblock.generation)
            .field("log_used", &self.log_used)
            .field("free_blocks", &self.alloc.free_blocks())
            .finish_non_exhaustive()
    }
}

impl<S: BlockStore> DiskFs<S> {
    /// Writes a new, empty filesystem over whatever `store` holds (mkfs).
    /// Errors: Store.
    pub fn format(
        mut store: S,
        clock: Rc<dyn Clock>,
        options: DiskOptions,
    ) -> Result<DiskFs<S>, DiskError> {
        store.write_at(0, &vec![0; (DATA_START_BLOCK * BLOCK_SIZE) as usize])?;
        let mut tree = DiskTree::new(clock);
        tree.changes = Some(Default::default());
        let capacity = (options.capacity / BLOCK_SIZE).max(DATA_START_BLOCK + 64);
        let empty = Superblock {
            generation: 0,
            snapshot_offset: 0,
            snapshot_len: 0,
            snapshot_crc: 0,
            log_offset: 0,
            log_capacity: 0,
        };
        let mut fs = DiskFs {
            store,
            tree,
            alloc: Allocator::new(DATA_START_BLOCK, capacity),
            cursor: DATA_START_BLOCK,
            pending_free: Vec::new(),
            superblock: empty,
            log_used: 0,
            data_dirty: false,
            dirty_since: None,
            must_compact: false,
            options,
        };
        fs.compact().map_err(|error| match error {
            FsError::NoSpace => DiskError::Store(StoreError::NoSpace),
            other => DiskError::Store(StoreError::Io(other.to_string())),
        })?;
        fs.finish_commit();
        Ok(fs)
    }

    /// Mounts an existing filesystem: the newest valid superblock, its
    /// snapshot, then every valid log frame.
    /// Errors: NotWasmux, UnsupportedVersion, Corrupt, Store.
    pub fn mount(
        mut store: S,
        clock: Rc<dyn Clock>,
        options: DiskOptions,
    ) -> Result<DiskFs<S>, DiskError> {
        let superblock = read_superblock(&mut store)?;
        let corrupt = |message: &str| DiskError::Corrupt(message.to_string());
        let aligned =
            |offset: u64| offset % BLOCK_SIZE == 0 && offset >= DATA_START_BLOCK * BLOCK_SIZE;
        if superblock.snapshot_len > MAX_METADATA
            || superblock.log_capacity > MAX_METADATA
            || !aligned(superblock.snapshot_offset)
            || !aligned(superblock.log_offset)
        {
            return Err(corrupt("superblock points outside the store"));
        }
        let mut snapshot = vec![0; superblock.snapshot_len as usize];
        store.read_at(superblock.snapshot_offset, &mut snapshot)?;
        if layout::crc32(&snapshot) != superblock.snapshot_crc {
            return Err(corrupt("snapshot checksum mismatch"));
        }
        let snapshot: journal::Snapshot = serde_json::from_slice(&snapshot)
            .map_err(|error| DiskError::Corrupt(format!("snapshot does not parse: {error}")))?;
        let mut loader = Loader::from_snapshot(snapshot);
        let mut log = vec![0; superblock.log_capacity as usize];
        store.read_at(superblock.log_offset, &mut log)?;
        let (frames, log_used) = layout::decode_frames(&log, superblock.generation);
        for frame in frames {
            let batch = serde_json::from_slice(frame).map_err(|error| {
                DiskError::Corrupt(format!("log record does not parse: {error}"))
            })?;
            loader.apply(batch);
        }
        let (tree, _) = loader.finish(clock).map_err(DiskError::Corrupt)?;
        let store_blocks = store.len()?.div_ceil(BLOCK_SIZE);
        let capacity = (options.capacity / BLOCK_SIZE)
            .max(store_blocks)
            .max(DATA_START_BLOCK + 64);
        let mut alloc = Allocator::new(DATA_START_BLOCK, capacity);
        let regions = [
            (
                superblock.snapshot_offset / BLOCK_SIZE,
                region_blocks(superblock.snapshot_len),
            ),
            (
                superblock.log_offset / BLOCK_SIZE,
                region_blocks(superblock.log_capacity),
            ),
        ];
        for (start, count) in regions {
            if !alloc.mark_used(start, count) {
                return Err(corrupt("metadata regions overlap"));
            }
        }
        for (ino, node) in &tree.nodes {
            let mut file_end = 0;
            for extent in &node.data {
                if extent.count == 0
                    || extent.file < file_end
                    || !alloc.mark_used(extent.block, extent.count)
                {
                    return Err(DiskError::Corrupt(format!(
                        "inode {ino} has bad or shared extents"
                    )));
                }
                file_end = extent.file.saturating_add(extent.count);
            }
            if file_end > crate::memfs::MAX_FILE_SIZE / BLOCK_SIZE + 1 {
                return Err(DiskError::Corrupt(format!("inode {ino} is too large")));
            }
        }
        Ok(DiskFs {
            store,
            tree,
            alloc,
            cursor: DATA_START_BLOCK,
            pending_free: Vec::new(),
            superblock,
            log_used,
            data_dirty: false,
            dirty_since: None,
            must_compact: false,
            options,
        })
    }

    /// Mounts `store`, or formats it if it is empty (first boot).
    /// Errors: as [`DiskFs::mount`]; a non-empty store that is not a Wasmux disk is NotWasmux.
    pub fn open(
        store: S,
        clock: Rc<dyn Clock>,
        options: DiskOptions,
    ) -> Result<DiskFs<S>, DiskError> {
        if store.len()? == 0 {
            DiskFs::format(store, clock, options)
        } else {
            DiskFs::mount(store, clock, options)
        }
    }

    /// Whether changes wait for a commit (the periodic flush or a sync).
    pub fn needs_flush(&self) -> bool {
        self.dirty_since.is_some() || self.data_dirty || !self.pending_free.is_empty()
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store, mutably (tests set fault knobs through it).
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Gives the store back (unmount without a final sync).
    pub fn into_store(self) -> S {
        self.store
    }

    /// Bookkeeping after any change: freed data waits for the next commit.
    fn changed(&mut self) {
        for extents in self.tree.freed.drain(..) {
            self.pending_free
                .extend(extents.iter().map(|extent| (extent.block, extent.count)));
        }
        if self.dirty_since.is_none() {
            self.dirty_since = Some(self.tree.now());
        }
    }

    /// Writes the changes since the last commit as one log frame (or a new
    /// snapshot when the log is full), then flushes the store.
    fn commit(&mut self) -> Result<(), FsError> {
        let changes = self.tree.changes.clone().unwrap_or_default();
        let has_changes = !changes.nodes.is_empty() || !changes.entries.is_empty();
        if !has_changes && !self.needs_flush() {
            return Ok(());
        }
        if self.must_compact {
            self.compact()?;
        } else if has_changes {
            let batch = journal::batch(&self.tree, &changes);
            let payload =
                serde_json::to_vec(&batch).map_err(|error| FsError::Io(error.to_string()))?;
            let frame = layout::encode_frame(self.superblock.generation, &payload);
            let end = self.log_used.saturating_add(frame.len() as u64);
            if end <= self.superblock.log_capacity {
                self.store
                    .write_at(self.superblock.log_offset + self.log_used, &frame)?;
                self.store.flush()?;
                self.log_used = end;
            } else {
                self.compact()?;
            }
        } else {
            self.store.flush()?;
        }
        self.finish_commit();
        Ok(())
    }

    /// After a durable commit: forget the changes, free what they freed.
    fn finish_commit(&mut self) {
        if let Some(changes) = &mut self.tree.changes {
            changes.nodes.clear();
            changes.entries.clear();
        }
        for (start, count) in self.pending_free.drain(..) {
            self.alloc.release(start, count);
            // New files fill freed space first, keeping the store compact.
            self.cursor = self.cursor.min(start);
        }
        self.data_dirty = false;
        self.dirty_since = None;
    }

    /// Writes the whole tree as a new snapshot with an empty log, then
    /// switches the superblock to them.
    fn compact(&mut self) -> Result<(), FsError> {
        let snapshot = journal::snapshot(&self.tree);
        let bytes =
            serde_json::to_vec(&snapshot).map_err(|error| FsError::Io(error.to_string()))?;
        let snapshot_blocks = region_blocks(bytes.len() as u64);
        let log_blocks = region_blocks(self.options.min_log.max(2 * bytes.len() as u64));
        let snapshot_start = self
            .alloc
            .allocate_contiguous(snapshot_blocks)
            .ok_or(FsError::NoSpace)?;
        let Some(log_start) = self.alloc.allocate_contiguous(log_blocks) else {
            self.alloc.release(snapshot_start, snapshot_blocks);
            return Err(FsError::NoSpace);
        };
        let generation = self.superblock.generation + 1;
        let written = self
            .store
            .write_at(snapshot_start * BLOCK_SIZE, &bytes)
            .and_then(|()| {
                self.store
                    .write_at(log_start * BLOCK_SIZE, &[0; FRAME_HEADER])
            })
            .and_then(|()| self.store.flush());
        if let Err(error) = written {
            self.alloc.release(snapshot_start, snapshot_blocks);
            self.alloc.release(log_start, log_blocks);
            return Err(error.into());
        }
        let superblock = Superblock {
            generation,
            snapshot_offset: snapshot_start * BLOCK_SIZE,
            snapshot_len: bytes.len() as u64,
            snapshot_crc: layout::crc32(&bytes),
            log_offset: log_start * BLOCK_SIZE,
            log_capacity: log_blocks * BLOCK_SIZE,
        };
        let slot = SLOT_OFFSETS[(generation % 2) as usize];
        let switched = self
            .store
            .write_at(slot, &superblock.encode())
            .and_then(|()| self.store.flush());
        if let Err(error) = switched {
            // The new superblock may or may not be durable: keep both sets
            // of regions, and compact again at the next commit.
            self.must_compact = true;
            return Err(error.into());
        }
        let old = self.superblock;
        if old.log_capacity > 0 {
            self.pending_free.push((
                old.snapshot_offset / BLOCK_SIZE,
                region_blocks(old.snapshot_len),
            ));
            self.pending_free
                .push((old.log_offset / BLOCK_SIZE, region_blocks(old.log_capacity)));
        }
        self.superblock = superblock;
        self.log_used = 0;
        self.must_compact = false;
        Ok(())
    }
}

/// Reads both superblock slots and picks the newest valid one.
fn read_superblock<S: BlockStore>(store: &mut S) -> Result<Superblock, DiskError> {
    let mut best: Option<Superblock> = None;
    let mut errors = Vec::new();
    for offset in SLOT_OFFSETS {
        let mut bytes = [0; 128];
        store.read_at(offset, &mut bytes)?;
        match Superblock::decode(&bytes) {
            Ok(superblock) if best.is_none_or(|best| superblock.generation > best.generation) => {
                best = Some(superblock);
            }
            Ok(_) => {}
            Err(error) => errors.push(error),
        }
    }
    if let Some(best) = best {
        return Ok(best);
    }
    if errors.iter().all(|error| *error == SlotError::NoMagic) {
        return Err(DiskError::NotWasmux);
    }
    if let Some(version) = errors.iter().find_map(|error| match error {
        SlotError::Version(version) => Some(*version),
        _ => None,
    }) {
        return Err(DiskError::UnsupportedVersion(version));
    }
    Err(DiskError::Corrupt("both superblocks are damaged".into()))
}

#[cfg(not(target_arch = "wasm32"))]
impl DiskFs<ImageFileStore> {
    /// Opens (or, if missing or empty, creates and formats) a disk-image file.
    /// Errors: as [`DiskFs::open`].
    pub fn open_image(
        path: impl AsRef<std::path::Path>,
        clock: Rc<dyn Clock>,
        options: DiskOptions,
    ) -> Result<DiskFs<ImageFileStore>, DiskError> {
        DiskFs::open(ImageFileStore::open(path)?, clock, options)
    }
}

impl<S: BlockStore> FileSystem for DiskFs<S> {
    fn type_name(&self) -> &'static str {
        "diskfs"
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
        let result = self.tree.create(dir, name, node, attrs);
        self.changed();
        result
    }

    fn link(&mut self, ino: InodeId, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let result = self.tree.link(ino, dir, name);
        self.changed();
        result
    }

    fn unlink(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let result = self.tree.unlink(dir, name);
        self.changed();
        result
    }

    fn rmdir(&mut self, dir: InodeId, name: &[u8]) -> Result<(), FsError> {
        let result = self.tree.rmdir(dir, name);
        self.changed();
        result
    }

    fn rename(
        &mut self,
        from_dir: InodeId,
        from_name: &[u8],
        to_dir: InodeId,
        to_name: &[u8],
    ) -> Result<(), FsError> {
        let result = self.tree.rename(from_dir, from_name, to_dir, to_name);
        self.changed();
        result
    }

    fn readlink(&mut self, ino: InodeId) -> Result<Vec<u8>, FsError> {
        self.tree.readlink(ino)
    }

    fn read(&mut self, ino: InodeId, offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        let node = self.tree.regular(ino)?;
        extents::read(&mut self.store, &node.data, node.attrs.size, offset, buf)
    }

    fn write(&mut self, ino: InodeId, offset: u64, data: &[u8]) -> Result<usize, FsError> {
        self.tree.regular(ino)?;
        let now = self.tree.now();
        let node = self.tree.node_mut(ino)?;
        let space = Space {
            alloc: &mut self.alloc,
            cursor: &mut self.cursor,
        };
        node.attrs.size = extents::write(
            &mut self.store,
            space,
            &mut node.data,
            node.attrs.size,
            offset,
            data,
        )?;
        node.attrs.mtime = now;
        node.attrs.ctime = now;
        self.data_dirty = true;
        self.changed();
        Ok(data.len())
    }

    fn set_attr(&mut self, ino: InodeId, changes: &SetAttr) -> Result<(), FsError> {
        if let Some(size) = changes.size {
            self.tree.regular(ino)?;
            let now = self.tree.now();
            let node = self.tree.node_mut(ino)?;
            let freed = extents::resize(&mut self.store, &mut node.data, node.attrs.size, size)?;
            node.attrs.size = size;
            node.attrs.mtime = now;
            self.pending_free.extend(freed);
            self.data_dirty = true;
        }
        let result = self.tree.set_meta(ino, changes);
        self.changed();
        result
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
        if !self.tree.freed.is_empty() {
            self.changed();
        }
    }

    fn sync(&mut self) -> Result<(), FsError> {
        self.commit()
    }

    fn stats(&mut self) -> FsStats {
        FsStats {
            block_size: BLOCK_SIZE,
            total_blocks: self.alloc.capacity(),
            free_blocks: self.alloc.free_blocks(),
            files: self.tree.file_count(),
        }
    }

    fn flush_deadline(&mut self) -> Option<Timestamp> {
        match self.dirty_since {
            Some(since) => Some(since.saturating_add(self.options.flush_interval)),
            None if self.data_dirty => Some(self.tree.now()),
            None => None,
        }
    }

    fn flush_if_due(&mut self, now: Timestamp) -> Result<(), FsError> {
        match self.flush_deadline() {
            Some(deadline) if deadline <= now => self.commit(),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
