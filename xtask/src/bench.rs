//! `cargo xtask bench`: times the compute benchmark (the guest program
//! compute_sieve) under `wasmux run` and under the reference runtimes measured in
//! the same run, best of three, and checks they all print the same answer.
//! `--json FILE` also writes the figures as JSON.

use std::time::{Duration, Instant};

use crate::command::run_captured;
use crate::{guests, project, wasmux_cli};

const RUNS: usize = 3;
const TIMEOUT: Duration = Duration::from_secs(600);

pub fn run(args: &[String]) -> Result<(), String> {
    let json_path = match args {
        [] => None,
        [flag, path] if flag == "--json" => Some(std::path::PathBuf::from(path)),
        _ => return Err("usage: cargo xtask bench [--json FILE]".into()),
    };
    let programs = guests::build()?;
    let program = programs
        .join("compute_sieve.wasm")
        .to_string_lossy()
        .into_owned();
    let mut runtimes: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(wasmux) = wasmux_cli::locate_or_build()? {
        runtimes.push((
            "wasmux run".into(),
            vec![wasmux.to_string_lossy().into_owned(), "run".into()],
        ));
    } else {
        eprintln!("notice: no wasmux CLI yet: timing the references only");
    }
    for (name, tool) in [
        ("wasmtime (Python bindings)", "run-wasmtime"),
        ("node:wasi", "run-node-wasi"),
    ] {
        runtimes.push((
            name.into(),
            vec![project::tool(tool).to_string_lossy().into_owned()],
        ));
    }

    let mut answer: Option<String> = None;
    let mut results = Vec::new();
    println!("compute_sieve (primes below 10,000,000, 14 rounds), best of {RUNS}:");
    for (name, command) in runtimes {
        let mut argv = command.clone();
        argv.push(program.clone());
        let mut best = Duration::MAX;
        for _ in 0..RUNS {
            let start = Instant::now();
            let run = run_captured(&argv, &project::root(), TIMEOUT)?;
            let elapsed = start.elapsed();
            if run.code != Some(0) {
                return Err(format!(
                    "{name}: exit {:?}: {}",
                    run.code,
                    run.stderr.trim()
                ));
            }
            match &answer {
                Some(expected) if expected != &run.stdout => {
                    return Err(format!(
                        "{name} printed {:?}, others {expected:?}",
                        run.stdout
                    ));
                }
                _ => answer = Some(run.stdout),
            }
            best = best.min(elapsed);
        }
        println!("  {name:<28} {:>8.3} s", best.as_secs_f64());
        results.push(serde_json::json!({ "runtime": name, "seconds": best.as_secs_f64() }));
    }
    if let Some(path) = json_path {
        let report = serde_json::json!({
            "benchmark": "compute_sieve",
            "arguments": "primes below 10,000,000, 14 rounds",
            "best_of": RUNS,
            "results": results,
        });
        let text = serde_json::to_string_pretty(&report).map_err(|error| error.to_string())?;
        std::fs::write(&path, text + "\n")
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    Ok(())
}
