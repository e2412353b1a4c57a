//! Terminals: attributes, window size and the foreground process group,
//! through the kernel's `ioctl(fd, request, arg, arg_len)` with the
//! requests and byte layouts of `uapi::termios` (Linux's values).

use std::io;
use std::os::fd::{AsFd, AsRawFd};

use wasmux_uapi::termios as t;
pub use wasmux_uapi::termios::{Termios, Winsize};

use crate::{check, raw};

/// `ioctl` with a buffer the kernel reads and writes back.
fn ioctl_buffer(fd: impl AsFd, request: u32, buffer: &mut [u8]) -> io::Result<()> {
    // SAFETY: `buffer` is valid for its length.
    check(unsafe {
        raw::ioctl(
            fd.as_fd().as_raw_fd(),
            request,
            buffer.as_mut_ptr(),
            buffer.len(),
        )
    })
}

/// `ioctl` whose argument is a value, not a pointer (TCFLSH, TCXONC, TCSBRK).
fn ioctl_value(fd: impl AsFd, request: u32, value: u32) -> io::Result<()> {
    // SAFETY: the kernel takes `value` as a number and dereferences nothing.
    check(unsafe {
        raw::ioctl(
            fd.as_fd().as_raw_fd(),
            request,
            value as usize as *mut u8,
            0,
        )
    })
}

/// The terminal's attributes. `ENOTTY`: `fd` is not a terminal.
pub fn tcgetattr(fd: impl AsFd) -> io::Result<Termios> {
    let mut buffer = [0u8; Termios::SIZE];
    ioctl_buffer(fd, t::TCGETS, &mut buffer)?;
    Termios::decode(&buffer).ok_or_else(|| io::Error::from(io::ErrorKind::InvalidData))
}

/// When [`tcsetattr`] applies the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// At once (`TCSANOW`).
    Now,
    /// Once queued output is written (`TCSADRAIN`).
    Drain,
    /// Once queued output is written, discarding unread input (`TCSAFLUSH`).
    Flush,
}

/// Sets the terminal's attributes.
pub fn tcsetattr(fd: impl AsFd, when: When, termios: &Termios) -> io::Result<()> {
    let request = match when {
        When::Now => t::TCSETS,
        When::Drain => t::TCSETSW,
        When::Flush => t::TCSETSF,
    };
    ioctl_buffer(fd, request, &mut termios.encode())
}

/// Whether `fd` is a terminal.
pub fn isatty(fd: impl AsFd) -> bool {
    tcgetattr(fd).is_ok()
}

/// `termios` made raw as `cfmakeraw` does: no line editing, echo, signals
/// or output processing; reads return each byte as it comes.
pub fn make_raw(termios: &Termios) -> Termios {
    let mut raw = *termios;
    raw.c_iflag &=
        !(t::IGNBRK | t::BRKINT | t::PARMRK | t::ISTRIP | t::INLCR | t::IGNCR | t::ICRNL | t::IXON);
    raw.c_oflag &= !t::OPOST;
    raw.c_lflag &= !(t::ECHO | t::ECHONL | t::ICANON | t::ISIG | t::IEXTEN);
    raw.c_cflag = (raw.c_cflag & !(t::CSIZE | t::PARENB)) | t::CS8;
    raw.c_cc[t::VMIN] = 1;
    raw.c_cc[t::VTIME] = 0;
    raw
}

/// The terminal's size in cells (and pixels, 0 when unknown).
pub fn window_size(fd: impl AsFd) -> io::Result<Winsize> {
    let mut buffer = [0u8; Winsize::SIZE];
    ioctl_buffer(fd, t::TIOCGWINSZ, &mut buffer)?;
    Winsize::decode(&buffer).ok_or_else(|| io::Error::from(io::ErrorKind::InvalidData))
}

/// Sets the terminal's size (its foreground group gets SIGWINCH).
pub fn set_window_size(fd: impl AsFd, size: Winsize) -> io::Result<()> {
    ioctl_buffer(fd, t::TIOCSWINSZ, &mut size.encode())
}

/// The terminal's foreground process group.
pub fn tcgetpgrp(fd: impl AsFd) -> io::Result<u32> {
    let mut buffer = [0u8; 4];
    ioctl_buffer(fd, t::TIOCGPGRP, &mut buffer)?;
    Ok(u32::from_le_bytes(buffer))
}

/// Makes `pgid` the terminal's foreground process group.
/// `EPERM`: a group outside the caller's session.
pub fn tcsetpgrp(fd: impl AsFd, pgid: u32) -> io::Result<()> {
    ioctl_buffer(fd, t::TIOCSPGRP, &mut pgid.to_le_bytes())
}

/// How many bytes of input are waiting to be read (`FIONREAD`).
pub fn input_pending(fd: impl AsFd) -> io::Result<u32> {
    let mut buffer = [0u8; 4];
    ioctl_buffer(fd, t::FIONREAD, &mut buffer)?;
    Ok(u32::from_le_bytes(buffer))
}

/// Which queue [`tcflush`] discards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Queue {
    Input,
    Output,
    Both,
}

/// Discards unread input and/or unwritten output.
pub fn tcflush(fd: impl AsFd, queue: Queue) -> io::Result<()> {
    let value = match queue {
        Queue::Input => t::TCIFLUSH,
        Queue::Output => t::TCOFLUSH,
        Queue::Both => t::TCIOFLUSH,
    };
    ioctl_value(fd, t::TCFLSH, value)
}

/// Waits until queued output is written (`TCSBRK` with a non-zero argument).
pub fn tcdrain(fd: impl AsFd) -> io::Result<()> {
    ioctl_value(fd, t::TCSBRK, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_raw_turns_off_line_discipline_and_keeps_the_rest() {
        let sane = Termios::sane();
        let raw = make_raw(&sane);
        assert!(!raw.lflag(t::ICANON) && !raw.lflag(t::ECHO) && !raw.lflag(t::ISIG));
        assert!(!raw.oflag(t::OPOST) && !raw.iflag(t::ICRNL));
        assert!(raw.iflag(t::IUTF8), "untouched flags stay");
        assert_eq!((raw.c_cc[t::VMIN], raw.c_cc[t::VTIME]), (1, 0));
        assert_eq!(raw.c_cc[t::VINTR], sane.c_cc[t::VINTR]);
    }
}
