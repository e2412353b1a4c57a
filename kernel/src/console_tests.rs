//! The console terminal with real guests: line input, echo, ^C, job control.

use wasmux_console::FakeTerminal;

use crate::testing;
use crate::{Kernel, RunState};

/// Reads once from fd 0 into a buffer, writes what it read to fd 1, exits
/// with the byte count.
const CAT_ONE_READ: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (local $errno i32)
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 64))
        (local.set $errno (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (if (local.get $errno) (then (call $exit (i32.add (i32.const 200) (local.get $errno)))))
        (i32.store (i32.const 4) (i32.load (i32.const 8)))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
        (call $exit (i32.load (i32.const 8)))))"#;

fn on_console(kernel: &mut Kernel) -> (wasmux_uapi::Pid, FakeTerminal) {
    let screen = FakeTerminal::new();
    kernel.attach_console(Box::new(screen.clone()));
    let mut spec = testing::spec(kernel, wat::parse_str(CAT_ONE_READ).unwrap());
    spec.stdio = kernel.console_stdio().unwrap();
    let pid = kernel.spawn(spec).unwrap();
    (pid, screen)
}

fn set_foreground(kernel: &Kernel, pgrp: Option<u32>) {
    kernel
        .console
        .borrow()
        .as_ref()
        .unwrap()
        .borrow_mut()
        .set_foreground(pgrp);
}

fn finish(kernel: &mut Kernel) -> i32 {
    for _ in 0..1000 {
        if kernel.run() == RunState::Empty {
            return kernel.take_deaths().pop().unwrap().status.code();
        }
    }
    panic!("did not finish");
}

#[test]
fn a_typed_line_is_echoed_and_read_whole() {
    let mut kernel = testing::kernel();
    let (_, screen) = on_console(&mut kernel);
    assert!(
        matches!(kernel.run(), RunState::Idle { .. }),
        "blocked on the empty terminal"
    );
    kernel.console_input(b"hi");
    assert!(matches!(kernel.run(), RunState::Idle { .. }), "no line yet");
    kernel.console_input(b"\r");
    assert_eq!(finish(&mut kernel), 3);
    assert_eq!(screen.take(), b"hi\r\nhi\r\n");
}

#[test]
fn ctrl_c_interrupts_the_foreground_group() {
    let mut kernel = testing::kernel();
    let (pid, _) = on_console(&mut kernel);
    set_foreground(&kernel, Some(pid.0));
    kernel.run();
    kernel.console_input(b"\x03");
    assert_eq!(finish(&mut kernel), 128 + 2);
}

#[test]
fn a_background_reader_is_stopped_by_sigttin() {
    let mut kernel = testing::kernel();
    let (pid, _) = on_console(&mut kernel);
    set_foreground(&kernel, Some(9999));
    kernel.run();
    assert!(kernel.table.get(pid).unwrap().signals.is_stopped());
    // Brought to the foreground and continued, it reads.
    set_foreground(&kernel, Some(pid.0));
    kernel.post(pid, wasmux_uapi::Signal::Cont);
    kernel.run();
    kernel.console_input(b"ok\n");
    assert_eq!(finish(&mut kernel), 3);
}
