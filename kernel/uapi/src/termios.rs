//! Terminal attributes (`struct termios`), window size (`struct winsize`) and
//! the terminal ioctl request numbers, with Linux's values.
//!
//! They cross the guest boundary through the `wasmux` ioctl call, so each
//! struct has an explicit little-endian layout (`SIZE`, `encode`, `decode`)
//! rather than relying on a Rust representation.
//!
//! [`Termios`] follows the user-space struct of musl and glibc (32 control
//! characters plus the two speed words), 60 bytes:
//!
//! | offset | field      | type      |
//! |--------|------------|-----------|
//! | 0      | `c_iflag`  | u32       |
//! | 4      | `c_oflag`  | u32       |
//! | 8      | `c_cflag`  | u32       |
//! | 12     | `c_lflag`  | u32       |
//! | 16     | `c_line`   | u8        |
//! | 17     | `c_cc`     | [u8; 32]  |
//! | 49     | (padding)  | 3 bytes   |
//! | 52     | `c_ispeed` | u32       |
//! | 56     | `c_ospeed` | u32       |
//!
//! [`Winsize`] is four u16 (rows, cols, xpixel, ypixel), 8 bytes.
//!
//! A control character equal to [`VDISABLE`] (0, as on Linux) is disabled.

/// Number of control characters in `c_cc`.
pub const NCCS: usize = 32;

/// The value that disables a control character (`_POSIX_VDISABLE`).
pub const VDISABLE: u8 = 0;

// Indices into `c_cc`.
pub const VINTR: usize = 0;
pub const VQUIT: usize = 1;
pub const VERASE: usize = 2;
pub const VKILL: usize = 3;
pub const VEOF: usize = 4;
pub const VTIME: usize = 5;
pub const VMIN: usize = 6;
pub const VSWTC: usize = 7;
pub const VSTART: usize = 8;
pub const VSTOP: usize = 9;
pub const VSUSP: usize = 10;
pub const VEOL: usize = 11;
pub const VREPRINT: usize = 12;
pub const VDISCARD: usize = 13;
pub const VWERASE: usize = 14;
pub const VLNEXT: usize = 15;
pub const VEOL2: usize = 16;

// c_iflag
pub const IGNBRK: u32 = 0o1;
pub const BRKINT: u32 = 0o2;
pub const IGNPAR: u32 = 0o4;
pub const PARMRK: u32 = 0o10;
pub const INPCK: u32 = 0o20;
pub const ISTRIP: u32 = 0o40;
pub const INLCR: u32 = 0o100;
pub const IGNCR: u32 = 0o200;
pub const ICRNL: u32 = 0o400;
pub const IUCLC: u32 = 0o1000;
pub const IXON: u32 = 0o2000;
pub const IXANY: u32 = 0o4000;
pub const IXOFF: u32 = 0o10000;
pub const IMAXBEL: u32 = 0o20000;
pub const IUTF8: u32 = 0o40000;

// c_oflag
pub const OPOST: u32 = 0o1;
pub const OLCUC: u32 = 0o2;
pub const ONLCR: u32 = 0o4;
pub const OCRNL: u32 = 0o10;
pub const ONOCR: u32 = 0o20;
pub const ONLRET: u32 = 0o40;
pub const OFILL: u32 = 0o100;
pub const OFDEL: u32 = 0o200;
pub const TABDLY: u32 = 0o14000;
/// Expand tabs to spaces (`TAB3`).
pub const XTABS: u32 = 0o14000;

// c_cflag
pub const CBAUD: u32 = 0o10017;
pub const B0: u32 = 0;
pub const B9600: u32 = 0o15;
pub const B38400: u32 = 0o17;
pub const CSIZE: u32 = 0o60;
pub const CS8: u32 = 0o60;
pub const CSTOPB: u32 = 0o100;
pub const CREAD: u32 = 0o200;
pub const PARENB: u32 = 0o400;
pub const PARODD: u32 = 0o1000;
pub const HUPCL: u32 = 0o2000;
pub const CLOCAL: u32 = 0o4000;

// c_lflag
pub const ISIG: u32 = 0o1;
pub const ICANON: u32 = 0o2;
pub const XCASE: u32 = 0o4;
pub const ECHO: u32 = 0o10;
pub const ECHOE: u32 = 0o20;
pub const ECHOK: u32 = 0o40;
pub const ECHONL: u32 = 0o100;
pub const NOFLSH: u32 = 0o200;
pub const TOSTOP: u32 = 0o400;
pub const ECHOCTL: u32 = 0o1000;
pub const ECHOPRT: u32 = 0o2000;
pub const ECHOKE: u32 = 0o4000;
pub const FLUSHO: u32 = 0o10000;
pub const PENDIN: u32 = 0o40000;
pub const IEXTEN: u32 = 0o100000;
pub const EXTPROC: u32 = 0o200000;

