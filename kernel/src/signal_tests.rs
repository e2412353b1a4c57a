//! Signals end to end with hand-written guests: handlers through the
//! trampoline, default actions on busy loops, stop and continue, sigsuspend.

use crate::testing;
use crate::{Kernel, RunState};

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

fn run_to_end(kernel: &mut Kernel) {
    for _ in 0..100_000 {
        if kernel.run() == RunState::Empty {
            return;
        }
    }
    panic!("the system did not finish");
}

fn exit_code(kernel: &mut Kernel, program: &str) -> i32 {
    let spec = testing::spec(kernel, wasm(program));
    let pid = kernel.spawn(spec).unwrap();
    run_to_end(kernel);
    kernel
        .take_deaths()
        .into_iter()
        .find(|d| d.pid == pid)
        .unwrap()
        .status
        .code()
}

/// Imports, memory, a handler at table index 1 that records its signal in
/// global $caught, and the trampoline export.
const PRELUDE: &str = r#"
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (import "wasmux" "sigaction" (func $sigaction (param i32 i32 i32) (result i32)))
    (import "wasmux" "kill" (func $kill (param i32 i32) (result i32)))
    (import "wasmux" "getpid" (func $getpid (param i32) (result i32)))
    (import "wasmux" "spawn" (func $spawn (param i32 i32) (result i32)))
    (import "wasmux" "waitpid" (func $waitpid (param i32 i32 i32 i32) (result i32)))
    (import "wasmux" "sigsuspend" (func $sigsuspend (param i32) (result i32)))
    (memory (export "memory") 1)
    (type $handler_type (func (param i32)))
    (table 2 funcref)
    (elem (i32.const 1) $handler)
    (global $caught (mut i32) (i32.const 0))
    (func $handler (param i32) (global.set $caught (local.get 0)))
    (func (export "__wasmux_signal_trampoline") (param i32 i32)
        (call_indirect (type $handler_type) (local.get 0) (local.get 1)))
    ;; handle(signal, flags): installs $handler for signal
    (func $handle (param i32 i32)
        (i32.store (i32.const 32) (i32.const 2))
        (i32.store (i32.const 36) (i32.const 1))
        (i64.store (i32.const 40) (i64.const 0))
        (i32.store (i32.const 48) (local.get 1))
        (if (call $sigaction (local.get 0) (i32.const 32) (i32.const 0)) (then unreachable)))
    ;; spawn_path(ptr, len): spawns the program at ptr, argv = [it]; returns pid
    (func $spawn_path (param i32 i32) (result i32)
        (memory.copy (i32.const 1024) (local.get 0) (local.get 1))
        (i32.store8 (i32.add (i32.const 1024) (local.get 1)) (i32.const 0))
        (memory.fill (i32.const 200) (i32.const 0) (i32.const 64))
        (i32.store (i32.const 200) (local.get 0))
        (i32.store (i32.const 204) (local.get 1))
        (i32.store (i32.const 208) (i32.const 1024))
        (i32.store (i32.const 212) (i32.add (local.get 1) (i32.const 1)))
        (if (call $spawn (i32.const 200) (i32.const 300)) (then unreachable))
        (i32.load (i32.const 300)))
    ;; wait_status(pid, options): waitpid, returns the status word
    (func $wait_status (param i32 i32) (result i32)
        (if (call $waitpid (local.get 0) (local.get 1) (i32.const 304) (i32.const 308)) (then unreachable))
        (i32.load (i32.const 304)))
"#;

const LOOPER: &str =
    r#"(module (memory (export "memory") 1) (func (export "_start") (loop br 0)))"#;

#[test]
fn a_handler_catches_a_signal_sent_to_self() {
    let mut kernel = testing::kernel();
    let program = format!(
        r#"(module {PRELUDE}
        (func (export "_start")
            (call $handle (i32.const 2) (i32.const 0))
            (drop (call $getpid (i32.const 400)))
            (if (call $kill (i32.load (i32.const 400)) (i32.const 2)) (then unreachable))
            (call $exit (global.get $caught))))"#
    );
    assert_eq!(
        exit_code(&mut kernel, &program),
        2,
        "the handler ran with SIGINT before kill returned"
    );
}

