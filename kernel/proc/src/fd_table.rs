//! A process's file descriptor table.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasmux_fs::OpenFile;
use wasmux_uapi::{Fd, Rights};

/// The most fds one process may hold.
pub const MAX_FDS: u32 = 1024;

/// One slot: a shared open file description plus what this fd may do with it.
#[derive(Clone, Debug)]
pub struct FdEntry {
    pub file: Rc<OpenFile>,
    /// Rights of this fd.
    pub rights: Rights,
    /// Rights that fds opened through this one (a directory) may get.
    pub inheriting: Rights,
    /// Closed on exec.
    pub cloexec: bool,
    /// The guest path this fd was preopened as, if it is a preopen.
    pub preopen: Option<Vec<u8>>,
}

/// Why an fd table operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdError {
    /// The fd is not open (EBADF).
    BadFd,
    /// The table is full (EMFILE).
    TooMany,
}

/// Fd number to entry. New fds get the lowest free number, as POSIX requires.
#[derive(Clone, Debug, Default)]
pub struct FdTable {
    entries: BTreeMap<u32, FdEntry>,
}

impl FdTable {
    pub fn new() -> FdTable {
        FdTable::default()
    }

    /// The entry for `fd`.
    /// Errors: BadFd.
    pub fn get(&self, fd: Fd) -> Result<&FdEntry, FdError> {
        self.entries.get(&fd.0).ok_or(FdError::BadFd)
    }

    /// The entry for `fd`, mutably.
    /// Errors: BadFd.
    pub fn get_mut(&mut self, fd: Fd) -> Result<&mut FdEntry, FdError> {
        self.entries.get_mut(&fd.0).ok_or(FdError::BadFd)
    }

    /// Installs `entry` at the lowest free fd.
    /// Errors: TooMany.
    pub fn insert(&mut self, entry: FdEntry) -> Result<Fd, FdError> {
        let fd = self.lowest_free().ok_or(FdError::TooMany)?;
        self.entries.insert(fd, entry);
        Ok(Fd(fd))
    }

    /// Installs `entry` at the lowest free fd not below `min` (F_DUPFD).
    /// Errors: TooMany.
    pub fn insert_from(&mut self, min: Fd, entry: FdEntry) -> Result<Fd, FdError> {
        let mut candidate = min.0;
        for &fd in self.entries.range(min.0..).map(|(fd, _)| fd) {
            if fd != candidate {
                break;
            }
            candidate = candidate.checked_add(1).ok_or(FdError::TooMany)?;
        }
        if candidate >= MAX_FDS {
            return Err(FdError::TooMany);
        }
        self.entries.insert(candidate, entry);
        Ok(Fd(candidate))
    }

    /// Installs `entry` at exactly `fd`, returning what was there.
    /// Errors: TooMany if `fd` is beyond the table's limit.
    pub fn insert_at(&mut self, fd: Fd, entry: FdEntry) -> Result<Option<FdEntry>, FdError> {
        if fd.0 >= MAX_FDS {
            return Err(FdError::TooMany);
        }
        Ok(self.entries.insert(fd.0, entry))
    }

    /// Removes `fd`, returning its entry (the description closes when its last fd goes).
    /// Errors: BadFd.
    pub fn remove(&mut self, fd: Fd) -> Result<FdEntry, FdError> {
        self.entries.remove(&fd.0).ok_or(FdError::BadFd)
    }

    /// Moves `from` onto `to` (which must be open), closing what `to` held.
    /// Errors: BadFd if either is not open.
    pub fn renumber(&mut self, from: Fd, to: Fd) -> Result<(), FdError> {
        if !self.entries.contains_key(&to.0) {
            return Err(FdError::BadFd);
        }
        let entry = self.remove(from)?;
        self.entries.insert(to.0, entry);
        Ok(())
    }

