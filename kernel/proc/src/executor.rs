//! The boundary between the kernel and whatever runs a process's wasm code.
//!
//! An executor runs guest code until it needs the kernel: a system call
//! (an import), the end of its fuel slice, a return from `_start`, or a
//! trap. The kernel handles the call with the process's memory and resumes
//! the executor with the result. This shape fits both executors the
//! architecture plans: wasmi in the kernel thread (a resumable host trap per
//! call) and a browser engine in a Worker (a message per call), so the
//! system-call layer never assumes where guest memory lives.

use std::fmt;

use wasmux_mm::GuestMemory;

/// A wasm value type of a system call's parameter or result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    I32,
    I64,
}

/// An import the kernel provides: a system call's name and signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostFunction {
    pub module: &'static str,
    pub name: &'static str,
    pub params: &'static [ValueType],
    pub results: &'static [ValueType],
}

/// The most parameters a system call has.
pub const MAX_SYSCALL_ARGS: usize = 10;

/// A system call made by the guest: which one (its index in the kernel's
/// table) and its raw arguments (i32 zero-extended, i64 as is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyscallRequest {
    pub number: u32,
    pub args: [u64; MAX_SYSCALL_ARGS],
    pub arg_count: usize,
}

impl SyscallRequest {
    /// The arguments actually passed.
    pub fn args(&self) -> &[u64] {
        self.args.get(..self.arg_count).unwrap_or(&self.args)
    }
}

/// Why a guest stopped running.
#[derive(Debug)]
pub enum Stop {
    /// It called the kernel; resume with the result.
    Syscall(SyscallRequest),
    /// Its fuel slice ran out; resume later with no reply.
    OutOfFuel,
    /// `_start` returned: the process exits with status 0.
    Returned,
    /// A call pushed with [`Executor::push_call`] returned; the interrupted
    /// invocation continues on the next `run`, which takes the reply it was
    /// waiting for (if it was stopped in a system call).
    CallReturned,
    /// It trapped: the process dies.
    Trapped(Trap),
    /// It runs on a thread of its own and has not stopped yet (a `jit`
    /// process in its Worker): ask [`Executor::stopped`] later, and `run`
    /// again (with no reply) once it says so.
    Away,
}

/// A trap: the reason a guest was stopped for good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    /// Short kind, such as "unreachable", "out of bounds memory access", "stack overflow".
    pub kind: String,
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)
    }
}

/// What runs a process's code.
pub trait Executor {
    /// Runs until the next stop, consuming at most `fuel`. `reply` carries
    /// the result of the system call the guest stopped at last (`None` when
    /// starting or after running out of fuel; a call with no results, such
    /// as proc_exit, is never resumed).
    fn run(&mut self, fuel: u64, reply: Option<u64>) -> Stop;

    /// Arranges for the next `run` to call the exported function `export`
    /// with `args` on top of the stopped invocation (a signal handler's
    /// trampoline); when it returns, `run` reports [`Stop::CallReturned`].
    /// Errors: the export is missing or has another type (a trap: the
    /// process cannot take the call).
    fn push_call(&mut self, export: &str, args: &[u64]) -> Result<(), Trap>;

    /// The guest's linear memory, for the system call being handled.
    fn memory(&mut self) -> Box<dyn GuestMemory + '_>;

    /// Fuel consumed since the process started: its CPU time, in fuel units.
    fn fuel_consumed(&self) -> u64;

    /// Bytes of linear memory the process has now (for /proc and `ps`).
    fn memory_bytes(&self) -> u64;

    /// Whether a guest that `run` left [`Stop::Away`] has stopped since
    /// (made a system call, returned, trapped): the next `run` reports it.
    /// Executors that run the guest inside `run` never leave it away.
    fn stopped(&mut self) -> bool {
        true
    }
}

/// Which executor a new program asks for, by `WASMUX_EXECUTOR` in its
/// environment (for tests: the same program on both executors).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExecutorChoice {
    /// The system's: the platform's engine when one is installed.
    #[default]
    System,
    /// `WASMUX_EXECUTOR=interp`: the interpreter, even where a platform
    /// engine is installed.
    Interp,
    /// `WASMUX_EXECUTOR=jit`: the platform's engine when there is one.
    Platform,
}

impl ExecutorChoice {
    /// The environment variable that chooses.
    pub const VARIABLE: &'static [u8] = b"WASMUX_EXECUTOR";

    /// The choice `env` (`KEY=VALUE` strings) makes; the last setting
    /// wins, unknown values mean the system's.
    pub fn from_env(env: &[Vec<u8>]) -> ExecutorChoice {
        let value = env.iter().rev().find_map(|entry| {
            entry
                .strip_prefix(Self::VARIABLE)
                .and_then(|rest| rest.strip_prefix(b"="))
        });
        match value {
            Some(b"interp") => ExecutorChoice::Interp,
            Some(b"jit") => ExecutorChoice::Platform,
            _ => ExecutorChoice::System,
        }
    }
}

/// Makes executors of the platform's own kind (the browser engine's `jit`),
/// next to the interpreter every platform has. The kernel asks it first
/// when one is installed.
pub trait PlatformEngine {
    /// Compiles `program` (remembered by `file`, when it came from one)
    /// and instantiates it, not started.
    /// Errors: as [`crate::InterpEngine::compile`]; the platform's own
    /// limits.
    fn load(
        &mut self,
        program: &[u8],
        file: Option<crate::ProgramKey>,
    ) -> Result<Box<dyn Executor>, crate::LoadError>;

    /// An executor for the program file `file` compiled before, if it was.
    fn load_cached(
        &mut self,
        file: crate::ProgramKey,
    ) -> Option<Result<Box<dyn Executor>, crate::LoadError>>;
}
