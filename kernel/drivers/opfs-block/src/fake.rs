//! [`FakeHandle`]: a sync access handle in memory, with failure knobs.

use std::cell::{Cell, RefCell};

use crate::{HandleError, SyncAccess};

/// A file in memory that behaves like an OPFS sync access handle.
#[derive(Debug, Default)]
pub struct FakeHandle {
    bytes: RefCell<Vec<u8>>,
    /// Most bytes one read or write moves (0 = no limit).
    transfer_limit: Cell<usize>,
    /// Largest size the file may reach (None = no quota).
    quota: Cell<Option<u64>>,
    /// Every call fails with this, once set.
    failure: RefCell<Option<String>>,
    flushes: Cell<u64>,
}

impl FakeHandle {
    /// Makes every read and write move at most `limit` bytes.
    pub fn limit_transfers(&self, limit: usize) {
        self.transfer_limit.set(limit);
    }

    /// Makes growing past `limit` bytes a quota error.
    pub fn set_quota(&self, limit: u64) {
        self.quota.set(Some(limit));
    }

    /// Makes every later call fail with `message`.
    pub fn fail_with(&self, message: &str) {
        *self.failure.borrow_mut() = Some(message.to_string());
    }

    /// The file's content.
    pub fn bytes(&self) -> Vec<u8> {
        self.bytes.borrow().clone()
    }

    /// How many flushes succeeded.
    pub fn flushes(&self) -> u64 {
        self.flushes.get()
    }

    fn check(&self) -> Result<(), HandleError> {
        match &*self.failure.borrow() {
            Some(message) => Err(HandleError::Other(message.clone())),
            None => Ok(()),
        }
    }

    fn limit(&self, count: usize) -> usize {
        match self.transfer_limit.get() {
            0 => count,
            limit => count.min(limit),
        }
    }

    fn grow(&self, size: u64) -> Result<usize, HandleError> {
        if self.quota.get().is_some_and(|quota| size > quota) {
            return Err(HandleError::Quota);
        }
        usize::try_from(size).map_err(|_| HandleError::Quota)
    }
}

impl SyncAccess for FakeHandle {
    fn read(&self, buf: &mut [u8], at: u64) -> Result<usize, HandleError> {
        self.check()?;
        let bytes = self.bytes.borrow();
        let start = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
        let count = self.limit(buf.len().min(bytes.len() - start));
        buf[..count].copy_from_slice(&bytes[start..start + count]);
        Ok(count)
    }

    fn write(&self, data: &[u8], at: u64) -> Result<usize, HandleError> {
        self.check()?;
        let count = self.limit(data.len());
        let start = self.grow(at)?;
        let end = self.grow(at + count as u64)?;
        let mut bytes = self.bytes.borrow_mut();
        if bytes.len() < end {
            bytes.resize(end, 0);
        }
        bytes[start..end].copy_from_slice(&data[..count]);
        Ok(count)
    }

    fn size(&self) -> Result<u64, HandleError> {
        self.check()?;
        Ok(self.bytes.borrow().len() as u64)
    }

    fn truncate(&self, size: u64) -> Result<(), HandleError> {
        self.check()?;
        let size = self.grow(size)?;
        self.bytes.borrow_mut().resize(size, 0);
        Ok(())
    }

    fn flush(&self) -> Result<(), HandleError> {
        self.check()?;
        self.flushes.set(self.flushes.get() + 1);
        Ok(())
    }
}
