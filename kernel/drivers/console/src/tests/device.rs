//! The device: output, flow control, window size, ioctls and the File face.

use wasmux_fs::{File, FsError, NodeKind, WritePos};
use wasmux_uapi::Signal;
use wasmux_uapi::termios::{
    FIONREAD, ICANON, IXANY, IXON, TCFLSH, TCGETS, TCIFLUSH, TCOOFF, TCOON, TCSETS, TCSETSF,
    TCXONC, TIOCGPGRP, TIOCGWINSZ, TIOCSPGRP, TIOCSWINSZ, TOSTOP, Termios, Winsize,
};

use super::{FOREGROUND, harness};
use crate::{CONSOLE_RDEV, IoctlArg, TtyEvent, TtyFile, ioctl_arg};

#[test]
fn onlcr_turns_newline_into_crlf() {
    let mut h = harness();
    assert_eq!(h.tty.write(b"one\ntwo\n"), Ok(8));
    assert_eq!(h.shown(), b"one\r\ntwo\r\n");
}

#[test]
fn ctrl_s_stops_output_until_ctrl_q() {
    let mut h = harness();
    h.type_bytes(b"\x13");
    assert!(h.tty.output_stopped());
    assert_eq!(h.tty.write(b"x"), Err(FsError::WouldBlock));
    assert!(!h.tty.poll().writable);
    h.type_bytes(b"ab");
    assert_eq!(h.shown(), b"");
    h.type_bytes(b"\x11");
    assert_eq!(h.shown(), b"ab");
    assert_eq!(h.tty.write(b"x"), Ok(1));
}

#[test]
fn ctrl_c_while_stopped_drops_held_echo_and_restarts_output() {
    let mut h = harness();
    h.type_bytes(b"\x13ab\x03");
    assert!(!h.tty.output_stopped());
    assert_eq!(h.shown(), b"^C");
}

#[test]
fn turning_ixon_off_restarts_output_and_makes_ctrl_s_data() {
    let mut h = harness();
    h.type_bytes(b"\x13");
    h.configure(|t| t.c_iflag &= !IXON);
    assert!(!h.tty.output_stopped());
    h.type_bytes(b"\x13\n");
    assert_eq!(h.read(8).unwrap(), b"\x13\n");
}

#[test]
fn ixany_restarts_output_on_any_key() {
    let mut h = harness();
    h.configure(|t| t.c_iflag |= IXANY);
    h.type_bytes(b"\x13k");
    assert!(!h.tty.output_stopped());
    assert_eq!(h.shown(), b"k");
}

#[test]
fn tcflow_stops_output_that_ctrl_q_cannot_restart() {
    let mut h = harness();
    h.tty.ioctl(TCXONC, &TCOOFF.to_le_bytes()).unwrap();
    h.type_bytes(b"\x11");
    assert!(h.tty.output_stopped());
    h.tty.ioctl(TCXONC, &TCOON.to_le_bytes()).unwrap();
    assert!(!h.tty.output_stopped());
}

#[test]
fn a_resize_sends_sigwinch_once() {
    let mut h = harness();
    let size = Winsize {
        rows: 40,
        cols: 100,
        xpixel: 0,
        ypixel: 0,
    };
    let winch = TtyEvent::Signal {
        pgrp: FOREGROUND,
        signal: Signal::Winch,
    };
    assert_eq!(h.tty.set_winsize(size), Some(winch));
    assert_eq!(h.tty.set_winsize(size), None);
    let reply = h.tty.ioctl(TIOCGWINSZ, &[]).unwrap();
    assert_eq!(Winsize::decode(&reply.data), Some(size));
    let smaller = Winsize { rows: 10, ..size };
    let reply = h.tty.ioctl(TIOCSWINSZ, &smaller.encode()).unwrap();
    assert_eq!(reply.event, Some(winch));
    assert_eq!(h.tty.winsize(), smaller);
}

