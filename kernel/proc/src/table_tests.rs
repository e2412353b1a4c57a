use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{FakeClock, Location, MemFs, Vfs};
use wasmux_mm::{CopyingMemory, GuestMemory};
use wasmux_uapi::{Pid, Signal};

use crate::{
    ChildEvent, Executor, ExitStatus, ProcError, Process, ProcessTable, State, Stop, Trap, WaitFor,
    WaitOptions, WaitResult,
};

struct NoCode;

impl Executor for NoCode {
    fn run(&mut self, _fuel: u64, _reply: Option<u64>) -> Stop {
        Stop::Returned
    }
    fn push_call(&mut self, _export: &str, _args: &[u64]) -> Result<(), Trap> {
        Ok(())
    }
    fn memory(&mut self) -> Box<dyn GuestMemory + '_> {
        Box::new(CopyingMemory::new(0))
    }
    fn fuel_consumed(&self) -> u64 {
        0
    }
    fn memory_bytes(&self) -> u64 {
        0
    }
}

fn root() -> Location {
    let clock = Rc::new(FakeClock::new(0));
    Vfs::new(Rc::new(RefCell::new(MemFs::new(clock.clone()))), clock).root()
}

/// A table with init (1) and `children` children of init in init's session and group.
fn table(children: usize) -> ProcessTable {
    let root = root();
    let mut table = ProcessTable::new();
    let init = table.allocate_pid();
    table.insert(Process::new(init, Box::new(NoCode), root, 0));
    for _ in 0..children {
        let pid = table.allocate_pid();
        let mut child = Process::new(pid, Box::new(NoCode), root, 0);
        child.parent = Some(init);
        child.pgid = init;
        child.sid = init;
        table.insert(child);
    }
    table
}

const ANY: WaitFor = WaitFor::AnyChild;

#[test]
fn an_ended_child_is_a_zombie_until_reaped_once() {
    let mut table = table(1);
    assert_eq!(table.exit(Pid(2), ExitStatus::Exited(7)), Some(Pid(1)));
    assert!(matches!(table.get(Pid(2)).unwrap().state, State::Zombie(_)));
    let reaped = table.wait(Pid(1), ANY, WaitOptions::default()).unwrap();
    assert_eq!(
        reaped,
        WaitResult::Changed(Pid(2), ChildEvent::Ended(ExitStatus::Exited(7)))
    );
    assert!(table.get(Pid(2)).is_none());
    assert_eq!(
        table.wait(Pid(1), ANY, WaitOptions::default()),
        Err(ProcError::NoChild)
    );
}

#[test]
fn waiting_with_live_children_blocks_or_returns_at_once_with_no_hang() {
    let mut table = table(1);
    assert_eq!(
        table.wait(Pid(1), ANY, WaitOptions::default()),
        Ok(WaitResult::MustWait)
    );
    let no_hang = WaitOptions {
        no_hang: true,
        ..WaitOptions::default()
    };
    assert_eq!(table.wait(Pid(1), ANY, no_hang), Ok(WaitResult::NothingYet));
    assert_eq!(
        table.wait(Pid(1), WaitFor::Child(Pid(9)), no_hang),
        Err(ProcError::NoChild)
    );
}

#[test]
fn orphans_are_adopted_by_init_and_their_zombies_reaped_by_it() {
    let mut table = table(1);
    let grandchild = table.allocate_pid();
    let mut process = Process::new(grandchild, Box::new(NoCode), root(), 0);
    process.parent = Some(Pid(2));
    table.insert(process);
    table.exit(Pid(2), ExitStatus::Exited(0));
    assert_eq!(table.get(grandchild).unwrap().parent, Some(Pid(1)));
    table.exit(grandchild, ExitStatus::Signaled(Signal::Term));
    let mut reaped = Vec::new();
    while let Ok(WaitResult::Changed(pid, _)) = table.wait(Pid(1), ANY, WaitOptions::default()) {
        reaped.push(pid);
    }
    reaped.sort();
    assert_eq!(reaped, vec![Pid(2), grandchild]);
}

#[test]
fn a_process_without_a_parent_vanishes_when_it_ends() {
    let mut table = table(0);
    assert_eq!(table.exit(Pid(1), ExitStatus::Exited(0)), None);
    assert!(table.is_empty());
}

