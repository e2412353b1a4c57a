//! The `interp` executor: wasmi inside the kernel thread.
//!
//! Every system call is a host function that stops the guest with a
//! resumable host trap carrying the call's number and arguments; the kernel
//! handles it and resumes the invocation with the result. Preemption is
//! fuel: when a slice runs out, the invocation is resumed later.

mod engine;
mod executor;

pub use engine::{CompiledModule, InterpEngine, InterpLimits, ProgramKey};
pub use executor::InterpExecutor;

#[cfg(test)]
mod tests;
