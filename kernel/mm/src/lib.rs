//! Guest memory: how the kernel reaches into a process's linear memory.
//!
//! Every pointer a program passes to a system call is an allegation until
//! checked. This crate is where it gets checked: all access goes through
//! [`GuestMemory`], whose reads and writes fail with [`Fault`] (EFAULT to
//! the program) instead of panicking, and whose shape does not assume the
//! memory lives in the kernel's address space. The interpreter lends its
//! wasmi memory as a [`SliceMemory`] (zero-copy); a JIT process in another
//! Worker will be reached by copying only the ranges a call names.
//!
//! Later this crate also holds the address-space map for mmap.
//!
//! # Invariants
//!
//! - No access outside `0..size()` succeeds; range arithmetic cannot overflow.
//! - Both memory shapes give identical results for identical operations
//!   (property-tested).
//!
//! # Example
//!
//! ```
//! use wasmux_mm::{GuestMemory, GuestMemoryExt, SliceMemory};
//!
//! let mut bytes = vec![0u8; 16];
//! let mut memory = SliceMemory::new(&mut bytes);
//! memory.write_value(4, 0xdead_beef_u32).unwrap();
//! assert_eq!(memory.read_value::<u32>(4).unwrap(), 0xdead_beef);
//! assert!(memory.read_value::<u64>(12).is_err());
//! ```
#![forbid(unsafe_code)]

mod access;
mod memory;

pub use access::{GuestMemoryExt, GuestValue, StructReader, StructWriter};
pub use memory::{CopyingMemory, Fault, GuestMemory, SliceMemory, check_range};

#[cfg(test)]
mod tests;
