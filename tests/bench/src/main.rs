//! `wasmux-bench --programs DIR [--rootfs FILE] [--json FILE] [--quick]`:
//! the benchmark figures of the issues, each against a reference measured
//! in the same run. Run through `cargo xtask bench` (a release build); DIR
//! holds the guest programs `cargo xtask guests` builds (hello.wasm,
//! compute_sieve.wasm); FILE is the root filesystem of `cargo xtask rootfs`,
//! for the figures of the booted system (boot_prompt_ms, shell_loop_ratio).

// A measuring tool, not the kernel: a setup that fails is a bug in this
// tool, and stopping with its message is the right outcome.
#![allow(clippy::expect_used)]

mod booted;
mod figure;
mod guests;
mod references;
mod system;

use std::path::{Path, PathBuf};
use std::time::Instant;

use figure::{Figure, median};
use system::System;

struct Options {
    programs: PathBuf,
    /// The root filesystem archive, for the booted system's figures.
    rootfs: Option<PathBuf>,
    json: Option<PathBuf>,
    quick: bool,
    /// Measure only the figures whose name contains this.
    only: Option<String>,
}

fn parse() -> Result<Options, String> {
    let mut programs = None;
    let mut rootfs = None;
    let mut json = None;
    let mut quick = false;
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--programs" => programs = args.next().map(PathBuf::from),
            "--rootfs" => rootfs = args.next().map(PathBuf::from),
            "--json" => json = args.next().map(PathBuf::from),
            "--quick" => quick = true,
            "--only" => only = args.next(),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let programs = programs.ok_or(
        "usage: wasmux-bench --programs DIR [--rootfs FILE] [--json FILE] [--quick] [--only NAME]",
    )?;
    Ok(Options {
        programs,
        rootfs,
        json,
        quick,
        only,
    })
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    std::fs::read(dir.join(name)).map_err(|error| {
        format!(
            "{}: {error} (run `cargo xtask guests`)",
            dir.join(name).display()
        )
    })
}

const MIB: f64 = 1024.0 * 1024.0;

fn hello_start(options: &Options) -> Result<Figure, String> {
    let hello = read(&options.programs, "hello.wasm")?;
    let mut system = System::memfs();
    system.run(&hello, &["hello"]); // warm: compiled once, cached by content
    let runs = if options.quick { 20 } else { 200 };
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| system.run(&hello, &["hello"]).0.as_secs_f64() * 1e3)
        .collect();
    let reference = references::host_process_start_ms(runs);
    Ok(Figure::new(
        "hello_start_ms",
        median(&mut samples),
        "ms",
        reference,
        "host spawn+wait of /bin/true",
        "<= 2 ms",
    ))
}

fn syscall_cost(options: &Options) -> Figure {
    let count = if options.quick { 100_000 } else { 2_000_000 };
    let mut system = System::memfs();
    let (elapsed, _) = system.run(&guests::syscall_loop(count), &["syscalls"]);
    let value = elapsed.as_secs_f64() * 1e9 / f64::from(count);
    Figure::new(
        "syscall_ns",
        value,
        "ns",
        references::host_clock_ns(count),
        "host clock_gettime",
        "<= 1000 ns",
    )
}

fn vfs_rw(
    options: &Options,
    system: &mut System,
    name: &str,
    host_dir: &Path,
) -> Result<Figure, String> {
    let chunks = if options.quick { 128 } else { 1024 };
    let (elapsed, code) = system.run(&guests::file_write_read(chunks), &["rw"]);
    if code != 0 {
        return Err(format!("{name}: the file guest failed with {code}"));
    }
    let bytes = 2.0 * f64::from(chunks) * 65536.0;
    let value = bytes / MIB / elapsed.as_secs_f64();
    let reference = references::host_file_rw_mbps(host_dir, chunks);
    Ok(Figure::new(
        name,
        value,
        "MB/s",
        reference,
        "host std::fs, same pattern",
        ">= 1000 MB/s",
    ))
}

fn compute(options: &Options) -> Result<Figure, String> {
    let sieve = read(&options.programs, "compute_sieve.wasm")?;
    let hello = read(&options.programs, "hello.wasm")?;
    let mut system = System::memfs();
    let started = Instant::now();
    let (_, code) = system.run(&sieve, &["compute_sieve"]);
    let wasmux_ms = started.elapsed().as_secs_f64() * 1e3;
    if code != 0 {
        return Err(format!("compute_sieve failed with {code}"));
    }
    let v8_ms = references::node_compute_ms(
        &options.programs.join("compute_sieve.wasm"),
        &options.programs.join("hello.wasm"),
    )?;
    let _ = hello;
    Ok(Figure::new(
        "compute_ratio_vs_v8",
        wasmux_ms,
        "ms",
        v8_ms,
        "the same module on node:wasi (V8)",
        "report",
    ))
}

fn spawn_wait(options: &Options) -> Figure {
    let count = if options.quick { 50 } else { 500 };
    let mut system = System::memfs();
    system.install("/true", &guests::true_program());
    system.run(&guests::spawn_loop(1), &["warm"]);
    let (elapsed, _) = system.run(&guests::spawn_loop(count), &["spawner"]);
    let value = elapsed.as_secs_f64() * 1e3 / f64::from(count);
    Figure::new(
        "spawn_wait_ms",
        value,
        "ms",
        references::host_process_start_ms(count as usize / 5),
        "host spawn+wait of /bin/true",
        "<= 2 ms",
    )
}

