//! A three-stage pipeline: `gen 30 | filter 3 | count`, each stage a
//! spawned process, connected by pipes the parent creates; then the same
//! shape through uutils (`gen 12 | coreutils sort -r | coreutils cat`, the
//! last found through PATH). Every stage must exit 0, and the
//! last stage's output must be exact: that needs each writer's end to be
//! closed everywhere (close-on-exec pipes) so the readers see end of file.

use std::io::Read;

use abi::{check, check_eq, fail, helper, ok, say};
use wasmux_sys::process::{Child, Command, Stdio};

fn take_stdout(child: &mut Child) -> std::fs::File {
    child
        .stdout
        .take()
        .unwrap_or_else(|| fail("a piped stdout is missing"))
}

fn finish(mut stages: Vec<Child>, last: &mut Child) -> String {
    let mut output = String::new();
    ok(
        take_stdout(last).read_to_string(&mut output),
        "read the last stage",
    );
    for (index, stage) in stages.iter_mut().chain([last]).enumerate() {
        let status = ok(stage.wait(), "wait");
        check(
            status.success(),
            &format!("stage {} ended with {status}", index + 1),
        );
    }
    output
}

fn main() {
    let mut generator = ok(
        helper("gen", &["30"]).stdout(Stdio::piped()).spawn(),
        "spawn gen",
    );
    let numbers = take_stdout(&mut generator);
    let mut filter = ok(
        helper("filter", &["3"])
            .stdin(numbers)
            .stdout(Stdio::piped())
            .spawn(),
        "spawn filter",
    );
    let multiples = take_stdout(&mut filter);
    let mut counter = ok(
        helper("count", &[])
            .stdin(multiples)
            .stdout(Stdio::piped())
            .spawn(),
        "spawn count",
    );
    let output = finish(vec![generator, filter], &mut counter);
    check_eq(
        output.as_str(),
        "10 lines, sum 165\n",
        "gen | filter | count",
    );
    say(&format!("gen 30 | filter 3 | count: {}", output.trim_end()));

    if !std::path::Path::new("/bin/coreutils.wasm").exists() {
        fail("/bin/coreutils.wasm is missing");
    }
    let mut generator = ok(
        helper("gen", &["12"]).stdout(Stdio::piped()).spawn(),
        "spawn gen",
    );
    let numbers = take_stdout(&mut generator);
    let mut sort = ok(
        Command::new("/bin/coreutils.wasm")
            .args(["sort", "-r"])
            .stdin(numbers)
            .stdout(Stdio::piped())
            .spawn(),
        "spawn sort",
    );
    let sorted = take_stdout(&mut sort);
    let mut cat = ok(
        Command::new("coreutils.wasm")
            .env("PATH", "/nowhere:/bin")
            .arg("cat")
            .stdin(sorted)
            .stdout(Stdio::piped())
            .spawn(),
        "spawn cat through PATH",
    );
    let output = finish(vec![generator, sort], &mut cat);
    let expected = "9 8 7 6 5 4 3 2 12 11 10 1";
    check_eq(
        output
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
        expected,
        "gen | sort -r | cat",
    );
    check(output.ends_with('\n'), "cat's output ends with a newline");
    say(&format!(
        "gen 12 | coreutils sort -r | coreutils cat: {expected}"
    ));
}
