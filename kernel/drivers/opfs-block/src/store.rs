//! [`OpfsStore`]: a [`BlockStore`] over a synchronous access handle.

use wasmux_fs::{BlockStore, StoreError};

/// Why a handle call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandleError {
    /// The origin's storage quota is exhausted (`QuotaExceededError`).
    Quota,
    /// Anything else: the error's name and message.
    Other(String),
}

impl From<HandleError> for StoreError {
    fn from(error: HandleError) -> StoreError {
        match error {
            HandleError::Quota => StoreError::NoSpace,
            HandleError::Other(message) => StoreError::Io(format!("OPFS: {message}")),
        }
    }
}

/// What the store needs of a `FileSystemSyncAccessHandle` (positions are
/// byte offsets; the browser's are doubles, exact below 2^53).
pub trait SyncAccess {
    /// Reads into `buf` from `at`; returns how many bytes it read (fewer at the end).
    /// Errors: Other.
    fn read(&self, buf: &mut [u8], at: u64) -> Result<usize, HandleError>;
    /// Writes `data` at `at`; returns how many bytes it wrote.
    /// Errors: Quota, Other.
    fn write(&self, data: &[u8], at: u64) -> Result<usize, HandleError>;
    /// The file's size.
    /// Errors: Other.
    fn size(&self) -> Result<u64, HandleError>;
    /// Truncates or extends (with zeros) to `size`.
    /// Errors: Quota, Other.
    fn truncate(&self, size: u64) -> Result<(), HandleError>;
    /// Persists every write so far.
    /// Errors: Other.
    fn flush(&self) -> Result<(), HandleError>;
}

/// The largest offset a JavaScript number holds exactly.
const MAX_OFFSET: u64 = (1 << 53) - 1;

/// A block store in one OPFS file. The handle is exclusive, so the length
/// is read once and then tracked here.
#[derive(Debug)]
pub struct OpfsStore<H: SyncAccess> {
    handle: H,
    len: u64,
}

impl<H: SyncAccess> OpfsStore<H> {
    /// The store over an open handle.
    /// Errors: Io (the size cannot be read).
    pub fn new(handle: H) -> Result<OpfsStore<H>, StoreError> {
        let len = handle.size()?;
        Ok(OpfsStore { handle, len })
    }

    /// The handle (to close it at shutdown).
    pub fn handle(&self) -> &H {
        &self.handle
    }
}

fn end_of(offset: u64, count: usize) -> Result<u64, StoreError> {
    offset
        .checked_add(count as u64)
        .filter(|&end| end <= MAX_OFFSET)
        .ok_or(StoreError::NoSpace)
}

impl<H: SyncAccess> BlockStore for OpfsStore<H> {
    fn len(&self) -> Result<u64, StoreError> {
        Ok(self.len)
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        let available = usize::try_from(self.len.saturating_sub(offset)).unwrap_or(usize::MAX);
        let wanted = buf.len().min(available);
        let mut done = 0;
        while done < wanted {
            let at = offset.saturating_add(done as u64);
            let Some(rest) = buf.get_mut(done..wanted) else {
                break;
            };
            match self.handle.read(rest, at)? {
                0 => break,
                count => done += count,
            }
        }
        if let Some(tail) = buf.get_mut(done..) {
            tail.fill(0);
        }
        Ok(())
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        let end = end_of(offset, data.len())?;
        if offset > self.len {
            self.handle.truncate(offset)?;
            self.len = offset;
        }
        let mut done = 0;
        while let Some(rest) = data.get(done..).filter(|rest| !rest.is_empty()) {
            let at = offset.saturating_add(done as u64);
            match self.handle.write(rest, at)? {
                0 => return Err(StoreError::Io("OPFS: a write made no progress".into())),
                count => done += count,
            }
        }
        self.len = self.len.max(end);
        Ok(())
    }

    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        if len > MAX_OFFSET {
            return Err(StoreError::NoSpace);
        }
        self.handle.truncate(len)?;
        self.len = len;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        Ok(self.handle.flush()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FakeHandle;

    #[test]
    fn short_reads_and_writes_are_retried() {
        let handle = FakeHandle::default();
        handle.limit_transfers(3);
        let mut store = OpfsStore::new(handle).unwrap();
        store.write_at(0, b"hello world").unwrap();
        let mut buf = [0; 11];
        store.read_at(0, &mut buf).unwrap();
        assert_eq!(&buf, b"hello world");
    }

    #[test]
    fn write_past_the_end_extends_with_zeros() {
        let mut store = OpfsStore::new(FakeHandle::default()).unwrap();
        store.write_at(4, b"x").unwrap();
        assert_eq!(store.handle().bytes(), b"\0\0\0\0x");
        assert_eq!(store.len().unwrap(), 5);
    }

    #[test]
    fn quota_is_no_space_and_changes_nothing_known() {
        let handle = FakeHandle::default();
        handle.set_quota(4);
        let mut store = OpfsStore::new(handle).unwrap();
        assert_eq!(store.write_at(2, b"abc"), Err(StoreError::NoSpace));
        assert_eq!(store.set_len(1 << 60), Err(StoreError::NoSpace));
        store.write_at(1, b"abc").unwrap();
    }

    #[test]
    fn failures_carry_the_browser_message() {
        let handle = FakeHandle::default();
        handle.fail_with("InvalidStateError: the handle is closed");
        let mut store = OpfsStore::new(FakeHandle::default()).unwrap();
        store.write_at(0, b"a").unwrap();
        let mut failing = OpfsStore { handle, len: 1 };
        let error = failing.flush().unwrap_err();
        assert_eq!(
            error,
            StoreError::Io("OPFS: InvalidStateError: the handle is closed".into())
        );
    }

    #[test]
    fn flush_reaches_the_handle() {
        let mut store = OpfsStore::new(FakeHandle::default()).unwrap();
        store.write_at(0, b"a").unwrap();
        store.flush().unwrap();
        assert_eq!(store.handle().flushes(), 1);
    }

    #[test]
    fn offsets_beyond_javascript_numbers_are_no_space() {
        let mut store = OpfsStore::new(FakeHandle::default()).unwrap();
        assert_eq!(store.write_at(MAX_OFFSET, b"ab"), Err(StoreError::NoSpace));
    }
}
