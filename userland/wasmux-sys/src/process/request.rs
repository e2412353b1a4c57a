//! The `spawn` request and its file actions, encoded as the kernel reads
//! them (`uapi::wasmux::spawn`, `uapi::wasmux::file_action`), and the raw
//! `spawn` and `exec` calls.

use std::io;

use wasmux_uapi::wasmux::{file_action as fa, spawn as sp};

use crate::signal::SigSet;
use crate::{check, raw};

/// Strings as the ABI passes argv and envp: each NUL-terminated, back to
/// back. `InvalidInput` if one holds a NUL.
pub(crate) fn string_list<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    for item in items {
        if item.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an argument or variable holds a NUL byte",
            ));
        }
        buffer.extend_from_slice(item);
        buffer.push(0);
    }
    Ok(buffer)
}

/// One step the kernel applies to the child's copy of the caller's fds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FileAction {
    /// `fd` becomes a copy of `source` (close-on-exec clear).
    Dup2 { source: u32, fd: u32 },
    /// `fd` becomes `path` opened with Linux `oflags`.
    Open {
        fd: u32,
        path: Vec<u8>,
        oflags: u32,
        mode: u32,
    },
}

/// An address in the caller's memory, as the ABI's `u32`.
fn address(bytes: &[u8]) -> u32 {
    bytes.as_ptr() as usize as u32
}

fn put(record: &mut [u8], at: u32, value: impl Into<u64>, width: usize) {
    let at = at as usize;
    record[at..at + width].copy_from_slice(&value.into().to_le_bytes()[..width]);
}

impl FileAction {
    /// The 32-byte record; `Open`'s path is referred to, so `self` must
    /// outlive the call.
    pub(crate) fn encode(&self) -> [u8; fa::SIZE as usize] {
        let mut record = [0u8; fa::SIZE as usize];
        match self {
            FileAction::Dup2 { source, fd } => {
                put(&mut record, fa::KIND, fa::DUP2, 4);
                put(&mut record, fa::FD, *fd, 4);
                put(&mut record, fa::SOURCE_FD, *source, 4);
            }
            FileAction::Open {
                fd,
                path,
                oflags,
                mode,
            } => {
                put(&mut record, fa::KIND, fa::OPEN, 4);
                put(&mut record, fa::FD, *fd, 4);
                put(&mut record, fa::PATH, address(path), 4);
                put(&mut record, fa::PATH_LEN, path.len() as u32, 4);
                put(&mut record, fa::OFLAGS, *oflags, 4);
                put(&mut record, fa::MODE, *mode, 4);
            }
        }
        record
    }
}

/// Everything `spawn` needs, borrowed from the caller.
#[derive(Debug, Default)]
pub(crate) struct Request<'a> {
    pub path: &'a [u8],
    /// A [`string_list`].
    pub argv: &'a [u8],
    /// A [`string_list`].
    pub envp: &'a [u8],
    /// Empty: the caller's working directory.
    pub cwd: &'a [u8],
    /// Encoded [`FileAction`]s.
    pub actions: &'a [[u8; fa::SIZE as usize]],
    /// A new process group (`Some(0)`: led by the child).
    pub pgroup: Option<u32>,
    pub setsid: bool,
    pub sigmask: Option<SigSet>,
    pub sigdefault: Option<SigSet>,
}

