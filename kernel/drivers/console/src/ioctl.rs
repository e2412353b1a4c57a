//! Terminal ioctls: their argument shapes, for the kernel to copy guest
//! memory, and their meaning on a [`Tty`].

use wasmux_fs::FsError;
use wasmux_uapi::termios::{
    FIONREAD, TCFLSH, TCGETS, TCIFLUSH, TCIOFF, TCIOFLUSH, TCION, TCOFLUSH, TCOOFF, TCOON, TCSBRK,
    TCSETS, TCSETSF, TCSETSW, TCXONC, TIOCGPGRP, TIOCGWINSZ, TIOCOUTQ, TIOCSPGRP, TIOCSWINSZ,
    Termios, Winsize,
};

use crate::tty::{SetWhen, Tty, TtyEvent};

/// What an ioctl's third argument is, so the kernel knows what to copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoctlArg {
    /// A value (an int), passed to [`Tty::ioctl`] as 4 little-endian bytes.
    Value,
    /// A pointer to this many bytes the tty reads (copy them in).
    In(usize),
    /// A pointer to this many bytes the tty fills (copy the reply out).
    Out(usize),
}

/// The argument shape of a terminal ioctl; `None` for requests a tty does
/// not know (the kernel answers ENOTTY).
pub fn ioctl_arg(request: u32) -> Option<IoctlArg> {
    Some(match request {
        TCGETS => IoctlArg::Out(Termios::SIZE),
        TCSETS | TCSETSW | TCSETSF => IoctlArg::In(Termios::SIZE),
        TIOCGWINSZ => IoctlArg::Out(Winsize::SIZE),
        TIOCSWINSZ => IoctlArg::In(Winsize::SIZE),
        TIOCGPGRP | FIONREAD | TIOCOUTQ => IoctlArg::Out(4),
        TIOCSPGRP => IoctlArg::In(4),
        TCFLSH | TCXONC | TCSBRK => IoctlArg::Value,
        _ => return None,
    })
}

/// What an ioctl produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IoctlReply {
    /// Bytes to copy to the argument pointer (empty when nothing).
    pub data: Vec<u8>,
    /// A signal to deliver (SIGWINCH after TIOCSWINSZ changed the size).
    pub event: Option<TtyEvent>,
}

impl IoctlReply {
    fn data(data: &[u8]) -> IoctlReply {
        IoctlReply {
            data: data.to_vec(),
            event: None,
        }
    }
}

fn word(arg: &[u8]) -> Result<u32, FsError> {
    let bytes = arg.get(..4).ok_or(FsError::Invalid)?;
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    Ok(u32::from_le_bytes(word))
}

impl Tty {
    /// Performs a terminal ioctl. `arg` is shaped per [`ioctl_arg`]; the
    /// kernel has already decided the caller may (TIOCSPGRP: same session,
    /// group exists; background callers of set requests: SIGTTOU).
    ///
    /// Errors: NotSupported for an unknown request (the kernel answers
    /// ENOTTY); Invalid for a short argument, a bad TCFLSH/TCXONC value,
    /// or a TIOCSPGRP group that is not positive.
    pub fn ioctl(&mut self, request: u32, arg: &[u8]) -> Result<IoctlReply, FsError> {
        let set_when = match request {
            TCSETS => Some(SetWhen::Now),
            TCSETSW => Some(SetWhen::Drain),
            TCSETSF => Some(SetWhen::Flush),
            _ => None,
        };
        if let Some(when) = set_when {
            let termios = Termios::decode(arg).ok_or(FsError::Invalid)?;
            self.set_termios(termios, when);
            return Ok(IoctlReply::default());
        }
        match request {
            TCGETS => Ok(IoctlReply::data(&self.termios.encode())),
            TIOCGWINSZ => Ok(IoctlReply::data(&self.winsize.encode())),
            TIOCSWINSZ => {
                let winsize = Winsize::decode(arg).ok_or(FsError::Invalid)?;
                Ok(IoctlReply {
                    data: Vec::new(),
                    event: self.set_winsize(winsize),
                })
            }
            TIOCGPGRP => Ok(IoctlReply::data(
                &self.foreground.unwrap_or(0).to_le_bytes(),
            )),
            TIOCSPGRP => {
                let pgrp = word(arg)?;
                if pgrp == 0 || pgrp > i32::MAX as u32 {
                    return Err(FsError::Invalid);
                }
                self.foreground = Some(pgrp);
                Ok(IoctlReply::default())
            }
            FIONREAD => {
                let count = self.discipline.readable_bytes(&self.termios);
                let count = u32::try_from(count).unwrap_or(u32::MAX);
                Ok(IoctlReply::data(&count.to_le_bytes()))
            }
            TIOCOUTQ => {
                let count = u32::try_from(self.held.len()).unwrap_or(u32::MAX);
                Ok(IoctlReply::data(&count.to_le_bytes()))
            }
            TCFLSH => {
                match word(arg)? {
                    TCIFLUSH => self.flush_input(),
                    TCOFLUSH => self.flush_output(),
                    TCIOFLUSH => {
                        self.flush_input();
                        self.flush_output();
                    }
                    _ => return Err(FsError::Invalid),
                }
                Ok(IoctlReply::default())
            }
            TCXONC => {
                match word(arg)? {
                    TCOOFF => {
                        self.stopped = true;
                        self.stopped_by_tcflow = true;
                    }
                    TCOON => {
                        self.stopped_by_tcflow = false;
                        self.start_output();
                    }
                    // Sending VSTOP/VSTART to the terminal means nothing to
                    // a screen: accepted and ignored.
                    TCIOFF | TCION => {}
                    _ => return Err(FsError::Invalid),
                }
                Ok(IoctlReply::default())
            }
            // tcdrain and tcsendbreak: output is never queued, and a
            // screen has no line to break.
            TCSBRK => word(arg).map(|_| IoctlReply::default()),
            _ => Err(FsError::NotSupported),
        }
    }
}
