//! Jobs: the pipelines the shell started and has not forgotten yet, their
//! processes' last reported states, and how `jobs` and the notifications
//! show them. Waiting and the terminal are in `control.rs`.

mod control;

use std::collections::VecDeque;

use wasmux_sys::{Signal, WaitStatus};

pub use control::Terminal;

/// One process of a job, with the last state `waitpid` reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub status: Option<WaitStatus>,
}

impl Process {
    pub fn finished(&self) -> bool {
        matches!(
            self.status,
            Some(WaitStatus::Exited(_) | WaitStatus::Signaled { .. })
        )
    }

    fn stopped(&self) -> Option<Signal> {
        match self.status {
            Some(WaitStatus::Stopped(signal)) => Some(signal),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Running,
    Stopped(Signal),
    /// Every process ended; the status of the last one.
    Done(WaitStatus),
}

#[derive(Clone, Debug)]
pub struct Job {
    pub id: usize,
    /// Its process group, when job control gave it one.
    pub pgid: Option<u32>,
    pub processes: Vec<Process>,
    /// The command as `jobs` shows it.
    pub text: String,
    pub background: bool,
    /// The state last reported to the user.
    pub reported: Option<State>,
}

impl Job {
    pub fn state(&self) -> State {
        if self.processes.iter().all(Process::finished) {
            let last = self
                .processes
                .last()
                .and_then(|process| process.status)
                .unwrap_or(WaitStatus::Exited(0));
            return State::Done(last);
        }
        let running = self
            .processes
            .iter()
            .any(|process| !process.finished() && process.stopped().is_none());
        match self.processes.iter().find_map(Process::stopped) {
            Some(signal) if !running => State::Stopped(signal),
            _ => State::Running,
        }
    }

    /// The job's status as `$?`: its last process's, or with `pipefail`
    /// the last non-zero one.
    pub fn status(&self, pipefail: bool) -> i32 {
        let mut codes = self
            .processes
            .iter()
            .map(|process| process.status.map_or(0, WaitStatus::shell_code));
        if pipefail {
            codes.rfind(|&code| code != 0).unwrap_or(0)
        } else {
            codes.next_back().unwrap_or(0)
        }
    }

    /// The pid `$!` names: the last process's.
    pub fn last_pid(&self) -> Option<u32> {
        self.processes.last().map(|process| process.pid)
    }
}

/// How a state reads in `jobs` and notifications.
pub fn describe(state: State) -> String {
    match state {
        State::Running => "Running".to_string(),
        State::Stopped(_) => "Stopped".to_string(),
        State::Done(WaitStatus::Exited(0)) => "Done".to_string(),
        State::Done(WaitStatus::Exited(code)) => format!("Exit {code}"),
        State::Done(WaitStatus::Signaled {
            signal,
            core_dumped,
        }) => {
            let mut text = crate::traps::describe_signal(signal).to_string();
            if core_dumped {
                text.push_str(" (core dumped)");
            }
            text
        }
        State::Done(other) => other.to_string(),
    }
}

/// The shell's jobs, and finished background statuses kept for `wait`.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    jobs: Vec<Job>,
    /// Most recent last: `%+` is the last, `%-` the one before.
    order: Vec<usize>,
    /// pid and status of background processes already forgotten as jobs.
    finished: VecDeque<(u32, i32)>,
}

/// How many finished background statuses `wait PID` can still find.
const FINISHED_KEPT: usize = 1024;

impl Jobs {
    /// Adds a job of the given processes; returns its number.
    pub fn add(
        &mut self,
        pgid: Option<u32>,
        pids: &[u32],
        text: String,
        background: bool,
    ) -> usize {
        let id = self.jobs.iter().map(|job| job.id).max().unwrap_or(0) + 1;
        self.jobs.push(Job {
            id,
            pgid,
            processes: pids
                .iter()
                .map(|&pid| Process { pid, status: None })
                .collect(),
            text,
            background,
            reported: None,
        });
        self.touch(id);
        id
    }

    /// Makes `id` the current job (`%+`).
    pub fn touch(&mut self, id: usize) {
        self.order.retain(|&other| other != id);
        self.order.push(id);
    }

