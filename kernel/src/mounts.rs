//! The filesystems a booted system has beside its root.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{Cred, FsError, MemFs, ProcFs, ProcSnapshot, Walk};

use crate::Kernel;

impl Kernel {
    /// Mounts devfs at /dev, procfs at /proc and an empty memfs at /tmp,
    /// creating the mount points if the root lacks them.
    /// Errors: a mount point cannot be made or is not a directory.
    pub fn mount_system_filesystems(&mut self) -> Result<(), FsError> {
        let clock = self.vfs.clock();
        let snapshot = ProcSnapshot::shared();
        snapshot.borrow_mut().boot_time = clock.now();
        self.mount_at(
            b"/dev",
            Rc::new(RefCell::new(wasmux_fs::devfs::new(clock.clone())?)),
        )?;
        self.mount_at(
            b"/proc",
            Rc::new(RefCell::new(ProcFs::new(snapshot.clone()))),
        )?;
        self.mount_at(b"/tmp", Rc::new(RefCell::new(MemFs::new(clock))))?;
        self.proc = Some(snapshot);
        self.proc_dirty = true;
        self.refresh_proc();
        Ok(())
    }

    fn mount_at(&mut self, path: &[u8], fs: wasmux_fs::SharedFs) -> Result<(), FsError> {
        let root = self.vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        match self.vfs.mkdir(&walk, path, 0o755) {
            Ok(()) | Err(FsError::Exists) => {}
            Err(error) => return Err(error),
        }
        let at = self.vfs.resolve(&walk, path, true)?;
        self.vfs.mount(at, fs)?;
        if path == b"/tmp" {
            // World-writable with the sticky bit, as on every Unix.
            self.vfs.set_attr_path(
                &walk,
                path,
                true,
                &wasmux_fs::SetAttr {
                    mode: Some(0o1777),
                    ..Default::default()
                },
            )?;
        }
        Ok(())
    }
}
