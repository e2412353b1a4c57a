//! Files for the embedding API, and finding programs.

use wasmux_fs::{Access, Cred, FsError, OpenOptions, Vfs, Walk};

use crate::system::System;

/// Root's walk from "/" with POSIX path semantics.
pub(crate) fn root_walk(vfs: &Vfs) -> Walk {
    let root = vfs.root();
    Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    }
}

/// The program `name` names: a path if it has a slash, else the first
/// executable file of that name in `PATH` (from `env`).
/// Errors: not found, or not an executable regular file.
pub(crate) fn lookup_program(
    vfs: &mut Vfs,
    walk: &Walk,
    name: &str,
    env: &[Vec<u8>],
) -> Result<Vec<u8>, String> {
    if name.contains('/') {
        return vfs
            .read_executable(walk, name.as_bytes())
            .map_err(|error| format!("{name}: {error}"));
    }
    let path = env
        .iter()
        .find_map(|var| var.strip_prefix(b"PATH="))
        .unwrap_or(b"/bin:/usr/bin");
    let mut last = FsError::NotFound;
    for dir in path
        .split(|&byte| byte == b':')
        .filter(|dir| !dir.is_empty())
    {
        let mut candidate = dir.to_vec();
        candidate.push(b'/');
        candidate.extend_from_slice(name.as_bytes());
        match vfs.read_executable(walk, &candidate) {
            Ok(program) => return Ok(program),
            Err(FsError::NotFound) => {}
            Err(error) => last = error,
        }
    }
    Err(format!("{name}: {last}"))
}

impl System {
    /// The whole content of the file at `path` (absolute, or from "/").
    /// Errors: the path does not name a readable file.
    pub fn read_file(&mut self, path: &str) -> Result<Vec<u8>, String> {
        let fail = |error: FsError| format!("{path}: {error}");
        let vfs = self.kernel.vfs();
        let walk = root_walk(vfs);
        let file = vfs
            .open(&walk, path.as_bytes(), &OpenOptions::READ)
            .map_err(fail)?;
        let mut bytes = Vec::new();
        let mut buf = vec![0; 256 * 1024];
        loop {
            match file.read(&mut buf).map_err(fail)? {
                0 => return Ok(bytes),
                count => bytes.extend_from_slice(buf.get(..count).unwrap_or_default()),
            }
        }
    }

    /// Replaces (or creates, with `mode`) the file at `path` with `data`.
    /// Errors: the parent is missing, the path is a directory, no space.
    pub fn write_file(&mut self, path: &str, data: &[u8], mode: u32) -> Result<(), String> {
        let fail = |error: FsError| format!("{path}: {error}");
        let vfs = self.kernel.vfs();
        let walk = root_walk(vfs);
        let options = OpenOptions {
            access: Access::WRITE,
            create: true,
            truncate: true,
            mode: mode & 0o7777,
            ..OpenOptions::READ
        };
        let file = vfs.open(&walk, path.as_bytes(), &options).map_err(fail)?;
        let mut written = 0;
        while let Some(rest) = data.get(written..).filter(|rest| !rest.is_empty()) {
            match file.write(rest).map_err(fail)? {
                0 => return Err(fail(FsError::NoSpace)),
                count => written += count,
            }
        }
        // Other processes may be waiting on this file (tail -f, poll).
        self.kernel.notify_io();
        Ok(())
    }

    /// Makes the directory `path` and any missing parents (`mkdir -p`).
    /// Errors: a component exists and is not a directory, no space.
    pub fn make_dir(&mut self, path: &str) -> Result<(), String> {
        let vfs = self.kernel.vfs();
        let walk = root_walk(vfs);
        let mut prefix = Vec::new();
        for part in path.split('/').filter(|part| !part.is_empty()) {
            prefix.push(b'/');
            prefix.extend_from_slice(part.as_bytes());
            match vfs.mkdir(&walk, &prefix, 0o755) {
                Ok(()) | Err(FsError::Exists) => {}
                Err(error) => return Err(format!("{path}: {error}")),
            }
        }
        match vfs.stat_path(&walk, path.as_bytes(), true) {
            Ok(meta) if meta.kind == wasmux_fs::NodeKind::Directory => Ok(()),
            Ok(_) => Err(format!("{path}: {}", FsError::NotDir)),
            Err(error) => Err(format!("{path}: {error}")),
        }
    }
}
