//! ps against /proc text in the kernel's formats (kernel/fs/src/procfs/render.rs).

use std::path::PathBuf;

use super::*;
use crate::users::Accounts;

/// A stat line as procfs renders it: pid, comm, state, ppid, pgid, sid,
/// utime ticks, start ticks, memory bytes.
fn stat_line(
    pid: u32,
    comm: &str,
    state: char,
    ids: (u32, u32, u32),
    utime: u64,
    start: u64,
    memory: u64,
) -> String {
    let (ppid, pgid, sid) = ids;
    format!(
        "{pid} ({comm}) {state} {ppid} {pgid} {sid} 0 -1 0 0 0 0 0 {utime} 0 0 0 20 0 1 0 {start} {memory} {} {}{} 17{}\n",
        memory / 4096,
        u64::MAX,
        " 0".repeat(12),
        " 0".repeat(14)
    )
}

struct Fixture(PathBuf);

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A /proc with init (pid 1), a shell (7) on the console and a zombie (9).
fn fixture(name: &str) -> Fixture {
    let root = std::env::temp_dir().join(format!("wasmux-ps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let process = |pid: u32, stat: String, uid: u32, cmdline: &[u8], stdin: Option<&str>| {
        let dir = root.join(pid.to_string());
        std::fs::create_dir_all(dir.join("fd")).unwrap();
        std::fs::write(dir.join("stat"), stat).unwrap();
        let status = format!(
            "Name:\tx\nState:\tS (sleeping)\nPid:\t{pid}\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n"
        );
        std::fs::write(dir.join("status"), status).unwrap();
        std::fs::write(dir.join("cmdline"), cmdline).unwrap();
        if let Some(target) = stdin {
            std::os::unix::fs::symlink(target, dir.join("fd/0")).unwrap();
        }
    };
    process(
        1,
        stat_line(1, "init", 'S', (0, 1, 1), 3, 0, 1 << 20),
        0,
        b"/sbin/init\0",
        None,
    );
    process(
        7,
        stat_line(7, "sh", 'R', (1, 7, 7), 6512, 150, 2 << 20),
        1000,
        b"/bin/sh\0-l\0",
        Some("/dev/console"),
    );
    process(
        9,
        stat_line(9, "my (odd) name", 'Z', (7, 7, 7), 0, 200, 0),
        1000,
        b"",
        Some("pipe:[3]"),
    );
    std::fs::create_dir_all(root.join("self")).unwrap();
    std::fs::write(root.join("uptime"), "100.00 90.00\n").unwrap();
    Fixture(root)
}

fn accounts() -> Accounts {
    Accounts::parse(
        "root:x:0:0::/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n",
        "",
    )
}

const CLOCK: format::Clock = format::Clock {
    now_seconds: 1_704_067_200 + 12 * 3600 + 100, // 2024-01-01 12:01:40, booted at 12:00:00
    uptime_seconds: 100.0,
    memory_kib: Some(65_536),
};

#[test]
fn stat_lines_parse_even_with_parentheses_in_the_name() {
    let process = parse_stat(&stat_line(9, "my (odd) name", 'Z', (7, 7, 7), 5, 200, 0)).unwrap();
    assert_eq!(
        (process.pid, process.comm.as_str(), process.state),
        (9, "my (odd) name", 'Z')
    );
    assert_eq!((process.ppid, process.pgid, process.sid), (7, 7, 7));
    assert_eq!((process.cpu_ticks, process.start_ticks), (5, 200));
    assert_eq!(parse_stat("garbage"), None);
}

#[test]
fn status_uid_and_tty_names() {
    assert_eq!(
        parse_status_uid("Name:\tsh\nUid:\t1000\t0\t0\t0\n"),
        Some(0)
    );
    assert_eq!(tty_name("/dev/console"), "console");
    assert_eq!(tty_name("/dev/pts/3"), "pts/3");
    assert_eq!(tty_name("pipe:[4]"), "?");
}

#[test]
fn processes_are_read_from_a_proc_directory_by_pid() {
    let proc = fixture("read");
    let processes = read_processes(&proc.0).unwrap();
    let pids: Vec<u32> = processes.iter().map(|p| p.pid).collect();
    assert_eq!(pids, [1, 7, 9]);
    assert_eq!(processes[1].args, ["/bin/sh", "-l"]);
    assert_eq!(
        (processes[1].uid, processes[1].tty.as_str()),
        (1000, "console")
    );
    assert!(processes[2].args.is_empty());
}

#[test]
fn default_layout_is_pid_tty_time_cmd() {
    let proc = fixture("default");
    let processes = read_processes(&proc.0).unwrap();
    assert_eq!(
        render(&processes, Layout::Default, &CLOCK, &accounts()),
        "  PID TTY          TIME CMD\n\
         \x20   1 ?        00:00:00 init\n\
         \x20   7 console  00:01:05 sh\n\
         \x20   9 ?        00:00:00 my (odd) name <defunct>\n"
    );
}

#[test]
fn full_layout_shows_users_parents_and_command_lines() {
    let proc = fixture("full");
    let processes = read_processes(&proc.0).unwrap();
    assert_eq!(
        render(&processes, Layout::Full, &CLOCK, &accounts()),
        "UID        PID  PPID  C STIME TTY          TIME CMD\n\
         root         1     0  0 12:00 ?        00:00:00 /sbin/init\n\
         user         7     1 66 12:00 console  00:01:05 /bin/sh -l\n\
         user         9     7  0 12:00 ?        00:00:00 [my (odd) name] <defunct>\n"
    );
}

#[test]
fn user_layout_shows_memory_and_state() {
    let proc = fixture("user");
    let processes = read_processes(&proc.0).unwrap();
    let table = render(&processes[..2], Layout::User, &CLOCK, &accounts());
    assert_eq!(
        table,
        "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n\
         root         1  0.0  1.6   1024  1024 ?        Ss   12:00   0:00 /sbin/init\n\
         user         7 66.1  3.1   2048  2048 console  Rs   12:00   1:05 /bin/sh -l\n"
    );
}
