//! The `wasmux` ABI end to end, through wasmux-sys: each program of
//! tests/programs/wasmux-abi runs on `wasmux run` with a fresh root and the
//! guest programs directory at /bin (where they find abi_helper.wasm and
//! coreutils.wasm to spawn), and must exit 0 with an exact transcript.
//! These programs import `wasmux`, so no reference runtime can run them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use wasmux_tests::{locate, process};

/// Runs `program` with `args`; panics with its output unless it exits 0
/// and prints exactly `expected`.
fn check(program: &str, args: &[&str], expected: &str) {
    check_within(program, args, expected, Duration::from_secs(120));
}

/// [`check`], with the run killed (and failed) after `limit`.
fn check_within(program: &str, args: &[&str], expected: &str, limit: Duration) {
    let Some(wasmux) = locate::wasmux() else {
        panic!("no wasmux CLI in the workspace to run {program}");
    };
    let path = locate::guest(program);
    // Children the programs spawn; built with them, checked for here.
    let bin = locate::guest("abi_helper")
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    locate::guest("coreutils");
    let sandbox = locate::scratch_dir(program);
    let mut argv = vec![
        wasmux.display().to_string(),
        "run".to_string(),
        "--dir".to_string(),
        format!("{}::/", sandbox.display()),
        "--dir".to_string(),
        format!("{}::/bin", bin.display()),
        path.display().to_string(),
    ];
    argv.extend(args.iter().map(|arg| arg.to_string()));
    let finished = process::run(&argv, b"", limit)
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", argv.join(" ")));
    let report = format!(
        "{program}: exit {:?}{}\n--- stdout ---\n{}--- stderr ---\n{}--- sandbox: {}",
        finished.code,
        if finished.timed_out {
            " (timed out)"
        } else {
            ""
        },
        finished.stdout,
        finished.stderr,
        sandbox.display()
    );
    assert_eq!(finished.code, Some(0), "{report}");
    assert_eq!(finished.stdout, expected, "{report}");
    let _ = std::fs::remove_dir_all(&sandbox);
}

#[test]
fn a_three_stage_pipeline_of_spawned_programs_delivers_exact_output() {
    check(
        "abi_pipeline",
        &[],
        concat!(
            "gen 30 | filter 3 | count: 10 lines, sum 165\n",
            "gen 12 | coreutils sort -r | coreutils cat: 9 8 7 6 5 4 3 2 12 11 10 1\n",
        ),
    );
}

#[test]
fn sigint_is_caught_when_sent_to_self_and_by_a_parent() {
    check(
        "abi_sigint",
        &[],
        concat!(
            "kill to self: caught by the flag handler\n",
            "raise twice: the handler ran twice\n",
            "blocked: pending, then delivered when unblocked\n",
            "kill from the parent: the child caught SIGINT and exited 0\n",
        ),
    );
}

#[test]
fn a_writer_without_readers_dies_of_sigpipe_or_gets_epipe_when_it_is_ignored() {
    check(
        "abi_sigpipe",
        &[],
        concat!(
            "writer without readers: killed by SIGPIPE\n",
            "SIGPIPE ignored: the write fails with EPIPE\n",
            "the ignored disposition is inherited: the child gets EPIPE and exits 3\n",
        ),
    );
}

#[test]
fn waitpid_reports_exits_signals_stops_and_continues() {
    check(
        "abi_wait",
        &[],
        concat!(
            "exit 7: exit status 7\n",
            "running: WNOHANG reports nothing\n",
            "SIGSTOP: stopped by SIGSTOP\n",
            "SIGCONT: continued\n",
            "SIGTERM: killed by SIGTERM\n",
            "waitpid(-1): both children reaped\n",
            "no children: ECHILD\n",
        ),
    );
}

#[test]
fn a_cpu_hog_does_not_starve_an_interactive_process() {
    check(
        "abi_hog",
        &[],
        concat!(
            "interactive child: five rounds within the bound beside a CPU hog\n",
            "hog: killed by SIGKILL\n",
        ),
    );
}

