//! Properties of the tty over random input, each checked against a model.

use proptest::prelude::*;
use wasmux_fs::FsError;
use wasmux_uapi::termios::{
    ECHO, FIONREAD, TCFLSH, TCGETS, TCSETS, TCSETSF, TCXONC, TIOCSPGRP, TIOCSWINSZ, Termios,
};

use super::harness;
use crate::{HELD_MAX, INPUT_MAX};

/// A byte that is no control character (and so never special).
fn plain_byte() -> impl Strategy<Value = u8> {
    prop_oneof![0x20u8..0x7f, 0x80u8..=0xff]
}

/// Reads everything readable, one read at a time with `len`-byte buffers.
fn drain(h: &mut super::Harness, len: usize) -> Vec<Vec<u8>> {
    let mut reads = Vec::new();
    while let Ok(bytes) = h.read(len) {
        reads.push(bytes);
    }
    reads
}

proptest! {
    /// Canonical mode, echo off: for any lines without control characters,
    /// typed in any chunks and read with any buffer size, each read holds
    /// bytes of one line only and the reads concatenate to the lines typed.
    #[test]
    fn canonical_reads_return_the_typed_lines(
        lines in prop::collection::vec(prop::collection::vec(plain_byte(), 0..200), 0..10),
        enter_is_cr in any::<bool>(),
        chunk in 1usize..50,
        buffer in 1usize..300,
    ) {
        let mut h = harness();
        h.configure(|t| t.c_lflag &= !ECHO);
        let mut typed = Vec::new();
        for line in &lines {
            typed.extend_from_slice(line);
            typed.push(if enter_is_cr { b'\r' } else { b'\n' });
        }
        for piece in typed.chunks(chunk) {
            prop_assert!(h.type_bytes(piece).is_empty());
        }
        let reads = drain(&mut h, buffer);
        let mut expected = lines.iter().map(|line| [line.as_slice(), b"\n"].concat());
        let mut current = expected.next();
        for read in reads {
            let line = current.as_mut().expect("a read past the last line");
            prop_assert!(read.len() <= buffer && line.starts_with(&read));
            line.drain(..read.len());
            if line.is_empty() {
                current = expected.next();
            }
        }
        prop_assert!(current.is_none());
        prop_assert_eq!(h.shown(), b"");
    }

    /// Line editing with ERASE, WERASE and KILL matches a model of the line,
    /// never touches a completed line, and the echo leaves the screen
    /// showing exactly the line being edited.
    #[test]
    fn editing_matches_a_model_and_the_screen(ops in prop::collection::vec(edit_op(), 0..200)) {
        let mut h = harness();
        let mut line: Vec<u8> = Vec::new();
        let mut done: Vec<Vec<u8>> = Vec::new();
        let mut screen = Screen::default();
        for op in ops {
            h.type_bytes(&[op]);
            match op {
                0x7f => { line.pop(); }
                0x15 => line.clear(),
                0x17 => {
                    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
                    while line.last().is_some_and(|b| !word(b)) { line.pop(); }
                    while line.last().is_some_and(word) { line.pop(); }
                }
                b'\n' => done.push([std::mem::take(&mut line).as_slice(), b"\n"].concat()),
                byte => line.push(byte),
            }
            screen.show(&h.shown());
            prop_assert_eq!(screen.row_text(), line.clone());
        }
        prop_assert_eq!(drain(&mut h, 4096), done);
    }

    /// Under IUTF8, each ERASE removes one whole character however many
    /// bytes it has.
    #[test]
    fn erase_removes_whole_utf8_characters(text in "[^\\x00-\\x1f\\x7f]{0,20}", erases in 0usize..25) {
        let mut h = harness();
        h.type_bytes(text.as_bytes());
        h.type_bytes(&vec![0x7f; erases]);
        h.type_bytes(b"\n");
        let kept: String = text.chars().take(text.chars().count().saturating_sub(erases)).collect();
        prop_assert_eq!(h.read(4096).unwrap(), [kept.as_bytes(), b"\n"].concat());
    }

    /// Any attributes, bytes, reads, ioctls and time: nothing panics, reads
    /// fit their buffers, and what the tty holds stays bounded.
    #[test]
    fn nothing_panics_and_buffers_stay_bounded(
        termios in any_termios(),
        steps in prop::collection::vec(any_step(), 0..60),
    ) {
        let mut h = harness();
        h.tty.set_termios(termios, crate::SetWhen::Now);
        for step in steps {
            match step {
                Step::Type(bytes) => { h.tty.input(&bytes); }
                Step::Read(len) => {
                    if let Ok(bytes) = h.read(len) { prop_assert!(bytes.len() <= len); }
                }
                Step::Write(bytes) => match h.tty.write(&bytes) {
                    Ok(count) => prop_assert_eq!(count, bytes.len()),
                    Err(error) => prop_assert_eq!(error, FsError::WouldBlock),
                },
                Step::Ioctl(request, arg) => { let _ = h.tty.ioctl(request, &arg); }
                Step::Wait(nanos) => h.clock.advance(nanos),
            }
            let held = h.tty.discipline.queue.len() + h.tty.discipline.line.len();
            prop_assert!(held <= INPUT_MAX && h.tty.held.len() <= HELD_MAX);
            let _ = h.tty.poll();
        }
    }
}

