//! Canonical mode: line editing, line endings, end of file.

use wasmux_fs::FsError;
use wasmux_uapi::termios::{ECHO, ECHOCTL, ECHOE, ECHOKE, ICANON, IUTF8, VEOL, XTABS};

use super::harness;

#[test]
fn a_line_is_readable_only_once_it_ends() {
    let mut h = harness();
    h.type_bytes(b"echo hi");
    assert_eq!(h.read(64), Err(FsError::WouldBlock));
    assert!(!h.tty.poll().readable);
    h.type_bytes(b"\r");
    assert!(h.tty.poll().readable);
    assert_eq!(h.read(64).unwrap(), b"echo hi\n");
    assert_eq!(h.shown(), b"echo hi\r\n");
}

#[test]
fn a_read_returns_one_line_at_most() {
    let mut h = harness();
    h.type_bytes(b"one\ntwo\n");
    assert_eq!(h.read(64).unwrap(), b"one\n");
    assert_eq!(h.read(2).unwrap(), b"tw");
    assert_eq!(h.read(64).unwrap(), b"o\n");
}

#[test]
fn backspace_erases_one_character() {
    let mut h = harness();
    h.type_bytes(b"cat\x7f\x7fp\n");
    assert_eq!(h.read(64).unwrap(), b"cp\n");
    assert_eq!(h.shown(), b"cat\x08 \x08\x08 \x08p\r\n");
}

#[test]
fn backspace_erases_a_whole_utf8_character() {
    let mut h = harness();
    h.type_bytes("né€\x7f\x7f".as_bytes());
    assert_eq!(h.shown(), "né€\x08 \x08\x08 \x08".as_bytes());
    h.type_bytes(b"o\n");
    assert_eq!(h.read(64).unwrap(), b"no\n");
}

#[test]
fn without_iutf8_backspace_erases_one_byte() {
    let mut h = harness();
    h.configure(|t| t.c_iflag &= !IUTF8);
    h.type_bytes("é\x7f\n".as_bytes());
    assert_eq!(h.read(64).unwrap(), [0xc3, b'\n']);
}

#[test]
fn backspace_on_an_empty_line_does_nothing() {
    let mut h = harness();
    h.type_bytes(b"a\n\x7f\x7fb\n");
    assert_eq!(h.read(64).unwrap(), b"a\n");
    assert_eq!(h.read(64).unwrap(), b"b\n");
    assert_eq!(h.shown(), b"a\r\nb\r\n");
}

#[test]
fn without_echoe_erase_shows_the_erase_character() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !ECHOE);
    h.type_bytes(b"ab\x7f");
    assert_eq!(h.shown(), b"ab^?");
}

#[test]
fn erasing_a_control_character_clears_its_two_cells() {
    let mut h = harness();
    h.type_bytes(b"a\x16\x01\x7f");
    // ^V shows "^" and backs up; the literal ^A shows as "^A"; erase clears both cells.
    assert_eq!(h.shown(), b"a^\x08^A\x08 \x08\x08 \x08");
}

#[test]
fn erasing_a_tab_backs_up_to_where_it_started() {
    let mut h = harness();
    h.tty.write(b"$ ").unwrap();
    h.shown();
    h.type_bytes(b"ab\t\x7f");
    // The line starts at column 2; "ab" ends at 4; the tab filled 4 cells.
    assert_eq!(h.shown(), b"ab\t\x08\x08\x08\x08");
    h.configure(|t| t.c_oflag |= XTABS);
    h.type_bytes(b"\t\x7f");
    assert_eq!(h.shown(), b"    \x08\x08\x08\x08");
}

#[test]
fn ctrl_u_kills_the_line_on_screen() {
    let mut h = harness();
    h.type_bytes(b"rm -rf\x15ls\n");
    assert_eq!(h.read(64).unwrap(), b"ls\n");
    assert_eq!(
        h.shown(),
        b"rm -rf\x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08ls\r\n"
    );
}

#[test]
fn without_echoke_kill_shows_the_kill_character_and_a_newline() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !ECHOKE);
    h.type_bytes(b"oops\x15");
    assert_eq!(h.shown(), b"oops^U\r\n");
}

#[test]
fn ctrl_w_erases_the_last_word_and_trailing_spaces() {
    let mut h = harness();
    h.type_bytes(b"git commit -am  \x17\n");
    assert_eq!(h.read(64).unwrap(), b"git commit -\n");
    h.type_bytes(b"git commit -\x17\n");
    assert_eq!(h.read(64).unwrap(), b"git \n");
}

#[test]
fn ctrl_v_takes_the_next_character_literally() {
    let mut h = harness();
    assert!(h.type_bytes(b"\x16\x03\x16\x7f\n").is_empty());
    assert_eq!(h.read(64).unwrap(), b"\x03\x7f\n");
}

#[test]
fn ctrl_r_reprints_the_line() {
    let mut h = harness();
    h.type_bytes(b"ab\x12");
    assert_eq!(h.shown(), b"ab^R\r\nab");
}

#[test]
fn ctrl_d_on_an_empty_line_reads_as_eof() {
    let mut h = harness();
    h.type_bytes(b"\x04");
    assert!(h.tty.poll().readable);
    assert_eq!(h.read(64).unwrap(), b"");
    assert_eq!(h.read(64), Err(FsError::WouldBlock));
    assert_eq!(h.shown(), b"");
}

#[test]
fn ctrl_d_after_text_makes_it_readable_without_a_newline() {
    let mut h = harness();
    h.type_bytes(b"abc\x04\x04");
    assert_eq!(h.read(64).unwrap(), b"abc");
    assert_eq!(h.read(64).unwrap(), b"");
}

#[test]
fn veol_ends_a_line_and_is_kept() {
    let mut h = harness();
    h.configure(|t| t.c_cc[VEOL] = b';');
    h.type_bytes(b"a;b");
    assert_eq!(h.read(64).unwrap(), b"a;");
    assert_eq!(h.shown(), b"a;b");
}

#[test]
fn echo_off_shows_nothing_but_still_edits() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !(ECHO | ECHOCTL));
    h.type_bytes(b"secret\x7fT\r");
    assert_eq!(h.read(64).unwrap(), b"secreT\n");
    assert_eq!(h.shown(), b"");
}

#[test]
fn leaving_canonical_mode_makes_the_edited_line_readable() {
    let mut h = harness();
    h.type_bytes(b"par");
    h.configure(|t| t.c_lflag &= !ICANON);
    assert_eq!(h.read(64).unwrap(), b"par");
}

#[test]
fn entering_canonical_mode_makes_pending_bytes_one_line() {
    let mut h = harness();
    h.configure(|t| t.c_lflag &= !ICANON);
    h.type_bytes(b"xy");
    h.configure(|t| t.c_lflag |= ICANON);
    h.type_bytes(b"z\n");
    assert_eq!(h.read(64).unwrap(), b"xy");
    assert_eq!(h.read(64).unwrap(), b"z\n");
}

#[test]
fn a_full_line_rings_the_bell_and_still_accepts_enter() {
    let mut h = harness();
    h.type_bytes(&[b'x'; crate::INPUT_MAX + 10]);
    let shown = h.shown();
    assert_eq!(shown.iter().filter(|&&b| b == 0x07).count(), 11);
    h.type_bytes(b"\n");
    let line = h.read(crate::INPUT_MAX * 2).unwrap();
    assert_eq!(line.len(), crate::INPUT_MAX);
    assert_eq!(line.last(), Some(&b'\n'));
}
