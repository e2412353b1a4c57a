//! Block stores: the random-access devices diskfs lives on.
//!
//! A store is one flat, growable byte array with positioned reads and
//! writes and a durability barrier. In the browser it is an OPFS file opened
//! with a synchronous access handle (kernel/drivers/opfs-block), natively a
//! disk-image file ([`ImageFileStore`]), in tests memory ([`MemoryStore`],
//! and [`FaultStore`](super::FaultStore) to inject crashes).

use core::fmt;

use crate::FsError;

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The store is full or its quota is exhausted.
    NoSpace,
    /// The device failed; the message says how.
    Io(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NoSpace => f.write_str("store full"),
            StoreError::Io(message) => write!(f, "store I/O error: {message}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for FsError {
    fn from(error: StoreError) -> FsError {
        match error {
            StoreError::NoSpace => FsError::NoSpace,
            StoreError::Io(message) => FsError::Io(message),
        }
    }
}

/// A random-access persistent byte array.
///
/// Writes may reach the device in any state until `flush` returns; diskfs
/// assumes only that a crash keeps some prefix of the writes issued (the last
/// one possibly torn) and that everything before a successful `flush` stays.
#[allow(clippy::len_without_is_empty)] // a store of length 0 is just unformatted
pub trait BlockStore {
    /// Current length in bytes.
    /// Errors: Io.
    fn len(&self) -> Result<u64, StoreError>;

    /// Fills `buf` from `offset`; bytes past the end read as zeros.
    /// Errors: Io.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError>;

    /// Writes `data` at `offset`, growing the store (with zeros) if needed.
    /// Errors: NoSpace, Io.
    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError>;

    /// Truncates or extends (with zeros) to `len` bytes.
    /// Errors: NoSpace, Io.
    fn set_len(&mut self, len: u64) -> Result<(), StoreError>;

    /// Makes every write so far durable.
    /// Errors: Io.
    fn flush(&mut self) -> Result<(), StoreError>;
}

impl<S: BlockStore + ?Sized> BlockStore for Box<S> {
    fn len(&self) -> Result<u64, StoreError> {
        (**self).len()
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        (**self).read_at(offset, buf)
    }
    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        (**self).write_at(offset, data)
    }
    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        (**self).set_len(len)
    }
    fn flush(&mut self) -> Result<(), StoreError> {
        (**self).flush()
    }
}

/// A store in memory: tests, and the browser before OPFS is open.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    bytes: Vec<u8>,
    limit: Option<u64>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// An empty store that refuses to grow past `limit` bytes (NoSpace).
    pub fn with_limit(limit: u64) -> MemoryStore {
        MemoryStore {
            bytes: Vec::new(),
            limit: Some(limit),
        }
    }

    /// A store holding `bytes` (an image taken earlier).
    pub fn from_bytes(bytes: Vec<u8>) -> MemoryStore {
        MemoryStore { bytes, limit: None }
    }

    /// The store's content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn grow_to(&mut self, len: u64) -> Result<usize, StoreError> {
        if self.limit.is_some_and(|limit| len > limit) {
            return Err(StoreError::NoSpace);
        }
        let len = usize::try_from(len).map_err(|_| StoreError::NoSpace)?;
        if len > self.bytes.len() {
            self.bytes
                .try_reserve(len - self.bytes.len())
                .map_err(|_| StoreError::NoSpace)?;
            self.bytes.resize(len, 0);
        }
        Ok(len)
    }
}

impl BlockStore for MemoryStore {
    fn len(&self) -> Result<u64, StoreError> {
        Ok(self.bytes.len() as u64)
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        buf.fill(0);
        let Ok(start) = usize::try_from(offset) else {
            return Ok(());
        };
        if let Some(available) = self.bytes.get(start..) {
            let count = available.len().min(buf.len());
            buf[..count].copy_from_slice(&available[..count]);
        }
        Ok(())
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        let end = offset
            .checked_add(data.len() as u64)
            .ok_or(StoreError::NoSpace)?;
        self.grow_to(end)?;
        let start = usize::try_from(offset).map_err(|_| StoreError::NoSpace)?;
        let target = self
            .bytes
            .get_mut(start..start + data.len())
            .ok_or(StoreError::NoSpace)?;
        target.copy_from_slice(data);
        Ok(())
    }

    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        let len = self.grow_to(len)?;
        self.bytes.truncate(len);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// A store in one native disk-image file (`wasmux run --disk IMAGE`).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
pub struct ImageFileStore {
    file: std::fs::File,
    path: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl ImageFileStore {
    /// Opens `path` for reading and writing, creating an empty file if missing.
    /// Errors: Io (with the path in the message).
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<ImageFileStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| StoreError::Io(format!("{}: {error}", path.display())))?;
        Ok(ImageFileStore { file, path })
    }

    fn error(&self, error: std::io::Error) -> StoreError {
        if error.kind() == std::io::ErrorKind::StorageFull {
            StoreError::NoSpace
        } else {
            StoreError::Io(format!("{}: {error}", self.path.display()))
        }
    }
}

#[cfg(all(not(target_arch = "wasm32"), unix))]
impl BlockStore for ImageFileStore {
    fn len(&self) -> Result<u64, StoreError> {
        self.file
            .metadata()
            .map(|meta| meta.len())
            .map_err(|error| self.error(error))
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        use std::os::unix::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            let Some(at) = offset.checked_add(done as u64) else {
                break;
            };
            match self.file.read_at(&mut buf[done..], at) {
                Ok(0) => break,
                Ok(count) => done += count,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(self.error(error)),
            }
        }
        buf[done..].fill(0);
        Ok(())
    }

    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        use std::os::unix::fs::FileExt;
        self.file
            .write_all_at(data, offset)
            .map_err(|error| self.error(error))
    }

    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        self.file.set_len(len).map_err(|error| self.error(error))
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        self.file.sync_data().map_err(|error| self.error(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_reads_zeros_past_the_end() {
        let mut store = MemoryStore::new();
        store.write_at(2, b"ab").unwrap();
        let mut buf = [9; 6];
        store.read_at(1, &mut buf).unwrap();
        assert_eq!(&buf, b"\0ab\0\0\0");
        store.read_at(u64::MAX, &mut buf).unwrap();
        assert_eq!(buf, [0; 6]);
        assert_eq!(store.write_at(u64::MAX, b"x"), Err(StoreError::NoSpace));
    }

    #[test]
    fn memory_store_limit_is_no_space() {
        let mut store = MemoryStore::with_limit(4);
        assert_eq!(store.write_at(2, b"abc"), Err(StoreError::NoSpace));
        store.write_at(1, b"abc").unwrap();
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn image_file_store_round_trips() {
        let dir = std::env::temp_dir().join(format!("wasmux-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("image");
        let mut store = ImageFileStore::open(&path).unwrap();
        store.write_at(4096, b"hello").unwrap();
        store.flush().unwrap();
        let mut buf = [0; 8];
        store.read_at(4096, &mut buf).unwrap();
        assert_eq!(&buf, b"hello\0\0\0");
        assert_eq!(store.len().unwrap(), 4101);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