// ioctl requests (asm-generic values).
pub const TCGETS: u32 = 0x5401;
pub const TCSETS: u32 = 0x5402;
pub const TCSETSW: u32 = 0x5403;
pub const TCSETSF: u32 = 0x5404;
pub const TCSBRK: u32 = 0x5409;
pub const TCXONC: u32 = 0x540A;
pub const TCFLSH: u32 = 0x540B;
pub const TIOCGPGRP: u32 = 0x540F;
pub const TIOCSPGRP: u32 = 0x5410;
pub const TIOCOUTQ: u32 = 0x5411;
pub const TIOCGWINSZ: u32 = 0x5413;
pub const TIOCSWINSZ: u32 = 0x5414;
pub const FIONREAD: u32 = 0x541B;

// Arguments of TCFLSH and TCXONC.
pub const TCIFLUSH: u32 = 0;
pub const TCOFLUSH: u32 = 1;
pub const TCIOFLUSH: u32 = 2;
pub const TCOOFF: u32 = 0;
pub const TCOON: u32 = 1;
pub const TCIOFF: u32 = 2;
pub const TCION: u32 = 3;

/// Terminal attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Termios {
    pub c_iflag: u32,
    pub c_oflag: u32,
    pub c_cflag: u32,
    pub c_lflag: u32,
    pub c_line: u8,
    pub c_cc: [u8; NCCS],
    pub c_ispeed: u32,
    pub c_ospeed: u32,
}

const fn control(byte: u8) -> u8 {
    byte & 0x1f
}

impl Termios {
    /// Encoded size in bytes.
    pub const SIZE: usize = 60;

    /// The attributes of a new terminal: Linux's `stty sane` (which is
    /// also its default for a new tty) plus IUTF8, since every terminal
    /// Wasmux drives (xterm.js, a host terminal) speaks UTF-8.
    pub const fn sane() -> Termios {
        let mut c_cc = [0u8; NCCS];
        c_cc[VINTR] = control(b'C');
        c_cc[VQUIT] = control(b'\\');
        c_cc[VERASE] = 0x7f;
        c_cc[VKILL] = control(b'U');
        c_cc[VEOF] = control(b'D');
        c_cc[VTIME] = 0;
        c_cc[VMIN] = 1;
        c_cc[VSTART] = control(b'Q');
        c_cc[VSTOP] = control(b'S');
        c_cc[VSUSP] = control(b'Z');
        c_cc[VREPRINT] = control(b'R');
        c_cc[VDISCARD] = control(b'O');
        c_cc[VWERASE] = control(b'W');
        c_cc[VLNEXT] = control(b'V');
        Termios {
            c_iflag: BRKINT | ICRNL | IXON | IMAXBEL | IUTF8,
            c_oflag: OPOST | ONLCR,
            c_cflag: B38400 | CS8 | CREAD | HUPCL,
            c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            c_line: 0,
            c_cc,
            c_ispeed: B38400,
            c_ospeed: B38400,
        }
    }

    /// Whether every bit of `flag` is set in `c_iflag`.
    pub const fn iflag(&self, flag: u32) -> bool {
        self.c_iflag & flag == flag
    }

    /// Whether every bit of `flag` is set in `c_oflag`.
    pub const fn oflag(&self, flag: u32) -> bool {
        self.c_oflag & flag == flag
    }

    /// Whether every bit of `flag` is set in `c_lflag`.
    pub const fn lflag(&self, flag: u32) -> bool {
        self.c_lflag & flag == flag
    }

    /// The control character at `index`, or `None` when it is disabled or
    /// the index is out of range.
    pub fn control_char(&self, index: usize) -> Option<u8> {
        self.c_cc.get(index).copied().filter(|&c| c != VDISABLE)
    }

    /// Whether `byte` is the (enabled) control character at `index`.
    pub fn is_control_char(&self, index: usize, byte: u8) -> bool {
        self.control_char(index) == Some(byte)
    }

    /// The little-endian encoding described in the module doc.
    pub fn encode(&self) -> [u8; Termios::SIZE] {
        let mut out = [0u8; Termios::SIZE];
        out[0..4].copy_from_slice(&self.c_iflag.to_le_bytes());
        out[4..8].copy_from_slice(&self.c_oflag.to_le_bytes());
        out[8..12].copy_from_slice(&self.c_cflag.to_le_bytes());
        out[12..16].copy_from_slice(&self.c_lflag.to_le_bytes());
        out[16] = self.c_line;
        out[17..17 + NCCS].copy_from_slice(&self.c_cc);
        out[52..56].copy_from_slice(&self.c_ispeed.to_le_bytes());
        out[56..60].copy_from_slice(&self.c_ospeed.to_le_bytes());
        out
    }