    /// Records a state change of `pid`; false if no job has it.
    pub fn record(&mut self, pid: u32, status: WaitStatus) -> bool {
        for job in &mut self.jobs {
            if let Some(process) = job.processes.iter_mut().find(|process| process.pid == pid) {
                process.status = match status {
                    WaitStatus::Continued => None,
                    status => Some(status),
                };
                return true;
            }
        }
        false
    }

    pub fn get(&self, id: usize) -> Option<&Job> {
        self.jobs.iter().find(|job| job.id == id)
    }

    pub fn get_mut(&mut self, id: usize) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|job| job.id == id)
    }

    /// Forgets a job; its finished processes' statuses stay for `wait`.
    pub fn remove(&mut self, id: usize) -> Option<Job> {
        let index = self.jobs.iter().position(|job| job.id == id)?;
        let job = self.jobs.remove(index);
        self.order.retain(|&other| other != id);
        if job.background {
            for process in &job.processes {
                if let Some(status) = process.status.filter(|_| process.finished()) {
                    self.finished.push_back((process.pid, status.shell_code()));
                    if self.finished.len() > FINISHED_KEPT {
                        self.finished.pop_front();
                    }
                }
            }
        }
        Some(job)
    }

    /// The status of a forgotten background process.
    pub fn finished_status(&self, pid: u32) -> Option<i32> {
        self.finished
            .iter()
            .rev()
            .find(|(finished, _)| *finished == pid)
            .map(|&(_, status)| status)
    }

    /// Job numbers, lowest first.
    pub fn ids(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self.jobs.iter().map(|job| job.id).collect();
        ids.sort_unstable();
        ids
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn current(&self) -> Option<usize> {
        self.order.last().copied()
    }

    pub fn previous(&self) -> Option<usize> {
        self.order.iter().rev().nth(1).copied()
    }

    /// `+`, `-` or ` `: how `jobs` marks the current and previous job.
    pub fn mark(&self, id: usize) -> char {
        if self.current() == Some(id) {
            '+'
        } else if self.previous() == Some(id) {
            '-'
        } else {
            ' '
        }
    }

    /// The job with this process.
    pub fn with_pid(&self, pid: u32) -> Option<usize> {
        self.jobs
            .iter()
            .find(|job| job.processes.iter().any(|process| process.pid == pid))
            .map(|job| job.id)
    }

    /// Finds a job by `%n`, `%+`, `%%`, `%-`, `%name` (its command starts
    /// so) or `%?text` (its command contains it).
    pub fn find(&self, spec: &str) -> Result<usize, String> {
        let no_such = || format!("{spec}: no such job");
        let Some(spec_body) = spec.strip_prefix('%') else {
            return Err(no_such());
        };
        match spec_body {
            "" | "+" | "%" => self.current().ok_or_else(no_such),
            "-" => self.previous().ok_or_else(no_such),
            number if number.bytes().all(|b| b.is_ascii_digit()) => {
                let id: usize = number.parse().map_err(|_| no_such())?;
                self.get(id).map(|job| job.id).ok_or_else(no_such)
            }
            text => {
                let (contains, text) = match text.strip_prefix('?') {
                    Some(text) => (true, text),
                    None => (false, text),
                };
                let matches: Vec<usize> = self
                    .jobs
                    .iter()
                    .filter(|job| {
                        if contains {
                            job.text.contains(text)
                        } else {
                            job.text.starts_with(text)
                        }
                    })
                    .map(|job| job.id)
                    .collect();
                match matches.as_slice() {
                    [id] => Ok(*id),
                    [] => Err(no_such()),
                    _ => Err(format!("{spec}: ambiguous job spec")),
                }
            }
        }
    }

    /// A line as `jobs` prints it: `[1]+  Stopped                 sleep 10`.
    pub fn line(&self, job: &Job, state: State) -> String {
        let mut text = job.text.clone();
        if state == State::Running && job.background {
            text.push_str(" &");
        }
        format!(
            "[{}]{}  {:<24}{}",
            job.id,
            self.mark(job.id),
            describe(state),
            text
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs_with(pids: &[&[u32]]) -> Jobs {
        let mut jobs = Jobs::default();
        for (index, pids) in pids.iter().enumerate() {
            jobs.add(Some(pids[0]), pids, format!("job{}", index + 1), true);
        }
        jobs
    }

    #[test]
    fn a_job_is_done_when_every_process_ended() {
        let mut jobs = jobs_with(&[&[10, 11]]);
        assert_eq!(jobs.get(1).unwrap().state(), State::Running);
        jobs.record(11, WaitStatus::Exited(3));
        assert_eq!(jobs.get(1).unwrap().state(), State::Running);
        jobs.record(10, WaitStatus::Exited(0));
        let job = jobs.get(1).unwrap();
        assert_eq!(job.state(), State::Done(WaitStatus::Exited(3)));
        assert_eq!((job.status(false), job.status(true)), (3, 3));
    }

    #[test]
    fn stopped_only_once_nothing_runs_and_continued_runs_again() {
        let mut jobs = jobs_with(&[&[10, 11]]);
        jobs.record(10, WaitStatus::Stopped(Signal::Tstp));
        assert_eq!(jobs.get(1).unwrap().state(), State::Running);
        jobs.record(11, WaitStatus::Stopped(Signal::Tstp));
        assert_eq!(jobs.get(1).unwrap().state(), State::Stopped(Signal::Tstp));
        jobs.record(10, WaitStatus::Continued);
        jobs.record(11, WaitStatus::Continued);
        assert_eq!(jobs.get(1).unwrap().state(), State::Running);
    }

    #[test]
    fn pipefail_takes_the_last_failure() {
        let mut jobs = jobs_with(&[&[1, 2, 3]]);
        jobs.record(1, WaitStatus::Exited(4));
        jobs.record(
            2,
            WaitStatus::Signaled {
                signal: Signal::Pipe,
                core_dumped: false,
            },
        );
        jobs.record(3, WaitStatus::Exited(0));
        let job = jobs.get(1).unwrap();
        assert_eq!((job.status(false), job.status(true)), (0, 141));
    }

    #[test]
    fn specs_find_jobs() {
        let mut jobs = jobs_with(&[&[10], &[20], &[30]]);
        jobs.get_mut(2).unwrap().text = "sleep 100".into();
        assert_eq!(jobs.find("%+"), Ok(3));
        assert_eq!(jobs.find("%%"), Ok(3));
        assert_eq!(jobs.find("%-"), Ok(2));
        assert_eq!(jobs.find("%1"), Ok(1));
        assert_eq!(jobs.find("%sleep"), Ok(2));
        assert_eq!(jobs.find("%?100"), Ok(2));
        assert_eq!(jobs.find("%job"), Err("%job: ambiguous job spec".into()));
        assert_eq!(jobs.find("%9"), Err("%9: no such job".into()));
        jobs.touch(1);
        assert_eq!((jobs.mark(1), jobs.mark(3), jobs.mark(2)), ('+', '-', ' '));
    }

    #[test]
    fn lines_read_like_other_shells() {
        let mut jobs = jobs_with(&[&[10]]);
        jobs.get_mut(1).unwrap().text = "sleep 10".into();
        let job = jobs.get(1).unwrap().clone();
        assert_eq!(
            jobs.line(&job, State::Stopped(Signal::Tstp)),
            "[1]+  Stopped                 sleep 10"
        );
        assert_eq!(
            jobs.line(&job, State::Running),
            "[1]+  Running                 sleep 10 &"
        );
        assert_eq!(
            jobs.line(&job, State::Done(WaitStatus::Exited(2))),
            "[1]+  Exit 2                  sleep 10"
        );
        let killed = State::Done(WaitStatus::Signaled {
            signal: Signal::Term,
            core_dumped: false,
        });
        assert_eq!(
            jobs.line(&job, killed),
            "[1]+  Terminated              sleep 10"
        );
    }

    #[test]
    fn removed_background_jobs_leave_their_statuses_for_wait() {
        let mut jobs = jobs_with(&[&[10]]);
        jobs.record(10, WaitStatus::Exited(7));
        jobs.remove(1);
        assert_eq!(jobs.finished_status(10), Some(7));
        assert!(jobs.is_empty());
    }
}
