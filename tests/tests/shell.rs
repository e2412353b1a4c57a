//! /bin/sh (userland/sh) end to end: scripts run by the built shell
//! through `wasmux run --dir ROOT::/ ROOT/bin/sh -c SCRIPT`, with the shell
//! at /bin/sh (it starts child shells from there) and the userland's
//! coreutils linked as /bin/NAME, checking exact output and exit status.
//!
//! `wasmux run` gives the shell no terminal: interactive editing and job
//! control are checked on a booted system at the end (pseudo-terminal
//! sessions through tests/src/boot.rs's Machine).

use std::path::{Path, PathBuf};
use std::time::Duration;

use wasmux_tests::boot::Machine;
use wasmux_tests::locate;
use wasmux_tests::process::{self, Finished};

/// The coreutils every root gets as /bin/NAME.
const TOOLS: [&str; 16] = [
    "cat", "sort", "head", "tail", "wc", "tr", "cut", "uniq", "seq", "sleep", "ls", "mkdir",
    "basename", "env", "grep", "chmod",
];

/// A root directory for one test: /bin/sh, the tools, and files.
struct Root {
    dir: PathBuf,
}

fn link(from: &Path, to: &Path) {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to)
            .unwrap_or_else(|error| panic!("copy {} to {}: {error}", from.display(), to.display()));
    }
}

impl Root {
    fn new(label: &str) -> Root {
        let dir = locate::scratch_dir(&format!("shell-{label}")).join("root");
        for sub in ["bin", "tmp", "home/user"] {
            std::fs::create_dir_all(dir.join(sub))
                .unwrap_or_else(|error| panic!("root directory: {error}"));
        }
        link(&locate::userland("sh"), &dir.join("bin/sh"));
        let coreutils = locate::userland("coreutils");
        for tool in TOOLS {
            link(&coreutils, &dir.join("bin").join(tool));
        }
        Root { dir }
    }

    /// Writes `text` at `path` (relative to the root).
    fn file(self, path: &str, text: &str) -> Root {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|error| panic!("{error}"));
        }
        std::fs::write(&file, text).unwrap_or_else(|error| panic!("fixture: {error}"));
        self
    }

    /// Makes `path` (relative to the root) executable.
    fn executable(self, path: &str) -> Root {
        use std::os::unix::fs::PermissionsExt;
        let file = self.dir.join(path);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|error| panic!("chmod {}: {error}", file.display()));
        self
    }

    /// Runs the shell with `args` and `stdin`.
    fn run(&self, args: &[&str], stdin: &str) -> Finished {
        let Some(wasmux) = locate::wasmux() else {
            panic!("no wasmux CLI in the workspace to run the shell");
        };
        let mut argv = vec![
            wasmux.to_string_lossy().into_owned(),
            "run".to_string(),
            "--dir".to_string(),
            format!("{}::/", self.dir.display()),
            "--env".to_string(),
            "HOME=/home/user".to_string(),
            self.dir.join("bin/sh").to_string_lossy().into_owned(),
        ];
        argv.extend(args.iter().map(|arg| arg.to_string()));
        let finished = process::run(&argv, stdin.as_bytes(), Duration::from_secs(120))
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", argv.join(" ")));
        assert!(
            !finished.timed_out,
            "sh {args:?} timed out\n--- stdout ---\n{}--- stderr ---\n{}",
            finished.stdout, finished.stderr
        );
        finished
    }

    /// `sh -c SCRIPT`: asserts the status and the exact stdout; returns stderr.
    fn check(&self, script: &str, stdout: &str, status: i32) -> String {
        let finished = self.run(&["-c", script], "");
        let shown = format!(
            "sh -c {script:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            finished.stdout, finished.stderr
        );
        assert_eq!(finished.stdout, stdout, "stdout of {shown}");
        assert_eq!(finished.code, Some(status), "status of {shown}");
        finished.stderr
    }

    /// [`Root::check`] for a script that succeeds without a word on stderr.
    fn ok(&self, script: &str, stdout: &str) {
        let stderr = self.check(script, stdout, 0);
        assert_eq!(stderr, "", "stderr of sh -c {script:?}");
    }
}

