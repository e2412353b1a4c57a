//! `cargo xtask wasi-testsuite DIR [--runtime CMD] [--filter TEXT]
//! [--browser [--executor jit|interp]]`: runs the
//! official WASI preview1 testsuite (its prebuilt tests, not vendored here)
//! from a local checkout under `wasmux run`, or under CMD to check this runner
//! itself (`--runtime tools/run-wasmtime` passes every test).
//!
//! DIR is a checkout (tests/*/testsuite/wasm32-wasip1/ are used) or any directory
//! holding *.wasm tests with their .json specs. Each test gets a fresh temporary
//! copy of its root directory, is run as
//! `CMD --dir TMP::/ --env K=V... test.wasm args...`, and passes when its exit
//! code and (where the spec gives them) stdout and stderr match. With
//! `--browser`, in the page on both executors (or the one given) instead:
//! testsuite_web.rs.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::command::run_captured;
use crate::{testsuite_spec, wasmux_cli};

#[path = "testsuite_web.rs"]
mod web;

const TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug)]
struct Options {
    dir: PathBuf,
    runtime: Option<Vec<String>>,
    filter: Option<String>,
    /// `--browser`: the executors to run on.
    browser: Option<Vec<String>>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let usage = "usage: cargo xtask wasi-testsuite DIR [--runtime CMD] [--filter TEXT] \
                 [--browser [--executor jit|interp]]";
    let mut dir = None;
    let mut runtime = None;
    let mut filter = None;
    let mut browser = false;
    let mut executor = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--runtime" => {
                let command = rest.next().ok_or(usage)?;
                let mut words: Vec<String> =
                    command.split_whitespace().map(str::to_owned).collect();
                // A relative program path means relative to here, not to each test's scratch dir.
                if let Some(program) = words.first_mut().filter(|program| program.contains('/')) {
                    *program = absolute(Path::new(program.as_str()))
                        .to_string_lossy()
                        .into_owned();
                }
                runtime = Some(words);
            }
            "--filter" => filter = Some(rest.next().ok_or(usage)?.clone()),
            "--browser" => browser = true,
            "--executor" => match rest.next().map(String::as_str) {
                Some(name @ ("jit" | "interp")) => executor = Some(name.to_string()),
                _ => return Err(usage.into()),
            },
            _ if dir.is_none() && !arg.starts_with("--") => dir = Some(absolute(Path::new(arg))),
            _ => return Err(format!("unexpected argument {arg:?}\n{usage}")),
        }
    }
    if executor.is_some() && !browser {
        return Err(format!("--executor goes with --browser\n{usage}"));
    }
    let executors = match executor {
        Some(name) => vec![name],
        None => vec!["jit".to_string(), "interp".to_string()],
    };
    Ok(Options {
        dir: dir.ok_or(usage)?,
        runtime,
        filter,
        browser: browser.then_some(executors),
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    if let Some(executors) = &options.browser {
        let mut tests = find_tests(&options.dir)?;
        if let Some(filter) = &options.filter {
            tests.retain(|test| test.to_string_lossy().contains(filter.as_str()));
        }
        if tests.is_empty() {
            return Err(format!("no *.wasm tests under {}", options.dir.display()));
        }
        let named: Vec<(String, PathBuf)> = tests
            .into_iter()
            .map(|test| (display_name(&test), test))
            .collect();
        return web::run(&named, executors);
    }
    let runtime = match options.runtime {
        Some(command) if !command.is_empty() => command,
        _ => match wasmux_cli::locate_or_build()? {
            Some(wasmux) => vec![wasmux.to_string_lossy().into_owned(), "run".into()],
            None => return Err("the wasmux CLI does not exist yet: pass --runtime CMD".into()),
        },
    };
    let mut tests = find_tests(&options.dir)?;
    if let Some(filter) = &options.filter {
        tests.retain(|test| test.to_string_lossy().contains(filter.as_str()));
    }
    if tests.is_empty() {
        return Err(format!("no *.wasm tests under {}", options.dir.display()));
    }
    let scratch =
        std::env::temp_dir().join(format!("wasmux-wasi-testsuite-{}", std::process::id()));

    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (index, test) in tests.iter().enumerate() {
        let name = display_name(test);
        let work = scratch.join(index.to_string());
        match run_one(&runtime, test, &work) {
            Ok(None) => {
                passed += 1;
                println!("PASS {name}");
            }
            Ok(Some(reason)) if reason.starts_with("skip: ") => {
                skipped += 1;
                println!("SKIP {name}: {}", &reason[6..]);
            }
            Ok(Some(reason)) | Err(reason) => {
                failed += 1;
                println!("FAIL {name}: {reason}");
            }
        }
        let _ = fs::remove_dir_all(&work);
    }
    let _ = fs::remove_dir_all(&scratch);
    println!(
        "wasi-testsuite: {passed}/{} passed under {}",
        tests.len(),
        runtime.join(" ")
    );
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} wasi-testsuite tests failed"))
    }
}