#[test]
fn stops_are_reported_only_to_waiters_that_ask_and_only_once() {
    let mut table = table(1);
    table.get_mut(Pid(2)).unwrap().unreported = Some(ChildEvent::Stopped(Signal::Tstp));
    let no_hang = WaitOptions {
        no_hang: true,
        ..WaitOptions::default()
    };
    assert_eq!(table.wait(Pid(1), ANY, no_hang), Ok(WaitResult::NothingYet));
    let untraced = WaitOptions {
        stopped: true,
        ..no_hang
    };
    assert_eq!(
        table.wait(Pid(1), ANY, untraced),
        Ok(WaitResult::Changed(
            Pid(2),
            ChildEvent::Stopped(Signal::Tstp)
        ))
    );
    assert_eq!(
        table.wait(Pid(1), ANY, untraced),
        Ok(WaitResult::NothingYet)
    );
}

/// Runs `f` with `caller` taken out of the table, as during its system call.
fn as_caller<T>(
    table: &mut ProcessTable,
    caller: Pid,
    f: impl FnOnce(&mut ProcessTable, &mut Process) -> T,
) -> T {
    let mut process = table.take(caller).unwrap();
    let result = f(table, &mut process);
    table.put_back(process);
    result
}

#[test]
fn setpgid_follows_posix_rules() {
    let mut table = table(2);
    // A child may get its own group, and a sibling may join it.
    assert_eq!(
        as_caller(&mut table, Pid(1), |t, c| t.setpgid(c, Pid(2), Pid(0))),
        Ok(())
    );
    assert_eq!(table.get(Pid(2)).unwrap().pgid, Pid(2));
    assert_eq!(
        as_caller(&mut table, Pid(1), |t, c| t.setpgid(c, Pid(3), Pid(2))),
        Ok(())
    );
    assert_eq!(table.group(Pid(2)), vec![Pid(2), Pid(3)]);
    // A group that does not exist cannot be joined; a session leader cannot move.
    assert_eq!(
        as_caller(&mut table, Pid(1), |t, c| t.setpgid(c, Pid(3), Pid(77))),
        Err(ProcError::Perm)
    );
    assert_eq!(
        as_caller(&mut table, Pid(1), |t, c| t.setpgid(c, Pid(1), Pid(2))),
        Err(ProcError::Perm)
    );
    // Only yourself or your children.
    assert_eq!(
        as_caller(&mut table, Pid(2), |t, c| t.setpgid(c, Pid(3), Pid(0))),
        Err(ProcError::NoSuchProcess)
    );
    // A child may join its parent's group again.
    assert_eq!(
        as_caller(&mut table, Pid(3), |t, c| t.setpgid(c, Pid(0), Pid(1))),
        Ok(())
    );
}

#[test]
fn setsid_makes_a_new_session_unless_already_a_group_leader() {
    let mut table = table(1);
    assert_eq!(
        as_caller(&mut table, Pid(1), |t, c| t.setsid(c)),
        Err(ProcError::Perm)
    );
    assert_eq!(
        as_caller(&mut table, Pid(2), |t, c| t.setsid(c)),
        Ok(Pid(2))
    );
    let child = table.get(Pid(2)).unwrap();
    assert_eq!((child.sid, child.pgid), (Pid(2), Pid(2)));
}

#[test]
fn new_pids_skip_live_process_groups() {
    let mut table = table(1);
    as_caller(&mut table, Pid(1), |t, c| t.setpgid(c, Pid(2), Pid(0))).unwrap();
    table.exit(Pid(2), ExitStatus::Exited(0));
    let pid = table.allocate_pid();
    assert!(pid != Pid(1) && pid != Pid(2));
}

#[test]
fn wasmux_executor_in_the_environment_chooses_the_executor() {
    use crate::ExecutorChoice;
    let env = |entries: &[&str]| -> Vec<Vec<u8>> {
        entries.iter().map(|e| e.as_bytes().to_vec()).collect()
    };
    assert_eq!(
        ExecutorChoice::from_env(&env(&["HOME=/"])),
        ExecutorChoice::System
    );
    assert_eq!(
        ExecutorChoice::from_env(&env(&["WASMUX_EXECUTOR=interp"])),
        ExecutorChoice::Interp
    );
    assert_eq!(
        ExecutorChoice::from_env(&env(&["WASMUX_EXECUTOR=interp", "WASMUX_EXECUTOR=jit"])),
        ExecutorChoice::Platform
    );
    assert_eq!(
        ExecutorChoice::from_env(&env(&["WASMUX_EXECUTORX=interp", "WASMUX_EXECUTOR=fast"])),
        ExecutorChoice::System
    );
}
