//! The `GuestMemory` trait and its two shapes: memory the kernel can borrow
//! directly, and memory it can only copy to and from.

use core::fmt;

/// A guest address range that is not inside the guest's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub addr: u32,
    pub len: u64,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "guest access of {} bytes at {:#x} is out of bounds",
            self.len, self.addr
        )
    }
}

impl core::error::Error for Fault {}

/// Checks that `addr..addr+len` lies within `size` bytes; returns the range.
pub fn check_range(addr: u32, len: u64, size: u64) -> Result<core::ops::Range<usize>, Fault> {
    let start = u64::from(addr);
    let end = start
        .checked_add(len)
        .filter(|&end| end <= size)
        .ok_or(Fault { addr, len })?;
    let start = usize::try_from(start).map_err(|_| Fault { addr, len })?;
    let end = usize::try_from(end).map_err(|_| Fault { addr, len })?;
    Ok(start..end)
}

/// Copies `bytes[addr..]` into `out`, checked.
fn copy_out(bytes: &[u8], addr: u32, out: &mut [u8]) -> Result<(), Fault> {
    let fault = Fault {
        addr,
        len: out.len() as u64,
    };
    let range = check_range(addr, out.len() as u64, bytes.len() as u64)?;
    out.copy_from_slice(bytes.get(range).ok_or(fault)?);
    Ok(())
}

/// Copies `data` into `bytes[addr..]`, checked.
fn copy_in(bytes: &mut [u8], addr: u32, data: &[u8]) -> Result<(), Fault> {
    let fault = Fault {
        addr,
        len: data.len() as u64,
    };
    let range = check_range(addr, data.len() as u64, bytes.len() as u64)?;
    bytes.get_mut(range).ok_or(fault)?.copy_from_slice(data);
    Ok(())
}

/// A process's linear memory as the system-call layer sees it.
///
/// It may live in the kernel's own address space (the interpreter executor:
/// a wasmi memory) or elsewhere (a JIT process in its own Worker, reached by
/// copying). Every access is checked: an address outside the memory is a
/// [`Fault`], which becomes EFAULT for the guest, never a kernel panic.
pub trait GuestMemory {
    /// Current size in bytes.
    fn size(&self) -> u64;

    /// Copies guest bytes at `addr` into `out`.
    /// Errors: Fault if the range is out of bounds.
    fn read(&self, addr: u32, out: &mut [u8]) -> Result<(), Fault>;

    /// Copies `data` into guest memory at `addr`.
    /// Errors: Fault if the range is out of bounds.
    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), Fault>;

    /// Runs `f` on the guest range `addr..addr+len` as a kernel slice: directly
    /// when the memory is local, else through a bounce buffer copied in and
    /// back out (so `f` may read and write it). Returns what `f` returned.
    /// Errors: Fault if the range is out of bounds.
    fn with_slice_mut(
        &mut self,
        addr: u32,
        len: u32,
        f: &mut dyn FnMut(&mut [u8]),
    ) -> Result<(), Fault> {
        let mut buffer = vec![0; len as usize];
        self.read(addr, &mut buffer)?;
        f(&mut buffer);
        self.write(addr, &buffer)
    }

    /// Runs `f` on the guest range `addr..addr+len` read-only: directly when
    /// the memory is local, else on a copy.
    /// Errors: Fault if the range is out of bounds.
    fn with_slice(&self, addr: u32, len: u32, f: &mut dyn FnMut(&[u8])) -> Result<(), Fault> {
        let mut buffer = vec![0; len as usize];
        self.read(addr, &mut buffer)?;
        f(&buffer);
        Ok(())
    }
}

/// Memory the kernel can borrow directly: a wasmi memory's bytes, or a test buffer.
#[derive(Debug)]
pub struct SliceMemory<'a> {
    bytes: &'a mut [u8],
}

impl<'a> SliceMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> SliceMemory<'a> {
        SliceMemory { bytes }
    }
}

impl GuestMemory for SliceMemory<'_> {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read(&self, addr: u32, out: &mut [u8]) -> Result<(), Fault> {
        copy_out(self.bytes, addr, out)
    }

    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), Fault> {
        copy_in(self.bytes, addr, data)
    }

    fn with_slice_mut(
        &mut self,
        addr: u32,
        len: u32,
        f: &mut dyn FnMut(&mut [u8]),
    ) -> Result<(), Fault> {
        let range = check_range(addr, u64::from(len), self.size())?;
        let target = self.bytes.get_mut(range).ok_or(Fault {
            addr,
            len: u64::from(len),
        })?;
        f(target);
        Ok(())
    }

    fn with_slice(&self, addr: u32, len: u32, f: &mut dyn FnMut(&[u8])) -> Result<(), Fault> {
        let range = check_range(addr, u64::from(len), self.size())?;
        let source = self.bytes.get(range).ok_or(Fault {
            addr,
            len: u64::from(len),
        })?;
        f(source);
        Ok(())
    }
}

/// Memory reached only by copying, like a JIT process's memory in another
/// Worker. A fake for tests: it exercises the bounce-buffer paths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyingMemory {
    bytes: Vec<u8>,
}

impl CopyingMemory {
    pub fn new(size: usize) -> CopyingMemory {
        CopyingMemory {
            bytes: vec![0; size],
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl GuestMemory for CopyingMemory {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read(&self, addr: u32, out: &mut [u8]) -> Result<(), Fault> {
        copy_out(&self.bytes, addr, out)
    }

    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), Fault> {
        copy_in(&mut self.bytes, addr, data)
    }
}