    /// Decodes the first [`Termios::SIZE`] bytes; `None` when there are fewer.
    pub fn decode(bytes: &[u8]) -> Option<Termios> {
        let bytes: &[u8; Termios::SIZE] = bytes.get(..Termios::SIZE)?.try_into().ok()?;
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let mut c_cc = [0u8; NCCS];
        c_cc.copy_from_slice(&bytes[17..17 + NCCS]);
        Some(Termios {
            c_iflag: word(0),
            c_oflag: word(4),
            c_cflag: word(8),
            c_lflag: word(12),
            c_line: bytes[16],
            c_cc,
            c_ispeed: word(52),
            c_ospeed: word(56),
        })
    }
}

impl Default for Termios {
    fn default() -> Termios {
        Termios::sane()
    }
}

/// A terminal's size in character cells and pixels (`struct winsize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Winsize {
    pub rows: u16,
    pub cols: u16,
    pub xpixel: u16,
    pub ypixel: u16,
}

impl Winsize {
    /// Encoded size in bytes.
    pub const SIZE: usize = 8;

    /// Little-endian: rows, cols, xpixel, ypixel.
    pub fn encode(&self) -> [u8; Winsize::SIZE] {
        let mut out = [0u8; Winsize::SIZE];
        out[0..2].copy_from_slice(&self.rows.to_le_bytes());
        out[2..4].copy_from_slice(&self.cols.to_le_bytes());
        out[4..6].copy_from_slice(&self.xpixel.to_le_bytes());
        out[6..8].copy_from_slice(&self.ypixel.to_le_bytes());
        out
    }

    /// Decodes the first [`Winsize::SIZE`] bytes; `None` when there are fewer.
    pub fn decode(bytes: &[u8]) -> Option<Winsize> {
        let bytes: &[u8; Winsize::SIZE] = bytes.get(..Winsize::SIZE)?.try_into().ok()?;
        let half = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        Some(Winsize {
            rows: half(0),
            cols: half(2),
            xpixel: half(4),
            ypixel: half(6),
        })
    }
}

impl Default for Winsize {
    /// 24 rows of 80 columns, no pixel size.
    fn default() -> Winsize {
        Winsize {
            rows: 24,
            cols: 80,
            xpixel: 0,
            ypixel: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_linux() {
        assert_eq!(
            (VINTR, VEOF, VMIN, VSUSP, VLNEXT, VEOL2),
            (0, 4, 6, 10, 15, 16)
        );
        assert_eq!((ICRNL, IXON, IUTF8), (0x100, 0x400, 0x4000));
        assert_eq!((ONLCR, ECHO, ECHOCTL, IEXTEN), (4, 8, 0x200, 0x8000));
        assert_eq!(
            (TCGETS, TIOCGWINSZ, TIOCSPGRP, FIONREAD),
            (0x5401, 0x5413, 0x5410, 0x541B)
        );
    }

    #[test]
    fn sane_is_canonical_with_echo_and_signals() {
        let termios = Termios::sane();
        assert!(termios.lflag(ICANON | ECHO | ISIG | IEXTEN));
        assert!(termios.oflag(OPOST | ONLCR));
        assert_eq!(termios.control_char(VINTR), Some(3));
        assert_eq!(termios.control_char(VEOL), None);
        assert_eq!(termios.control_char(99), None);
    }

    #[test]
    fn termios_round_trips_through_bytes() {
        let mut termios = Termios::sane();
        termios.c_cc[NCCS - 1] = 0xAB;
        termios.c_line = 7;
        let bytes = termios.encode();
        assert_eq!(&bytes[0..4], &termios.c_iflag.to_le_bytes());
        assert_eq!(bytes[17 + VINTR], 3);
        assert_eq!(Termios::decode(&bytes), Some(termios));
        assert_eq!(Termios::decode(&bytes[..Termios::SIZE - 1]), None);
    }

    #[test]
    fn winsize_round_trips_through_bytes() {
        let size = Winsize {
            rows: 50,
            cols: 132,
            xpixel: 1,
            ypixel: 0xFFFF,
        };
        assert_eq!(size.encode()[..4], [50, 0, 132, 0]);
        assert_eq!(Winsize::decode(&size.encode()), Some(size));
        assert_eq!(Winsize::decode(&[0; 7]), None);
    }
}
