//! Non-canonical mode: VMIN and VTIME.

use wasmux_fs::FsError;
use wasmux_uapi::termios::{ECHO, ICANON, ICRNL, ISIG, IXON, Termios, VMIN, VTIME};

use super::{Harness, harness};
use crate::VTIME_UNIT;

/// cfmakeraw's essentials, with the given VMIN and VTIME.
fn raw(h: &mut Harness, min: u8, time: u8) {
    h.configure(|t: &mut Termios| {
        t.c_lflag &= !(ICANON | ECHO | ISIG);
        t.c_iflag &= !(ICRNL | IXON);
        t.c_cc[VMIN] = min;
        t.c_cc[VTIME] = time;
    });
}

#[test]
fn raw_mode_returns_each_byte() {
    let mut h = harness();
    raw(&mut h, 1, 0);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    assert!(!h.tty.poll().readable);
    assert!(h.type_bytes(b"q\x03\r\x7f").is_empty());
    assert!(h.tty.poll().readable);
    assert_eq!(h.read(16).unwrap(), b"q\x03\r\x7f");
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    assert_eq!(h.tty.read_deadline(), None);
    assert_eq!(h.shown(), b"");
}

#[test]
fn vmin_waits_for_that_many_bytes() {
    let mut h = harness();
    raw(&mut h, 3, 0);
    h.type_bytes(b"ab");
    assert!(!h.tty.poll().readable);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    h.type_bytes(b"cd");
    assert_eq!(h.read(16).unwrap(), b"abcd");
}

#[test]
fn vmin_larger_than_the_buffer_waits_for_a_full_buffer() {
    let mut h = harness();
    raw(&mut h, 10, 0);
    h.type_bytes(b"abc");
    assert_eq!(h.read(2).unwrap(), b"ab");
}

#[test]
fn vmin_zero_returns_what_is_there_or_nothing() {
    let mut h = harness();
    raw(&mut h, 0, 0);
    assert_eq!(h.read(16).unwrap(), b"");
    assert!(!h.tty.poll().readable);
    h.type_bytes(b"x");
    assert_eq!(h.read(16).unwrap(), b"x");
}

#[test]
fn vtime_alone_times_out_with_nothing() {
    let mut h = harness();
    raw(&mut h, 0, 5);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    let deadline = h.tty.read_deadline().unwrap();
    assert_eq!(deadline, 1_000 + 5 * VTIME_UNIT);
    h.clock.advance(VTIME_UNIT);
    // The restarted read keeps its original deadline.
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    assert_eq!(h.tty.read_deadline(), Some(deadline));
    h.clock.advance(4 * VTIME_UNIT);
    assert_eq!(h.read(16).unwrap(), b"");
    // A new read starts a new timer.
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    assert_eq!(h.tty.read_deadline(), Some(deadline + 5 * VTIME_UNIT));
}

#[test]
fn vtime_alone_returns_as_soon_as_a_byte_arrives() {
    let mut h = harness();
    raw(&mut h, 0, 5);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    h.type_bytes(b"k");
    assert_eq!(h.read(16).unwrap(), b"k");
}

#[test]
fn an_interrupted_timed_read_forgets_its_timer() {
    let mut h = harness();
    raw(&mut h, 0, 1);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    h.tty.read_interrupted();
    h.clock.advance(10 * VTIME_UNIT);
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
}

#[test]
fn vmin_with_vtime_is_an_inter_byte_timer() {
    let mut h = harness();
    raw(&mut h, 4, 2);
    // Nothing typed: wait without a deadline.
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    assert_eq!(h.tty.read_deadline(), None);
    h.type_bytes(b"a");
    h.clock.advance(VTIME_UNIT);
    h.type_bytes(b"b");
    assert_eq!(h.read(16), Err(FsError::WouldBlock));
    let deadline = h.tty.read_deadline().unwrap();
    assert_eq!(deadline, h.clock_now() + 2 * VTIME_UNIT);
    h.clock.advance(2 * VTIME_UNIT);
    assert_eq!(h.read(16).unwrap(), b"ab");
}

#[test]
fn echo_in_raw_mode_shows_control_characters() {
    let mut h = harness();
    raw(&mut h, 1, 0);
    h.configure(|t| t.c_lflag |= ECHO);
    h.type_bytes(b"a\x01\n");
    assert_eq!(h.shown(), b"a^A\r\n");
}

impl Harness {
    fn clock_now(&self) -> u64 {
        wasmux_fs::Clock::now(&*self.clock)
    }
}
