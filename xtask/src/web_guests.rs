//! The browser benchmark's guests, written into the site's bench/ folder:
//! the native benchmark's own (tests/bench/src/guests.rs, included as is),
//! hello.wasm from the guest programs, and three compute kernels in the
//! text format that run unchanged on Wasmux and on the browser's engine
//! (their only import is proc_exit), the reference of web_compute_ratio.

use std::path::Path;

#[allow(dead_code, clippy::expect_used)]
#[path = "../../tests/bench/src/guests.rs"]
mod bench_guests;

/// 64 KiB chunks the file and pipe figures move (64 MiB).
pub const CHUNKS: u32 = 1024;

/// clock_time_get calls the syscall guest makes.
pub const SYSCALLS: u32 = 100_000;

/// Recursive fib(30): calls and branches.
const FIB: &str = r#"(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func $fib (param $n i32) (result i32)
        (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
            (then (local.get $n))
            (else (i32.add
                (call $fib (i32.sub (local.get $n) (i32.const 1)))
                (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
    (func (export "_start")
        (i32.store (i32.const 0) (call $fib (i32.const FIB_N)))
        (call $exit (i32.const 0))))"#;

/// A sieve of Eratosthenes below 2^21, four times: memory traffic.
const SIEVE: &str = r#"(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 33)
    (func (export "_start") (local $round i32) (local $i i32) (local $j i32) (local $count i32)
        (loop $rounds
            (memory.fill (i32.const 0) (i32.const 0) (i32.const 2097152))
            (local.set $count (i32.const 0))
            (local.set $i (i32.const 2))
            (loop $outer
                (if (i32.eqz (i32.load8_u (local.get $i)))
                    (then
                        (local.set $count (i32.add (local.get $count) (i32.const 1)))
                        (local.set $j (i32.add (local.get $i) (local.get $i)))
                        (block $done
                            (loop $inner
                                (br_if $done (i32.ge_u (local.get $j) (i32.const 2097152)))
                                (i32.store8 (local.get $j) (i32.const 1))
                                (local.set $j (i32.add (local.get $j) (local.get $i)))
                                (br $inner)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $outer (i32.lt_u (local.get $i) (i32.const 2097152))))
            (local.set $round (i32.add (local.get $round) (i32.const 1)))
            (br_if $rounds (i32.lt_u (local.get $round) (i32.const SIEVE_ROUNDS))))
        (i32.store (i32.const 0) (local.get $count))
        (call $exit (i32.const 0))))"#;

/// SHA-256-like mixing of eight words, 4 million rounds: arithmetic.
const MIX: &str = r#"(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start")
        (local $a i32) (local $b i32) (local $c i32) (local $d i32)
        (local $e i32) (local $f i32) (local $g i32) (local $h i32)
        (local $t i32) (local $n i32)
        (local.set $a (i32.const 0x6a09e667)) (local.set $b (i32.const 0xbb67ae85))
        (local.set $c (i32.const 0x3c6ef372)) (local.set $d (i32.const 0xa54ff53a))
        (local.set $e (i32.const 0x510e527f)) (local.set $f (i32.const 0x9b05688c))
        (local.set $g (i32.const 0x1f83d9ab)) (local.set $h (i32.const 0x5be0cd19))
        (loop $round
            (local.set $t (i32.add (i32.add (local.get $h)
                (i32.xor (i32.rotr (local.get $e) (i32.const 6))
                    (i32.xor (i32.rotr (local.get $e) (i32.const 11)) (i32.rotr (local.get $e) (i32.const 25)))))
                (i32.add (i32.xor (i32.and (local.get $e) (local.get $f))
                    (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))) (local.get $n))))
            (local.set $h (local.get $g)) (local.set $g (local.get $f)) (local.set $f (local.get $e))
            (local.set $e (i32.add (local.get $d) (local.get $t)))
            (local.set $d (local.get $c)) (local.set $c (local.get $b)) (local.set $b (local.get $a))
            (local.set $a (i32.add (local.get $t)
                (i32.xor (i32.rotr (local.get $a) (i32.const 2)) (i32.rotr (local.get $a) (i32.const 13)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br_if $round (i32.lt_u (local.get $n) (i32.const MIX_ROUNDS))))
        (i32.store (i32.const 0) (i32.xor (local.get $a) (local.get $h)))
        (call $exit (i32.const 0))))"#;

/// The compute kernels at a size: (fib's n, sieve's rounds, mix's rounds).
/// The interpreter's figure runs the small ones; the jit's the large ones,
/// which run long enough on the engine (50-100 ms) that a process's start
/// is not what is measured.
const SMALL: (u32, u32, u32) = (30, 4, 4_000_000);
const LARGE: (u32, u32, u32) = (34, 32, 32_000_000);

/// The three kernels at `size`, named with `suffix`.
fn kernels(size: (u32, u32, u32), suffix: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let (fib, sieve, mix) = size;
    Ok(vec![
        (
            format!("fib{suffix}.wasm"),
            wat(&FIB.replace("FIB_N", &fib.to_string()))?,
        ),
        (
            format!("sieve{suffix}.wasm"),
            wat(&SIEVE.replace("SIEVE_ROUNDS", &sieve.to_string()))?,
        ),
        (
            format!("mix{suffix}.wasm"),
            wat(&MIX.replace("MIX_ROUNDS", &mix.to_string()))?,
        ),
    ])
}

fn wat(text: &str) -> Result<Vec<u8>, String> {
    wat::parse_str(text).map_err(|error| format!("a benchmark guest does not assemble: {error}"))
}

/// Writes every guest into `dir` (created); `programs` holds hello.wasm.
pub fn write(dir: &Path, programs: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let hello = std::fs::read(programs.join("hello.wasm"))
        .map_err(|error| format!("{}/hello.wasm: {error}", programs.display()))?;
    let mut guests: Vec<(String, Vec<u8>)> = kernels(SMALL, "")?;
    guests.extend(kernels(LARGE, "-large")?);
    let others = [
        ("file.wasm", bench_guests::file_write_read(CHUNKS)),
        ("true.wasm", bench_guests::true_program()),
        ("writer.wasm", bench_guests::pipe_writer(CHUNKS)),
        ("reader.wasm", bench_guests::pipe_reader()),
        ("hello.wasm", hello),
        ("syscall.wasm", bench_guests::syscall_loop(SYSCALLS)),
    ];
    guests.extend(others.map(|(name, bytes)| (name.to_owned(), bytes)));
    for (name, bytes) in guests {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}
