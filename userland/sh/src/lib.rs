//! /bin/sh for Wasmux: a POSIX-style shell that spawns its commands.
//!
//! Wasmux has no fork, so this shell is shaped around spawn: external
//! commands are spawned with file actions for their redirections, and the
//! shell runs everything else (builtins, functions, compound commands)
//! itself. The pure parts — the parser ([`syntax`]) and word expansion
//! ([`expand`], which asks for variables and files through a trait) — build
//! and are tested on the host.
//!
//! # Invariants
//!
//! - Parsing never runs anything; expansion only reaches the shell
//!   through [`expand::Context`].
//! - A syntax tree prints back to source that parses to the same tree
//!   ([`syntax::print`]).
//!
//! # Example
//!
//! ```
//! use wasmux_sh::syntax::{parse, print};
//!
//! let list = parse("for f in *.c; do cc -c \"$f\" || exit 1; done").unwrap();
//! assert_eq!(
//!     print::and_or_line(&list.items[0].and_or),
//!     "for f in *.c; do cc -c \"$f\" || exit 1; done"
//! );
//! ```

pub mod expand;
pub mod syntax;
