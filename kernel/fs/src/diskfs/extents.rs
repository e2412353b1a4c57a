//! File data as extents: runs of file blocks mapped to runs of store blocks.
//!
//! A file's bytes are written straight into its blocks in the store; only
//! the extent list (a few numbers per run, usually one run for a file written
//! sequentially) goes into the metadata. Unmapped blocks are holes and read
//! as zeros. Blocks are allocated on first write; a newly allocated block is
//! zero-filled outside the bytes written, so stale data from an earlier
//! owner never shows.

use serde::{Deserialize, Serialize};

use super::alloc::Allocator;
use super::layout::BLOCK_SIZE;
use super::store::BlockStore;
use crate::FsError;
use crate::memfs::MAX_FILE_SIZE;

/// `count` file blocks from `file` stored in `count` store blocks from `block`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "[u64; 3]", into = "[u64; 3]")]
pub(crate) struct Extent {
    pub file: u64,
    pub block: u64,
    pub count: u64,
}

impl From<[u64; 3]> for Extent {
    fn from([file, block, count]: [u64; 3]) -> Extent {
        Extent { file, block, count }
    }
}

impl From<Extent> for [u64; 3] {
    fn from(extent: Extent) -> [u64; 3] {
        [extent.file, extent.block, extent.count]
    }
}

impl Extent {
    fn file_end(&self) -> u64 {
        self.file.saturating_add(self.count)
    }
}

/// Where file block `block` is: `Ok(index)` of the extent holding it, or
/// `Err(index)` of the first extent after it.
fn find(extents: &[Extent], block: u64) -> Result<usize, usize> {
    let index = extents.partition_point(|extent| extent.file_end() <= block);
    match extents.get(index) {
        Some(extent) if extent.file <= block => Ok(index),
        _ => Err(index),
    }
}

/// Inserts a new run at `index`, merging with neighbours it continues.
fn insert(extents: &mut Vec<Extent>, index: usize, new: Extent) {
    let continues = |before: &Extent, after: &Extent| {
        before.file_end() == after.file && before.block.saturating_add(before.count) == after.block
    };
    if let Some(previous) = index.checked_sub(1).and_then(|at| extents.get_mut(at)) {
        if continues(previous, &new) {
            previous.count += new.count;
            let merged = *previous;
            if let Some(next) = extents.get(index).copied() {
                if continues(&merged, &next) {
                    extents[index - 1].count += next.count;
                    extents.remove(index);
                }
            }
            return;
        }
    }
    if let Some(next) = extents.get_mut(index) {
        if continues(&new, next) {
            next.file = new.file;
            next.block = new.block;
            next.count += new.count;
            return;
        }
    }
    extents.insert(index, new);
}

/// Byte offset in the store of file byte `pos`, which lies in `extent`.
fn store_offset(extent: &Extent, pos: u64) -> u64 {
    let within = pos - extent.file.saturating_mul(BLOCK_SIZE);
    extent
        .block
        .saturating_mul(BLOCK_SIZE)
        .saturating_add(within)
}

/// Reads file bytes `[offset, offset + buf.len())` clamped to `size`.
pub(crate) fn read<S: BlockStore + ?Sized>(
    store: &mut S,
    extents: &[Extent],
    size: u64,
    offset: u64,
    buf: &mut [u8],
) -> Result<usize, FsError> {
    if offset >= size {
        return Ok(0);
    }
    let len = buf
        .len()
        .min(usize::try_from(size - offset).unwrap_or(usize::MAX));
    let buf = &mut buf[..len];
    let mut done = 0usize;
    while done < len {
        let pos = offset + done as u64;
        let remaining = (len - done) as u64;
        match find(extents, pos / BLOCK_SIZE) {
            Ok(index) => {
                let extent = &extents[index];
                let run = extent.file_end().saturating_mul(BLOCK_SIZE) - pos;
                let count = run.min(remaining) as usize;
                store.read_at(store_offset(extent, pos), &mut buf[done..done + count])?;
                done += count;
            }
            Err(index) => {
                let next = extents
                    .get(index)
                    .map_or(u64::MAX, |extent| extent.file.saturating_mul(BLOCK_SIZE));
                let count = (next - pos).min(remaining) as usize;
                buf[done..done + count].fill(0);
                done += count;
            }
        }
    }
    Ok(len)
}

