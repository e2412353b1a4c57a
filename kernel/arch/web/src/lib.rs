//! Wasmux in the browser: the kernel Worker's side of the platform.
//!
//! # Why it is shaped this way
//!
//! The page's main thread must stay responsive, and OPFS synchronous access
//! handles exist only in dedicated Workers, so the whole kernel runs in one
//! Worker (`worker.js` at the repository root loads this crate through
//! wasm-bindgen); the page (`boot.js`) only hosts the terminal and talks
//! to the Worker by messages. Everything here but the thin `WebSystem`
//! binding is plain Rust over traits ([`wasmux_fs::BlockStore`],
//! [`wasmux_wasi::Host`]), so it is tested natively over a memory store.
//!
//! [`System`] is the platform loop of `wasmux boot` (kernel/arch/native's
//! `boot.rs`) cut into steps the Worker's event loop can drive: the Worker
//! calls [`System::step`] with a time budget, forwards the console output
//! and process events to the page, and sleeps for as long as `step` says
//! or until a message (keys, a resize, a spawn) arrives.
//!
//! wasmi's dispatch is `indirect-dispatch` here (Cargo.toml), measured by
//! `cargo xtask bench --browser` (web_compute_ratio: fib, sieve and a
//! SHA-256-like mix against the same modules on the page's engine, headless
//! Chromium): the portable default 98x the engine's time, indirect
//! dispatch 18x; wasmi's tail-call dispatch (with `+tail-call`) overflowed
//! the Worker's native stack ("Maximum call stack size exceeded") on the
//! first real program, so it is not an option until that is understood.
//!
//! Durability: diskfs commits metadata every second while the system is
//! busy and at once when it goes idle (a command finished), so a reload
//! after a prompt reappears loses nothing; fsync still forces a commit.
//!
//! # Invariants
//!
//! - The kernel is only touched from the Worker's thread, one step at a time.
//! - Nothing the page sends (paths, argv, bytes) can panic the kernel: bad
//!   input is an error string for the caller.
//! - A process spawned for the embedding API holds only pipes the platform
//!   made; its output is delivered in order, then its end, and its exit
//!   status exactly once.
//!
//! # Example
//!
//! ```
//! use std::rc::Rc;
//! use wasmux_fs::{FakeClock, MemoryStore};
//! use wasmux_web::{System, SystemOptions};
//!
//! let clock = Rc::new(FakeClock::new(1_700_000_000_000_000_000));
//! let host = Rc::new(wasmux_kernel::testing::FakeHost::new(clock.clone()));
//! let mut system = System::open(Box::new(MemoryStore::new()), host, clock, SystemOptions::default())?;
//! assert!(!system.has_root()); // first boot: install rootfs.tar, then boot
//! system.write_file("/hello.txt", b"hi", 0o644)?;
//! assert_eq!(system.read_file("/hello.txt")?, b"hi");
//! # Ok::<(), String>(())
//! ```

#[cfg(target_arch = "wasm32")]
mod bindings;
mod files;
#[cfg(target_arch = "wasm32")]
mod host;
#[cfg(target_arch = "wasm32")]
mod jit;
mod jobs;
mod screen;
mod system;
#[cfg(test)]
mod tests;

#[cfg(target_arch = "wasm32")]
pub use bindings::WebSystem;
#[cfg(target_arch = "wasm32")]
pub use jit::{JitEngine, JitExecutor, JitHost};
pub use jobs::{Event, Sandbox};
pub use system::{Step, System, SystemOptions};
