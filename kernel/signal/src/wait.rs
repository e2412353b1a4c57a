//! Wait statuses: the `status` int that `waitpid` stores, Linux's encoding.
//!
//! These belong to the ABI (the kernel writes them, programs decode them); they
//! live here until `wasmux-uapi` takes them.
//!
//! | status            | encoding                       |
//! |-------------------|--------------------------------|
//! | exited with code  | `code << 8`                    |
//! | ended by signal   | `signal`, `\| 0x80` with core  |
//! | stopped by signal | `signal << 8 \| 0x7f`          |
//! | continued         | `0xffff`                       |

use wasmux_uapi::{ExitCode, Signal};

/// Why `waitpid` reports a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitStatus {
    /// It exited; only the low 8 bits of the code survive, as on Linux.
    Exited(u8),
    /// A signal ended it.
    Signaled {
        /// The signal.
        signal: Signal,
        /// Whether the signal's default action dumps core.
        core: bool,
    },
    /// A signal stopped it.
    Stopped(Signal),
    /// SIGCONT resumed it.
    Continued,
}

const CONTINUED: i32 = 0xffff;
const STOPPED: i32 = 0x7f;
const CORE: i32 = 0x80;

impl WaitStatus {
    /// An exit with `code` (`proc_exit`'s argument), keeping its low 8 bits.
    pub fn exited(code: ExitCode) -> WaitStatus {
        WaitStatus::Exited(code.to_le_bytes()[0])
    }

    /// The `status` int.
    pub fn to_raw(self) -> i32 {
        match self {
            WaitStatus::Exited(code) => i32::from(code) << 8,
            WaitStatus::Signaled { signal, core } => {
                i32::from(signal.raw()) | if core { CORE } else { 0 }
            }
            WaitStatus::Stopped(signal) => i32::from(signal.raw()) << 8 | STOPPED,
            WaitStatus::Continued => CONTINUED,
        }
    }

    /// Decodes a `status` int; `None` unless [`WaitStatus::to_raw`] makes it.
    pub fn from_raw(raw: i32) -> Option<WaitStatus> {
        let signal_at = |shift: u32| {
            u8::try_from((raw >> shift) & 0x7f)
                .ok()
                .and_then(Signal::from_raw)
        };
        if raw == CONTINUED {
            Some(WaitStatus::Continued)
        } else if raw & !0xffff == 0 && raw & 0xff == STOPPED {
            signal_at(8)
                .filter(|_| raw & 0x8000 == 0)
                .map(WaitStatus::Stopped)
        } else if raw & !0xff00 == 0 {
            u8::try_from(raw >> 8).ok().map(WaitStatus::Exited)
        } else if raw & !0xff == 0 {
            let core = raw & CORE != 0;
            signal_at(0).map(|signal| WaitStatus::Signaled { signal, core })
        } else {
            None
        }
    }
}

/// `WIFEXITED`: the child exited normally.
pub fn wifexited(status: i32) -> bool {
    status & 0x7f == 0
}

/// `WEXITSTATUS`: the exit code, when [`wifexited`].
pub fn wexitstatus(status: i32) -> i32 {
    (status >> 8) & 0xff
}

/// `WIFSIGNALED`: a signal ended the child.
pub fn wifsignaled(status: i32) -> bool {
    let low = status & 0x7f;
    low != 0 && low != STOPPED
}

/// `WTERMSIG`: the signal that ended the child, when [`wifsignaled`].
pub fn wtermsig(status: i32) -> i32 {
    status & 0x7f
}

/// `WCOREDUMP`: the ending signal dumps core, when [`wifsignaled`].
pub fn wcoredump(status: i32) -> bool {
    status & CORE != 0
}

/// `WIFSTOPPED`: a signal stopped the child.
pub fn wifstopped(status: i32) -> bool {
    status & 0xff == STOPPED
}

/// `WSTOPSIG`: the signal that stopped the child, when [`wifstopped`].
pub fn wstopsig(status: i32) -> i32 {
    (status >> 8) & 0xff
}

/// `WIFCONTINUED`: SIGCONT resumed the child.
pub fn wifcontinued(status: i32) -> bool {
    status == CONTINUED
}

#[cfg(test)]
mod tests {
    use std::vec;

    use super::*;

    #[test]
    fn encodings_match_linux() {
        assert_eq!(WaitStatus::Exited(3).to_raw(), 0x0300);
        assert_eq!(WaitStatus::exited(256 + 7), WaitStatus::Exited(7));
        let segv = WaitStatus::Signaled {
            signal: Signal::Segv,
            core: true,
        };
        assert_eq!(segv.to_raw(), 11 | 0x80);
        assert_eq!(WaitStatus::Stopped(Signal::Tstp).to_raw(), 19 << 8 | 0x7f);
        assert_eq!(WaitStatus::Continued.to_raw(), 0xffff);
    }

    #[test]
    fn decoders_agree_with_each_status() {
        let exited = WaitStatus::Exited(42).to_raw();
        assert!(wifexited(exited) && !wifsignaled(exited) && !wifstopped(exited));
        assert_eq!(wexitstatus(exited), 42);

        let killed = WaitStatus::Signaled {
            signal: Signal::Kill,
            core: false,
        }
        .to_raw();
        assert!(wifsignaled(killed) && !wifexited(killed) && !wifstopped(killed));
        assert_eq!(wtermsig(killed), 9);
        assert!(!wcoredump(killed));

        let stopped = WaitStatus::Stopped(Signal::Stop).to_raw();
        assert!(wifstopped(stopped) && !wifexited(stopped) && !wifsignaled(stopped));
        assert_eq!(wstopsig(stopped), 18);

        let continued = WaitStatus::Continued.to_raw();
        assert!(wifcontinued(continued));
        assert!(!wifexited(continued) && !wifsignaled(continued) && !wifstopped(continued));
    }

    #[test]
    fn every_status_round_trips() {
        let mut statuses = vec![WaitStatus::Continued];
        statuses.extend((0..=255).map(WaitStatus::Exited));
        for &signal in Signal::ALL {
            statuses.push(WaitStatus::Stopped(signal));
            statuses.push(WaitStatus::Signaled {
                signal,
                core: false,
            });
            statuses.push(WaitStatus::Signaled { signal, core: true });
        }
        for status in statuses {
            assert_eq!(WaitStatus::from_raw(status.to_raw()), Some(status));
        }
    }

    #[test]
    fn garbage_status_decodes_to_none() {
        for raw in [-1, 0x10000, 0x7f, 0x0107, 31, 0x9f] {
            assert_eq!(WaitStatus::from_raw(raw), None, "{raw:#x}");
        }
    }
}
