//! Signals in the kernel: posting (which may wake, interrupt or resume a
//! process) and delivering (at the points where a process would run on).
//! The rules themselves are `wasmux-signal`'s.

use wasmux_proc::{ChildEvent, Executor, ExitStatus, HandlerFrame, Resume, State, Wait};
use wasmux_signal::{BlockedCall, Delivery, Interruption};
use wasmux_uapi::wasmux::SIGNAL_TRAMPOLINE;
use wasmux_uapi::{Errno, Pid, Signal};

use crate::Kernel;

/// What delivering pending signals left the process able to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivered {
    /// Run on (perhaps in a handler now).
    Run,
    /// It stopped.
    Stopped,
    /// It ended.
    Died,
}

/// How a signal that needs the process ends a call blocked on `wait`.
///
/// Reads, writes and waits for children follow SA_RESTART. A wait for a
/// signal (sigsuspend) always fails with EINTR. A preview1 `poll_oneoff`
/// with a clock (a sleep, a poll with a timeout) is made again after the
/// handler, keeping its deadline: preview1 has no EINTR for programs to
/// handle (wasi-libc turns it into ENOTSUP and Rust's sleep aborts on it).
fn interruption_of(signals: &wasmux_signal::SignalState, wait: Wait) -> Interruption {
    match wait {
        Wait::Io { deadline: None } | Wait::Child => signals.interrupts(BlockedCall::Restartable),
        Wait::Signal => signals.interrupts(BlockedCall::NeverRestarted),
        Wait::Io { deadline: Some(_) } | Wait::Until(_) => {
            match signals.interrupts(BlockedCall::Restartable) {
                Interruption::Eintr => Interruption::Restart,
                other => other,
            }
        }
    }
}

impl Kernel {
    /// Sends `signal` to `pid` from outside any process (the platform: a
    /// page closing, the embedding API, tests). Nothing happens if `pid`
    /// is gone.
    pub fn signal(&mut self, pid: Pid, signal: wasmux_uapi::Signal) {
        self.post(pid, signal);
    }

    /// Generates `signal` for `pid` and acts on what that means now.
    pub(crate) fn post(&mut self, pid: Pid, signal: Signal) {
        let Some(process) = self.table.get_mut(pid) else {
            return;
        };
        if matches!(process.state, State::Zombie(_)) {
            return;
        }
        let effect = process.signals.post(signal);
        let mut enqueue = false;
        if effect.resumed {
            process.unreported = Some(ChildEvent::Continued);
            enqueue = matches!(process.state, State::Runnable { .. });
            // A blocked process may have missed the change it waits for.
            self.io_changed = true;
        }
        if effect.wake {
            match process.state {
                State::Blocked {
                    request,
                    since,
                    wait,
                } => match interruption_of(&process.signals, wait) {
                    Interruption::KeepWaiting => {}
                    Interruption::Eintr => {
                        let resume = Resume::Reply(u64::from(Errno::Intr.raw()));
                        process.state = State::Runnable { resume };
                        enqueue = true;
                    }
                    Interruption::Restart => {
                        process.state = State::Runnable {
                            resume: Resume::Restart { request, since },
                        };
                        enqueue = true;
                    }
                },
                State::Runnable { .. } => enqueue = true,
                // It cannot be interrupted where it runs: a signal that
                // ends it ends it now (its Worker goes with its executor);
                // others wait for its next system call.
                State::Away { .. } => {
                    if let Some(fatal) = process.signals.fatal_deliverable() {
                        self.finish(pid, ExitStatus::Signaled(fatal), None);
                        return;
                    }
                }
                State::Zombie(_) => {}
            }
        }
        let parent = process.parent;
        if effect.resumed {
            self.notify_parent(parent, true);
        }
        if enqueue && self.running != Some(pid) && !self.run_queue.contains(&pid) {
            self.run_queue.push_back(pid);
        }
    }

    /// Whether signals pending for `pid` end a wait on `wait` now.
    pub(crate) fn interruption(&self, pid: Pid, wait: Wait) -> Interruption {
        self.table
            .get(pid)
            .map_or(Interruption::KeepWaiting, |process| {
                interruption_of(&process.signals, wait)
            })
    }

    /// A child of `parent` changed: waiters may proceed, and the parent gets
    /// SIGCHLD (for a stop or continue only if it did not ask otherwise).
    pub(crate) fn notify_parent(&mut self, parent: Option<Pid>, stop_or_continue: bool) {
        self.children_changed = true;
        let Some(parent) = parent else {
            return;
        };
        let wants = self
            .table
            .get(parent)
            .is_some_and(|p| !stop_or_continue || p.signals.sigchld_on_child_stop());
        if wants {
            self.post(parent, Signal::Chld);
        }
    }

    /// Delivers the pending signals of `pid` before it runs on; a handler is
    /// pushed onto `executor` (it runs next), and `resume` (how the
    /// interrupted code continues) is saved in its frame.
    pub(crate) fn deliver(
        &mut self,
        pid: Pid,
        executor: &mut dyn Executor,
        resume: &mut Resume,
    ) -> Delivered {
        loop {
            let Some(process) = self.table.get_mut(pid) else {
                return Delivered::Died;
            };
            let Some(delivery) = process.signals.take_deliverable() else {
                return if process.signals.is_stopped() {
                    Delivered::Stopped
                } else {
                    Delivered::Run
                };
            };
            match delivery {
                Delivery::Continue | Delivery::Ignore { .. } => {}
                Delivery::Terminate { signal, core: _ } => {
                    self.finish(pid, ExitStatus::Signaled(signal), None);
                    return Delivered::Died;
                }
                Delivery::Stop { signal } => {
                    process.unreported = Some(ChildEvent::Stopped(signal));
                    self.proc_dirty = true;
                    let parent = process.parent;
                    self.notify_parent(parent, true);
                    return Delivered::Stopped;
                }
                Delivery::Handle {
                    signal,
                    handler,
                    saved_mask,
                    ..
                } => {
                    // A handler that interrupts sigsuspend restores the mask
                    // from before the suspend when it returns.
                    let saved_mask = process.suspended_mask.take().unwrap_or(saved_mask);
                    let args = [u64::from(signal.raw()), u64::from(handler)];
                    if let Err(trap) = executor.push_call(SIGNAL_TRAMPOLINE, &args) {
                        self.log.push(format!(
                            "pid {}: cannot run the SIG{} handler ({trap}): killed",
                            pid.0,
                            signal.name()
                        ));
                        self.finish(pid, ExitStatus::Signaled(signal), None);
                        return Delivered::Died;
                    }
                    let interrupted = std::mem::replace(resume, Resume::Continue);
                    process.handler_frames.push(HandlerFrame {
                        saved_mask,
                        resume: interrupted,
                    });
                    return Delivered::Run;
                }
            }
        }
    }

    /// The innermost handler of `pid` returned: its mask is restored and the
    /// interrupted code's way of continuing comes back.
    pub(crate) fn handler_returned(&mut self, pid: Pid) -> Resume {
        let Some(process) = self.table.get_mut(pid) else {
            return Resume::Continue;
        };
        match process.handler_frames.pop() {
            Some(frame) => {
                process.signals.handler_returned(frame.saved_mask);
                frame.resume
            }
            None => Resume::Continue,
        }
    }
}
