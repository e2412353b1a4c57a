//! procps' three layouts, as pure functions of the processes and the clock.

use super::{Process, TICKS};
use crate::time::{Civil, cpu_time};
use crate::users::Accounts;

/// Which columns ps prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// PID TTY TIME CMD
    Default,
    /// -f: UID PID PPID C STIME TTY TIME CMD
    Full,
    /// u: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
    User,
}

/// What the relative columns are computed against.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Clock {
    /// The wall clock, seconds since the epoch.
    pub now_seconds: i64,
    /// Seconds since boot (/proc/uptime).
    pub uptime_seconds: f64,
    /// MemTotal of /proc/meminfo in KiB, if the kernel reports it.
    pub memory_kib: Option<u64>,
}

impl Clock {
    /// Seconds since the epoch when a process that started `ticks` after boot started.
    fn started(&self, ticks: u64) -> i64 {
        let boot = self.now_seconds - self.uptime_seconds as i64;
        boot + (ticks / TICKS) as i64
    }

    /// ps's start column: "HH:MM" today, "MonDD" before.
    fn start_column(&self, ticks: u64) -> String {
        let (start, now) = (
            Civil::from_unix(self.started(ticks)),
            Civil::from_unix(self.now_seconds),
        );
        if start.date() == now.date() {
            format!("{:02}:{:02}", start.hour, start.minute)
        } else {
            start.month_day()
        }
    }

    /// Seconds a process has existed.
    fn age(&self, ticks: u64) -> f64 {
        (self.uptime_seconds - (ticks as f64) / (TICKS as f64)).max(0.0)
    }
}

/// The command with its arguments, "[name]" when there are none, and
/// "<defunct>" for a zombie.
fn command_line(process: &Process) -> String {
    if process.state == 'Z' {
        return format!("[{}] <defunct>", process.comm);
    }
    if process.args.is_empty() {
        return format!("[{}]", process.comm);
    }
    process.args.join(" ")
}

fn user(accounts: &Accounts, uid: u32) -> String {
    match accounts.user_name(uid) {
        Some(name) if name.len() <= 8 => name.to_string(),
        Some(name) => format!("{}+", &name[..7]),
        None => uid.to_string(),
    }
}

/// The table ps prints for `processes`, header included.
pub fn render(processes: &[Process], layout: Layout, clock: &Clock, accounts: &Accounts) -> String {
    let mut out = String::new();
    let time = |process: &Process| cpu_time(process.cpu_ticks / TICKS);
    match layout {
        Layout::Default => {
            out += "  PID TTY          TIME CMD\n";
            for p in processes {
                let name = if p.state == 'Z' {
                    format!("{} <defunct>", p.comm)
                } else {
                    p.comm.clone()
                };
                out += &format!("{:>5} {:<8} {:>8} {}\n", p.pid, p.tty, time(p), name);
            }
        }
        Layout::Full => {
            out += "UID        PID  PPID  C STIME TTY          TIME CMD\n";
            for p in processes {
                let percent = percent(p.cpu_ticks, clock.age(p.start_ticks)) as u64;
                out += &format!(
                    "{:<8} {:>5} {:>5} {:>2} {:<5} {:<8} {:>8} {}\n",
                    user(accounts, p.uid),
                    p.pid,
                    p.ppid,
                    percent.min(99),
                    clock.start_column(p.start_ticks),
                    p.tty,
                    time(p),
                    command_line(p)
                );
            }
        }
        Layout::User => {
            out += "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n";
            for p in processes {
                let rss_kib = p.rss_pages * 4;
                let memory = clock
                    .memory_kib
                    .filter(|&total| total > 0)
                    .map_or(0.0, |total| rss_kib as f64 * 100.0 / total as f64);
                let seconds = p.cpu_ticks / TICKS;
                out += &format!(
                    "{:<8} {:>5} {:>4.1} {:>4.1} {:>6} {:>5} {:<8} {:<4} {:>5} {:>3}:{:02} {}\n",
                    user(accounts, p.uid),
                    p.pid,
                    percent(p.cpu_ticks, clock.age(p.start_ticks)),
                    memory,
                    p.vsize / 1024,
                    rss_kib,
                    p.tty,
                    state_column(p),
                    clock.start_column(p.start_ticks),
                    seconds / 60,
                    seconds % 60,
                    command_line(p)
                );
            }
        }
    }
    out
}

/// CPU use over a process's life, in percent.
fn percent(cpu_ticks: u64, age_seconds: f64) -> f64 {
    if age_seconds <= 0.0 {
        return 0.0;
    }
    (cpu_ticks as f64 / TICKS as f64) * 100.0 / age_seconds
}

/// BSD's STAT: the state letter, "s" for a session leader, "+" in the
/// foreground group is not known here (no tpgid in /proc yet).
fn state_column(process: &Process) -> String {
    let mut column = process.state.to_string();
    if process.sid == process.pid {
        column.push('s');
    }
    column
}
