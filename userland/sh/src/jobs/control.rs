//! Waiting for jobs, job control on the terminal (process groups, the
//! foreground group, the shell's terminal modes), and notifications.

use std::io;

use wasmux_sys::termios::{self, Termios, When};
use wasmux_sys::{Errno, Signal, WaitOptions, WaitStatus, is_errno, waitpid};

use super::State;
use crate::shell::Shell;

/// The terminal of an interactive shell with job control.
#[derive(Clone, Debug)]
pub struct Terminal {
    /// The terminal's fd (the shell's stdin).
    pub fd: i32,
    /// The shell's own process group.
    pub pgid: u32,
    /// The modes the shell's commands get (saved at start, cooked).
    pub modes: Termios,
}

fn tty(fd: i32) -> std::os::fd::BorrowedFd<'static> {
    // SAFETY: the terminal fd is the shell's stdin, open for its whole life.
    unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
}

impl Shell {
    /// Makes `pgid` the terminal's foreground group.
    pub fn give_terminal(&self, pgid: u32) {
        if let Some(terminal) = &self.terminal {
            let _ = termios::tcsetpgrp(tty(terminal.fd), pgid);
        }
    }

    /// Takes the terminal back after a foreground job, with the shell's modes.
    pub fn take_terminal(&self) {
        if let Some(terminal) = &self.terminal {
            let _ = termios::tcsetpgrp(tty(terminal.fd), terminal.pgid);
            let _ = termios::tcsetattr(tty(terminal.fd), When::Drain, &terminal.modes);
        }
    }

    /// Records every state change waiting to be reported, without blocking.
    pub fn reap(&mut self) {
        let options = WaitOptions::NOHANG | WaitOptions::UNTRACED | WaitOptions::CONTINUED;
        while let Ok(Some((pid, status))) = waitpid(-1, options) {
            self.jobs.record(pid, status);
        }
    }

    /// Waits until job `id` is no longer running (done or stopped).
    pub fn wait_job(&mut self, id: usize) -> Option<State> {
        let options = if self.job_control() {
            WaitOptions::UNTRACED
        } else {
            WaitOptions::empty()
        };
        let mut restarts = 0;
        loop {
            let job = self.jobs.get(id)?;
            let state = job.state();
            match state {
                State::Running => {}
                State::Stopped(Signal::Ttin | Signal::Ttou)
                    if !job.background && restarts < 3 && job.pgid.is_some() =>
                {
                    // It touched the terminal before the shell gave it the
                    // terminal: it has it now, so let it go on.
                    restarts += 1;
                    if let Some(pgid) = job.pgid {
                        let _ = wasmux_sys::killpg(pgid, Signal::Cont);
                    }
                }
                state => return Some(state),
            }
            match waitpid(-1, options) {
                Ok(Some((pid, status))) => {
                    self.jobs.record(pid, status);
                }
                Ok(None) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    // ECHILD: someone else reaped them; nothing to wait for.
                    let gone = is_errno(&error, Errno::Child);
                    if let Some(job) = self.jobs.get_mut(id) {
                        for process in job.processes.iter_mut().filter(|p| !p.finished()) {
                            process.status = Some(WaitStatus::Exited(if gone { 0 } else { 1 }));
                        }
                    }
                }
            }
        }
    }

    /// After a foreground job: says how it ended if a signal did, and
    /// keeps it as a job if it stopped. Returns `$?`.
    pub fn finish_foreground(&mut self, id: usize, state: State) -> i32 {
        let pipefail = self.options.pipefail;
        let Some(job) = self.jobs.get(id) else {
            return 0;
        };
        let status = job.status(pipefail);
        match state {
            State::Stopped(signal) => {
                if let Some(job) = self.jobs.get_mut(id) {
                    job.background = true;
                    job.reported = Some(state);
                }
                self.jobs.touch(id);
                if let Some(job) = self.jobs.get(id) {
                    let line = format!("\n{}\n", self.jobs.line(job, state));
                    let _ = self.fds.write(2, line.as_bytes());
                }
                128 + i32::from(signal.raw())
            }
            State::Done(WaitStatus::Signaled { signal, .. }) if self.interactive => {
                let text = match signal {
                    Signal::Int => "\n".to_string(),
                    Signal::Pipe => String::new(),
                    signal => format!("{}\n", crate::traps::describe_signal(signal)),
                };
                let _ = self.fds.write(2, text.as_bytes());
                self.jobs.remove(id);
                status
            }
            _ => {
                self.jobs.remove(id);
                status
            }
        }
    }

    /// Reports jobs that finished or stopped since the last prompt
    /// (interactive), and forgets finished ones.
    pub fn notify_jobs(&mut self) {
        self.reap();
        for id in self.jobs.ids() {
            let Some(job) = self.jobs.get(id) else {
                continue;
            };
            let state = job.state();
            let report = match state {
                State::Done(_) => true,
                State::Stopped(_) => job.reported != Some(state),
                State::Running => false,
            };
            if report && self.interactive {
                let line = format!("{}\n", self.jobs.line(job, state));
                let _ = self.fds.write(2, line.as_bytes());
            }
            if let State::Done(_) = state {
                self.jobs.remove(id);
            } else if let Some(job) = self.jobs.get_mut(id) {
                job.reported = Some(state);
            }
        }
    }
}
