//! Processes that run on threads of their own (the shape of the browser's
//! jit executor), with a scripted executor installed as the platform's
//! engine: the scheduler parks them while they run, takes their system
//! calls when they stop, and ends them at once on a fatal signal.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasmux_mm::{CopyingMemory, GuestMemory};
use wasmux_proc::{
    Executor, LoadError, MAX_SYSCALL_ARGS, PlatformEngine, ProgramKey, Stop, SyscallRequest, Trap,
};
use wasmux_uapi::Signal;

use crate::testing;
use crate::{ExitStatus, Kernel, RunState};

/// What the scripted guest does next, and what the kernel did to it.
#[derive(Default)]
struct Script {
    /// Stops the guest reaches, in order; empty: it is still running.
    stops: VecDeque<Stop>,
    /// The replies `run` was given.
    replies: Vec<Option<u64>>,
    /// Calls pushed on it (signal handlers).
    pushed: Vec<(String, Vec<u64>)>,
    dropped: bool,
    /// Written into the guest's memory at 1024 on its next `run`.
    memory_at_1024: Vec<u8>,
}

struct Scripted {
    script: Rc<RefCell<Script>>,
    memory: CopyingMemory,
}

impl Executor for Scripted {
    fn run(&mut self, _fuel: u64, reply: Option<u64>) -> Stop {
        let mut script = self.script.borrow_mut();
        let bytes = std::mem::take(&mut script.memory_at_1024);
        if !bytes.is_empty() {
            self.memory.write(1024, &bytes).unwrap();
        }
        script.replies.push(reply);
        script.stops.pop_front().unwrap_or(Stop::Away)
    }

    fn push_call(&mut self, export: &str, args: &[u64]) -> Result<(), Trap> {
        self.script
            .borrow_mut()
            .pushed
            .push((export.to_owned(), args.to_vec()));
        Ok(())
    }

    fn memory(&mut self) -> Box<dyn GuestMemory + '_> {
        Box::new(Borrowed(&mut self.memory))
    }

    fn fuel_consumed(&self) -> u64 {
        0
    }

    fn memory_bytes(&self) -> u64 {
        self.memory.size()
    }

    fn stopped(&mut self) -> bool {
        !self.script.borrow().stops.is_empty()
    }
}

/// The script's memory, lent for one system call.
struct Borrowed<'a>(&'a mut CopyingMemory);

impl GuestMemory for Borrowed<'_> {
    fn size(&self) -> u64 {
        self.0.size()
    }

    fn read(&self, addr: u32, out: &mut [u8]) -> Result<(), wasmux_mm::Fault> {
        self.0.read(addr, out)
    }

    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), wasmux_mm::Fault> {
        self.0.write(addr, data)
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.script.borrow_mut().dropped = true;
    }
}

/// Hands out one scripted executor per load.
struct Engine(Rc<RefCell<Script>>);

impl PlatformEngine for Engine {
    fn load(
        &mut self,
        _program: &[u8],
        _file: Option<ProgramKey>,
    ) -> Result<Box<dyn Executor>, LoadError> {
        Ok(Box::new(Scripted {
            script: self.0.clone(),
            memory: CopyingMemory::new(65536),
        }))
    }

    fn load_cached(&mut self, _file: ProgramKey) -> Option<Result<Box<dyn Executor>, LoadError>> {
        None
    }
}

fn syscall(name: &str, args: &[u64]) -> SyscallRequest {
    let number = wasmux_wasi::host_functions()
        .iter()
        .position(|function| function.name == name)
        .unwrap();
    let mut request = SyscallRequest {
        number: u32::try_from(number).unwrap(),
        args: [0; MAX_SYSCALL_ARGS],
        arg_count: args.len(),
    };
    request.args[..args.len()].copy_from_slice(args);
    request
}

/// A kernel whose programs all run on the script, and one such process.
fn away_process() -> (Kernel, wasmux_uapi::Pid, Rc<RefCell<Script>>) {
    let script = Rc::new(RefCell::new(Script::default()));
    let mut kernel = testing::kernel();
    kernel.set_platform_engine(Box::new(Engine(script.clone())));
    // Not a valid module: the platform's engine, not the interpreter, loads it.
    let spec = testing::spec(&mut kernel, b"scripted".to_vec());
    let pid = kernel.spawn(spec).unwrap();
    (kernel, pid, script)
}

/// Runs rounds until the kernel is not busy (a system call makes it busy
/// for one more round: it may have readied someone).
fn settle(kernel: &mut Kernel) -> RunState {
    for _ in 0..100 {
        let state = kernel.run();
        if state != RunState::Busy {
            return state;
        }
    }
    panic!("still busy after 100 rounds");
}

#[test]
fn a_running_guest_is_parked_and_its_calls_are_taken_when_it_stops() {
    let (mut kernel, pid, script) = away_process();
    assert_eq!(settle(&mut kernel), RunState::Idle { deadline: None });
    assert_eq!(settle(&mut kernel), RunState::Idle { deadline: None });
    assert_eq!(script.borrow().replies, [None], "not run again while away");

    // It calls sched_yield: answered with 0, then it runs on (away).
    script
        .borrow_mut()
        .stops
        .push_back(Stop::Syscall(syscall("sched_yield", &[])));
    assert_eq!(settle(&mut kernel), RunState::Idle { deadline: None });
    assert_eq!(script.borrow().replies, [None, None, Some(0)]);

    script
        .borrow_mut()
        .stops
        .push_back(Stop::Syscall(syscall("proc_exit", &[7])));
    assert_eq!(settle(&mut kernel), RunState::Empty);
    let deaths = kernel.take_deaths();
    assert_eq!(deaths.len(), 1);
    assert_eq!(
        (deaths[0].pid, deaths[0].status),
        (pid, ExitStatus::Exited(7))
    );
    assert!(script.borrow().dropped, "its executor (its Worker) is gone");
}

