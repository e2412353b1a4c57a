//! The memory devices (major 1) as open files, and their driver table.

use std::rc::Rc;

use super::{FULL, NULL, RANDOM, RandomSource, URANDOM, ZERO};
use crate::{
    Access, Devices, File, FsError, InodeId, Metadata, NodeKind, Readiness, SetAttr, WritePos,
};

/// One of Linux's memory devices (major 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemoryDevice {
    /// Reads end at once; writes vanish.
    Null,
    /// Reads give zeros; writes vanish.
    Zero,
    /// Reads give zeros; writes fail with NoSpace.
    Full,
    /// Reads give random bytes; writes vanish (there is no pool to stir).
    Random,
    /// As `Random`.
    Urandom,
}

impl MemoryDevice {
    /// The device with number `rdev`, if it is one.
    pub fn from_rdev(rdev: u64) -> Option<MemoryDevice> {
        match rdev {
            NULL => Some(MemoryDevice::Null),
            ZERO => Some(MemoryDevice::Zero),
            FULL => Some(MemoryDevice::Full),
            RANDOM => Some(MemoryDevice::Random),
            URANDOM => Some(MemoryDevice::Urandom),
            _ => None,
        }
    }

    pub fn rdev(self) -> u64 {
        match self {
            MemoryDevice::Null => NULL,
            MemoryDevice::Zero => ZERO,
            MemoryDevice::Full => FULL,
            MemoryDevice::Random => RANDOM,
            MemoryDevice::Urandom => URANDOM,
        }
    }
}

/// An open memory device.
pub struct MemoryFile {
    device: MemoryDevice,
    random: Rc<dyn RandomSource>,
}

impl core::fmt::Debug for MemoryFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryFile")
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl MemoryFile {
    pub fn new(device: MemoryDevice, random: Rc<dyn RandomSource>) -> MemoryFile {
        MemoryFile { device, random }
    }
}

impl File for MemoryFile {
    /// A character device, mode 0o666; `ino` is the device number (the node's
    /// own inode is not known to an opened device).
    fn stat(&self) -> Result<Metadata, FsError> {
        let rdev = self.device.rdev();
        Ok(Metadata {
            dev: 0,
            ino: InodeId(rdev),
            kind: NodeKind::CharDevice,
            mode: 0o666,
            nlink: 1,
            uid: 0,
            gid: 0,
            size: 0,
            rdev,
            atime: 0,
            mtime: 0,
            ctime: 0,
        })
    }

    /// Seeking succeeds and means nothing, as on Linux (so pread works too).
    fn is_seekable(&self) -> bool {
        true
    }

    fn read(&self, _offset: u64, buf: &mut [u8]) -> Result<usize, FsError> {
        match self.device {
            MemoryDevice::Null => return Ok(0),
            MemoryDevice::Zero | MemoryDevice::Full => buf.fill(0),
            MemoryDevice::Random | MemoryDevice::Urandom => self.random.fill(buf),
        }
        Ok(buf.len())
    }

    /// Errors: NoSpace (/dev/full).
    fn write(&self, _pos: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
        match self.device {
            MemoryDevice::Full => Err(FsError::NoSpace),
            _ => Ok((data.len(), 0)),
        }
    }

    /// Errors: Invalid (a size, as Linux's ftruncate of a device), Perm
    /// (anything else: the node is devfs's, change it by path).
    fn set_attr(&self, changes: &SetAttr) -> Result<(), FsError> {
        if changes.size.is_some() {
            Err(FsError::Invalid)
        } else {
            Err(FsError::Perm)
        }
    }

    fn sync(&self) -> Result<(), FsError> {
        Ok(())
    }

    fn poll(&self) -> Readiness {
        Readiness::ALWAYS
    }
}

/// The driver table for the memory devices; other numbers go to the fallback.
pub struct MemoryDevices {
    random: Rc<dyn RandomSource>,
    fallback: Option<Rc<dyn Devices>>,
}

impl core::fmt::Debug for MemoryDevices {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryDevices")
            .field("fallback", &self.fallback.is_some())
            .finish_non_exhaustive()
    }
}

impl MemoryDevices {
    /// The memory devices alone: other numbers are NotSupported.
    pub fn new(random: Rc<dyn RandomSource>) -> MemoryDevices {
        MemoryDevices {
            random,
            fallback: None,
        }
    }

    /// Sends every number that is not a memory device to `fallback`
    /// (the console driver's table, which may chain further).
    pub fn with_fallback(self, fallback: Rc<dyn Devices>) -> MemoryDevices {
        MemoryDevices {
            fallback: Some(fallback),
            ..self
        }
    }
}

impl Devices for MemoryDevices {
    /// Errors: NotSupported (not a memory device and no fallback), else the fallback's.
    fn open(&self, kind: NodeKind, rdev: u64, access: Access) -> Result<Box<dyn File>, FsError> {
        match MemoryDevice::from_rdev(rdev) {
            Some(device) if kind == NodeKind::CharDevice => {
                Ok(Box::new(MemoryFile::new(device, self.random.clone())))
            }
            _ => match &self.fallback {
                Some(fallback) => fallback.open(kind, rdev, access),
                None => Err(FsError::NotSupported),
            },
        }
    }
}