#[test]
fn tcgets_and_tcsets_round_trip_the_attributes() {
    let mut h = harness();
    let reply = h.tty.ioctl(TCGETS, &[]).unwrap();
    assert_eq!(reply.data.len(), Termios::SIZE);
    let mut termios = Termios::decode(&reply.data).unwrap();
    assert_eq!(termios, Termios::sane());
    termios.c_lflag |= TOSTOP;
    h.tty.ioctl(TCSETS, &termios.encode()).unwrap();
    assert!(h.tty.tostop());
    assert_eq!(h.tty.ioctl(TCSETS, &[0; 10]), Err(FsError::Invalid));
}

#[test]
fn tcsetsf_discards_pending_input() {
    let mut h = harness();
    h.type_bytes(b"old\n");
    let termios = *h.tty.termios();
    h.tty.ioctl(TCSETSF, &termios.encode()).unwrap();
    assert_eq!(h.read(8), Err(FsError::WouldBlock));
}

#[test]
fn fionread_counts_complete_lines_in_canonical_mode() {
    let mut h = harness();
    h.type_bytes(b"ab\ncd");
    let count = |h: &mut super::Harness| h.tty.ioctl(FIONREAD, &[]).unwrap().data;
    assert_eq!(count(&mut h), 3u32.to_le_bytes());
    h.configure(|t| t.c_lflag &= !ICANON);
    assert_eq!(count(&mut h), 5u32.to_le_bytes());
    h.tty.ioctl(TCFLSH, &TCIFLUSH.to_le_bytes()).unwrap();
    assert_eq!(count(&mut h), 0u32.to_le_bytes());
}

#[test]
fn the_foreground_group_is_set_and_read_by_ioctl() {
    let mut h = harness();
    h.tty.ioctl(TIOCSPGRP, &77u32.to_le_bytes()).unwrap();
    assert_eq!(h.tty.foreground(), Some(77));
    let reply = h.tty.ioctl(TIOCGPGRP, &[]).unwrap();
    assert_eq!(reply.data, 77u32.to_le_bytes());
    assert_eq!(
        h.tty.ioctl(TIOCSPGRP, &0u32.to_le_bytes()),
        Err(FsError::Invalid)
    );
    assert_eq!(
        h.tty.ioctl(TIOCSPGRP, &(-1i32).to_le_bytes()),
        Err(FsError::Invalid)
    );
    assert_eq!(h.tty.ioctl(TIOCSPGRP, &[1]), Err(FsError::Invalid));
}

#[test]
fn unknown_ioctls_are_not_supported() {
    let mut h = harness();
    assert_eq!(h.tty.ioctl(0x1234, &[]), Err(FsError::NotSupported));
    assert_eq!(
        h.tty.ioctl(TCFLSH, &9u32.to_le_bytes()),
        Err(FsError::Invalid)
    );
    assert_eq!(ioctl_arg(0x1234), None);
    assert_eq!(ioctl_arg(TCGETS), Some(IoctlArg::Out(60)));
    assert_eq!(ioctl_arg(TIOCSWINSZ), Some(IoctlArg::In(8)));
}

#[test]
fn the_file_reads_writes_and_stats_as_a_character_device() {
    let h = harness();
    let screen = h.screen.clone();
    let tty = h.tty.into_shared();
    let file = TtyFile::new(tty.clone());
    let meta = file.stat().unwrap();
    assert_eq!((meta.kind, meta.rdev), (NodeKind::CharDevice, CONSOLE_RDEV));
    assert!(!file.is_seekable());
    let mut buf = [0; 8];
    assert_eq!(file.read(0, &mut buf), Err(FsError::WouldBlock));
    assert!(file.poll().writable && !file.poll().readable);
    tty.borrow_mut().input(b"hi\r");
    assert_eq!(file.poll().read_bytes, 3);
    assert_eq!(file.read(0, &mut buf), Ok(3));
    assert_eq!(file.write(WritePos::At(5), b"ok\n"), Ok((3, 0)));
    assert_eq!(screen.take(), b"hi\r\nok\r\n");
    assert!(std::rc::Rc::ptr_eq(file.tty(), &tty));
    // A call while the kernel holds the tty is an error, not a panic.
    let _held = tty.borrow_mut();
    assert!(matches!(file.read(0, &mut buf), Err(FsError::Io(_))));
    assert!(!file.poll().readable);
}