#[test]
fn a_busy_loop_dies_of_sigterm_and_sigkill() {
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/loop", &wasm(LOOPER), 0o755);
    let program = format!(
        r#"(module {PRELUDE}
        (data (i32.const 600) "/loop")
        (func (export "_start") (local $child i32) (local $status i32)
            (local.set $child (call $spawn_path (i32.const 600) (i32.const 5)))
            (drop (call $kill (local.get $child) (i32.const 15)))
            (local.set $status (call $wait_status (local.get $child) (i32.const 0)))
            (if (i32.ne (local.get $status) (i32.const 15)) (then (call $exit (i32.add (i32.const 100) (local.get $status)))))
            (local.set $child (call $spawn_path (i32.const 600) (i32.const 5)))
            (drop (call $kill (local.get $child) (i32.const 9)))
            (call $exit (call $wait_status (local.get $child) (i32.const 0)))))"#
    );
    assert_eq!(exit_code(&mut kernel, &program), 9);
}

#[test]
fn a_stopped_child_is_reported_continued_and_killed() {
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/loop", &wasm(LOOPER), 0o755);
    // Exit code: 1 if stop was reported, +2 if continue was, +4 if the kill was.
    let program = format!(
        r#"(module {PRELUDE}
        (data (i32.const 600) "/loop")
        (func (export "_start") (local $child i32) (local $score i32)
            (local.set $child (call $spawn_path (i32.const 600) (i32.const 5)))
            (drop (call $kill (local.get $child) (i32.const 19)))
            (if (i32.eq (call $wait_status (local.get $child) (i32.const 2)) (i32.const 0x137f))
                (then (local.set $score (i32.const 1))))
            (drop (call $kill (local.get $child) (i32.const 17)))
            (if (i32.eq (call $wait_status (local.get $child) (i32.const 8)) (i32.const 0xffff))
                (then (local.set $score (i32.add (local.get $score) (i32.const 2)))))
            (drop (call $kill (local.get $child) (i32.const 9)))
            (if (i32.eq (call $wait_status (local.get $child) (i32.const 0)) (i32.const 9))
                (then (local.set $score (i32.add (local.get $score) (i32.const 4)))))
            (call $exit (local.get $score))))"#
    );
    assert_eq!(exit_code(&mut kernel, &program), 7);
}

#[test]
fn sigsuspend_returns_eintr_after_the_sigchld_handler() {
    let mut kernel = testing::kernel();
    testing::install(
        &mut kernel,
        "/true",
        &wasm(r#"(module (memory (export "memory") 1) (func (export "_start")))"#),
        0o755,
    );
    let program = format!(
        r#"(module {PRELUDE}
        (data (i32.const 600) "/true")
        (func (export "_start") (local $errno i32)
            (call $handle (i32.const 16) (i32.const 0))
            (drop (call $spawn_path (i32.const 600) (i32.const 5)))
            (i64.store (i32.const 700) (i64.const 0))
            (local.set $errno (call $sigsuspend (i32.const 700)))
            ;; 27 = EINTR; caught = 16 = SIGCHLD
            (call $exit (i32.add (i32.mul (local.get $errno) (i32.const 100)) (global.get $caught)))))"#
    );
    assert_eq!(exit_code(&mut kernel, &program), 2716);
}

#[test]
fn a_handler_without_a_trampoline_kills_the_process_with_a_log_line() {
    let mut kernel = testing::kernel();
    let program = r#"(module
        (import "wasmux" "sigaction" (func $sigaction (param i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start")
            (i32.store (i32.const 32) (i32.const 2))
            (i32.store (i32.const 36) (i32.const 1))
            (drop (call $sigaction (i32.const 10) (i32.const 32) (i32.const 0)))
            (drop (call $raise (i32.const 10)))))"#;
    assert_eq!(exit_code(&mut kernel, program), 128 + 10);
    assert!(
        kernel
            .take_log()
            .iter()
            .any(|line| line.contains("SIGUSR1"))
    );
}

#[test]
fn sigkill_cannot_be_caught() {
    let mut kernel = testing::kernel();
    let program = format!(
        r#"(module {PRELUDE}
        (func (export "_start")
            (i32.store (i32.const 32) (i32.const 2))
            (i32.store (i32.const 36) (i32.const 1))
            (call $exit (call $sigaction (i32.const 9) (i32.const 32) (i32.const 0)))))"#
    );
    assert_eq!(exit_code(&mut kernel, &program), 28, "EINVAL");
}
