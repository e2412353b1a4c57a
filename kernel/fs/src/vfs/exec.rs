//! Reading a program to run.

use wasmux_uapi::FdFlags;

use super::perm::{self, SEARCH};
use crate::{Access, FsError, Location, Metadata, NodeKind, Vfs, Walk};

/// The largest program image the kernel will read.
pub const MAX_PROGRAM_BYTES: u64 = 512 << 20;

impl Vfs {
    /// Reads the program at `path` for spawn/exec: it must be a regular file
    /// the caller may execute (root too needs at least one execute bit).
    ///
    /// Errors: NotFound, NotDir, Loop, Escape (walking the path); Access (not
    /// a regular file, or not executable); TooBig (over `MAX_PROGRAM_BYTES`, 512 MiB); Io.
    pub fn read_executable(&mut self, walk: &Walk, path: &[u8]) -> Result<Vec<u8>, FsError> {
        let (at, meta) = self.check_executable(walk, path)?;
        self.read_program(at, &meta)
    }

    /// The node at `path` and its metadata, if the caller may execute it
    /// (the checks of [`Vfs::read_executable`], without reading it).
    /// Errors: as [`Vfs::read_executable`].
    pub fn check_executable(
        &mut self,
        walk: &Walk,
        path: &[u8],
    ) -> Result<(Location, Metadata), FsError> {
        let at = self.resolve(walk, path, true)?;
        let meta = self.stat(at)?;
        if meta.kind != NodeKind::Regular {
            return Err(FsError::Access);
        }
        // "search" is the execute bit on a regular file.
        perm::check(&meta, walk.cred, SEARCH)?;
        if meta.mode & 0o111 == 0 {
            return Err(FsError::Access);
        }
        if meta.size > MAX_PROGRAM_BYTES {
            return Err(FsError::TooBig);
        }
        Ok((at, meta))
    }

    /// Reads the whole program `at` (checked with [`Vfs::check_executable`]).
    /// Errors: TooBig, Io.
    pub fn read_program(&mut self, at: Location, meta: &Metadata) -> Result<Vec<u8>, FsError> {
        let file = self.open_location(at, Access::READ, FdFlags::empty())?;
        let mut bytes = vec![0; usize::try_from(meta.size).map_err(|_| FsError::TooBig)?];
        let mut filled = 0;
        while let Some(rest) = bytes.get_mut(filled..) {
            if rest.is_empty() {
                break;
            }
            let count = file.read(rest)?;
            if count == 0 {
                break;
            }
            filled = filled.saturating_add(count);
        }
        bytes.truncate(filled);
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use crate::{Cred, FakeClock, FsError, MemFs, OpenOptions, SetAttr, Vfs, Walk};

    fn vfs_with(mode: u32) -> (Vfs, Walk) {
        let clock = Rc::new(FakeClock::new(0));
        let mut vfs = Vfs::new(Rc::new(RefCell::new(MemFs::new(clock.clone()))), clock);
        let root = vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let options = OpenOptions {
            create: true,
            mode,
            ..OpenOptions::READ
        };
        let file = vfs
            .open(
                &walk,
                b"prog",
                &OpenOptions {
                    access: crate::Access::READ_WRITE,
                    ..options
                },
            )
            .unwrap();
        file.write(b"\0asm").unwrap();
        (vfs, walk)
    }

    #[test]
    fn an_executable_file_reads_whole() {
        let (mut vfs, walk) = vfs_with(0o755);
        assert_eq!(vfs.read_executable(&walk, b"prog").unwrap(), b"\0asm");
    }

    #[test]
    fn no_execute_bit_is_access_denied_even_for_root() {
        let (mut vfs, walk) = vfs_with(0o644);
        assert_eq!(vfs.read_executable(&walk, b"prog"), Err(FsError::Access));
        let user = Walk {
            cred: Cred {
                uid: 1000,
                gid: 1000,
            },
            ..walk
        };
        vfs.set_attr_path(
            &walk,
            b"prog",
            true,
            &SetAttr {
                mode: Some(0o744),
                ..SetAttr::default()
            },
        )
        .unwrap();
        assert_eq!(vfs.read_executable(&user, b"prog"), Err(FsError::Access));
        assert_eq!(vfs.read_executable(&walk, b"prog").unwrap().len(), 4);
    }

    #[test]
    fn a_directory_is_not_executable() {
        let (mut vfs, walk) = vfs_with(0o755);
        vfs.mkdir(&walk, b"dir", 0o755).unwrap();
        assert_eq!(vfs.read_executable(&walk, b"dir"), Err(FsError::Access));
    }
}
