//! The run loop: round robin over runnable processes, a fuel slice each;
//! blocked processes are retried only when their condition may hold.

use wasmux_proc::{Executor, ExitStatus, Resume, State, Stop, SyscallRequest, Trap, Wait};
use wasmux_uapi::{Pid, Signal, Timestamp};
use wasmux_wasi::{Context, SysError};

use crate::ops::KernelProcesses;
use crate::signals::Delivered;
use crate::{Death, Kernel};
use wasmux_signal::Interruption;
use wasmux_uapi::Errno;

/// What the kernel needs from the platform after a call to [`Kernel::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Processes are runnable: call `run` again soon.
    Busy,
    /// Everything is blocked: sleep until the deadline (monotonic), if any,
    /// or until an event arrives.
    Idle { deadline: Option<Timestamp> },
    /// No processes left.
    Empty,
}

/// How a system call ended for the scheduler.
enum CallEnd {
    Return(u64),
    Block(Wait),
    Exit(ExitStatus),
    /// The image was replaced: run the new executor from its start.
    Exec,
}

impl Kernel {
    /// Runs one round: wakes blocked processes whose condition may hold,
    /// then gives every runnable process one fuel slice.
    pub fn run(&mut self) -> RunState {
        self.refresh_proc();
        self.wake_away();
        self.wake_blocked();
        let round = self.run_queue.len();
        for _ in 0..round {
            let Some(pid) = self.run_queue.pop_front() else {
                break;
            };
            self.run_slice(pid);
        }
        self.run_state()
    }

    fn run_state(&self) -> RunState {
        // Something changed that a blocked process may be waiting for: the
        // next round retries it, so do not let the platform sleep.
        if !self.run_queue.is_empty() || self.io_changed || self.children_changed {
            return RunState::Busy;
        }
        let mut any_alive = false;
        let mut deadline: Option<Timestamp> = None;
        for process in self.table.iter() {
            if let State::Zombie(_) = process.state {
                continue;
            }
            any_alive = true;
            if let State::Blocked { wait, .. } = process.state {
                let due = match wait {
                    Wait::Until(due) => Some(due),
                    Wait::Io { deadline } => deadline,
                    Wait::Child | Wait::Signal => None,
                };
                if let Some(due) = due {
                    deadline = Some(deadline.map_or(due, |d| d.min(due)));
                }
            }
        }
        if any_alive {
            RunState::Idle { deadline }
        } else {
            RunState::Empty
        }
    }

    /// Queues the processes running on threads of their own that stopped
    /// (made a system call, returned, trapped) since the last round.
    fn wake_away(&mut self) {
        let now = self.host.monotonic();
        let stopped: Vec<Pid> = self
            .table
            .iter_mut()
            .filter_map(|process| {
                let State::Away { since } = process.state else {
                    return None;
                };
                let executor = process.executor.as_mut()?;
                if !executor.stopped() {
                    return None;
                }
                // It ran on its own thread all that time.
                process.cpu_time = process.cpu_time.saturating_add(now.saturating_sub(since));
                process.state = State::Runnable {
                    resume: Resume::Continue,
                };
                Some(process.pid)
            })
            .collect();
        for pid in stopped {
            if !self.run_queue.contains(&pid) {
                self.run_queue.push_back(pid);
            }
        }
    }

    /// Restarts the blocked calls whose condition may now hold.
    fn wake_blocked(&mut self) {
        let now = self.host.monotonic();
        let io_changed = std::mem::take(&mut self.io_changed);
        let children_changed = std::mem::take(&mut self.children_changed);
        let due: Vec<(Pid, SyscallRequest, Timestamp)> = self
            .table
            .iter()
            .filter(|process| !process.signals.is_stopped())
            .filter_map(|process| match process.state {
                State::Blocked {
                    request,
                    since,
                    wait,
                } => {
                    let ready = match wait {
                        Wait::Until(deadline) => now >= deadline,
                        Wait::Io { deadline } => io_changed || deadline.is_some_and(|d| now >= d),
                        Wait::Child => children_changed,
                        // Only a posted signal ends it (see `Kernel::post`).
                        Wait::Signal => false,
                    };
                    ready.then_some((process.pid, request, since))
                }
                _ => None,
            })
            .collect();
        for (pid, request, since) in due {
            let Some(mut executor) = self.table.get_mut(pid).and_then(|p| p.executor.take()) else {
                continue;
            };
            let (end, _) = self.syscall(pid, executor.as_mut(), &request, since);
            let state = match end {
                CallEnd::Return(value) => {
                    self.run_queue.push_back(pid);
                    State::Runnable {
                        resume: Resume::Reply(value),
                    }
                }
                CallEnd::Block(wait) => State::Blocked {
                    request,
                    since,
                    wait,
                },
                CallEnd::Exit(status) => {
                    self.finish(pid, status, None);
                    continue;
                }
                CallEnd::Exec => {
                    self.run_queue.push_back(pid);
                    self.set_state(
                        pid,
                        State::Runnable {
                            resume: Resume::Continue,
                        },
                    );
                    continue;
                }
            };
            if let Some(process) = self.table.get_mut(pid) {
                process.executor = Some(executor);
                process.state = state;
            }
        }
    }

