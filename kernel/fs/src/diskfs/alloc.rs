//! The free-block map: which blocks of the store hold nothing.
//!
//! Not persisted: at mount it is rebuilt from everything the metadata
//! references (file extents, the snapshot and the log region), so it can
//! never disagree with the tree. A `BTreeMap` of free runs keyed by start
//! block gives O(log n) allocation next to a hint, which keeps a file that
//! grows sequentially in one extent.

use std::collections::BTreeMap;

/// Free runs of blocks in `[first, capacity)`.
#[derive(Clone, Debug)]
pub(crate) struct Allocator {
    /// start -> length
    free: BTreeMap<u64, u64>,
    free_blocks: u64,
    capacity: u64,
}

impl Allocator {
    /// Every block in `[first, capacity)` free.
    pub fn new(first: u64, capacity: u64) -> Allocator {
        let mut free = BTreeMap::new();
        let count = capacity.saturating_sub(first);
        if count > 0 {
            free.insert(first, count);
        }
        Allocator {
            free,
            free_blocks: count,
            capacity,
        }
    }

    pub fn free_blocks(&self) -> u64 {
        self.free_blocks
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Marks `[start, start + count)` used; false if any of it is not free
    /// (a corrupt image: two owners, or out of range).
    pub fn mark_used(&mut self, start: u64, count: u64) -> bool {
        if count == 0 {
            return true;
        }
        let Some(end) = start.checked_add(count) else {
            return false;
        };
        let Some((&run_start, &run_len)) = self.free.range(..=start).next_back() else {
            return false;
        };
        let run_end = run_start + run_len;
        if end > run_end {
            return false;
        }
        self.free.remove(&run_start);
        if run_start < start {
            self.free.insert(run_start, start - run_start);
        }
        if end < run_end {
            self.free.insert(end, run_end - end);
        }
        self.free_blocks -= count;
        true
    }

    /// Up to `want` contiguous blocks, at `hint` if it is free, else the first
    /// free run after it, else the first free run. Returns (start, count).
    pub fn allocate(&mut self, hint: u64, want: u64) -> Option<(u64, u64)> {
        if want == 0 {
            return None;
        }
        let containing = self
            .free
            .range(..=hint)
            .next_back()
            .map(|(&start, &len)| (start, len));
        let (start, available) = match containing {
            Some((run_start, len)) if run_start + len > hint => (hint, run_start + len - hint),
            _ => {
                let (&start, &len) = self
                    .free
                    .range(hint..)
                    .next()
                    .or_else(|| self.free.iter().next())?;
                (start, len)
            }
        };
        let count = available.min(want);
        self.mark_used(start, count).then_some((start, count))
    }

    /// `count` contiguous blocks (metadata regions), first fit.
    pub fn allocate_contiguous(&mut self, count: u64) -> Option<u64> {
        let start = self
            .free
            .iter()
            .find(|&(_, &len)| len >= count)
            .map(|(&start, _)| start)?;
        self.mark_used(start, count).then_some(start)
    }

    /// Returns `[start, start + count)` to the free map, merging neighbours.
    pub fn release(&mut self, start: u64, count: u64) {
        if count == 0 {
            return;
        }
        let mut start = start;
        let mut end = start.saturating_add(count);
        let before = self
            .free
            .range(..start)
            .next_back()
            .map(|(&before, &len)| (before, len));
        if let Some((before, len)) = before {
            if before + len == start {
                self.free.remove(&before);
                start = before;
            }
        }
        if let Some(&len) = self.free.get(&end) {
            self.free.remove(&end);
            end += len;
        }
        self.free.insert(start, end - start);
        self.free_blocks = self.free_blocks.saturating_add(count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_continues_at_the_hint() {
        let mut alloc = Allocator::new(10, 100);
        assert_eq!(alloc.allocate(0, 5), Some((10, 5)));
        assert_eq!(alloc.allocate(15, 5), Some((15, 5)));
        assert_eq!(alloc.free_blocks(), 80);
    }

    #[test]
    fn released_runs_merge_and_are_reused() {
        let mut alloc = Allocator::new(0, 10);
        assert_eq!(alloc.allocate(0, 10), Some((0, 10)));
        assert_eq!(alloc.allocate(0, 1), None);
        alloc.release(2, 2);
        alloc.release(4, 2);
        assert_eq!(alloc.allocate_contiguous(4), Some(2));
        alloc.release(0, 10);
        assert_eq!(alloc.free_blocks(), 10);
        assert_eq!(alloc.allocate_contiguous(10), Some(0));
    }

    #[test]
    fn double_use_is_detected() {
        let mut alloc = Allocator::new(0, 10);
        assert!(alloc.mark_used(3, 2));
        assert!(!alloc.mark_used(4, 1));
        assert!(!alloc.mark_used(9, 2));
        assert!(!alloc.mark_used(u64::MAX, 2));
    }
}