/// Writes zeros over file bytes `[from, to)` that lie in mapped blocks.
fn zero<S: BlockStore + ?Sized>(
    store: &mut S,
    extents: &[Extent],
    from: u64,
    to: u64,
) -> Result<(), FsError> {
    let mut pos = from;
    while pos < to {
        match find(extents, pos / BLOCK_SIZE) {
            Ok(index) => {
                let extent = &extents[index];
                let end = extent.file_end().saturating_mul(BLOCK_SIZE).min(to);
                let zeros = vec![0u8; usize::try_from(end - pos).map_err(|_| FsError::TooBig)?];
                store.write_at(store_offset(extent, pos), &zeros)?;
                pos = end;
            }
            Err(index) => {
                pos = extents
                    .get(index)
                    .map_or(to, |extent| extent.file.saturating_mul(BLOCK_SIZE))
                    .min(to);
            }
        }
    }
    Ok(())
}

/// Rounds a byte offset up to a block boundary.
fn round_up(bytes: u64) -> u64 {
    bytes.div_ceil(BLOCK_SIZE).saturating_mul(BLOCK_SIZE)
}

/// Where new files' blocks go and where a file grows: the allocation state.
pub(crate) struct Space<'a> {
    pub alloc: &'a mut Allocator,
    /// Just past the last allocation: new files start here so they stay close.
    pub cursor: &'a mut u64,
}

/// Writes `data` at `offset` into a file of `size` bytes, allocating blocks
/// for holes. Returns the new size.
/// Errors: TooBig (past the largest file size), NoSpace, Io.
pub(crate) fn write<S: BlockStore + ?Sized>(
    store: &mut S,
    space: Space<'_>,
    extents: &mut Vec<Extent>,
    size: u64,
    offset: u64,
    data: &[u8],
) -> Result<u64, FsError> {
    if data.is_empty() {
        return Ok(size);
    }
    let end = offset
        .checked_add(data.len() as u64)
        .filter(|&end| end <= MAX_FILE_SIZE)
        .ok_or(FsError::TooBig)?;
    let first = offset / BLOCK_SIZE;
    let last = (end - 1) / BLOCK_SIZE;
    // Count the blocks to allocate first, so a write either fits or changes nothing.
    let mut needed = 0u64;
    let mut block = first;
    while block <= last {
        match find(extents, block) {
            Ok(index) => block = extents[index].file_end(),
            Err(index) => {
                let hole_end = extents
                    .get(index)
                    .map_or(last + 1, |extent| extent.file.min(last + 1));
                needed += hole_end - block;
                block = hole_end;
            }
        }
    }
    if needed > space.alloc.free_blocks() {
        return Err(FsError::NoSpace);
    }
    if offset > size {
        // Bytes between the old end and the write, inside the old last block, must read as zero.
        zero(store, extents, size, offset.min(round_up(size)))?;
    }
    let mut block = first;
    while block <= last {
        match find(extents, block) {
            Ok(index) => block = extents[index].file_end(),
            Err(index) => {
                let hole_end = extents
                    .get(index)
                    .map_or(last + 1, |extent| extent.file.min(last + 1));
                let hint = match index.checked_sub(1).and_then(|at| extents.get(at)) {
                    Some(previous) if previous.file_end() == block => {
                        previous.block + previous.count
                    }
                    _ => *space.cursor,
                };
                let (start, count) = space
                    .alloc
                    .allocate(hint, hole_end - block)
                    .ok_or(FsError::NoSpace)?;
                *space.cursor = start + count;
                // Zero what this write leaves untouched in the new blocks.
                let new_from = block * BLOCK_SIZE;
                let new_to = (block + count) * BLOCK_SIZE;
                if new_from < offset {
                    store.write_at(start * BLOCK_SIZE, &vec![0; (offset - new_from) as usize])?;
                }
                if end < new_to {
                    let tail_at = start * BLOCK_SIZE + (end - new_from);
                    store.write_at(tail_at, &vec![0; (new_to - end) as usize])?;
                }
                insert(
                    extents,
                    index,
                    Extent {
                        file: block,
                        block: start,
                        count,
                    },
                );
                block += count;
            }
        }
    }
    let mut done = 0usize;
    while done < data.len() {
        let pos = offset + done as u64;
        let Ok(index) = find(extents, pos / BLOCK_SIZE) else {
            return Err(FsError::Io("extent map lost a block".into()));
        };
        let extent = &extents[index];
        let run = extent.file_end().saturating_mul(BLOCK_SIZE) - pos;
        let count = run.min((data.len() - done) as u64) as usize;
        store.write_at(store_offset(extent, pos), &data[done..done + count])?;
        done += count;
    }
    Ok(size.max(end))
}

