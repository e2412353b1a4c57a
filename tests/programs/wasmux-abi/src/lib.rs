//! Helpers for the wasmux ABI programs: checks that fail loudly, and where
//! the helper program is.
//!
//! The programs run on Wasmux only (they import the `wasmux` module), with
//! the guest programs' directory visible at /bin, so they spawn
//! `/bin/abi_helper.wasm` for the children they need. A failed check prints
//! `FAIL: <what>` on stderr and exits with status 1; stdout is a transcript
//! of deterministic facts (no pids, times or fd numbers).

use std::fmt::Debug;
use std::io::{self, BufRead, BufReader, Read};
use std::process;

use wasmux_sys::process::{Child, Command, Stdio};

/// The multicall helper every program spawns (abi_helper.rs lists its roles).
pub const HELPER: &str = "/bin/abi_helper.wasm";

/// Stops the program with a failure message and exit status 1.
pub fn fail(what: &str) -> ! {
    eprintln!("FAIL: {what}");
    process::exit(1)
}

/// Fails unless `condition` holds.
#[track_caller]
pub fn check(condition: bool, what: &str) {
    if !condition {
        fail(&format!("{what} (at {})", std::panic::Location::caller()));
    }
}

/// Fails unless `actual == expected`, showing both.
#[track_caller]
pub fn check_eq<T: PartialEq + Debug>(actual: T, expected: T, what: &str) {
    if actual != expected {
        fail(&format!(
            "{what}: got {actual:?}, expected {expected:?} (at {})",
            std::panic::Location::caller()
        ));
    }
}

/// Unwraps a result, failing with the error.
#[track_caller]
pub fn ok<T>(result: io::Result<T>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => fail(&format!(
            "{what}: {error} (at {})",
            std::panic::Location::caller()
        )),
    }
}

/// Fails unless the call failed with `expected`.
#[track_caller]
pub fn expect_errno<T: Debug>(result: io::Result<T>, expected: wasmux_sys::Errno, what: &str) {
    match result {
        Err(error) if wasmux_sys::is_errno(&error, expected) => {}
        other => fail(&format!(
            "{what}: {other:?}, expected {expected:?} (at {})",
            std::panic::Location::caller()
        )),
    }
}

/// Prints a transcript line on stdout.
pub fn say(line: &str) {
    println!("{line}");
}

/// A command running the helper in `role` with `args`.
pub fn helper(role: &str, args: &[&str]) -> Command {
    let mut command = Command::new(HELPER);
    command.arg(role).args(args);
    command
}

/// Spawns the helper with its stdout piped to the caller.
#[track_caller]
pub fn spawn_piped(role: &str, args: &[&str]) -> (Child, BufReader<std::fs::File>) {
    let mut child = ok(
        helper(role, args).stdout(Stdio::piped()).spawn(),
        &format!("spawn helper {role}"),
    );
    let Some(stdout) = child.stdout.take() else {
        fail("a piped stdout is missing")
    };
    (child, BufReader::new(stdout))
}

/// Reads one line (without its newline); fails at end of file.
#[track_caller]
pub fn read_line(reader: &mut impl BufRead, what: &str) -> String {
    let mut line = String::new();
    if ok(reader.read_line(&mut line), what) == 0 {
        fail(&format!("{what}: end of file"));
    }
    line.trim_end_matches('\n').to_string()
}

/// Waits for the child's "ready" line, then sends it `signal`.
#[track_caller]
pub fn kill_when_ready(child: &Child, stdout: &mut impl BufRead, signal: wasmux_sys::Signal) {
    check_eq(
        read_line(stdout, "child ready").as_str(),
        "ready",
        "the child says",
    );
    ok(
        wasmux_sys::kill(child.id() as i32, signal),
        &format!("SIG{} to the child", signal.name()),
    );
}

/// Reads everything that is left.
#[track_caller]
pub fn read_rest(reader: &mut impl Read, what: &str) -> String {
    let mut text = String::new();
    ok(reader.read_to_string(&mut text), what);
    text
}