fn pipe(options: &Options) -> Result<Figure, String> {
    let chunks = if options.quick { 256 } else { 4096 };
    let mut system = System::memfs();
    system.install("/reader", &guests::pipe_reader());
    let (elapsed, code) = system.run(&guests::pipe_writer(chunks), &["writer"]);
    if code != 0 {
        return Err(format!("the pipe guest failed with {code}"));
    }
    let value = f64::from(chunks) * 65536.0 / MIB / elapsed.as_secs_f64();
    let reference = references::host_pipe_mbps(chunks)?;
    Ok(Figure::new(
        "pipe_mbps",
        value,
        "MB/s",
        reference,
        "host pipe into cat, 64 KiB writes",
        ">= 1000 MB/s",
    ))
}

/// The booted system's disk, installed once for both of its figures.
fn warm_disk(options: &Options, scratch: &Path) -> Result<booted::Disk, String> {
    let rootfs = options
        .rootfs
        .as_ref()
        .ok_or("boot figures need --rootfs FILE (cargo xtask rootfs)")?;
    booted::Disk::install(rootfs, scratch)
}

fn boot_prompt(options: &Options, disk: &booted::Disk) -> Result<Figure, String> {
    let limit = std::time::Duration::from_secs(60);
    disk.boot_to_prompt(limit)?; // the disk's first boot after installing
    let runs = if options.quick { 3 } else { 15 };
    let mut samples = Vec::new();
    for _ in 0..runs {
        samples.push(disk.boot_to_prompt(limit)?.as_secs_f64() * 1e3);
    }
    Ok(Figure::new(
        "boot_prompt_ms",
        median(&mut samples),
        "ms",
        references::host_shell_start_ms(runs),
        "host spawn+wait of /bin/sh -c true",
        "<= 100 ms",
    ))
}

/// A loop of `count` external commands, as a shell script.
fn shell_loop_script(count: u32) -> String {
    format!("i=0; while [ $i -lt {count} ]; do /bin/true; i=$((i + 1)); done")
}

fn shell_loop(options: &Options, disk: &booted::Disk) -> Result<Figure, String> {
    let count = if options.quick { 100 } else { 1000 };
    let script = shell_loop_script(count);
    let limit = std::time::Duration::from_secs(600);
    let elapsed = disk.run_shell(&script, limit)?;
    Ok(Figure::new(
        "shell_loop_ratio",
        elapsed.as_secs_f64() * 1e3,
        "ms",
        references::host_shell_script_ms(&script)?,
        "the same loop under the host's /bin/sh",
        "report",
    ))
}

fn main() {
    let options = match parse() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("wasmux-bench: {message}");
            std::process::exit(2);
        }
    };
    let scratch = std::env::temp_dir().join(format!("wasmux-bench-{}", std::process::id()));
    let result = (|| -> Result<Vec<Figure>, String> {
        std::fs::create_dir_all(&scratch).map_err(|error| error.to_string())?;
        let mut figures = Vec::new();
        let wanted = |name: &str| {
            options
                .only
                .as_deref()
                .is_none_or(|only| name.contains(only))
        };
        let mut emit = |figure: Figure| {
            println!("{}", figure.line());
            figures.push(figure);
        };
        if wanted("hello_start_ms") {
            emit(hello_start(&options)?);
        }
        if wanted("syscall_ns") {
            emit(syscall_cost(&options));
        }
        if wanted("vfs_rw_mbps/memfs") {
            emit(vfs_rw(
                &options,
                &mut System::memfs(),
                "vfs_rw_mbps/memfs",
                &scratch,
            )?);
        }
        if wanted("vfs_rw_mbps/hostfs") {
            emit(vfs_rw(
                &options,
                &mut System::hostfs(&scratch),
                "vfs_rw_mbps/hostfs",
                &scratch,
            )?);
        }
        if wanted("compute_ratio_vs_v8") {
            emit(compute(&options)?);
        }
        if wanted("spawn_wait_ms") {
            emit(spawn_wait(&options));
        }
        if wanted("pipe_mbps") {
            emit(pipe(&options)?);
        }
        if wanted("boot_prompt_ms") || wanted("shell_loop_ratio") {
            match warm_disk(&options, &scratch) {
                Ok(disk) => {
                    // The booted system's figures need the whole userland: a
                    // piece missing or failing is reported, the rest still runs.
                    if wanted("boot_prompt_ms") {
                        match boot_prompt(&options, &disk) {
                            Ok(figure) => emit(figure),
                            Err(message) => eprintln!("wasmux-bench: boot_prompt_ms: {message}"),
                        }
                    }
                    if wanted("shell_loop_ratio") {
                        match shell_loop(&options, &disk) {
                            Ok(figure) => emit(figure),
                            Err(message) => eprintln!("wasmux-bench: shell_loop_ratio: {message}"),
                        }
                    }
                }
                Err(message) => eprintln!("wasmux-bench: no boot figures: {message}"),
            }
        }
        Ok(figures)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let figures = match result {
        Ok(figures) => figures,
        Err(message) => {
            eprintln!("wasmux-bench: {message}");
            std::process::exit(1);
        }
    };
    if let Some(path) = options.json {
        let json = serde_json::to_string_pretty(&figures).unwrap_or_default();
        if let Err(error) = std::fs::write(&path, json) {
            eprintln!("wasmux-bench: {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}
