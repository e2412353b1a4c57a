//! Scheduler and process-lifecycle tests with small hand-written guests.

use wasmux_proc::ExitStatus;
use wasmux_uapi::Signal;

use crate::testing::{self, Capture};
use crate::{Kernel, RunState};

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

fn spawn(kernel: &mut Kernel, text: &str) -> wasmux_uapi::Pid {
    let spec = testing::spec(kernel, wasm(text));
    kernel.spawn(spec).unwrap()
}

const HOG: &str = r#"(module (memory (export "memory") 1)
    (func (export "_start") (loop br 0)))"#;

const SLEEPER: &str = r#"(module
    (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")
        ;; one relative clock subscription on the monotonic clock, 1 s
        (i32.store8 (i32.const 8) (i32.const 0))
        (i32.store (i32.const 16) (i32.const 1))
        (i64.store (i32.const 24) (i64.const 1000000000))
        (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))"#;

#[test]
fn two_hogs_share_the_cpu_round_robin() {
    let mut kernel = testing::kernel();
    let a = spawn(&mut kernel, HOG);
    let b = spawn(&mut kernel, HOG);
    for _ in 0..10 {
        assert_eq!(kernel.run(), RunState::Busy);
    }
    let fuel_a = kernel.process_info(a).unwrap().fuel;
    let fuel_b = kernel.process_info(b).unwrap().fuel;
    assert!(fuel_a > 0 && fuel_b > 0);
    let ratio = fuel_a as f64 / fuel_b as f64;
    assert!(
        (0.8..1.25).contains(&ratio),
        "unfair split {fuel_a} vs {fuel_b}"
    );
}

#[test]
fn a_sleeping_process_costs_nothing_and_wakes_at_its_deadline() {
    let (mut kernel, clock) = testing::kernel_and_clock();
    let pid = spawn(&mut kernel, SLEEPER);
    let RunState::Idle {
        deadline: Some(deadline),
    } = kernel.run()
    else {
        panic!("expected idle")
    };
    let fuel = kernel.process_info(pid).unwrap().fuel;
    for _ in 0..5 {
        assert!(matches!(kernel.run(), RunState::Idle { .. }));
    }
    assert_eq!(
        kernel.process_info(pid).unwrap().fuel,
        fuel,
        "a blocked process ran"
    );
    clock.set(deadline);
    while kernel.run() != RunState::Empty {}
    assert_eq!(kernel.take_deaths()[0].status, ExitStatus::Exited(0));
}

#[test]
fn a_trap_ends_only_the_trapping_process() {
    let mut kernel = testing::kernel();
    let hog = spawn(&mut kernel, HOG);
    let bad = spawn(
        &mut kernel,
        r#"(module (func (export "_start") (drop (i32.div_u (i32.const 1) (i32.const 0)))))"#,
    );
    kernel.run();
    let deaths = kernel.take_deaths();
    assert_eq!(deaths.len(), 1);
    assert_eq!(deaths[0].pid, bad);
    assert_eq!(deaths[0].status, ExitStatus::Signaled(Signal::Fpe));
    assert_eq!(deaths[0].trap.as_deref(), Some("integer divide by zero"));
    assert!(kernel.process_info(hog).is_some());
    assert_eq!(kernel.run(), RunState::Busy);
}

#[test]
fn proc_raise_applies_the_default_action() {
    let mut kernel = testing::kernel();
    let raise = |signal: u8| {
        format!(
            r#"(module (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "_start") (drop (call $raise (i32.const {signal})))))"#
        )
    };
    spawn(&mut kernel, &raise(Signal::Term.raw()));
    spawn(&mut kernel, &raise(Signal::Winch.raw()));
    while kernel.run() != RunState::Empty {}
    let deaths = kernel.take_deaths();
    assert_eq!(deaths[0].status, ExitStatus::Signaled(Signal::Term));
    assert_eq!(deaths[0].status.code(), 143);
    assert_eq!(
        deaths[1].status,
        ExitStatus::Exited(0),
        "SIGWINCH is ignored by default"
    );
}

#[test]
fn stdout_reaches_the_inherited_file() {
    let mut kernel = testing::kernel();
    let out = Capture::default();
    let program = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 100) "hi\n")
            (func (export "_start")
                (i32.store (i32.const 0) (i32.const 100))
                (i32.store (i32.const 4) (i32.const 3))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    );
    let spec = testing::spec_with_output(&mut kernel, program, &out);
    kernel.spawn(spec).unwrap();
    while kernel.run() != RunState::Empty {}
    assert_eq!(out.text(), "hi\n");
}

#[test]
fn a_bad_module_is_a_load_error_and_the_kernel_carries_on() {
    let mut kernel = testing::kernel();
    let spec = testing::spec(&mut kernel, b"\0asm\x01\0\0\0garbage".to_vec());
    assert!(kernel.spawn(spec).is_err());
    spawn(&mut kernel, r#"(module (func (export "_start")))"#);
    while kernel.run() != RunState::Empty {}
    assert_eq!(kernel.take_deaths().len(), 1);
}
