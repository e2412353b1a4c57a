//! The Command builder: output() captures stdout and stderr separately
//! (both larger than a pipe holds, so they must be read together), status()
//! inherits stdout, arguments and environment pass exactly (set, removed,
//! cleared), PATH lookup finds bare names or fails with ENOENT, and piped
//! stdin reaches the child.

use std::io::Write;

use abi::{check_eq, expect_errno, helper, ok, say};
use wasmux_sys::process::{Command, Stdio};
use wasmux_sys::{Errno, WaitStatus};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn main() {
    let output = ok(helper("both", &["300000"]).output(), "both");
    check_eq(output.status, WaitStatus::Exited(0), "status");
    check_eq(output.stdout.len(), 300_000, "stdout bytes");
    check_eq(output.stderr.len(), 300_000, "stderr bytes");
    check_eq(
        output.stdout.iter().all(|&b| b == b'o'),
        true,
        "stdout is stdout's",
    );
    check_eq(
        output.stderr.iter().all(|&b| b == b'e'),
        true,
        "stderr is stderr's",
    );
    say("output(): 300000 bytes each of stdout and stderr, kept apart");

    ok(std::io::stdout().flush(), "flush");
    let status = ok(helper("gen", &["2"]).status(), "status()");
    check_eq(status, WaitStatus::Exited(0), "status()");
    check_eq(
        ok(helper("exit", &["42"]).status(), "status()").code(),
        Some(42),
        "exit code",
    );
    say("status(): the child wrote to our stdout, exit codes come back");

    let output = ok(helper("args", &["with space", "", "ünï"]).output(), "args");
    check_eq(
        text(&output.stdout).as_str(),
        "\"with space\"\n\"\"\n\"ünï\"\n",
        "arguments",
    );
    say("arguments pass exactly");

    let output = ok(
        helper("env", &["ABI_SET", "ABI_GONE", "PATH"])
            .env("ABI_SET", "a=b")
            .env("ABI_GONE", "x")
            .env_remove("ABI_GONE")
            .output(),
        "env",
    );
    let inherited_path =
        std::env::var("PATH").map_or("PATH unset".to_string(), |path| format!("PATH={path}"));
    check_eq(
        text(&output.stdout),
        format!("ABI_SET=a=b\nABI_GONE unset\n{inherited_path}\n"),
        "set, removed, inherited",
    );
    let output = ok(
        helper("env", &["PATH", "ONLY"])
            .env_clear()
            .env("ONLY", "1")
            .output(),
        "env_clear",
    );
    check_eq(
        text(&output.stdout).as_str(),
        "PATH unset\nONLY=1\n",
        "cleared",
    );
    say("environment: set, removed, inherited and cleared");

    let output = ok(
        Command::new("abi_helper.wasm")
            .env("PATH", "/nowhere:/bin")
            .args(["exit", "0"])
            .output(),
        "PATH lookup",
    );
    check_eq(output.status, WaitStatus::Exited(0), "found through PATH");
    expect_errno(
        Command::new("no-such-program")
            .env("PATH", "/bin")
            .spawn()
            .map(|_| ()),
        Errno::NoEnt,
        "a name PATH does not have",
    );
    expect_errno(
        Command::new("/bin/nothing.wasm").spawn().map(|_| ()),
        Errno::NoEnt,
        "a missing path",
    );
    say("PATH lookup: found in the second directory; a missing name is ENOENT");

    let mut counter = ok(
        helper("count", &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn(),
        "spawn",
    );
    let mut input = counter
        .stdin
        .take()
        .unwrap_or_else(|| abi::fail("no stdin pipe"));
    ok(input.write_all(b"1\n2\n3\n"), "write stdin");
    drop(input);
    let output = ok(counter.wait_with_output(), "wait_with_output");
    check_eq(
        text(&output.stdout).as_str(),
        "3 lines, sum 6\n",
        "piped stdin",
    );
    let output = ok(helper("count", &[]).output(), "count with null stdin");
    check_eq(
        text(&output.stdout).as_str(),
        "0 lines, sum 0\n",
        "null stdin is empty",
    );
    say("piped stdin reaches the child; output() gives it an empty stdin");
}
