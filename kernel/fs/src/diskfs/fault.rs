//! A store that fails on demand: the fake diskfs's crash tests run on.

use super::store::{BlockStore, MemoryStore, StoreError};

/// A [`MemoryStore`] with knobs for crashes and failures.
///
/// A crash is simulated by `crash_after(n)`: the first `n` writes from then
/// on land, every later one is silently lost (the machine died; the
/// filesystem above does not know). With `tear_last_write`, the write right
/// after the crash point lands only half. [`FaultStore::image`] is then what
/// a reboot would find.
#[derive(Clone, Debug, Default)]
pub struct FaultStore {
    inner: MemoryStore,
    writes: u64,
    crash_after: Option<u64>,
    tear: bool,
    fail_flush: bool,
    fail_writes: bool,
    flushes: u64,
}

impl FaultStore {
    /// An empty store without faults.
    pub fn new() -> FaultStore {
        FaultStore::default()
    }

    /// A store holding an image.
    pub fn from_bytes(bytes: Vec<u8>) -> FaultStore {
        FaultStore {
            inner: MemoryStore::from_bytes(bytes),
            ..FaultStore::default()
        }
    }

    /// Lets `writes` more writes land, then loses every later one.
    pub fn crash_after(&mut self, writes: u64) {
        self.crash_after = Some(self.writes.saturating_add(writes));
    }

    /// With a crash point set: the first lost write lands half.
    pub fn tear_last_write(&mut self, tear: bool) {
        self.tear = tear;
    }

    /// Makes `flush` fail (or succeed again).
    pub fn fail_flush(&mut self, fail: bool) {
        self.fail_flush = fail;
    }

    /// Makes every write fail with an I/O error (or succeed again).
    pub fn fail_writes(&mut self, fail: bool) {
        self.fail_writes = fail;
    }

    /// Writes issued so far (landed or lost).
    pub fn writes(&self) -> u64 {
        self.writes
    }

    /// Successful flushes so far.
    pub fn flushes(&self) -> u64 {
        self.flushes
    }

    /// Whether the crash point has passed: from now on no write lands, not even in part.
    pub fn crashed(&self) -> bool {
        let torn = u64::from(self.tear);
        self.crash_after
            .is_some_and(|limit| self.writes >= limit.saturating_add(torn))
    }

    /// What the store holds: after a crash, what a reboot finds.
    pub fn image(&self) -> Vec<u8> {
        self.inner.bytes().to_vec()
    }
}

impl BlockStore for FaultStore {
    fn len(&self) -> Result<u64, StoreError> {
        self.inner.len()
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        self.inner.read_at(offset, buf)
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        if self.fail_writes {
            return Err(StoreError::Io("injected write failure".into()));
        }
        let index = self.writes;
        self.writes = self.writes.saturating_add(1);
        match self.crash_after {
            Some(limit) if index == limit && self.tear => {
                self.inner.write_at(offset, &data[..data.len() / 2])
            }
            Some(limit) if index >= limit => Ok(()),
            _ => self.inner.write_at(offset, data),
        }
    }

    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        if self.crashed() {
            return Ok(());
        }
        self.inner.set_len(len)
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.fail_flush {
            return Err(StoreError::Io("injected flush failure".into()));
        }
        self.flushes += 1;
        Ok(())
    }
}
