//! The end-to-end harness: runs a guest program (tests/programs/, built by
//! `cargo xtask guests`) through `wasmux run` and through reference runtimes,
//! and checks each against the same expected stdout and exit status.
//!
//! A test describes one [`Scenario`]: the program, its arguments, environment,
//! stdin and files, which references must agree (not every runtime conforms
//! everywhere: tests/programs/README.md says where they differ), and what is
//! expected. Every run gets fresh directories, so programs that write files
//! start from the same state on every runtime.
//!
//! [`boot::Machine`] boots the whole system instead (init, the shell,
//! coreutils) from the root filesystem `cargo xtask rootfs` builds, for one
//! command or interactively on a pseudo-terminal ([`terminal::Terminal`]).
//!
//! # Invariants
//! - The expectations are Wasmux's; a reference listed for a scenario must meet
//!   them too, which checks the expectations and the harness themselves.
//! - While the workspace has no `wasmux-native` package (and WASMUX_BIN is
//!   unset) only the references run, and a note says so: see [`locate::wasmux`].
//!
//! # Example
//! ```no_run
//! use wasmux_tests::{Scenario, BOTH_REFERENCES};
//! Scenario::new("hello").references(BOTH_REFERENCES).stdout("hello, world\n").check();
//! ```

pub mod boot;
pub mod locate;
pub mod process;
mod scenario;
pub mod terminal;

pub use scenario::{
    BOTH_REFERENCES, Expected, NO_REFERENCE, NODE_WASI, Outcome, Runtime, Scenario, WASMTIME,
};
