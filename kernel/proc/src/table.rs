//! The process table: parents and children, process groups and sessions,
//! zombies until reaped, orphans re-parented to init.

use std::collections::BTreeMap;

use wasmux_uapi::{Pid, Signal};

use crate::process::{ExitStatus, Process, State};

/// The pid of init, which adopts orphans.
pub const INIT: Pid = Pid(1);

/// The most processes (zombies included) the system holds: a runaway
/// spawner gets EAGAIN instead of exhausting memory.
pub const MAX_PROCESSES: usize = 4096;

/// Why a process-table operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcError {
    /// No such process or group (ESRCH).
    NoSuchProcess,
    /// No child matches (ECHILD).
    NoChild,
    /// Not allowed (EPERM).
    Perm,
    /// A bad argument (EINVAL).
    Invalid,
}

/// Which children `wait` looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    AnyChild,
    Child(Pid),
    /// Any child in this process group.
    Group(Pid),
}

/// `waitpid` options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitOptions {
    /// Return at once when no child has changed (WNOHANG).
    pub no_hang: bool,
    /// Also report children that stopped (WUNTRACED).
    pub stopped: bool,
    /// Also report children that continued (WCONTINUED).
    pub continued: bool,
}

/// A change of a child that `wait` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildEvent {
    Ended(ExitStatus),
    Stopped(Signal),
    Continued,
}

/// What `wait` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitResult {
    /// This child changed (and, if it ended, is now reaped).
    Changed(Pid, ChildEvent),
    /// Matching children exist but none changed (WNOHANG).
    NothingYet,
    /// Matching children exist but none changed: block and try again.
    MustWait,
}

/// Every process, alive or zombie.
#[derive(Debug, Default)]
pub struct ProcessTable {
    /// Boxed: taking a process out for a system call moves a pointer, not the record.
    processes: BTreeMap<Pid, Box<Process>>,
    next_pid: u32,
}

impl ProcessTable {
    pub fn new() -> ProcessTable {
        ProcessTable {
            processes: BTreeMap::new(),
            next_pid: 1,
        }
    }

    /// A pid no process or process group uses.
    pub fn allocate_pid(&mut self) -> Pid {
        loop {
            let candidate = Pid(self.next_pid);
            self.next_pid = match self.next_pid.checked_add(1) {
                Some(next) if next < (1 << 22) => next,
                _ => 2,
            };
            let in_use = self
                .processes
                .values()
                .any(|p| p.pid == candidate || p.pgid == candidate || p.sid == candidate);
            if !in_use {
                return candidate;
            }
        }
    }

    pub fn insert(&mut self, process: Process) {
        self.processes.insert(process.pid, Box::new(process));
    }

    /// Puts back a process taken with [`ProcessTable::take`].
    pub fn put_back(&mut self, process: Box<Process>) {
        self.processes.insert(process.pid, process);
    }

    pub fn get(&self, pid: Pid) -> Option<&Process> {
        self.processes.get(&pid).map(|process| &**process)
    }

    pub fn get_mut(&mut self, pid: Pid) -> Option<&mut Process> {
        self.processes.get_mut(&pid).map(|process| &mut **process)
    }

    /// Takes a process out while a system call of it runs, so the call can
    /// look at the others; put it back with [`ProcessTable::put_back`].
    pub fn take(&mut self, pid: Pid) -> Option<Box<Process>> {
        self.processes.remove(&pid)
    }