#[test]
fn exec_keeps_the_pid_and_the_fds_but_close_on_exec_ones() {
    check(
        "abi_exec",
        &[],
        concat!(
            "a failed exec returns ENOENT\n",
            "exec'ing the helper\n",
            "same pid after exec\n",
            "written through the kept fd\n",
            "close-on-exec fd closed\n",
            "after exec: the handler is reset, the ignored signal stays ignored\n",
        ),
    );
}

#[test]
fn process_groups_take_members_and_signals_reach_the_whole_group() {
    check(
        "abi_pgroup",
        &[],
        concat!(
            "own group and session: ok\n",
            "spawn into a new group, and into that group: ok\n",
            "setpgid on a child: ok\n",
            "SIGTERM to the group: all three members died, the parent did not get it\n",
            "spawn with setsid: the child leads a new session\n",
            "setsid by a group leader: EPERM\n",
            "setpgid on a process that is not a child: ESRCH\n",
        ),
    );
}

#[test]
fn chdir_moves_relative_paths_getcwd_and_children_together() {
    check(
        "abi_chdir",
        &[],
        concat!(
            "chdir /work: getcwd and std agree, relative paths follow\n",
            "relative chdir (sub, ..): ok\n",
            "failed chdir: ENOENT, ENOTDIR, directory unchanged\n",
            "a spawned child starts in /work/sub (kernel and std)\n",
            "spawn with current_dir(\"..\"): the child starts in /work\n",
        ),
    );
}

#[test]
fn sigint_to_a_child_process_group_reaches_the_child_only() {
    check(
        "abi_group_sigint",
        &[],
        "SIGINT to the child's group: caught by the child, not the parent\n",
    );
}

#[test]
fn command_captures_output_passes_arguments_and_environment_and_searches_path() {
    check(
        "abi_command",
        &[],
        concat!(
            "output(): 300000 bytes each of stdout and stderr, kept apart\n",
            "1\n2\n",
            "status(): the child wrote to our stdout, exit codes come back\n",
            "arguments pass exactly\n",
            "environment: set, removed, inherited and cleared\n",
            "PATH lookup: found in the second directory; a missing name is ENOENT\n",
            "piped stdin reaches the child; output() gives it an empty stdin\n",
        ),
    );
}

#[test]
fn fd_calls_and_identity_calls_behave_as_documented() {
    check(
        "abi_fds",
        &[],
        concat!(
            "identity: ABI version 1, ids, umask\n",
            "pipe: bytes through, O_CLOEXEC and O_NONBLOCK as asked\n",
            "non-blocking read of an empty pipe: EAGAIN\n",
            "dup, dup2, dup3: new fds, close-on-exec per fd, EBADF for closed ones\n",
        ),
    );
}

#[test]
fn handlers_interrupt_or_restart_calls_and_spawn_resets_them() {
    check(
        "abi_signal_rules",
        &[],
        concat!(
            "without SA_RESTART: a blocked read fails with EINTR after the handler\n",
            "with SA_RESTART: the read carries on after the handler\n",
            "SA_RESETHAND: handled once, then default\n",
            "blocking everything leaves SIGKILL and SIGSTOP unblocked\n",
            "a child's exit sends SIGCHLD\n",
            "spawn: the mask is inherited, or the one given\n",
            "spawn: handlers reset, ignored stays ignored unless defaulted\n",
        ),
    );
}

#[test]
fn waits_and_kills_reach_the_right_processes_and_init_adopts_orphans() {
    check(
        "abi_wait_scope",
        &[],
        concat!(
            "waitpid(0): only children in the caller's group\n",
            "waitpid(-pgid): that group's child\n",
            "kill(0): the caller's whole group\n",
            "an orphan runs on, adopted by init (this program), which reaps it\n",
            "256 KiB through two pipes and a child, intact\n",
        ),
    );
}

/// Regression: `wasmux run` returned only when every process had ended, so
/// a program that exits leaving a child running (one that sleeps forever)
/// never gave its status back.
#[test]
fn the_run_ends_when_the_program_exits_even_with_a_child_left_running() {
    check_within(
        "abi_leave_child",
        &[],
        "leaving a child behind\n",
        Duration::from_secs(20),
    );
}

