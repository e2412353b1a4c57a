//! Pipes between processes, with hand-written guests.

use crate::testing;
use crate::{Kernel, RunState};

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

fn exit_code(kernel: &mut Kernel, program: &str) -> i32 {
    let spec = testing::spec(kernel, wasm(program));
    let pid = kernel.spawn(spec).unwrap();
    for _ in 0..100_000 {
        if kernel.run() == RunState::Empty {
            return kernel
                .take_deaths()
                .into_iter()
                .find(|d| d.pid == pid)
                .unwrap()
                .status
                .code();
        }
    }
    panic!("the system did not finish");
}

const WRITER: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 100) "hello through a pipe")
    (func (export "_start")
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 20))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

#[test]
fn a_child_writes_into_a_pipe_and_the_parent_reads_to_eof() {
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/writer", &wasm(WRITER), 0o755);
    // Parent: pipe; spawn /writer with DUP2 write end -> 1; close its write
    // end; read until EOF; exit with the byte count (20 expected).
    let program = r#"(module
        (import "wasmux" "pipe" (func $pipe (param i32 i32) (result i32)))
        (import "wasmux" "spawn" (func $spawn (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "/writer")
        (data (i32.const 120) "writer\00")
        (func (export "_start") (local $total i32) (local $n i32)
            (if (call $pipe (i32.const 0) (i32.const 0)) (then unreachable))
            ;; file action at 400: DUP2 source = write end -> fd 1
            (i32.store (i32.const 400) (i32.const 2))
            (i32.store (i32.const 404) (i32.const 1))
            (i32.store (i32.const 408) (i32.load (i32.const 4)))
            ;; request at 200
            (i32.store (i32.const 200) (i32.const 100))
            (i32.store (i32.const 204) (i32.const 7))
            (i32.store (i32.const 208) (i32.const 120))
            (i32.store (i32.const 212) (i32.const 7))
            (i32.store (i32.const 232) (i32.const 400))
            (i32.store (i32.const 236) (i32.const 1))
            (if (call $spawn (i32.const 200) (i32.const 300)) (then unreachable))
            (drop (call $close (i32.load (i32.const 4))))
            (i32.store (i32.const 500) (i32.const 1000))
            (i32.store (i32.const 504) (i32.const 64))
            (loop $more
                (if (call $read (i32.load (i32.const 0)) (i32.const 500) (i32.const 1) (i32.const 508)) (then unreachable))
                (local.set $n (i32.load (i32.const 508)))
                (local.set $total (i32.add (local.get $total) (local.get $n)))
                (br_if $more (local.get $n)))
            (call $exit (local.get $total))))"#;
    assert_eq!(exit_code(&mut kernel, program), 20);
}

#[test]
fn writing_to_a_pipe_without_readers_raises_sigpipe() {
    let mut kernel = testing::kernel();
    let program = r#"(module
        (import "wasmux" "pipe" (func $pipe (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start")
            (if (call $pipe (i32.const 0) (i32.const 0)) (then unreachable))
            (drop (call $close (i32.load (i32.const 0))))
            (i32.store (i32.const 16) (i32.const 100))
            (i32.store (i32.const 20) (i32.const 1))
            (drop (call $write (i32.load (i32.const 4)) (i32.const 16) (i32.const 1) (i32.const 24)))))"#;
    assert_eq!(exit_code(&mut kernel, program), 128 + 13);
}

#[test]
fn a_platform_pipe_carries_a_process_stdout_to_the_platform() {
    let mut kernel = testing::kernel();
    let (reader, writer) = kernel.pipe();
    let mut spec = testing::spec(&mut kernel, wasm(WRITER));
    spec.stdio[1] = writer;
    let pid = kernel.spawn(spec).unwrap();
    let mut buf = [0; 64];
    assert_eq!(
        reader.file.read(&mut buf),
        Err(wasmux_fs::FsError::WouldBlock)
    );
    while kernel.run() != RunState::Empty {}
    assert_eq!(kernel.take_deaths()[0].pid, pid);
    let count = reader.file.read(&mut buf).unwrap();
    assert_eq!(&buf[..count], b"hello through a pipe");
    assert_eq!(reader.file.read(&mut buf), Ok(0), "the writer is gone: EOF");
}
