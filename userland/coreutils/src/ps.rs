//! ps: the processes of /proc in procps' layouts. `ps` shows the caller's
//! session (PID TTY TIME CMD); `-e`/`-A` every process; `-f` the full
//! format (UID PID PPID C STIME TTY TIME CMD); BSD-style `aux` the user
//! format (USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND).
//!
//! Everything comes from `/proc/<pid>/{stat,status,cmdline,fd/0}`
//! (kernel/fs/src/procfs); [`read_processes`] takes the /proc directory as
//! a parameter so fixtures can stand in for it.

mod format;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

use crate::common::{text, usage_error};
pub use format::{Layout, render};

/// One process, as /proc shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    pub pgid: u32,
    pub sid: u32,
    /// The state letter (R S T Z).
    pub state: char,
    /// The command name (the second field of `/proc/<pid>/stat`).
    pub comm: String,
    /// CPU time used, in clock ticks (user + system).
    pub cpu_ticks: u64,
    /// Start time, in clock ticks after boot.
    pub start_ticks: u64,
    /// Virtual size in bytes.
    pub vsize: u64,
    /// Resident set in pages.
    pub rss_pages: u64,
    /// Effective user id (from status).
    pub uid: u32,
    /// The command line; empty for a zombie.
    pub args: Vec<String>,
    /// The terminal of its stdin ("console", "pts/0"), or "?".
    pub tty: String,
}

/// Clock ticks per second of /proc's times (USER_HZ).
pub const TICKS: u64 = 100;

/// Fills the fields of `/proc/<pid>/stat`'s line (proc(5)). The command
/// name is between the first "(" and the last ")", so names holding
/// spaces or parentheses parse. `None` for a malformed line.
pub fn parse_stat(line: &str) -> Option<Process> {
    let (head, rest) = line.split_once(" (")?;
    let close = rest.rfind(')')?;
    let comm = rest[..close].to_string();
    let fields: Vec<&str> = rest[close + 1..].split_whitespace().collect();
    let number = |index: usize| {
        fields
            .get(index)
            .and_then(|field| field.parse::<u64>().ok())
    };
    Some(Process {
        pid: head.trim().parse().ok()?,
        state: fields.first()?.chars().next()?,
        ppid: number(1)? as u32,
        pgid: number(2)? as u32,
        sid: number(3)? as u32,
        cpu_ticks: number(11)? + number(12)?,
        start_ticks: number(19)?,
        vsize: number(20).unwrap_or(0),
        rss_pages: number(21).unwrap_or(0),
        comm,
        ..Process::default()
    })
}

/// The effective uid of a `/proc/<pid>/status` text.
pub fn parse_status_uid(status: &str) -> Option<u32> {
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// ps's TTY column for the target of `/proc/<pid>/fd/0`.
pub fn tty_name(link: &str) -> String {
    match link.strip_prefix("/dev/") {
        Some(name) if name == "console" || name.starts_with("tty") || name.starts_with("pts/") => {
            name.to_string()
        }
        _ => "?".to_string(),
    }
}

/// Every process under `proc` (a /proc directory), by pid. Processes that
/// end while being read are left out.
pub fn read_processes(proc: &Path) -> io::Result<Vec<Process>> {
    let mut processes = Vec::new();
    for entry in std::fs::read_dir(proc)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|name| name.parse::<u32>().ok()) else {
            continue;
        };
        let dir = entry.path();
        let Some(mut process) = std::fs::read_to_string(dir.join("stat"))
            .ok()
            .and_then(|line| parse_stat(&line))
        else {
            continue;
        };
        process.pid = pid;
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        process.uid = parse_status_uid(&status).unwrap_or(0);
        let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
        process.args = cmdline
            .split(|&byte| byte == 0)
            .filter(|arg| !arg.is_empty())
            .map(|arg| String::from_utf8_lossy(arg).into_owned())
            .collect();
        let stdin = std::fs::read_link(dir.join("fd/0")).unwrap_or_default();
        process.tty = tty_name(&stdin.to_string_lossy());
        processes.push(process);
    }
    processes.sort_by_key(|process| process.pid);
    Ok(processes)
}

/// First number of a /proc text ("12.34 0.50" -> 12.34).
pub fn first_number(text: &str) -> Option<f64> {
    text.split_whitespace().next()?.parse().ok()
}

/// `ps [-e|-A] [-f] [-p PID[,PID]...]`, or BSD style `ps aux`.
pub fn main(args: Vec<OsString>) -> i32 {
    let (mut all, mut layout, mut pids) = (false, Layout::Default, Vec::new());
    let mut args = args.into_iter().skip(1).map(|arg| text(&arg));
    while let Some(arg) = args.next() {
        let (letters, bsd) = match arg.strip_prefix('-') {
            Some(letters) => (letters.to_string(), false),
            None => (arg.clone(), true),
        };
        for letter in letters.chars() {
            match (letter, bsd) {
                ('e' | 'A', false) | ('a' | 'x', true) => all = true,
                ('f', false) => layout = Layout::Full,
                ('u', true) => layout = Layout::User,
                ('w', _) => {}
                ('p', false) => {
                    let list = args.next().unwrap_or_default();
                    for pid in list.split([',', ' ']).filter(|pid| !pid.is_empty()) {
                        match pid.parse::<u32>() {
                            Ok(pid) => pids.push(pid),
                            Err(_) => {
                                return usage_error(
                                    "ps",
                                    &format!("process ID list syntax error: {pid}"),
                                    1,
                                );
                            }
                        }
                    }
                    break;
                }
                _ => {
                    return usage_error(
                        "ps",
                        &format!("unsupported option '{letter}' in '{arg}'"),
                        1,
                    );
                }
            }
        }
    }
    let processes = match read_processes(Path::new("/proc")) {
        Ok(processes) => processes,
        Err(error) => {
            eprintln!(
                "ps: /proc: {} (is /proc mounted?)",
                crate::common::reason(&error)
            );
            return 1;
        }
    };
    let session = wasmux_sys::getsid(0).ok();
    let shown: Vec<Process> = processes
        .into_iter()
        .filter(|p| {
            if pids.is_empty() {
                all || session.is_none_or(|sid| p.sid == sid)
            } else {
                pids.contains(&p.pid)
            }
        })
        .collect();
    let read = |path| std::fs::read_to_string(path).unwrap_or_default();
    let clock = format::Clock {
        now_seconds: (crate::time::now_nanos() / 1_000_000_000) as i64,
        uptime_seconds: first_number(&read("/proc/uptime")).unwrap_or(0.0),
        memory_kib: read("/proc/meminfo")
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok()),
    };
    let accounts = crate::users::Accounts::load();
    let table = render(&shown, layout, &clock, &accounts);
    let _ = io::stdout().lock().write_all(table.as_bytes());
    if !pids.is_empty() && shown.is_empty() {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
