//! Waiting for children and sending signals: `waitpid` with a typed
//! [`WaitStatus`], and `kill`.

use std::fmt;
use std::io;

use wasmux_uapi::Signal;
use wasmux_uapi::wasmux::wait;

use crate::{check, raw};

bitflags::bitflags! {
    /// What `waitpid` reports besides exits and deaths, and whether it blocks.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct WaitOptions: u32 {
        /// Return `None` at once when no child has changed state.
        const NOHANG = wait::NOHANG;
        /// Also report children that stopped.
        const UNTRACED = wait::UNTRACED;
        /// Also report stopped children that continued.
        const CONTINUED = wait::CONTINUED;
    }
}

/// How a child changed state, decoded from the Linux-encoded status word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitStatus {
    /// It called exit with this code (its low 8 bits).
    Exited(u8),
    /// A signal ended it.
    Signaled { signal: Signal, core_dumped: bool },
    /// A signal stopped it (reported with [`WaitOptions::UNTRACED`]).
    Stopped(Signal),
    /// It was continued (reported with [`WaitOptions::CONTINUED`]).
    Continued,
}

impl WaitStatus {
    /// Decodes a status word; `None` for one the kernel never writes
    /// (a signal number outside WASI's).
    pub fn from_raw(status: u32) -> Option<WaitStatus> {
        let signal = |number: u32| u8::try_from(number).ok().and_then(Signal::from_raw);
        if wait::if_exited(status) {
            Some(WaitStatus::Exited(wait::exit_status(status) as u8))
        } else if wait::if_continued(status) {
            Some(WaitStatus::Continued)
        } else if wait::if_stopped(status) {
            signal(wait::stop_sig(status)).map(WaitStatus::Stopped)
        } else if wait::if_signaled(status) {
            Some(WaitStatus::Signaled {
                signal: signal(wait::term_sig(status))?,
                core_dumped: status & 0x80 != 0,
            })
        } else {
            None
        }
    }

    /// The status word, Linux-encoded.
    pub fn to_raw(self) -> u32 {
        match self {
            WaitStatus::Exited(code) => wait::exited(u32::from(code)),
            WaitStatus::Signaled {
                signal,
                core_dumped,
            } => wait::signaled(signal.raw(), core_dumped),
            WaitStatus::Stopped(signal) => wait::stopped(signal.raw()),
            WaitStatus::Continued => wait::CONTINUED_STATUS,
        }
    }

    /// The exit code, if it exited.
    pub fn code(self) -> Option<i32> {
        match self {
            WaitStatus::Exited(code) => Some(i32::from(code)),
            _ => None,
        }
    }

    /// The signal that ended it, if one did.
    pub fn signal(self) -> Option<Signal> {
        match self {
            WaitStatus::Signaled { signal, .. } => Some(signal),
            _ => None,
        }
    }

    /// Whether it exited with code 0.
    pub fn success(self) -> bool {
        self == WaitStatus::Exited(0)
    }

    /// The status a shell shows in `$?`: the exit code, or 128 + the signal.
    pub fn shell_code(self) -> i32 {
        match self {
            WaitStatus::Exited(code) => i32::from(code),
            WaitStatus::Signaled { signal, .. } | WaitStatus::Stopped(signal) => {
                128 + i32::from(signal.raw())
            }
            WaitStatus::Continued => 0,
        }
    }
}

impl fmt::Display for WaitStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitStatus::Exited(code) => write!(formatter, "exit status {code}"),
            WaitStatus::Signaled {
                signal,
                core_dumped,
            } => {
                write!(formatter, "killed by SIG{}", signal.name())?;
                if *core_dumped {
                    formatter.write_str(" (core dumped)")?;
                }
                Ok(())
            }
            WaitStatus::Stopped(signal) => write!(formatter, "stopped by SIG{}", signal.name()),
            WaitStatus::Continued => formatter.write_str("continued"),
        }
    }
}