    fn set_state(&mut self, pid: Pid, state: State) {
        if let Some(process) = self.table.get_mut(pid) {
            process.state = state;
        }
    }

    /// Runs `pid` for one slice of fuel, handling its system calls inline and
    /// delivering its signals wherever it would run on.
    fn run_slice(&mut self, pid: Pid) {
        let Some(process) = self.table.get_mut(pid) else {
            return;
        };
        let State::Runnable { resume } = process.state else {
            return;
        };
        let Some(mut executor) = process.executor.take() else {
            return;
        };
        self.running = Some(pid);
        let started = self.host.monotonic();
        let mut resume = resume;
        let mut fuel_left = self.config.slice_fuel;
        let end = loop {
            match self.deliver(pid, executor.as_mut(), &mut resume) {
                Delivered::Run => {}
                // Not queued again: SIGCONT (or SIGKILL) queues it.
                Delivered::Stopped => break Some(State::Runnable { resume }),
                Delivered::Died => break None,
            }
            if fuel_left == 0 {
                break Some(State::Runnable { resume });
            }
            let (request, call_time) = match std::mem::replace(&mut resume, Resume::Continue) {
                // Make the interrupted call again, from its original arguments.
                Resume::Restart { request, since } => (request, since),
                other => {
                    let reply = match other {
                        Resume::Reply(value) => Some(value),
                        _ => None,
                    };
                    match self.step(executor.as_mut(), &mut fuel_left, reply) {
                        Stop::Syscall(request) => (request, self.host.monotonic()),
                        Stop::OutOfFuel => break Some(State::Runnable { resume }),
                        Stop::Away => {
                            break Some(State::Away {
                                since: self.host.monotonic(),
                            });
                        }
                        Stop::CallReturned => {
                            resume = self.handler_returned(pid);
                            continue;
                        }
                        Stop::Returned => {
                            self.finish(pid, ExitStatus::Exited(0), None);
                            break None;
                        }
                        Stop::Trapped(trap) => {
                            let signal = trap_signal(&trap);
                            self.finish(pid, ExitStatus::Signaled(signal), Some(trap.kind));
                            break None;
                        }
                    }
                }
            };
            match self.syscall(pid, executor.as_mut(), &request, call_time) {
                (CallEnd::Return(value), yielded) => {
                    resume = Resume::Reply(value);
                    if yielded {
                        fuel_left = 0;
                    }
                }
                (CallEnd::Block(wait), _) => {
                    // A signal the call itself sent (SIGTTIN) may end the wait at once.
                    match self.interruption(pid, wait) {
                        Interruption::KeepWaiting => {
                            break Some(State::Blocked {
                                request,
                                since: call_time,
                                wait,
                            });
                        }
                        Interruption::Eintr => resume = Resume::Reply(u64::from(Errno::Intr.raw())),
                        Interruption::Restart => {
                            resume = Resume::Restart {
                                request,
                                since: call_time,
                            }
                        }
                    }
                }
                (CallEnd::Exit(status), _) => {
                    self.finish(pid, status, None);
                    break None;
                }
                (CallEnd::Exec, _) => {
                    let Some(new) = self.table.get_mut(pid).and_then(|p| p.executor.take()) else {
                        break None;
                    };
                    executor = new;
                }
            }
        };
        self.running = None;
        let elapsed = self.host.monotonic().saturating_sub(started);
        let Some(state) = end else {
            return;
        };
        let Some(process) = self.table.get_mut(pid) else {
            return;
        };
        process.cpu_time = process.cpu_time.saturating_add(elapsed);
        process.executor = Some(executor);
        if matches!(state, State::Runnable { .. })
            && !process.signals.is_stopped()
            && !self.run_queue.contains(&pid)
        {
            self.run_queue.push_back(pid);
        }
        process.state = state;
    }