impl Request<'_> {
    /// The 64-byte record; it refers to the borrowed buffers.
    pub(crate) fn encode(&self) -> [u8; sp::SIZE as usize] {
        let mut record = [0u8; sp::SIZE as usize];
        let mut flags = 0;
        put(&mut record, sp::PATH, address(self.path), 4);
        put(&mut record, sp::PATH_LEN, self.path.len() as u32, 4);
        put(&mut record, sp::ARGV, address(self.argv), 4);
        put(&mut record, sp::ARGV_LEN, self.argv.len() as u32, 4);
        put(&mut record, sp::ENVP, address(self.envp), 4);
        put(&mut record, sp::ENVP_LEN, self.envp.len() as u32, 4);
        put(&mut record, sp::CWD, address(self.cwd), 4);
        put(&mut record, sp::CWD_LEN, self.cwd.len() as u32, 4);
        put(
            &mut record,
            sp::ACTIONS,
            address(self.actions.as_flattened()),
            4,
        );
        put(&mut record, sp::ACTION_COUNT, self.actions.len() as u32, 4);
        if let Some(pgroup) = self.pgroup {
            flags |= sp::SETPGROUP;
            put(&mut record, sp::PGROUP, pgroup, 4);
        }
        if self.setsid {
            flags |= sp::SETSID;
        }
        if let Some(mask) = self.sigmask {
            flags |= sp::SETSIGMASK;
            put(&mut record, sp::SIGMASK, mask.raw(), 8);
        }
        if let Some(set) = self.sigdefault {
            flags |= sp::SETSIGDEF;
            put(&mut record, sp::SIGDEFAULT, set.raw(), 8);
        }
        put(&mut record, sp::FLAGS, flags, 4);
        record
    }

    /// Starts the process; returns its pid. Errors as ABI.md's `spawn`.
    pub(crate) fn spawn(&self) -> io::Result<u32> {
        let record = self.encode();
        let mut pid = 0;
        // SAFETY: the record refers to buffers `self` borrows, alive for
        // the call; `pid` is a u32 to write.
        check(unsafe { raw::spawn(record.as_ptr(), &mut pid) })?;
        Ok(pid)
    }
}

/// Replaces the caller's program; returns only on failure.
pub(crate) fn exec(path: &[u8], argv: &[u8], envp: &[u8]) -> io::Error {
    // SAFETY: each buffer is valid for its length.
    let errno = unsafe {
        raw::exec(
            path.as_ptr(),
            path.len(),
            argv.as_ptr(),
            argv.len(),
            envp.as_ptr(),
            envp.len(),
        )
    };
    match check(errno) {
        Err(error) => error,
        Ok(()) => io::Error::other("exec returned without an error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmux_uapi::Signal;

    fn word(record: &[u8], at: u32) -> u32 {
        let at = at as usize;
        u32::from_le_bytes(record[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn string_lists_are_nul_terminated_back_to_back() {
        let list = string_list([&b"ls"[..], b"-l", b""]).unwrap();
        assert_eq!(list, b"ls\0-l\0\0");
        assert!(string_list([&b"a\0b"[..]]).is_err());
        assert!(string_list([]).unwrap().is_empty());
    }

    #[test]
    fn file_actions_use_the_abi_layout() {
        let dup = FileAction::Dup2 { source: 7, fd: 1 }.encode();
        assert_eq!(
            (
                word(&dup, fa::KIND),
                word(&dup, fa::FD),
                word(&dup, fa::SOURCE_FD)
            ),
            (fa::DUP2, 1, 7)
        );
        let open = FileAction::Open {
            fd: 2,
            path: b"/dev/null".to_vec(),
            oflags: 1,
            mode: 0o644,
        }
        .encode();
        assert_eq!(word(&open, fa::KIND), fa::OPEN);
        assert_eq!(word(&open, fa::PATH_LEN), 9);
        assert_eq!((word(&open, fa::OFLAGS), word(&open, fa::MODE)), (1, 0o644));
    }

    #[test]
    fn requests_set_flags_only_for_what_is_asked() {
        let plain = Request::default().encode();
        assert_eq!(word(&plain, sp::FLAGS), 0);
        assert_eq!(word(&plain, sp::CWD_LEN), 0, "the caller's directory");
        let actions = [FileAction::Dup2 { source: 5, fd: 0 }.encode(); 2];
        let request = Request {
            path: b"/bin/sh",
            argv: b"sh\0",
            cwd: b"/tmp",
            actions: &actions,
            pgroup: Some(0),
            sigmask: Some(SigSet::of(Signal::Int)),
            ..Request::default()
        }
        .encode();
        assert_eq!(word(&request, sp::PATH_LEN), 7);
        assert_eq!(word(&request, sp::ARGV_LEN), 3);
        assert_eq!(word(&request, sp::CWD_LEN), 4);
        assert_eq!(word(&request, sp::ACTION_COUNT), 2);
        assert_eq!(word(&request, sp::FLAGS), sp::SETPGROUP | sp::SETSIGMASK);
        assert_eq!(word(&request, sp::PGROUP), 0);
        assert_eq!(
            request[sp::SIGMASK as usize..][..8],
            (1u64 << 2).to_le_bytes()
        );
    }
}