/// Waits for a child to change state: `pid` > 0 that child, -1 any child,
/// 0 any child in the caller's group, < -1 any child in group `-pid`.
/// Returns the child's pid and status, or `None` with
/// [`WaitOptions::NOHANG`] when nothing changed.
/// Errors: `ECHILD` (no such child), `EINVAL`, `EINTR`.
pub fn waitpid(pid: i32, options: WaitOptions) -> io::Result<Option<(u32, WaitStatus)>> {
    let (mut status, mut child) = (0u32, 0u32);
    // SAFETY: both outputs are valid u32s to write.
    check(unsafe { raw::waitpid(pid, options.bits(), &mut status, &mut child) })?;
    if child == 0 {
        return Ok(None);
    }
    let decoded = WaitStatus::from_raw(status).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("waitpid: unknown status word {status:#x}"),
        )
    })?;
    Ok(Some((child, decoded)))
}

/// Waits for the child `pid` to exit or die, retrying after interruptions.
pub fn wait_for(pid: u32) -> io::Result<WaitStatus> {
    let pid = i32::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    loop {
        match waitpid(pid, WaitOptions::empty()) {
            Ok(Some((_, status))) => return Ok(status),
            Ok(None) => continue,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Sends `signal` to `pid` > 0, the caller's group (0), every process but
/// init (-1), or group `-pid`.
/// Errors: `ESRCH` (nothing matched), `EPERM`.
pub fn kill(pid: i32, signal: Signal) -> io::Result<()> {
    // SAFETY: no pointers.
    check(unsafe { raw::kill(pid, i32::from(signal.raw())) })
}

/// Sends `signal` to every process of group `pgid` (0: the caller's).
/// Group 1 is refused with `InvalidInput`: `kill(-1)` means every process.
pub fn killpg(pgid: u32, signal: Signal) -> io::Result<()> {
    match i32::try_from(pgid) {
        Ok(pgid) if pgid != 1 => kill(-pgid, signal),
        _ => Err(io::Error::from(io::ErrorKind::InvalidInput)),
    }
}

/// Whether a signal could be sent to `pid` (kill with signal 0).
pub fn exists(pid: i32) -> bool {
    // SAFETY: no pointers.
    check(unsafe { raw::kill(pid, 0) }).is_ok()
}

/// Sends `signal` to the caller; a handler has run (or the default action
/// happened) when it returns.
pub fn raise(signal: Signal) -> io::Result<()> {
    kill(crate::getpid() as i32, signal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_decode_as_linux_encodes_them() {
        assert_eq!(WaitStatus::from_raw(0), Some(WaitStatus::Exited(0)));
        assert_eq!(WaitStatus::from_raw(42 << 8), Some(WaitStatus::Exited(42)));
        assert_eq!(
            WaitStatus::from_raw(9 | 0x80),
            Some(WaitStatus::Signaled {
                signal: Signal::Kill,
                core_dumped: true
            })
        );
        assert_eq!(
            WaitStatus::from_raw(0x127f),
            Some(WaitStatus::Stopped(Signal::Stop))
        );
        assert_eq!(WaitStatus::from_raw(0xffff), Some(WaitStatus::Continued));
        assert_eq!(WaitStatus::from_raw(31), None, "no signal 31 in WASI");
    }

    #[test]
    fn statuses_round_trip_and_read_like_a_shell() {
        let statuses = [
            WaitStatus::Exited(7),
            WaitStatus::Signaled {
                signal: Signal::Term,
                core_dumped: false,
            },
            WaitStatus::Stopped(Signal::Tstp),
            WaitStatus::Continued,
        ];
        for status in statuses {
            assert_eq!(WaitStatus::from_raw(status.to_raw()), Some(status));
        }
        assert_eq!(statuses.map(WaitStatus::shell_code), [7, 143, 147, 0]);
        assert_eq!(statuses[0].to_string(), "exit status 7");
        assert_eq!(statuses[1].to_string(), "killed by SIGTERM");
        assert!(WaitStatus::Exited(0).success() && !statuses[0].success());
        assert_eq!(
            (statuses[0].code(), statuses[1].signal()),
            (Some(7), Some(Signal::Term))
        );
    }
}
