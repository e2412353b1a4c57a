//! The `jit` executor: each process on the platform's own wasm engine.
//!
//! In the browser every process runs in its own Web Worker, compiled and run
//! by the browser's engine at native speed, while the kernel runs in another
//! Worker. The kernel must still read and write the guest's linear memory to
//! serve system calls, so the module is instantiated against a shared
//! `WebAssembly.Memory` that the kernel creates and both Workers see.
//!
//! This directory holds the executor's platform-independent parts: the
//! module rewrite that makes a program import its memory as shared
//! ([`import_shared_memory`]). The Worker side, which instantiates the
//! rewritten module and relays system calls, lives in `kernel/arch/web`.

mod program;
mod shared_memory;

pub use program::check_program;
pub use shared_memory::{MAX_PAGES, MEMORY_IMPORT, SharedModule, import_shared_memory};

#[cfg(test)]
mod program_tests;

#[cfg(test)]
mod shared_memory_tests;