    pub fn contains(&self, pid: Pid) -> bool {
        self.processes.contains_key(&pid)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Process> {
        self.processes.values().map(|process| &**process)
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Process> {
        self.processes.values_mut().map(|process| &mut **process)
    }

    pub fn len(&self) -> usize {
        self.processes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.processes.is_empty()
    }

    /// Pids of the live (not zombie) members of process group `pgid`.
    pub fn group(&self, pgid: Pid) -> Vec<Pid> {
        self.processes
            .values()
            .filter(|p| p.pgid == pgid && !matches!(p.state, State::Zombie(_)))
            .map(|p| p.pid)
            .collect()
    }

    /// Ends `pid`: it becomes a zombie for its parent to reap (or vanishes
    /// if it has none), its resources are released, its children go to init.
    /// Returns the parent to notify, if any.
    pub fn exit(&mut self, pid: Pid, status: ExitStatus) -> Option<Pid> {
        let adopter = (pid != INIT && self.processes.contains_key(&INIT)).then_some(INIT);
        for child in self
            .processes
            .values_mut()
            .filter(|p| p.parent == Some(pid))
        {
            child.parent = adopter;
        }
        // Zombies nobody can reap any more are gone.
        self.processes.retain(|_, p| {
            !(p.parent.is_none() && matches!(p.state, State::Zombie(_)) && p.pid != pid)
        });
        let process = self.processes.get_mut(&pid)?;
        process.state = State::Zombie(status);
        process.release();
        let parent = process.parent;
        if parent.is_none() {
            self.processes.remove(&pid);
        }
        parent
    }

    /// `waitpid` for `caller`.
    /// Errors: NoChild when no child matches `which`.
    pub fn wait(
        &mut self,
        caller: Pid,
        which: WaitFor,
        options: WaitOptions,
    ) -> Result<WaitResult, ProcError> {
        let matches = |p: &Process| {
            p.parent == Some(caller)
                && match which {
                    WaitFor::AnyChild => true,
                    WaitFor::Child(pid) => p.pid == pid,
                    WaitFor::Group(pgid) => p.pgid == pgid,
                }
        };
        let mut any = false;
        let mut found = None;
        for child in self.processes.values_mut().filter(|p| matches(p)) {
            any = true;
            if let State::Zombie(status) = child.state {
                found = Some((child.pid, ChildEvent::Ended(status)));
                break;
            }
            match child.unreported.take() {
                Some(ChildEvent::Stopped(signal)) if options.stopped => {
                    found = Some((child.pid, ChildEvent::Stopped(signal)));
                    break;
                }
                Some(ChildEvent::Continued) if options.continued => {
                    found = Some((child.pid, ChildEvent::Continued));
                    break;
                }
                other => child.unreported = other,
            }
        }
        if !any {
            return Err(ProcError::NoChild);
        }
        match found {
            Some((pid, event)) => {
                if matches!(event, ChildEvent::Ended(_)) {
                    self.processes.remove(&pid);
                }
                Ok(WaitResult::Changed(pid, event))
            }
            None if options.no_hang => Ok(WaitResult::NothingYet),
            None => Ok(WaitResult::MustWait),
        }
    }

    /// `setpgid(pid, pgid)` asked by `caller` (pid 0 = caller, pgid 0 = pid).
    /// `caller` is out of the table while its call runs, so it is passed in.
    /// Errors: NoSuchProcess (not the caller or its child), Perm (a session
    /// leader, another session, or a group that does not exist there).
    pub fn setpgid(&mut self, caller: &mut Process, pid: Pid, pgid: Pid) -> Result<(), ProcError> {
        let pid = if pid.0 == 0 { caller.pid } else { pid };
        let pgid = if pgid.0 == 0 { pid } else { pgid };
        let sid = caller.sid;
        let group_exists = pgid == pid
            || caller.pgid == pgid
            || self
                .processes
                .values()
                .any(|p| p.pgid == pgid && p.sid == sid);
        let target = if pid == caller.pid {
            caller
        } else {
            let target = self
                .processes
                .get_mut(&pid)
                .ok_or(ProcError::NoSuchProcess)?;
            if target.parent != Some(caller.pid) {
                return Err(ProcError::NoSuchProcess);
            }
            target
        };
        if target.sid != sid || target.sid == pid || !group_exists {
            return Err(ProcError::Perm);
        }
        target.pgid = pgid;
        Ok(())
    }

    /// `setsid()`: `caller` (out of the table) leads a new session and group.
    /// Errors: Perm if it already leads a process group.
    pub fn setsid(&mut self, caller: &mut Process) -> Result<Pid, ProcError> {
        let pid = caller.pid;
        if caller.pgid == pid || self.processes.values().any(|p| p.pgid == pid) {
            return Err(ProcError::Perm);
        }
        caller.sid = pid;
        caller.pgid = pid;
        Ok(pid)
    }
}
