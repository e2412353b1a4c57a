//! The `wasmux` command line's contract: version, exit statuses for a missing
//! file, an invalid module, a trap and proc_exit; stdio pass through. The
//! reference runners follow the same contract, so they run these too.

use wasmux_tests::{BOTH_REFERENCES, Runtime, Scenario, locate, process};

fn run_cli(args: &[&str]) -> Option<process::Finished> {
    let wasmux = locate::wasmux()?;
    let mut argv = vec![wasmux.to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|arg| arg.to_string()));
    Some(
        process::run(&argv, b"", std::time::Duration::from_secs(60))
            .unwrap_or_else(|error| panic!("wasmux runs: {error}")),
    )
}

#[test]
fn version_prints_name_and_version() {
    let Some(run) = run_cli(&["--version"]) else {
        return;
    };
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let words: Vec<&str> = run.stdout.split_whitespace().collect();
    assert!(
        words.len() == 2 && words[0] == "wasmux" && !words[1].is_empty(),
        "got {:?}",
        run.stdout
    );
}

#[test]
fn hello_world_prints_and_exits_zero() {
    Scenario::new("hello")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("hello, world\n")
        .check();
}

#[test]
fn proc_exit_status_becomes_exit_status() {
    Scenario::new("exit_code")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("exiting with status 3\n")
        .status(3)
        .check();
}

#[test]
fn trap_is_reported_and_fails() {
    Scenario::new("trap_unreachable")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("about to trap\n")
        .stderr_contains("unreachable")
        .fails()
        .check();
}

fn run_on_each(args_after_run: &[String]) -> Vec<(Runtime, process::Finished)> {
    let limit = std::time::Duration::from_secs(60);
    let mut commands = vec![
        (
            Runtime::Wasmtime,
            vec![locate::tool("run-wasmtime").to_string_lossy().into_owned()],
        ),
        (
            Runtime::NodeWasi,
            vec![locate::tool("run-node-wasi").to_string_lossy().into_owned()],
        ),
    ];
    if let Some(wasmux) = locate::wasmux() {
        commands.push((
            Runtime::Wasmux,
            vec![wasmux.to_string_lossy().into_owned(), "run".into()],
        ));
    }
    commands
        .into_iter()
        .map(|(runtime, mut argv)| {
            argv.extend(args_after_run.iter().cloned());
            let run = process::run(&argv, b"", limit);
            (
                runtime,
                run.unwrap_or_else(|error| panic!("{runtime} runs: {error}")),
            )
        })
        .collect()
}

#[test]
fn missing_program_exits_127() {
    let missing = locate::target_dir().join("wasmux-tests/no-such-program.wasm");
    for (runtime, run) in run_on_each(&[missing.to_string_lossy().into_owned()]) {
        assert_eq!(run.code, Some(127), "{runtime}: stderr {}", run.stderr);
    }
}

#[test]
fn invalid_module_exits_126() {
    let dir = locate::scratch_dir("invalid-module");
    let garbage = dir.join("garbage.wasm");
    std::fs::write(&garbage, b"\0asm\x01\0\0\0\x99 this is not a module").expect("write");
    for (runtime, run) in run_on_each(&[garbage.to_string_lossy().into_owned()]) {
        assert_eq!(run.code, Some(126), "{runtime}: stderr {}", run.stderr);
        assert!(
            !run.stderr.is_empty(),
            "{runtime}: an invalid module is explained on stderr"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn stdin_passes_through_to_the_program() {
    Scenario::new("stdin_echo")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdin(b"hello stdin\nsecond line\n")
        .stdout("HELLO STDIN\nSECOND LINE\n24 bytes, 2 lines\n")
        .check();
}

#[test]
fn empty_stdin_reads_as_end_of_file() {
    Scenario::new("stdin_echo")
        .no_root()
        .references(BOTH_REFERENCES)
        .stdout("0 bytes, 0 lines\n")
        .check();
}
