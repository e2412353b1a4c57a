//! Small guests written in the text format, each timing one kernel path.

/// Calls clock_time_get `count` times.
pub fn syscall_loop(count: u32) -> Vec<u8> {
    wasm(&format!(
        r#"(module
        (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") (local $i i32)
            (loop $again
                (drop (call $time (i32.const 1) (i64.const 0) (i32.const 0)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $again (i32.lt_u (local.get $i) (i32.const {count}))))))"#
    ))
}

/// Writes `chunks` × 64 KiB to /data through fd 3 (the root), then reads it back.
pub fn file_write_read(chunks: u32) -> Vec<u8> {
    wasm(&format!(
        r#"(module
        (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 2)
        (data (i32.const 100) "data")
        (func (export "_start") (local $fd i32) (local $i i32)
            (if (call $open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 4) (i32.const 9)
                    (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 200))
                (then (call $exit (i32.const 1))))
            (local.set $fd (i32.load (i32.const 200)))
            (i32.store (i32.const 300) (i32.const 65536))
            (i32.store (i32.const 304) (i32.const 65536))
            (loop $write
                (if (call $write (local.get $fd) (i32.const 300) (i32.const 1) (i32.const 308)) (then (call $exit (i32.const 2))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $write (i32.lt_u (local.get $i) (i32.const {chunks}))))
            (drop (call $seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 400)))
            (loop $read
                (if (call $read (local.get $fd) (i32.const 300) (i32.const 1) (i32.const 308)) (then (call $exit (i32.const 3))))
                (br_if $read (i32.load (i32.const 308))))))"#
    ))
}

/// Exits at once.
pub fn true_program() -> Vec<u8> {
    wasm(r#"(module (memory (export "memory") 1) (func (export "_start")))"#)
}

/// Spawns /true and waits for it, `count` times.
pub fn spawn_loop(count: u32) -> Vec<u8> {
    wasm(&format!(
        r#"(module
        (import "wasmux" "spawn" (func $spawn (param i32 i32) (result i32)))
        (import "wasmux" "waitpid" (func $waitpid (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "/true")
        (data (i32.const 120) "true\00")
        (func (export "_start") (local $i i32)
            (i32.store (i32.const 200) (i32.const 100))
            (i32.store (i32.const 204) (i32.const 5))
            (i32.store (i32.const 208) (i32.const 120))
            (i32.store (i32.const 212) (i32.const 5))
            (loop $again
                (if (call $spawn (i32.const 200) (i32.const 300)) (then (call $exit (i32.const 1))))
                (if (call $waitpid (i32.const -1) (i32.const 0) (i32.const 304) (i32.const 308)) (then (call $exit (i32.const 2))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $again (i32.lt_u (local.get $i) (i32.const {count}))))))"#
    ))
}

/// Reads fd 0 in 64 KiB chunks until end of file.
pub fn pipe_reader() -> Vec<u8> {
    wasm(
        r#"(module
        (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 2)
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 65536))
            (i32.store (i32.const 4) (i32.const 65536))
            (loop $read
                (if (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (then (call $exit (i32.const 1))))
                (br_if $read (i32.load (i32.const 8))))))"#,
    )
}

/// Spawns /reader on the read end of a pipe and writes `chunks` × 64 KiB into it.
pub fn pipe_writer(chunks: u32) -> Vec<u8> {
    wasm(&format!(
        r#"(module
        (import "wasmux" "pipe" (func $pipe (param i32 i32) (result i32)))
        (import "wasmux" "spawn" (func $spawn (param i32 i32) (result i32)))
        (import "wasmux" "waitpid" (func $waitpid (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 2)
        (data (i32.const 100) "/reader")
        (data (i32.const 120) "reader\00")
        (func (export "_start") (local $i i32) (local $done i32)
            ;; both ends close on exec; the child gets the read end as fd 0
            (if (call $pipe (i32.const 0) (i32.const 524288)) (then (call $exit (i32.const 1))))
            (i32.store (i32.const 400) (i32.const 2))
            (i32.store (i32.const 404) (i32.const 0))
            (i32.store (i32.const 408) (i32.load (i32.const 0)))
            (i32.store (i32.const 200) (i32.const 100))
            (i32.store (i32.const 204) (i32.const 7))
            (i32.store (i32.const 208) (i32.const 120))
            (i32.store (i32.const 212) (i32.const 7))
            (i32.store (i32.const 232) (i32.const 400))
            (i32.store (i32.const 236) (i32.const 1))
            (if (call $spawn (i32.const 200) (i32.const 300)) (then (call $exit (i32.const 2))))
            (drop (call $close (i32.load (i32.const 0))))
            (loop $write
                (i32.store (i32.const 500) (i32.const 65536))
                (i32.store (i32.const 504) (i32.const 65536))
                (if (call $write (i32.load (i32.const 4)) (i32.const 500) (i32.const 1) (i32.const 508)) (then (call $exit (i32.const 3))))
                (local.set $done (i32.add (local.get $done) (i32.load (i32.const 508))))
                (if (i32.ge_u (local.get $done) (i32.const 65536))
                    (then (local.set $done (i32.sub (local.get $done) (i32.const 65536)))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))))
                (br_if $write (i32.lt_u (local.get $i) (i32.const {chunks}))))
            (drop (call $close (i32.load (i32.const 4))))
            (if (call $waitpid (i32.const -1) (i32.const 0) (i32.const 304) (i32.const 308)) (then (call $exit (i32.const 4))))))"#
    ))
}

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("a benchmark guest assembles")
}
