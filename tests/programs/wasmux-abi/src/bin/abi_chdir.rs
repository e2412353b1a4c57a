//! The working directory: chdir moves the kernel's and std's together, so
//! relative opens follow; getcwd agrees; failed changes change nothing;
//! children start where the parent is (or in `current_dir`), for std too
//! (wasmux-sys's startup hook copies the kernel's directory into wasi-libc).

use std::path::Path;

use abi::{check_eq, expect_errno, helper, ok, say};
use wasmux_sys::{Errno, chdir, getcwd};

fn cwd_is(expected: &str, what: &str) {
    check_eq(ok(getcwd(), "getcwd").as_path(), Path::new(expected), what);
    check_eq(
        ok(std::env::current_dir(), "current_dir").as_path(),
        Path::new(expected),
        what,
    );
}

fn child_pwd(command: &mut wasmux_sys::process::Command) -> String {
    let output = ok(command.output(), "spawn pwd");
    check_eq(output.status.code(), Some(0), "pwd status");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn main() {
    cwd_is("/", "at start");
    ok(std::fs::create_dir_all("/work/sub"), "mkdir /work/sub");
    ok(std::fs::write("/work/file", "a file\n"), "write /work/file");

    ok(chdir("/work"), "chdir /work");
    cwd_is("/work", "after chdir /work");
    ok(
        std::fs::write("sub/relative.txt", "written relative\n"),
        "relative write",
    );
    let back = ok(
        std::fs::read_to_string("/work/sub/relative.txt"),
        "absolute read",
    );
    check_eq(
        back.as_str(),
        "written relative\n",
        "the relative path resolved in /work",
    );
    say("chdir /work: getcwd and std agree, relative paths follow");

    ok(chdir("sub"), "chdir sub");
    cwd_is("/work/sub", "after a relative chdir");
    check_eq(
        ok(std::fs::read_to_string("relative.txt"), "read").as_str(),
        "written relative\n",
        "read",
    );
    ok(chdir(".."), "chdir ..");
    cwd_is("/work", "after chdir ..");
    say("relative chdir (sub, ..): ok");

    expect_errno(
        chdir("missing"),
        Errno::NoEnt,
        "chdir to a missing directory",
    );
    expect_errno(chdir("file"), Errno::NotDir, "chdir to a file");
    cwd_is("/work", "after failed changes");
    say("failed chdir: ENOENT, ENOTDIR, directory unchanged");

    ok(chdir("sub"), "chdir sub");
    check_eq(
        child_pwd(&mut helper("pwd", &[])).as_str(),
        "kernel cwd: /work/sub\nstd cwd: /work/sub\n",
        "a child inherits the directory",
    );
    say("a spawned child starts in /work/sub (kernel and std)");
    check_eq(
        child_pwd(helper("pwd", &[]).current_dir("..")).as_str(),
        "kernel cwd: /work\nstd cwd: /work\n",
        "current_dir, relative to the parent's",
    );
    say("spawn with current_dir(\"..\"): the child starts in /work");
    ok(chdir("/"), "chdir /");
    cwd_is("/", "back at the root");
}
