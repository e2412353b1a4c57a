//! Processes that spawn, wait and exec, with hand-written guests.

use crate::testing::{self, Capture};
use crate::{Kernel, RunState};

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

fn run_to_end(kernel: &mut Kernel) {
    for _ in 0..10_000 {
        if kernel.run() == RunState::Empty {
            return;
        }
    }
    panic!("the system did not finish");
}

const EXIT_42: &str = r#"(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 42))))"#;

/// Spawns `path` with argv = [path], waits for it, exits with its exit code
/// (or 200 + errno of a failed spawn).
fn spawner(path: &str) -> String {
    format!(
        r#"(module
    (import "wasmux" "spawn" (func $spawn (param i32 i32) (result i32)))
    (import "wasmux" "waitpid" (func $waitpid (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 100) "{path}")
    (data (i32.const 120) "{path}\00")
    (func (export "_start") (local $errno i32)
        (i32.store (i32.const 200) (i32.const 100))
        (i32.store (i32.const 204) (i32.const {len}))
        (i32.store (i32.const 208) (i32.const 120))
        (i32.store (i32.const 212) (i32.const {len_nul}))
        (local.set $errno (call $spawn (i32.const 200) (i32.const 300)))
        (if (local.get $errno) (then (call $exit (i32.add (i32.const 200) (local.get $errno)))))
        (local.set $errno (call $waitpid (i32.const -1) (i32.const 0) (i32.const 304) (i32.const 308)))
        (if (local.get $errno) (then (call $exit (i32.add (i32.const 100) (local.get $errno)))))
        (if (i32.ne (i32.load (i32.const 300)) (i32.load (i32.const 308))) (then unreachable))
        (call $exit (i32.shr_u (i32.load (i32.const 304)) (i32.const 8)))))"#,
        len = path.len(),
        len_nul = path.len() + 1,
    )
}

fn exit_code_of_first_process(kernel: &mut Kernel, program: &str) -> i32 {
    let spec = testing::spec(kernel, wasm(program));
    let pid = kernel.spawn(spec).unwrap();
    run_to_end(kernel);
    let death = kernel
        .take_deaths()
        .into_iter()
        .find(|death| death.pid == pid)
        .unwrap();
    death.status.code()
}

#[test]
fn a_parent_spawns_a_child_and_reaps_its_exit_status() {
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/child", &wasm(EXIT_42), 0o755);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/child")),
        42
    );
}

#[test]
fn spawning_a_missing_or_non_executable_program_fails_cleanly() {
    let mut kernel = testing::kernel();
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/nothing")),
        200 + 44,
        "ENOENT"
    );
    testing::install(&mut kernel, "/data", &wasm(EXIT_42), 0o644);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/data")),
        200 + 2,
        "EACCES"
    );
    testing::install(&mut kernel, "/junk", b"not wasm at all", 0o755);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/junk")),
        200 + 45,
        "ENOEXEC"
    );
    assert!(kernel.take_log().iter().any(|line| line.contains("/junk")));
}

#[test]
fn a_script_runs_through_its_interpreter() {
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/interp", &wasm(EXIT_42), 0o755);
    testing::install(&mut kernel, "/script", b"#!/interp -x\nwhatever\n", 0o755);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/script")),
        42
    );
}

#[test]
fn waiting_without_children_is_echild() {
    let mut kernel = testing::kernel();
    let program = r#"(module
        (import "wasmux" "waitpid" (func $waitpid (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (func (export "_start")
            (call $exit (call $waitpid (i32.const -1) (i32.const 0) (i32.const 0) (i32.const 4)))))"#;
    assert_eq!(exit_code_of_first_process(&mut kernel, program), 12);
}

#[test]
fn exec_replaces_the_image_and_keeps_the_pid_and_fds() {
    let mut kernel = testing::kernel();
    // The new image writes "pid N" style proof: it prints via fd 1 that it runs.
    let printer = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasmux" "getpid" (func $getpid (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "new image\n")
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 10))
            (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (drop (call $getpid (i32.const 200)))
            (call $exit (i32.load (i32.const 200)))))"#;
    testing::install(&mut kernel, "/printer", &wasm(printer), 0o755);
    let execer = r#"(module
        (import "wasmux" "exec" (func $exec (param i32 i32 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "/printer")
        (data (i32.const 120) "printer\00")
        (func (export "_start")
            (call $exit (i32.add (i32.const 100)
                (call $exec (i32.const 100) (i32.const 8) (i32.const 120) (i32.const 8) (i32.const 0) (i32.const 0))))))"#;
    let out = Capture::default();
    let spec = testing::spec_with_output(&mut kernel, wasm(execer), &out);
    let pid = kernel.spawn(spec).unwrap();
    run_to_end(&mut kernel);
    let death = kernel.take_deaths().pop().unwrap();
    assert_eq!(death.pid, pid);
    assert_eq!(
        death.status.code(),
        pid.0 as i32,
        "the new image has the same pid"
    );
    assert_eq!(out.text(), "new image\n", "and the same stdout");
}

#[test]
fn a_rewritten_program_file_runs_its_new_code() {
    // Programs are remembered by file identity (inode, size, times): a
    // changed file must be read and compiled again.
    let mut kernel = testing::kernel();
    testing::install(&mut kernel, "/child", &wasm(EXIT_42), 0o755);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/child")),
        42
    );
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/child")),
        42,
        "from the cache"
    );
    let exit_7 = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (func $unused (result i32) (i32.const 1))
        (func (export "_start") (call $exit (i32.const 7))))"#;
    testing::install(&mut kernel, "/child", &wasm(exit_7), 0o755);
    assert_eq!(
        exit_code_of_first_process(&mut kernel, &spawner("/child")),
        7
    );
}
