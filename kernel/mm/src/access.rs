//! Typed reads and writes of little-endian scalars and byte strings.

use crate::{Fault, GuestMemory};

/// A value with a fixed little-endian encoding in guest memory.
pub trait GuestValue: Sized + Copy {
    const SIZE: u32;
    fn decode(bytes: &[u8]) -> Self;
    fn encode(self, out: &mut [u8]);
}

macro_rules! guest_int {
    ($($ty:ty),*) => {$(
        impl GuestValue for $ty {
            const SIZE: u32 = core::mem::size_of::<$ty>() as u32;
            fn decode(bytes: &[u8]) -> Self {
                let mut raw = [0u8; core::mem::size_of::<$ty>()];
                raw.copy_from_slice(bytes);
                <$ty>::from_le_bytes(raw)
            }
            fn encode(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}

guest_int!(u8, u16, u32, u64, i32, i64);

/// Typed access on top of any [`GuestMemory`].
pub trait GuestMemoryExt: GuestMemory {
    /// Reads a scalar at `addr`.
    fn read_value<T: GuestValue>(&self, addr: u32) -> Result<T, Fault> {
        let mut raw = [0u8; 8];
        let bytes = raw.get_mut(..T::SIZE as usize).ok_or(Fault {
            addr,
            len: u64::from(T::SIZE),
        })?;
        self.read(addr, bytes)?;
        Ok(T::decode(bytes))
    }

    /// Writes a scalar at `addr`.
    fn write_value<T: GuestValue>(&mut self, addr: u32, value: T) -> Result<(), Fault> {
        let mut raw = [0u8; 8];
        let bytes = raw.get_mut(..T::SIZE as usize).ok_or(Fault {
            addr,
            len: u64::from(T::SIZE),
        })?;
        value.encode(bytes);
        self.write(addr, bytes)
    }

    /// Copies `len` guest bytes at `addr` into a new vector.
    fn read_bytes(&self, addr: u32, len: u32) -> Result<Vec<u8>, Fault> {
        crate::check_range(addr, u64::from(len), self.size())?;
        let mut bytes = vec![0; len as usize];
        self.read(addr, &mut bytes)?;
        Ok(bytes)
    }
}

impl<M: GuestMemory + ?Sized> GuestMemoryExt for M {}

/// Fills a struct of `N` bytes field by field, then writes it in one go.
#[derive(Debug)]
pub struct StructWriter<const N: usize> {
    bytes: [u8; N],
}

impl<const N: usize> Default for StructWriter<N> {
    fn default() -> Self {
        StructWriter { bytes: [0; N] }
    }
}

impl<const N: usize> StructWriter<N> {
    /// Sets the field at `offset`. Offsets come from `wasmux_uapi::layout`
    /// and are constants; a field that does not fit is ignored in release
    /// builds and caught by the layout tests.
    pub fn set<T: GuestValue>(&mut self, offset: u32, value: T) -> &mut Self {
        let start = offset as usize;
        let end = start.saturating_add(T::SIZE as usize);
        if let Some(field) = self.bytes.get_mut(start..end) {
            value.encode(field);
        } else {
            debug_assert!(false, "field at {offset} does not fit a {N}-byte struct");
        }
        self
    }

    pub fn bytes(&self) -> &[u8; N] {
        &self.bytes
    }

    /// Writes the struct to guest memory at `addr`.
    /// Errors: Fault if it does not fit.
    pub fn write_to(
        &self,
        memory: &mut (impl GuestMemory + ?Sized),
        addr: u32,
    ) -> Result<(), Fault> {
        memory.write(addr, &self.bytes)
    }
}

/// Reads fields of a struct of `N` bytes copied out of guest memory in one go.
#[derive(Debug)]
pub struct StructReader<const N: usize> {
    bytes: [u8; N],
}

impl<const N: usize> StructReader<N> {
    /// Copies the struct at `addr`.
    /// Errors: Fault if it does not fit.
    pub fn read_from(memory: &(impl GuestMemory + ?Sized), addr: u32) -> Result<Self, Fault> {
        let mut bytes = [0; N];
        memory.read(addr, &mut bytes)?;
        Ok(StructReader { bytes })
    }

    /// The field at `offset` (zero if the constant offset were wrong; see [`StructWriter::set`]).
    pub fn get<T: GuestValue>(&self, offset: u32) -> T {
        let start = offset as usize;
        let end = start.saturating_add(T::SIZE as usize);
        match self.bytes.get(start..end) {
            Some(field) => T::decode(field),
            None => {
                debug_assert!(false, "field at {offset} does not fit a {N}-byte struct");
                T::decode(&[0u8; 8][..T::SIZE as usize])
            }
        }
    }
}
