//! A started child: its pid, the caller's ends of its pipes, waiting.

use std::fs::File;
use std::io::{self, Read};

use crate::signal::Signal;
use crate::{WaitOptions, WaitStatus, kill, wait_for, waitpid};

/// A process started by [`Command::spawn`](super::Command::spawn).
/// Dropping it neither waits nor kills: an unwaited child stays a zombie
/// until the caller exits, as with std.
#[derive(Debug)]
pub struct Child {
    pid: u32,
    /// The caller's end of the child's stdin, when it was piped.
    pub stdin: Option<File>,
    /// The caller's end of the child's stdout, when it was piped.
    pub stdout: Option<File>,
    /// The caller's end of the child's stderr, when it was piped.
    pub stderr: Option<File>,
    status: Option<WaitStatus>,
}

/// What [`Command::output`](super::Command::output) and
/// [`Child::wait_with_output`] collect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub status: WaitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Child {
    pub(crate) fn new(
        pid: u32,
        stdin: Option<File>,
        stdout: Option<File>,
        stderr: Option<File>,
    ) -> Child {
        Child {
            pid,
            stdin,
            stdout,
            stderr,
            status: None,
        }
    }

    /// The child's pid.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Closes the child's stdin (so it sees end of file), then waits for it
    /// to exit or die. Later calls return the same status.
    pub fn wait(&mut self) -> io::Result<WaitStatus> {
        drop(self.stdin.take());
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = wait_for(self.pid)?;
        self.status = Some(status);
        Ok(status)
    }

    /// The status if the child has ended, without blocking.
    pub fn try_wait(&mut self) -> io::Result<Option<WaitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let pid = self.pid as i32;
        loop {
            match waitpid(pid, WaitOptions::NOHANG) {
                Ok(Some((_, status))) => {
                    self.status = Some(status);
                    return Ok(Some(status));
                }
                Ok(None) => return Ok(None),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// Sends `signal` to the child. Errors: `ESRCH` once it has been waited for.
    pub fn signal(&self, signal: Signal) -> io::Result<()> {
        if self.status.is_some() {
            return Err(io::Error::from_raw_os_error(
                wasmux_uapi::Errno::Srch as i32,
            ));
        }
        kill(self.pid as i32, signal)
    }

    /// Kills the child (SIGKILL); nothing happens if it was waited for.
    pub fn kill(&mut self) -> io::Result<()> {
        if self.status.is_some() {
            return Ok(());
        }
        kill(self.pid as i32, Signal::Kill)
    }

    /// Closes stdin, reads stdout and stderr to their ends (both at once,
    /// so a child filling one pipe cannot block on it), then waits.
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        match (self.stdout.take(), self.stderr.take()) {
            (Some(out), Some(err)) => read_both(out, &mut stdout, err, &mut stderr)?,
            (Some(mut out), None) => drop(out.read_to_end(&mut stdout)?),
            (None, Some(mut err)) => drop(err.read_to_end(&mut stderr)?),
            (None, None) => {}
        }
        let status = self.wait()?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }
}

/// Reads two pipes to their ends, whichever has data first (wasi-libc's
/// `poll`, over preview1's `poll_oneoff`).
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
fn read_both(
    first: File,
    first_out: &mut Vec<u8>,
    second: File,
    second_out: &mut Vec<u8>,
) -> io::Result<()> {
    use std::os::fd::AsRawFd;

    #[repr(C)]
    struct PollFd {
        fd: i32,
        events: i16,
        revents: i16,
    }
    unsafe extern "C" {
        /// wasi-libc's `poll(struct pollfd[], nfds_t, int)`.
        fn poll(fds: *mut PollFd, count: usize, timeout: i32) -> i32;
    }
    const POLLIN: i16 = 0x1;

    let mut open = [Some((first, first_out)), Some((second, second_out))];
    let mut chunk = vec![0u8; 16 * 1024];
    while open.iter().any(Option::is_some) {
        let mut fds: Vec<PollFd> = open
            .iter()
            .flatten()
            .map(|(file, _)| PollFd {
                fd: file.as_raw_fd(),
                events: POLLIN,
                revents: 0,
            })
            .collect();
        // SAFETY: `fds` holds `fds.len()` initialised records.
        if unsafe { poll(fds.as_mut_ptr(), fds.len(), -1) } < 0 {
            let error = io::Error::last_os_error();
            if error.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        let mut ready = fds.iter().map(|fd| fd.revents != 0);
        for slot in open.iter_mut() {
            let Some((file, out)) = slot else { continue };
            if !ready.next().unwrap_or(false) {
                continue;
            }
            match file.read(&mut chunk) {
                Ok(0) => *slot = None,
                Ok(count) => out.extend_from_slice(&chunk[..count]),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

/// Elsewhere there is nothing to wait on: read one after the other.
#[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
fn read_both(
    mut first: File,
    first_out: &mut Vec<u8>,
    mut second: File,
    second_out: &mut Vec<u8>,
) -> io::Result<()> {
    first.read_to_end(first_out)?;
    second.read_to_end(second_out)?;
    Ok(())
}