#[test]
fn pipelines_connect_programs_and_builtins() {
    Root::new("pipelines").ok(
        "printf 'pear\\napple\\nfig\\napple\\n' | sort | uniq | head -n 2
         echo hello world | tr a-z A-Z
         seq 1 5 | while read n; do echo \"n=$n\"; done | tail -n 2
         echo one two | { read a b; echo \"$b $a\"; }
         { cat <<EOF; echo two; } | tr a-z A-Z
here $((1 + 1))
EOF
         ! false | cat; echo negated $?",
        "apple\nfig\nHELLO WORLD\nn=4\nn=5\ntwo one\nHERE 2\nTWO\nnegated 1\n",
    );
}

#[test]
fn a_pipeline_has_the_status_of_its_last_command_or_of_its_last_failure() {
    Root::new("pipefail").ok(
        "false | true; echo $?; true | false; echo $?
         set -o pipefail; false | true; echo $?",
        "0\n1\n1\n",
    );
}

#[test]
fn redirections_create_append_read_and_duplicate() {
    let root = Root::new("redirections");
    root.ok(
        "cd /tmp && echo one > f && echo two >> f && cat < f
         cat f /nonexistent > out 2>&1; echo status $?; wc -l < out
         { echo to-err >&2; } 2>&1 | tr a-z A-Z
         exec 3> saved; echo via three >&3; exec 3>&-; cat saved
         echo kept 2>/tmp/errors >&-; echo closed $?",
        "one\ntwo\nstatus 1\n3\nTO-ERR\nvia three\nclosed 1\n",
    );
    assert_eq!(
        std::fs::read_to_string(root.dir.join("tmp/out")).unwrap_or_default(),
        "one\ntwo\ncat: /nonexistent: No such file or directory\n"
    );
}

#[test]
fn here_documents_expand_unless_the_delimiter_is_quoted() {
    Root::new("heredocs").ok(
        "x=world
cat <<EOF
hello $x $((6 * 7)) \\$x
EOF
cat <<'EOF'
literal $x `cmd`
EOF
cat <<-EOF | tr a-z A-Z
\tindented $x
\tEOF
while read a b; do echo \"[$b|$a]\"; done <<END
1 2 3
4 5
END",
        "hello world 42 $x\nliteral $x `cmd`\nINDENTED WORLD\n[2 3|1]\n[5|4]\n",
    );
}

#[test]
fn a_script_file_with_functions_loops_and_case() {
    let script = r#"greet() {
    local greeting="hello"
    echo "$greeting, $1"
    return 3
}
total=0
for n in "$@"; do
    total=$((total + n))
done
i=0
while [ "$i" -lt 2 ]; do
    greet "number $i"
    echo "greet said $?"
    i=$((i + 1))
done
until [ "$i" -eq 0 ]; do i=$((i - 1)); done
for word in alpha beta gamma; do
    case "$word" in
        a*) continue ;;
        g*) break ;;
        *) echo "middle: $word" ;;
    esac
done
echo "total=$total args=$# name=$0 greeting=${greeting-unset}"
"#;
    let root = Root::new("script").file("home/user/script.sh", script);
    let finished = root.run(&["/home/user/script.sh", "1", "2", "3"], "");
    assert_eq!(
        finished.stdout,
        "hello, number 0\ngreet said 3\nhello, number 1\ngreet said 3\nmiddle: beta\n\
         total=6 args=3 name=/home/user/script.sh greeting=unset\n",
        "stderr: {}",
        finished.stderr
    );
    assert_eq!(finished.code, Some(0));
}

#[test]
fn command_substitution_captures_builtins_and_programs() {
    Root::new("substitution").ok(
        "x=$(echo inner; echo lines)
         echo \"[$x]\"
         n=$(printf 'b\\na\\nc\\n' | sort | head -n 1)
         echo \"first=$n\" `echo back quoted`
         echo \"nested=$(echo $(echo deep))\"
         big=$(seq 1 20000 | wc -l); echo \"lines=$big\"
         y=$(exit 7); echo \"status=$?\"
         z=$(cd /tmp; pwd); echo \"$z $(pwd)\"",
        "[inner\nlines]\nfirst=a back quoted\nnested=deep\nlines=20000\nstatus=7\n/tmp /\n",
    );
}

