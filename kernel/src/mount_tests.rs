//! /dev, /proc and /tmp as a booted system has them, read by real guests.

use crate::testing::{self, Capture};
use crate::{Kernel, RunState};

/// Opens `path` (relative to the root preopen, fd 3), copies up to 4 KiB of
/// it to stdout, exits 0 (or 100 + errno of the open).
fn cat(path: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
        (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "{path}")
        (func (export "_start") (local $errno i32)
            (local.set $errno (call $open (i32.const 3) (i32.const 1) (i32.const 100) (i32.const {len})
                (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200)))
            (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
            (i32.store (i32.const 300) (i32.const 1024))
            (i32.store (i32.const 304) (i32.const 4096))
            (drop (call $read (i32.load (i32.const 200)) (i32.const 300) (i32.const 1) (i32.const 308)))
            (i32.store (i32.const 304) (i32.load (i32.const 308)))
            (drop (call $write (i32.const 1) (i32.const 300) (i32.const 1) (i32.const 312)))))"#,
        len = path.len()
    ))
    .unwrap()
}

fn run(kernel: &mut Kernel, program: Vec<u8>, args: &[&str]) -> (i32, String) {
    let out = Capture::default();
    let mut spec = testing::spec_with_output(kernel, program, &out);
    spec.args = args.iter().map(|arg| arg.as_bytes().to_vec()).collect();
    let pid = kernel.spawn(spec).unwrap();
    while kernel.run() != RunState::Empty {}
    let code = kernel
        .take_deaths()
        .into_iter()
        .find(|d| d.pid == pid)
        .unwrap()
        .status
        .code();
    (code, out.text())
}

fn booted() -> Kernel {
    let mut kernel = testing::kernel();
    kernel.mount_system_filesystems().unwrap();
    kernel
}

#[test]
fn proc_self_cmdline_is_the_callers_arguments() {
    let mut kernel = booted();
    let (code, text) = run(
        &mut kernel,
        cat("proc/self/cmdline"),
        &["cat", "--flag", "x"],
    );
    assert_eq!(code, 0);
    assert_eq!(text, "cat\0--flag\0x\0");
}

#[test]
fn proc_self_status_names_the_process() {
    let mut kernel = booted();
    let (code, text) = run(&mut kernel, cat("proc/self/status"), &["/bin/reader"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("Name:\treader\n"), "{text}");
    assert!(text.contains("State:\tR"), "{text}");
}

#[test]
fn proc_mounts_lists_the_system_filesystems() {
    let mut kernel = booted();
    let (_, text) = run(&mut kernel, cat("proc/mounts"), &["cat"]);
    for line in ["/dev ", "proc /proc proc", " /tmp "] {
        assert!(text.contains(line), "{line:?} missing from {text}");
    }
}

#[test]
fn dev_zero_reads_zeros_and_dev_null_reads_nothing() {
    let mut kernel = booted();
    let (code, text) = run(&mut kernel, cat("dev/zero"), &["cat"]);
    assert_eq!(code, 0);
    assert_eq!(text.len(), 4096);
    assert!(text.bytes().all(|byte| byte == 0));
    let (code, text) = run(&mut kernel, cat("dev/null"), &["cat"]);
    assert_eq!((code, text.as_str()), (0, ""));
}

#[test]
fn dev_console_without_a_terminal_is_not_supported_and_with_one_opens() {
    let mut kernel = booted();
    let (code, _) = run(&mut kernel, cat("dev/console"), &["cat"]);
    assert_eq!(code, 100 + 58, "ENOTSUP while headless");
    kernel.attach_console(Box::new(wasmux_console::FakeTerminal::new()));
    kernel.console_input(b"typed\n");
    let (code, text) = run(&mut kernel, cat("dev/console"), &["cat"]);
    assert_eq!((code, text.as_str()), (0, "typed\n"));
}