/// Changes a file's size from `size` to `new_size`: drops the blocks past the
/// new end (returned as (start, count) runs for the caller to free once the
/// change is durable) or zeroes the old last block's tail when growing.
/// Errors: TooBig, Io.
pub(crate) fn resize<S: BlockStore + ?Sized>(
    store: &mut S,
    extents: &mut Vec<Extent>,
    size: u64,
    new_size: u64,
) -> Result<Vec<(u64, u64)>, FsError> {
    if new_size > MAX_FILE_SIZE {
        return Err(FsError::TooBig);
    }
    if new_size > size {
        zero(store, extents, size, new_size.min(round_up(size)))?;
        return Ok(Vec::new());
    }
    let keep = new_size.div_ceil(BLOCK_SIZE);
    let mut freed = Vec::new();
    extents.retain_mut(|extent| {
        if extent.file >= keep {
            freed.push((extent.block, extent.count));
            false
        } else {
            if extent.file_end() > keep {
                let cut = extent.file_end() - keep;
                freed.push((extent.block + extent.count - cut, cut));
                extent.count -= cut;
            }
            true
        }
    });
    Ok(freed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diskfs::MemoryStore;

    fn setup() -> (MemoryStore, Allocator, u64) {
        (MemoryStore::new(), Allocator::new(16, 1 << 20), 16)
    }

    #[test]
    fn sequential_writes_make_one_extent() {
        let (mut store, mut alloc, mut cursor) = setup();
        let mut extents = Vec::new();
        let mut size = 0;
        for chunk in 0..10u64 {
            let data = vec![chunk as u8; 10_000];
            let space = Space {
                alloc: &mut alloc,
                cursor: &mut cursor,
            };
            size = write(&mut store, space, &mut extents, size, chunk * 10_000, &data).unwrap();
        }
        assert_eq!(size, 100_000);
        assert_eq!(extents.len(), 1);
        let mut buf = vec![0; 100_000];
        assert_eq!(read(&mut store, &extents, size, 0, &mut buf), Ok(100_000));
        assert!(
            buf.chunks(10_000)
                .enumerate()
                .all(|(index, chunk)| chunk.iter().all(|&b| b == index as u8))
        );
    }

    #[test]
    fn holes_read_as_zeros_and_reused_blocks_are_clean() {
        let (mut store, mut alloc, mut cursor) = setup();
        store
            .write_at(16 * BLOCK_SIZE, &[0xAA; 3 * BLOCK_SIZE as usize])
            .unwrap();
        let mut extents = Vec::new();
        let space = Space {
            alloc: &mut alloc,
            cursor: &mut cursor,
        };
        let size = write(&mut store, space, &mut extents, 0, 5000, b"xy").unwrap();
        assert_eq!(size, 5002);
        let mut buf = vec![7; 6000];
        assert_eq!(read(&mut store, &extents, size, 0, &mut buf), Ok(5002));
        assert!(buf[..5000].iter().all(|&b| b == 0));
        assert_eq!(&buf[5000..5002], b"xy");
        let mut tail = [7; 100];
        store
            .read_at(extents[0].block * BLOCK_SIZE + 1000, &mut tail)
            .unwrap();
        assert_eq!(tail, [0; 100]);
    }

    #[test]
    fn shrinking_frees_blocks_and_growing_zeroes_the_old_tail() {
        let (mut store, mut alloc, mut cursor) = setup();
        let mut extents = Vec::new();
        let space = Space {
            alloc: &mut alloc,
            cursor: &mut cursor,
        };
        let size = write(&mut store, space, &mut extents, 0, 0, &[1; 10_000]).unwrap();
        let freed = resize(&mut store, &mut extents, size, 100).unwrap();
        assert_eq!(freed.iter().map(|run| run.1).sum::<u64>(), 2);
        resize(&mut store, &mut extents, 100, 3000).unwrap();
        let mut buf = vec![9; 3000];
        read(&mut store, &extents, 3000, 0, &mut buf).unwrap();
        assert!(buf[..100].iter().all(|&b| b == 1));
        assert!(buf[100..].iter().all(|&b| b == 0));
    }

    #[test]
    fn write_without_space_changes_nothing() {
        let mut store = MemoryStore::new();
        let mut alloc = Allocator::new(16, 18);
        let mut cursor = 16;
        let mut extents = Vec::new();
        let space = Space {
            alloc: &mut alloc,
            cursor: &mut cursor,
        };
        assert_eq!(
            write(&mut store, space, &mut extents, 0, 0, &[1; 3 * 4096]),
            Err(FsError::NoSpace)
        );
        assert!(extents.is_empty());
        assert_eq!(alloc.free_blocks(), 2);
    }

    #[test]
    fn write_past_the_largest_file_is_too_big() {
        let (mut store, mut alloc, mut cursor) = setup();
        let mut extents = Vec::new();
        let space = Space {
            alloc: &mut alloc,
            cursor: &mut cursor,
        };
        assert_eq!(
            write(&mut store, space, &mut extents, 0, u64::MAX - 1, b"xy"),
            Err(FsError::TooBig)
        );
    }
}
