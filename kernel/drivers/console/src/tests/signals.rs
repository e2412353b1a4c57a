//! ISIG: signal characters, flushing, echo.

use wasmux_fs::FsError;
use wasmux_uapi::Signal;
use wasmux_uapi::termios::{ECHOCTL, ICANON, ISIG, NOFLSH, VINTR};

use super::{FOREGROUND, harness};
use crate::TtyEvent;

fn signal(signal: Signal) -> Vec<TtyEvent> {
    vec![TtyEvent::Signal {
        pgrp: FOREGROUND,
        signal,
    }]
}

#[test]
fn ctrl_c_sends_sigint_to_the_foreground_group() {
    let mut h = harness();
    assert_eq!(h.type_bytes(b"\x03"), signal(Signal::Int));
    assert_eq!(h.shown(), b"^C");
}

#[test]
fn ctrl_backslash_sends_sigquit_and_ctrl_z_sigtstp() {
    let mut h = harness();
    assert_eq!(h.type_bytes(b"\x1c"), signal(Signal::Quit));
    assert_eq!(h.type_bytes(b"\x1a"), signal(Signal::Tstp));
    assert_eq!(h.shown(), b"^\\^Z");
}

#[test]
fn a_signal_character_flushes_pending_input() {
    let mut h = harness();
    h.type_bytes(b"done\nhalf");
    h.type_bytes(b"\x03");
    h.type_bytes(b"new\n");
    assert_eq!(h.read(64).unwrap(), b"new\n");
}

#[test]
fn noflsh_keeps_pending_input() {
    let mut h = harness();
    h.configure(|t| t.c_lflag |= NOFLSH);
    h.type_bytes(b"done\nhalf\x03\n");
    assert_eq!(h.read(64).unwrap(), b"done\n");
    assert_eq!(h.read(64).unwrap(), b"half\n");
}

#[test]
fn without_isig_ctrl_c_is_data() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !(ISIG | ICANON));
    assert!(h.type_bytes(b"\x03").is_empty());
    assert_eq!(h.read(8).unwrap(), b"\x03");
}

#[test]
fn without_echoctl_the_control_character_is_echoed_raw() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !ECHOCTL);
    h.type_bytes(b"\x03");
    assert_eq!(h.shown(), b"\x03");
}

#[test]
fn a_redefined_interrupt_character_is_honoured_and_zero_disables() {
    let mut h = harness();
    h.configure(|t| t.c_cc[VINTR] = b'!');
    assert_eq!(h.type_bytes(b"!"), signal(Signal::Int));
    assert!(h.type_bytes(b"\x03").is_empty());
    h.configure(|t| t.c_cc[VINTR] = 0);
    assert!(h.type_bytes(b"\0!\n").is_empty());
    assert_eq!(h.read(8).unwrap(), b"\x03\0!\n");
}

#[test]
fn without_a_foreground_group_signals_go_nowhere() {
    let mut h = harness();
    h.tty.set_foreground(None);
    h.type_bytes(b"abc");
    assert!(h.type_bytes(b"\x03").is_empty());
    assert_eq!(h.read(8), Err(FsError::WouldBlock));
}