#[test]
fn terminal_calls_on_fds_that_are_not_terminals_fail_with_enotty() {
    check(
        "abi_termios",
        &[],
        concat!(
            "stdin: not a terminal (ENOTTY)\n",
            "pipe: every terminal call is ENOTTY\n",
            "closed fd: EBADF\n",
        ),
    );
}

/// Regression: a caught signal during a preview1 sleep (poll_oneoff with a
/// clock) made it fail with EINTR, which wasi-libc turns into ENOTSUP and
/// std's `thread::sleep` aborts on. Such a poll is now made again after the
/// handler, with its deadline kept.
#[test]
fn a_caught_signal_during_std_sleep_does_not_end_the_program() {
    check(
        "abi_sleep_signal",
        &[],
        "a caught signal during std::thread::sleep: the sleep goes on\n",
    );
}

/// What a wasm module imports (module, name) and exports (names): enough
/// of the binary format to read the import and export sections.
fn imports_and_exports(bytes: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
    struct Reader<'a>(&'a [u8], usize);
    impl Reader<'_> {
        fn byte(&mut self) -> u8 {
            let byte = self.0[self.1];
            self.1 += 1;
            byte
        }
        fn leb(&mut self) -> u64 {
            let (mut value, mut shift) = (0u64, 0);
            loop {
                let byte = self.byte();
                value |= u64::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    return value;
                }
                shift += 7;
            }
        }
        fn name(&mut self) -> String {
            let len = self.leb() as usize;
            let name = String::from_utf8_lossy(&self.0[self.1..self.1 + len]).into_owned();
            self.1 += len;
            name
        }
        fn limits(&mut self) {
            let flags = self.byte();
            self.leb();
            if flags & 1 != 0 {
                self.leb();
            }
        }
    }
    assert_eq!(&bytes[..4], b"\0asm", "a wasm module");
    let mut reader = Reader(bytes, 8);
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    while reader.1 < bytes.len() {
        let id = reader.byte();
        let size = reader.leb() as usize;
        let end = reader.1 + size;
        match id {
            2 => {
                for _ in 0..reader.leb() {
                    let module = reader.name();
                    let name = reader.name();
                    match reader.byte() {
                        0 => drop(reader.leb()),
                        1 => {
                            reader.byte();
                            reader.limits();
                        }
                        2 => reader.limits(),
                        3 => reader.1 += 2,
                        kind => panic!("import kind {kind}"),
                    }
                    imports.push((module, name));
                }
            }
            7 => {
                for _ in 0..reader.leb() {
                    exports.push(reader.name());
                    reader.byte();
                    reader.leb();
                }
            }
            _ => {}
        }
        reader.1 = end;
    }
    (imports, exports)
}

/// The `wasmux` functions the kernel's table declares.
fn kernel_wasmux_functions() -> Vec<String> {
    let table = locate::repo_root().join("kernel/wasi/src/table.rs");
    let text = std::fs::read_to_string(&table)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", table.display()));
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("WASMUX "))
        .filter_map(|rest| rest.split('(').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_abi_program_exports_the_trampoline_and_imports_only_table_functions() {
    let known = kernel_wasmux_functions();
    assert!(
        known.contains(&"spawn".to_string()),
        "the table parses: {known:?}"
    );
    let dir: PathBuf = locate::guest("abi_helper")
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("the guest programs directory") {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        if !(name.starts_with("abi_") && name.ends_with(".wasm")) {
            continue;
        }
        let bytes = std::fs::read(&path).expect("a readable program");
        let (imports, exports) = imports_and_exports(&bytes);
        assert!(
            exports
                .iter()
                .any(|export| export == "__wasmux_signal_trampoline"),
            "{name} exports {exports:?}"
        );
        for (module, function) in &imports {
            assert!(
                module == "wasi_snapshot_preview1"
                    || (module == "wasmux" && known.contains(function)),
                "{name} imports {module}.{function}, which the kernel does not have"
            );
        }
        assert!(
            imports
                .iter()
                .any(|(module, function)| module == "wasmux" && function == "getcwd"),
            "{name}: the startup hook (which calls getcwd) is linked in"
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} abi programs in {}",
        dir.display()
    );
}
