//! The references: the same work done by the host, in the same run.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::figure::median;

/// Median ms to spawn and wait for the host's /bin/true.
pub fn host_process_start_ms(runs: usize) -> f64 {
    let mut samples: Vec<f64> = (0..runs.max(5))
        .filter_map(|_| {
            let started = Instant::now();
            Command::new("/bin/true").status().ok()?;
            Some(started.elapsed().as_secs_f64() * 1e3)
        })
        .collect();
    median(&mut samples)
}

/// ns per host clock_gettime (through std's Instant).
pub fn host_clock_ns(count: u32) -> f64 {
    let started = Instant::now();
    let mut last = started;
    for _ in 0..count {
        last = std::hint::black_box(Instant::now());
    }
    let _ = last;
    started.elapsed().as_secs_f64() * 1e9 / f64::from(count)
}

/// MB/s writing then reading `chunks` × 64 KiB through std::fs in `dir`.
pub fn host_file_rw_mbps(dir: &Path, chunks: u32) -> f64 {
    let path = dir.join("reference-data");
    let buffer = vec![7u8; 65536];
    let started = Instant::now();
    let moved = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(&path)?;
        for _ in 0..chunks {
            file.write_all(&buffer)?;
        }
        file.seek(SeekFrom::Start(0))?;
        let mut back = vec![0u8; 65536];
        while file.read(&mut back)? > 0 {}
        Ok(())
    })();
    let elapsed = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&path);
    if moved.is_err() {
        return f64::NAN;
    }
    2.0 * f64::from(chunks) * 65536.0 / (1024.0 * 1024.0) / elapsed
}

/// ms node:wasi takes for `program`, less its start-up (timed on `hello`).
pub fn node_compute_ms(program: &Path, hello: &Path) -> Result<f64, String> {
    let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/run-node-wasi");
    let time = |wasm: &Path| -> Result<f64, String> {
        let started = Instant::now();
        let status = Command::new(&runner)
            .arg(wasm)
            .stdout(Stdio::null())
            .status()
            .map_err(|error| format!("node:wasi: {error}"))?;
        if !status.success() {
            return Err(format!("node:wasi failed on {}", wasm.display()));
        }
        Ok(started.elapsed().as_secs_f64() * 1e3)
    };
    let start_up = time(hello)?;
    let total = time(program)?;
    Ok((total - start_up).max(0.001))
}

/// MB/s through a host pipe into `cat`, in 64 KiB writes.
pub fn host_pipe_mbps(chunks: u32) -> Result<f64, String> {
    let buffer = vec![7u8; 65536];
    let started = Instant::now();
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|error| format!("cat: {error}"))?;
    let mut stdin = child.stdin.take().ok_or("cat has no stdin")?;
    for _ in 0..chunks {
        stdin
            .write_all(&buffer)
            .map_err(|error| error.to_string())?;
    }
    drop(stdin);
    child.wait().map_err(|error| error.to_string())?;
    Ok(f64::from(chunks) * 65536.0 / (1024.0 * 1024.0) / started.elapsed().as_secs_f64())
}

/// Median ms to spawn and wait for the host's `/bin/sh -c true` (dash or
/// bash: a shell's own start).
pub fn host_shell_start_ms(runs: usize) -> f64 {
    let mut samples: Vec<f64> = (0..runs.max(5))
        .filter_map(|_| {
            let started = Instant::now();
            Command::new("/bin/sh").args(["-c", "true"]).status().ok()?;
            Some(started.elapsed().as_secs_f64() * 1e3)
        })
        .collect();
    median(&mut samples)
}

/// ms for the host's /bin/sh to run `script` (its output discarded).
pub fn host_shell_script_ms(script: &str) -> Result<f64, String> {
    let started = Instant::now();
    let status = Command::new("/bin/sh")
        .args(["-c", script])
        .stdout(Stdio::null())
        .status()
        .map_err(|error| format!("host /bin/sh: {error}"))?;
    if !status.success() {
        return Err(format!("host /bin/sh -c {script:?}: {status}"));
    }
    Ok(started.elapsed().as_secs_f64() * 1e3)
}