    /// Open fds in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = (Fd, &FdEntry)> {
        self.entries.iter().map(|(&fd, entry)| (Fd(fd), entry))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn lowest_free(&self) -> Option<u32> {
        let mut candidate = 0u32;
        for &fd in self.entries.keys() {
            if fd != candidate {
                break;
            }
            candidate = candidate.checked_add(1)?;
        }
        (candidate < MAX_FDS).then_some(candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;
    use wasmux_fs::{Access, File, FsError, Metadata, Readiness, SetAttr, WritePos};
    use wasmux_uapi::FdFlags;

    struct Nothing;
    impl File for Nothing {
        fn stat(&self) -> Result<Metadata, FsError> {
            Err(FsError::NotSupported)
        }
        fn is_seekable(&self) -> bool {
            false
        }
        fn read(&self, _: u64, _: &mut [u8]) -> Result<usize, FsError> {
            Ok(0)
        }
        fn write(&self, _: WritePos, data: &[u8]) -> Result<(usize, u64), FsError> {
            Ok((data.len(), 0))
        }
        fn set_attr(&self, _: &SetAttr) -> Result<(), FsError> {
            Ok(())
        }
        fn sync(&self) -> Result<(), FsError> {
            Ok(())
        }
        fn poll(&self) -> Readiness {
            Readiness::ALWAYS
        }
    }

    fn entry() -> FdEntry {
        FdEntry {
            file: Rc::new(OpenFile::new(
                Box::new(Nothing),
                Access::READ,
                FdFlags::empty(),
            )),
            rights: Rights::all(),
            inheriting: Rights::all(),
            cloexec: false,
            preopen: None,
        }
    }

    #[test]
    fn renumber_onto_a_closed_fd_is_bad_fd() {
        let mut table = FdTable::new();
        let a = table.insert(entry()).unwrap();
        assert_eq!(table.renumber(a, Fd(7)), Err(FdError::BadFd));
        assert!(
            table.get(a).is_ok(),
            "a failed renumber leaves the source open"
        );
    }

    #[test]
    fn insert_from_takes_the_lowest_free_fd_at_or_above_the_minimum() {
        let mut table = FdTable::new();
        for _ in 0..3 {
            table.insert(entry()).unwrap();
        }
        table.insert_at(Fd(5), entry()).unwrap();
        assert_eq!(table.insert_from(Fd(1), entry()).unwrap(), Fd(3));
        assert_eq!(table.insert_from(Fd(5), entry()).unwrap(), Fd(6));
        assert_eq!(
            table.insert_from(Fd(MAX_FDS), entry()).unwrap_err(),
            FdError::TooMany
        );
    }

    #[test]
    fn the_table_fills_up_at_its_limit() {
        let mut table = FdTable::new();
        for _ in 0..MAX_FDS {
            table.insert(entry()).unwrap();
        }
        assert_eq!(table.insert(entry()).unwrap_err(), FdError::TooMany);
        assert_eq!(
            table.insert_at(Fd(MAX_FDS), entry()).unwrap_err(),
            FdError::TooMany
        );
    }

    #[derive(Clone, Debug)]
    enum Op {
        Insert,
        Remove(u32),
        Renumber(u32, u32),
    }

    proptest! {
        /// The table always hands out the lowest free fd and never a live one,
        /// checked against a set model.
        #[test]
        fn insert_returns_lowest_free_fd(ops in proptest::collection::vec(prop_oneof![
            Just(Op::Insert),
            (0u32..12).prop_map(Op::Remove),
            (0u32..12, 0u32..12).prop_map(|(a, b)| Op::Renumber(a, b)),
        ], 0..60)) {
            let mut table = FdTable::new();
            let mut model = BTreeSet::new();
            for op in ops {
                match op {
                    Op::Insert => {
                        let expected = (0..).find(|fd| !model.contains(fd)).unwrap();
                        prop_assert_eq!(table.insert(entry()).unwrap(), Fd(expected));
                        model.insert(expected);
                    }
                    Op::Remove(fd) => {
                        prop_assert_eq!(table.remove(Fd(fd)).is_ok(), model.remove(&fd));
                    }
                    Op::Renumber(from, to) => {
                        let ok = model.contains(&from) && model.contains(&to);
                        prop_assert_eq!(table.renumber(Fd(from), Fd(to)).is_ok(), ok);
                        if ok && from != to {
                            model.remove(&from);
                        }
                    }
                }
                let live: BTreeSet<u32> = table.iter().map(|(fd, _)| fd.0).collect();
                prop_assert_eq!(&live, &model);
            }
        }
    }
}