    /// Runs the executor on, charging the fuel it used.
    fn step(
        &mut self,
        executor: &mut dyn Executor,
        fuel_left: &mut u64,
        reply: Option<u64>,
    ) -> Stop {
        let before = executor.fuel_consumed();
        let stop = executor.run(*fuel_left, reply);
        *fuel_left = fuel_left.saturating_sub(executor.fuel_consumed().saturating_sub(before));
        stop
    }

    /// Handles one system call of `pid`; returns how it ended and whether the
    /// process asked to yield. The caller is out of the table meanwhile.
    fn syscall(
        &mut self,
        pid: Pid,
        executor: &mut dyn Executor,
        request: &SyscallRequest,
        call_time: Timestamp,
    ) -> (CallEnd, bool) {
        self.enter_proc(pid, request.number);
        let Some(mut process) = self.table.take(pid) else {
            return (CallEnd::Exit(ExitStatus::Signaled(Signal::Kill)), false);
        };
        let cpu_time = process.cpu_time;
        let mut processes = KernelProcesses {
            table: &mut self.table,
            engine: &mut self.engine,
            platform: &mut self.platform,
            run_queue: &mut self.run_queue,
            signals: &mut self.signals,
            log: &mut self.log,
            now: call_time,
        };
        let mut memory = executor.memory();
        let mut cx = Context {
            process: &mut process,
            vfs: &mut self.vfs,
            host: self.host.as_ref(),
            processes: &mut processes,
            ipc: &self.ipc,
            call_time,
            cpu_time,
            yield_now: false,
        };
        let result = wasmux_wasi::dispatch(&mut cx, memory.as_mut(), request);
        let yielded = cx.yield_now;
        drop(memory);
        self.table.put_back(process);
        // A call that blocks changed nothing (blocking calls have no side
        // effects before they block); any other may have made a waiter ready.
        if !matches!(result, Err(SysError::Block(_))) {
            self.io_changed = true;
            self.leave_proc(request.number);
        }
        let end = match result {
            Ok(()) => CallEnd::Return(0),
            Err(SysError::Errno(errno)) => CallEnd::Return(u64::from(errno.raw())),
            Err(SysError::Block(wait)) => CallEnd::Block(wait),
            Err(SysError::Exit(code)) => CallEnd::Exit(ExitStatus::Exited(code)),
            Err(SysError::Exec) => CallEnd::Exec,
        };
        self.deliver_signals();
        (end, yielded)
    }

    /// Posts the signals the last system call sent (the caller included).
    fn deliver_signals(&mut self) {
        for (target, signal) in std::mem::take(&mut self.signals) {
            self.post(target, signal);
        }
    }

    /// Ends `pid`: releases its resources and records how it ended, for its
    /// parent (a zombie until reaped) or, with no parent, for the platform.
    pub(crate) fn finish(&mut self, pid: Pid, status: ExitStatus, trap: Option<String>) {
        self.run_queue.retain(|&queued| queued != pid);
        if !self.table.contains(pid) {
            return;
        }
        self.proc_dirty = true;
        self.io_changed = true;
        match self.table.exit(pid, status) {
            None => self.deaths.push(Death { pid, status, trap }),
            Some(parent) => {
                if self
                    .table
                    .get(parent)
                    .is_some_and(|p| p.signals.auto_reaps_children())
                {
                    self.table.take(pid);
                }
                self.notify_parent(Some(parent), false);
            }
        }
    }
}

/// The signal a native program would have died of for this trap.
fn trap_signal(trap: &Trap) -> Signal {
    match trap.kind.as_str() {
        "unreachable" => Signal::Abrt,
        "out of bounds memory access" | "stack overflow" | "out of bounds table access" => {
            Signal::Segv
        }
        "integer divide by zero" | "integer overflow" | "invalid conversion to integer" => {
            Signal::Fpe
        }
        _ => Signal::Ill,
    }
}