#[test]
fn globbing_matches_sorted_names_and_keeps_unmatched_patterns() {
    Root::new("glob")
        .file("tmp/g/b.txt", "")
        .file("tmp/g/a.txt", "")
        .file("tmp/g/c.log", "")
        .file("tmp/g/.hidden.txt", "")
        .file("tmp/g/sub/d.txt", "")
        .ok(
            "cd /tmp/g
             echo *.txt; echo [ac].*; echo ?.log; echo */*.txt; echo .*.txt
             echo none*; echo '*.txt' \"*\"; set -f; echo *.txt",
            "a.txt b.txt\na.txt c.log\nc.log\nsub/d.txt\n.hidden.txt\nnone*\n*.txt *\n*.txt\n",
        );
}

#[test]
fn parameter_expansion_and_arithmetic() {
    Root::new("parameters").ok(
        "path=/usr/lib/libc.so.6
         echo ${path##*/} ${path%/*} ${path%%.*} ${#path}
         echo ${unset:-default} ${unset:=assigned} $unset ${path:+set} \"${empty-}\"
         set -- 'a b' c; echo $# \"$1\" \"$@\"; for a in \"$@\"; do echo \"<$a>\"; done
         i=5; echo $((i * 2 + 1)) $((i > 3 ? 100 : 200)) $(( (i + 1) % 4 )) $((i++)) $i
         IFS=:; set -- $(echo x:y:z); echo $#; IFS=' '
         echo ~ ~/docs",
        "libc.so.6 /usr/lib /usr/lib/libc 18\ndefault assigned assigned set \n\
         2 a b a b c\n<a b>\n<c>\n11 100 2 5 6\n3\n/home/user /home/user/docs\n",
    );
}

#[test]
fn exit_statuses_and_errors_read_like_posix_shells() {
    let root = Root::new("statuses");
    let stderr = root.check(
        "false; echo $?; no_such_command; echo $?; ! true; echo $?; (exit 7); echo $?
         cat /missing 2>/tmp/errors; echo $?; exit 5",
        "1\n127\n1\n7\n1\n",
        5,
    );
    assert_eq!(stderr, "sh: no_such_command: not found\n");
    let root = root.file("bin/not-executable", "echo never\n");
    let stderr = root.check("not-executable; echo $?", "126\n", 0);
    assert_eq!(stderr, "sh: not-executable: Permission denied\n");
    let stderr = root.check("if true; then fi", "", 2);
    assert_eq!(stderr, "sh: syntax error near unexpected token `fi'\n");
    let stderr = root.check("echo before; echo 'unterminated", "", 2);
    assert!(stderr.contains("unterminated"), "{stderr}");
    let stderr = root.check("echo ${x?is required}; echo not reached", "", 1);
    assert_eq!(stderr, "sh: x: is required\n");
}

#[test]
fn set_e_stops_at_a_failure_outside_conditions() {
    Root::new("errexit").check(
        "set -e
         if false; then echo no; fi
         false || echo recovered
         ! true
         while false; do :; done
         f() { false; echo in-f; }; f && echo ran-f
         echo still here
         false
         echo not reached",
        "recovered\nin-f\nran-f\nstill here\n",
        1,
    );
}

#[test]
fn set_u_and_set_x() {
    let root = Root::new("nounset");
    let stderr = root.check("set -u; echo ${unset-ok}; echo $unset; echo no", "ok\n", 1);
    assert_eq!(stderr, "sh: unset: unbound variable\n");
    let stderr = root.check("set -x; a=1; echo \"$a\" 'two words'", "1 two words\n", 0);
    assert_eq!(stderr, "+ a=1\n+ echo 1 'two words'\n");
}

#[test]
fn subshells_and_groups_scope_their_changes() {
    Root::new("subshells").ok(
        "x=outer; (x=inner; cd /tmp; echo \"$x $(pwd)\"; exit 3); echo \"$? $x $(pwd)\"
         { x=group; cd /tmp; }; echo \"$x $(pwd)\"
         f() { echo \"f($*)\"; }; (f in subshell)
         trap 'echo parent trap' EXIT; (echo child); trap - EXIT",
        "inner /tmp\n3 outer /\ngroup /tmp\nf(in subshell)\nchild\n",
    );
}

#[test]
fn builtins_that_shape_the_session() {
    Root::new("builtins").ok(
        "cd /tmp; echo $PWD; cd /; cd - ; echo $OLDPWD
         export V=exported; env | grep -c '^V=exported$'; unset V; echo ${V-gone}
         alias ll='echo listing'
         ll there
         eval 'echo evaluated $((1 + 1))'
         type cd true ll | head -n 2; command -v echo
         printf '%s:%03d:%x\\n' a 7 255; printf '%-4s|\\n' ab
         echo -n no-newline; echo -e ' tab\\there'
         test -d /tmp && [ -f /bin/sh ] && [ abc != abd ] && [ 3 -lt 10 ] && echo tests pass
         read -r line <<'EOF'
keep \\backslash
EOF
         echo \"$line\"
         umask 027; umask; shift 0; echo done",
        "/tmp\n/tmp\n/\n1\ngone\nlisting there\nevaluated 2\ncd is a shell builtin\n\
         true is a shell builtin\necho\na:007:ff\nab  |\nno-newline tab\there\ntests pass\n\
         keep \\backslash\n0027\ndone\n",
    );
}

#[test]
fn background_jobs_and_wait() {
    Root::new("background").ok(
        "sleep 1 & pid=$!
         echo started
         wait $pid; echo \"sleep ended $?\"
         (exit 4) & wait $!; echo \"subshell ended $?\"
         { echo from-group; } & wait; echo all done",
        "started\nsleep ended 0\nsubshell ended 4\nfrom-group\nall done\n",
    );
}

#[test]
fn traps_run_on_signals_and_at_exit() {
    Root::new("traps").ok(
        "trap 'echo bye' EXIT
         trap 'echo got USR1' USR1
         kill -USR1 $$
         echo after
         trap - USR1; trap",
        "got USR1\nafter\ntrap -- 'echo bye' EXIT\nbye\n",
    );
}

#[test]
fn scripts_run_by_shebang_and_without_one() {
    let root = Root::new("shebang")
        .file("bin/greet", "#!/bin/sh\necho \"greet: $0 $*\"\n")
        .file("bin/plain", "echo \"plain script $1\"\nexit 4\n")
        .executable("bin/greet")
        .executable("bin/plain");
    let stderr = root.check(
        "greet a b; plain x; echo status $?; sh -c 'echo \"$0 $1\"' name arg",
        "greet: /bin/greet a b\nplain script x\nstatus 4\nname arg\n",
        0,
    );
    // The kernel logs why it could not load /bin/plain (ENOEXEC); the
    // shell itself says nothing: it ran the file as a script.
    assert!(
        !stderr.lines().any(|line| line.starts_with("sh: ")),
        "{stderr}"
    );
}

#[test]
fn commands_from_stdin_are_read_a_line_at_a_time() {
    let root = Root::new("stdin");
    let finished = root.run(
        &[],
        "read greeting\nhello there\necho \"got $greeting\"\nexit 6\n",
    );
    assert_eq!(finished.stdout, "got hello there\n", "{}", finished.stderr);
    assert_eq!(finished.code, Some(6));
}

#[test]
fn read_splits_fields_with_ifs() {
    Root::new("read").ok(
        "echo '  a  b c  ' | { read x y; echo \"[$x][$y]\"; }
         echo 'k1:k2:k3' | { IFS=: read p q; echo \"$p $q\"; }
         printf 'no newline' | { read r; echo \"$? $r\"; }",
        "[a][b c]\nk1 k2:k3\n1 no newline\n",
    );
}

/// Boots a system on a terminal and waits for its first prompt.
fn prompt(machine: &Machine) -> wasmux_tests::terminal::Terminal {
    let mut terminal = machine.terminal();
    expect(&mut terminal, "# ", Duration::from_secs(60));
    terminal
}

fn expect(terminal: &mut wasmux_tests::terminal::Terminal, text: &str, limit: Duration) {
    if let Err(message) = terminal.expect(text, limit) {
        panic!("{message}");
    }
}

const SHORT: Duration = Duration::from_secs(20);

#[test]
fn control_z_stops_a_job_and_fg_and_bg_continue_it() {
    let machine = Machine::new("shell-job-control");
    let mut terminal = prompt(&machine);
    terminal.send(b"sleep 30\r");
    std::thread::sleep(Duration::from_millis(800));
    terminal.send(b"\x1a");
    expect(
        &mut terminal,
        "[1]+  Stopped                 sleep 30",
        SHORT,
    );
    expect(&mut terminal, "# ", SHORT);
    // 128 + SIGTSTP, in WASI's numbering (19) which Wasmux uses.
    terminal.send(b"echo stopped $?; jobs\r");
    expect(&mut terminal, "stopped 147", SHORT);
    expect(
        &mut terminal,
        "[1]+  Stopped                 sleep 30",
        SHORT,
    );
    terminal.send(b"bg\r");
    expect(&mut terminal, "[1]+ sleep 30 &", SHORT);
    terminal.send(b"jobs\r");
    expect(
        &mut terminal,
        "[1]+  Running                 sleep 30 &",
        SHORT,
    );
    terminal.send(b"fg\r");
    expect(&mut terminal, "sleep 30\r\n", SHORT);
    std::thread::sleep(Duration::from_millis(500));
    terminal.send(b"\x03");
    expect(&mut terminal, "# ", SHORT);
    // ^C ends a loop too, not just the job it was running.
    terminal.send(b"while true; do sleep 10; done\r");
    std::thread::sleep(Duration::from_millis(800));
    terminal.send(b"\x03");
    expect(&mut terminal, "# ", SHORT);
    terminal.send(b"echo back $?; sleep 1 &\r");
    expect(&mut terminal, "back 130", SHORT);
    expect(&mut terminal, "[1] ", SHORT);
    std::thread::sleep(Duration::from_millis(1500));
    terminal.send(b"\r");
    expect(
        &mut terminal,
        "[1]+  Done                    sleep 1",
        SHORT,
    );
    terminal.send(b"exit\r");
    assert_eq!(terminal.wait(SHORT), Some(0), "{}", terminal.transcript());
}

#[test]
fn the_interactive_shell_continues_lines_and_survives_errors() {
    let machine = Machine::new("shell-continuation");
    let mut terminal = prompt(&machine);
    terminal.send(b"for i in 1 2\r");
    expect(&mut terminal, "> ", SHORT);
    terminal.send(b"do echo item$i; done\r");
    expect(&mut terminal, "item1\r\nitem2\r\n", SHORT);
    terminal.send(b"fi\r");
    expect(
        &mut terminal,
        "syntax error near unexpected token `fi'",
        SHORT,
    );
    terminal.send(b"echo $((40 + 2)) after\r");
    expect(&mut terminal, "42 after", SHORT);
    terminal.send(b"ec\t'completed'\r");
    expect(&mut terminal, "\r\ncompleted\r\n", SHORT);
    terminal.send(b"\x04");
    assert_eq!(terminal.wait(SHORT), Some(0), "{}", terminal.transcript());
}

#[test]
fn test_x_reads_the_execute_bits() {
    Root::new("test-x").ok(
        "echo 'echo hi' > /tmp/script; chmod 644 /tmp/script
         test -x /tmp/script && echo executable || echo not executable
         chmod 755 /tmp/script; [ -x /tmp/script ] && echo now executable
         [ -x /tmp/missing ] || echo missing is not",
        "not executable\nnow executable\nmissing is not\n",
    );
}
