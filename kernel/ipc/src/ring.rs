//! A bounded byte ring with bulk copies: the buffer behind every pipe and
//! socket direction.
//!
//! Storage grows on demand (powers of two from [`MIN_STORAGE`] up to the
//! limit), so an idle pipe costs nothing and a busy one settles at its full
//! capacity; every transfer is at most two `copy_from_slice` calls.
//!
//! Rejected: `VecDeque<u8>` (reading needs `as_slices` + `drain`, and its
//! growth is not bounded by our limit); a fixed 64 KiB allocation per pipe
//! (shell pipelines open many pipes that carry a few bytes).

/// The first allocation, in bytes.
pub(crate) const MIN_STORAGE: usize = 4096;

/// Bytes in FIFO order, at most `limit` of them.
///
/// Invariants: `len <= limit`; `len <= storage.len()`; `head < storage.len()`
/// whenever `storage` is non-empty (else `head == 0`); the bytes are
/// `storage[head..]` followed by `storage[..]`, wrapping, `len` of them.
#[derive(Debug)]
pub(crate) struct Ring {
    storage: Vec<u8>,
    head: usize,
    len: usize,
    limit: usize,
}

impl Ring {
    /// An empty ring that holds at most `limit` bytes (no allocation yet).
    pub(crate) fn new(limit: usize) -> Ring {
        Ring {
            storage: Vec::new(),
            head: 0,
            len: 0,
            limit,
        }
    }

    /// Bytes held.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bytes that still fit (against the limit, not the current storage).
    pub(crate) fn free(&self) -> usize {
        self.limit - self.len
    }

    /// Appends as much of `data` as fits; returns how much.
    pub(crate) fn push(&mut self, data: &[u8]) -> usize {
        let count = data.len().min(self.free());
        if count == 0 {
            return 0;
        }
        self.reserve(self.len + count);
        let capacity = self.storage.len();
        let tail = (self.head + self.len) % capacity;
        let first = count.min(capacity - tail);
        let (data_first, data_rest) = data[..count].split_at(first);
        self.storage[tail..tail + first].copy_from_slice(data_first);
        self.storage[..data_rest.len()].copy_from_slice(data_rest);
        self.len += count;
        count
    }

    /// Moves the oldest bytes into `out`; returns how many.
    pub(crate) fn pop(&mut self, out: &mut [u8]) -> usize {
        let count = out.len().min(self.len);
        if count == 0 {
            return 0;
        }
        let capacity = self.storage.len();
        let first = count.min(capacity - self.head);
        let (out_first, out_rest) = out[..count].split_at_mut(first);
        out_first.copy_from_slice(&self.storage[self.head..self.head + first]);
        out_rest.copy_from_slice(&self.storage[..out_rest.len()]);
        self.len -= count;
        // Restarting at 0 when empty keeps the next write in one piece.
        self.head = if self.len == 0 {
            0
        } else {
            (self.head + count) % capacity
        };
        count
    }

    /// Makes room for `needed` bytes (`needed <= limit`), straightening the contents.
    fn reserve(&mut self, needed: usize) {
        if needed <= self.storage.len() {
            return;
        }
        let capacity = needed
            .checked_next_power_of_two()
            .unwrap_or(needed)
            .max(MIN_STORAGE)
            .min(self.limit)
            .max(needed);
        let mut storage = Vec::with_capacity(capacity);
        let first = self.len.min(self.storage.len() - self.head);
        storage.extend_from_slice(&self.storage[self.head..self.head + first]);
        storage.extend_from_slice(&self.storage[..self.len - first]);
        storage.resize(capacity, 0);
        self.storage = storage;
        self.head = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_stops_at_the_limit() {
        let mut ring = Ring::new(10);
        assert_eq!(ring.push(&[7; 25]), 10);
        assert_eq!(ring.free(), 0);
        assert_eq!(ring.push(b"x"), 0);
    }

    #[test]
    fn storage_grows_lazily_and_never_past_the_limit() {
        let mut ring = Ring::new(100_000);
        assert!(ring.storage.is_empty());
        ring.push(b"abc");
        assert_eq!(ring.storage.len(), MIN_STORAGE);
        ring.push(&[1; 70_000]);
        assert_eq!(ring.storage.len(), 100_000);
    }

    #[test]
    fn wrapped_contents_come_out_in_order() {
        let mut ring = Ring::new(8);
        let mut out = [0; 8];
        ring.push(b"abcdef");
        assert_eq!(ring.pop(&mut out[..4]), 4);
        ring.push(b"ghijk"); // wraps around the end of the storage
        assert_eq!(ring.len(), 7);
        assert_eq!(ring.pop(&mut out), 7);
        assert_eq!(&out[..7], b"efghijk");
    }

    #[test]
    fn growing_a_wrapped_ring_keeps_the_order() {
        let mut ring = Ring::new(1 << 16);
        let mut out = vec![0; 1 << 16];
        ring.push(&[1; 4000]);
        ring.pop(&mut out[..3000]);
        ring.push(&[2; 3000]); // wraps inside the first 4 KiB
        ring.push(&[3; 10]); // grows
        assert_eq!(ring.pop(&mut out), 4010);
        assert!(out[..1000].iter().all(|&b| b == 1));
        assert!(out[1000..4000].iter().all(|&b| b == 2));
        assert!(out[4000..4010].iter().all(|&b| b == 3));
    }

    proptest::proptest! {
        /// Against a `VecDeque`: pushes take what fits, pops return the
        /// oldest bytes, for any limit (growth and wrap-around included).
        #[test]
        fn ring_matches_a_deque(
            limit in 0..20_000usize,
            ops in proptest::collection::vec((proptest::bool::ANY, 0..9_000usize), 0..60),
        ) {
            let mut ring = Ring::new(limit);
            let mut model = std::collections::VecDeque::new();
            let mut next = 0u8;
            for (push, len) in ops {
                if push {
                    let data: Vec<u8> = (0..len).map(|_| { next = next.wrapping_add(1); next }).collect();
                    let count = ring.push(&data);
                    proptest::prop_assert_eq!(count, len.min(limit - model.len()));
                    model.extend(&data[..count]);
                } else {
                    let mut out = vec![0; len];
                    let expected_count = len.min(model.len());
                    let count = ring.pop(&mut out);
                    proptest::prop_assert_eq!(count, expected_count);
                    let expected: Vec<u8> = model.drain(..count).collect();
                    proptest::prop_assert_eq!(&out[..count], &expected[..]);
                }
                proptest::prop_assert_eq!(ring.len(), model.len());
                proptest::prop_assert!(ring.storage.len() <= limit);
            }
        }
    }

    #[test]
    fn zero_limit_ring_takes_nothing() {
        let mut ring = Ring::new(0);
        assert_eq!(ring.push(b"abc"), 0);
        assert_eq!(ring.pop(&mut [0; 4]), 0);
    }
}
