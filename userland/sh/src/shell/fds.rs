//! The shell's file descriptors as its commands see them.
//!
//! Redirections of builtins, functions and compound commands change this
//! table, not the shell's own fds: a spawned command gets its fds from the
//! table through spawn file actions, a builtin writes through it. So
//! nothing needs saving and restoring around a redirected builtin, and a
//! command substitution can send its output to memory ([`Target::Capture`])
//! instead of a pipe the shell would have to read while writing to it.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::rc::Rc;

/// A real fd: one the shell opened (closed when the last user lets go), or
/// one it was started with (0, 1, 2), which it never closes.
#[derive(Debug)]
pub struct Handle {
    file: ManuallyDrop<File>,
    owned: bool,
}

impl Handle {
    pub fn owned(file: File) -> Rc<Handle> {
        Rc::new(Handle {
            file: ManuallyDrop::new(file),
            owned: true,
        })
    }

    /// One of the fds the shell started with.
    pub fn inherited(fd: RawFd) -> Rc<Handle> {
        // SAFETY: the File is never dropped (ManuallyDrop, `owned` false),
        // so it never closes `fd`; the shell does not close 0-2 itself, so
        // the number stays valid for as long as the shell uses it.
        let file = unsafe { File::from_raw_fd(fd) };
        Rc::new(Handle {
            file: ManuallyDrop::new(file),
            owned: false,
        })
    }

    pub fn raw(&self) -> RawFd {
        self.file.as_raw_fd()
    }

    pub fn file(&self) -> &File {
        &self.file
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: dropped exactly once, here; nothing uses it after.
            unsafe { ManuallyDrop::drop(&mut self.file) };
        }
    }
}

/// What a logical fd refers to.
#[derive(Clone, Debug)]
pub enum Target {
    Fd(Rc<Handle>),
    /// Output collected in memory (a command substitution's stdout).
    Capture(Rc<RefCell<Vec<u8>>>),
    Closed,
}

/// Logical fds 0-9 (and more if a script names them).
#[derive(Clone, Debug)]
pub struct FdTable {
    slots: Vec<Target>,
}

impl Default for FdTable {
    fn default() -> FdTable {
        FdTable::standard()
    }
}

impl FdTable {
    /// 0, 1 and 2 as the shell got them; the rest closed.
    pub fn standard() -> FdTable {
        let mut slots = vec![Target::Closed; 10];
        for (fd, slot) in slots.iter_mut().take(3).enumerate() {
            *slot = Target::Fd(Handle::inherited(fd as RawFd));
        }
        FdTable { slots }
    }

    pub fn get(&self, fd: u32) -> &Target {
        self.slots.get(fd as usize).unwrap_or(&Target::Closed)
    }

    pub fn set(&mut self, fd: u32, target: Target) {
        let index = fd as usize;
        if index >= self.slots.len() {
            self.slots.resize(index + 1, Target::Closed);
        }
        self.slots[index] = target;
    }

    /// The logical fds that are open, lowest first.
    pub fn open_fds(&self) -> impl Iterator<Item = (u32, &Target)> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, target)| !matches!(target, Target::Closed))
            .map(|(fd, target)| (fd as u32, target))
    }

    /// Writes all of `bytes` to `fd`.
    pub fn write(&self, fd: u32, bytes: &[u8]) -> io::Result<()> {
        match self.get(fd) {
            Target::Fd(handle) => {
                let mut file = handle.file();
                loop {
                    match file.write_all(bytes) {
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                        result => return result,
                    }
                }
            }
            Target::Capture(buffer) => {
                buffer.borrow_mut().extend_from_slice(bytes);
                Ok(())
            }
            Target::Closed => Err(bad_fd()),
        }
    }

    /// Reads one byte from `fd` (`None` at end of file), never more, so
    /// what follows stays for the next reader (`read`, the shell's input).
    pub fn read_byte(&self, fd: u32) -> io::Result<Option<u8>> {
        match self.get(fd) {
            Target::Fd(handle) => {
                let mut byte = [0u8];
                let mut file = handle.file();
                loop {
                    match file.read(&mut byte) {
                        Ok(0) => return Ok(None),
                        Ok(_) => return Ok(Some(byte[0])),
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                        Err(error) => return Err(error),
                    }
                }
            }
            Target::Capture(_) | Target::Closed => Err(bad_fd()),
        }
    }
}

pub fn bad_fd() -> io::Error {
    io::Error::from_raw_os_error(wasmux_uapi::Errno::BadF as i32)
}
