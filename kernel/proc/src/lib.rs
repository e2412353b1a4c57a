//! Wasmux processes: what a process is and what runs its code.
//!
//! A process is a record (this crate's [`Process`]): arguments,
//! environment, an [`FdTable`] of shared open file descriptions, a root and
//! a working directory, credentials, and an [`Executor`] that runs its wasm
//! code until the code needs the kernel. The kernel crate owns the table of
//! processes and the scheduler loop; the ABI crate interprets system calls.
//!
//! The executor boundary is a stop/resume protocol rather than host
//! callbacks, so the same system-call code serves wasmi in the kernel thread
//! and, later, a browser engine in a Worker.
//!
//! # Invariants
//!
//! - The fd table hands out the lowest free fd and never a live one.
//! - An executor never runs guest code without a fuel budget: a runaway
//!   program is preempted, not a hung kernel.
//! - A guest trap ends that process only; it is reported as [`Stop::Trapped`].
//!
//! # Example
//!
//! ```
//! use wasmux_proc::{Executor, InterpEngine, InterpLimits, Stop};
//!
//! let wasm = wat::parse_str(r#"(module
//!     (memory (export "memory") 1)
//!     (func (export "_start") (loop br 0)))"#).unwrap();
//! let mut engine = InterpEngine::new(&[], InterpLimits::default());
//! let module = engine.compile(&wasm).unwrap();
//! let mut process = engine.instantiate(&module).unwrap();
//! // An endless loop is stopped when its slice of fuel runs out.
//! assert!(matches!(process.run(10_000, None), Stop::OutOfFuel));
//! ```
#![forbid(unsafe_code)]

mod executor;
mod fd_table;
mod interp;
pub mod jit;
mod load;
mod process;
mod table;
#[cfg(test)]
mod table_tests;

pub use executor::{
    Executor, ExecutorChoice, HostFunction, MAX_SYSCALL_ARGS, PlatformEngine, Stop, SyscallRequest,
    Trap, ValueType,
};
pub use fd_table::{FdEntry, FdError, FdTable, MAX_FDS};
pub use interp::{CompiledModule, InterpEngine, InterpExecutor, InterpLimits, ProgramKey};
pub use jit::{MEMORY_IMPORT, SharedModule, import_shared_memory};
pub use load::LoadError;
pub use process::{ExitStatus, HandlerFrame, Process, Resume, State, Wait};
pub use table::{
    ChildEvent, INIT, MAX_PROCESSES, ProcError, ProcessTable, WaitFor, WaitOptions, WaitResult,
};