/// One typed byte for the editing property: letters, separators, ERASE,
/// KILL, WERASE, Enter.
fn edit_op() -> impl Strategy<Value = u8> {
    prop_oneof![
        6 => prop::sample::select(b"ab_1 -.".to_vec()),
        2 => Just(0x7f),
        1 => Just(0x15),
        1 => Just(0x17),
        1 => Just(b'\n'),
    ]
}

fn any_termios() -> impl Strategy<Value = Termios> {
    (any::<[u32; 4]>(), prop::collection::vec(any::<u8>(), 32)).prop_map(|(flags, cc)| {
        let mut termios = Termios::sane();
        [
            termios.c_iflag,
            termios.c_oflag,
            termios.c_cflag,
            termios.c_lflag,
        ] = flags;
        termios.c_cc.copy_from_slice(&cc);
        termios
    })
}

#[derive(Clone, Debug)]
enum Step {
    Type(Vec<u8>),
    Read(usize),
    Write(Vec<u8>),
    Ioctl(u32, Vec<u8>),
    Wait(u64),
}

fn any_step() -> impl Strategy<Value = Step> {
    let request = prop::sample::select(vec![
        TCGETS, TCSETS, TCSETSF, TIOCSWINSZ, TIOCSPGRP, FIONREAD, TCFLSH, TCXONC, 0,
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600).prop_map(Step::Type),
        (0usize..5000).prop_map(Step::Read),
        prop::collection::vec(any::<u8>(), 0..100).prop_map(Step::Write),
        (request, prop::collection::vec(any::<u8>(), 0..70)).prop_map(|(r, a)| Step::Ioctl(r, a)),
        (0u64..3_000_000_000).prop_map(Step::Wait),
    ]
}

/// A one-row terminal: enough to see what the echo leaves on screen.
#[derive(Default)]
struct Screen {
    cells: Vec<u8>,
    cursor: usize,
}

impl Screen {
    fn show(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                b'\r' => self.cursor = 0,
                b'\n' => self.cells.clear(),
                0x08 => self.cursor = self.cursor.saturating_sub(1),
                0x07 => {}
                _ => {
                    if self.cursor == self.cells.len() {
                        self.cells.push(byte);
                    } else {
                        self.cells[self.cursor] = byte;
                    }
                    self.cursor += 1;
                }
            }
        }
    }

    /// The row up to the cursor, which is where the line's echo ends.
    fn row_text(&self) -> Vec<u8> {
        let rest_is_blank = self.cells.iter().skip(self.cursor).all(|&b| b == b' ');
        assert!(rest_is_blank, "stale characters after the cursor");
        self.cells[..self.cursor].to_vec()
    }
}