#[test]
fn a_fatal_signal_ends_a_guest_that_never_stops() {
    let (mut kernel, pid, script) = away_process();
    assert_eq!(settle(&mut kernel), RunState::Idle { deadline: None });
    kernel.signal(pid, Signal::Int);
    assert!(script.borrow().dropped);
    assert_eq!(settle(&mut kernel), RunState::Empty);
    let deaths = kernel.take_deaths();
    assert_eq!(deaths[0].status, ExitStatus::Signaled(Signal::Int));
}

#[test]
fn a_handled_signal_waits_for_the_next_system_call() {
    use wasmux_uapi::wasmux::{SIGNAL_TRAMPOLINE, sigaction};
    let (mut kernel, pid, script) = away_process();
    settle(&mut kernel);
    // sigaction(SIGUSR1, {handler at table index 5}, NULL), the record at 1024.
    let mut record = [0u8; sigaction::SIZE as usize];
    record[..4].copy_from_slice(&sigaction::KIND_HANDLER.to_le_bytes());
    record[4..8].copy_from_slice(&5u32.to_le_bytes());
    script.borrow_mut().memory_at_1024 = record.to_vec();
    script.borrow_mut().stops.push_back(Stop::Syscall(syscall(
        "sigaction",
        &[u64::from(Signal::Usr1.raw()), 1024, 0],
    )));
    settle(&mut kernel);
    assert_eq!(script.borrow().replies.last(), Some(&Some(0)));

    kernel.signal(pid, Signal::Usr1);
    settle(&mut kernel);
    assert!(!script.borrow().dropped, "a handler does not end it");
    assert!(script.borrow().pushed.is_empty(), "not while it runs away");

    // It stops at its next call: the handler runs first (the pushed call
    // returns), then the call is taken and answered.
    script.borrow_mut().stops.push_back(Stop::CallReturned);
    script
        .borrow_mut()
        .stops
        .push_back(Stop::Syscall(syscall("sched_yield", &[])));
    settle(&mut kernel);
    let script = script.borrow();
    assert_eq!(
        script.pushed,
        [(
            SIGNAL_TRAMPOLINE.to_owned(),
            vec![u64::from(Signal::Usr1.raw()), 5]
        )]
    );
    // The handler ran, returned, the call was taken, its reply went back.
    assert_eq!(
        script.replies[script.replies.len() - 3..],
        [None, None, Some(0)]
    );
}

#[test]
fn a_trap_or_a_return_while_away_ends_the_process() {
    let (mut kernel, _, script) = away_process();
    settle(&mut kernel);
    script.borrow_mut().stops.push_back(Stop::Trapped(Trap {
        kind: "unreachable".into(),
    }));
    assert_eq!(settle(&mut kernel), RunState::Empty);
    let death = kernel.take_deaths().remove(0);
    assert_eq!(death.status, ExitStatus::Signaled(Signal::Abrt));
    assert_eq!(death.trap.as_deref(), Some("unreachable"));

    let (mut kernel, _, script) = away_process();
    settle(&mut kernel);
    script.borrow_mut().stops.push_back(Stop::Returned);
    assert_eq!(settle(&mut kernel), RunState::Empty);
    assert_eq!(kernel.take_deaths()[0].status, ExitStatus::Exited(0));
}

#[test]
fn wasmux_executor_interp_in_the_environment_keeps_a_program_on_the_interpreter() {
    let script = Rc::new(RefCell::new(Script::default()));
    let mut kernel = testing::kernel();
    kernel.set_platform_engine(Box::new(Engine(script.clone())));
    let program = wat::parse_str(
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (func (export "_start") (call $exit (i32.const 3))))"#,
    )
    .unwrap();
    let mut spec = testing::spec(&mut kernel, program);
    spec.env = vec![b"WASMUX_EXECUTOR=interp".to_vec()];
    let pid = kernel.spawn(spec).unwrap();
    assert_eq!(settle(&mut kernel), RunState::Empty);
    let death = kernel.take_deaths().remove(0);
    assert_eq!((death.pid, death.status), (pid, ExitStatus::Exited(3)));
    assert!(
        script.borrow().replies.is_empty(),
        "the platform's engine ran nothing"
    );
}

#[test]
fn time_away_counts_as_cpu_time() {
    let script = Rc::new(RefCell::new(Script::default()));
    let (mut kernel, monotonic) = testing::kernel_and_clock();
    kernel.set_platform_engine(Box::new(Engine(script.clone())));
    let spec = testing::spec(&mut kernel, b"scripted".to_vec());
    let pid = kernel.spawn(spec).unwrap();
    settle(&mut kernel);
    monotonic.set(monotonic.get() + 5_000_000);
    script
        .borrow_mut()
        .stops
        .push_back(Stop::Syscall(syscall("sched_yield", &[])));
    settle(&mut kernel);
    let cpu = kernel.process_info(pid).unwrap().cpu_time;
    assert!(
        cpu >= 5_000_000,
        "5 ms computing in its Worker, got {cpu} ns"
    );
}