/// Runs one test; Ok(None) when it passes, Ok(Some(reason)) when not.
fn run_one(runtime: &[String], test: &Path, work: &Path) -> Result<Option<String>, String> {
    let test_dir = test.parent().ok_or("a test without a directory")?;
    remove_cleanup_files(test_dir);
    let spec_text = fs::read_to_string(test.with_extension("json")).ok();
    let spec = testsuite_spec::parse(spec_text.as_deref())?;
    if let Some(reason) = spec.unsupported {
        return Ok(Some(format!("skip: {reason}")));
    }

    fs::create_dir_all(work)
        .map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let mut argv = runtime.to_vec();
    if let Some(root) = &spec.root {
        let copy = work.join("root");
        copy_tree(&test_dir.join(root), &copy)?;
        argv.push("--dir".into());
        argv.push(format!("{}::/", copy.display()));
    }
    for (key, value) in &spec.env {
        argv.push("--env".into());
        argv.push(format!("{key}={value}"));
    }
    argv.push(test.to_string_lossy().into_owned());
    argv.extend(spec.args.iter().cloned());

    let run = run_captured(&argv, work, TIMEOUT)?;
    let mut problems = Vec::new();
    if run.timed_out {
        problems.push(format!("timed out after {} s", TIMEOUT.as_secs()));
    } else if run.code != Some(spec.exit_code) {
        problems.push(format!(
            "exit code {:?}, expected {}",
            run.code, spec.exit_code
        ));
    }
    if let Some(expected) = &spec.stdout {
        if &run.stdout != expected {
            problems.push(format!("stdout {:?}, expected {expected:?}", run.stdout));
        }
    }
    if let Some(expected) = &spec.stderr {
        if &run.stderr != expected {
            problems.push(format!("stderr {:?}, expected {expected:?}", run.stderr));
        }
    }
    if problems.is_empty() {
        return Ok(None);
    }
    let stderr = run.stderr.trim();
    if !stderr.is_empty() && spec.stderr.is_none() {
        let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        problems.push(format!("stderr ends: {tail}"));
    }
    Ok(Some(problems.join("; ")))
}

/// The tests of a checkout (tests/*/testsuite/wasm32-wasip1/*.wasm) or, when
/// DIR has no tests/ folder, every *.wasm below DIR; sorted.
fn find_tests(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let suites = dir.join("tests");
    if suites.is_dir() {
        for suite in list(&suites)? {
            let prebuilt = suite.join("testsuite/wasm32-wasip1");
            if prebuilt.is_dir() {
                collect_wasm(&prebuilt, &mut found)?;
            }
        }
    } else {
        collect_wasm(dir, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn collect_wasm(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    for path in list(dir)? {
        if path.is_dir() {
            collect_wasm(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "wasm")
        {
            found.push(path);
        }
    }
    Ok(())
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    Ok(entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect())
}

/// "rust/fd_advise" for .../tests/rust/testsuite/wasm32-wasip1/fd_advise.wasm.
fn display_name(test: &Path) -> String {
    let stem = test
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suite = test
        .ancestors()
        .nth(3)
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned());
    match suite {
        Some(suite)
            if test
                .parent()
                .is_some_and(|parent| parent.ends_with("testsuite/wasm32-wasip1")) =>
        {
            format!("{suite}/{stem}")
        }
        _ => stem,
    }
}

/// The spec says to remove *.cleanup artifacts of earlier runs first.
fn remove_cleanup_files(dir: &Path) {
    for path in list(dir).unwrap_or_default() {
        if path
            .extension()
            .is_some_and(|extension| extension == "cleanup")
        {
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

/// Copies a directory tree, recreating symlinks as symlinks.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    let failed = |error: std::io::Error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    };
    fs::create_dir_all(to).map_err(failed)?;
    for entry in fs::read_dir(from).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(failed)?;
        if kind.is_symlink() {
            let link = fs::read_link(&source).map_err(failed)?;
            std::os::unix::fs::symlink(link, &target).map_err(failed)?;
        } else if kind.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            fs::copy(&source, &target).map_err(failed)?;
        }
    }
    Ok(())
}
