//! /bin/sh for Wasmux: a POSIX-style shell that spawns its commands.
//!
//! Wasmux has no fork, so this shell is shaped around spawn. Programs are
//! spawned with file actions for their redirections; everything else
//! (builtins, functions, compound commands, `( )` and `$( )`) runs in the
//! shell's own process. What must run beside other processes — a pipeline
//! stage that is not a program, a compound command in the background — runs
//! in a child `sh -c` that is handed the shell's state as a script
//! (`exec/child.rs`). Redirections of in-process commands change a table of
//! logical fds ([`shell::fds`]) rather than the shell's own fds, so a
//! command substitution collects its output in memory and nothing needs
//! saving and restoring.
//!
//! The pure parts build and are tested on the host: the parser
//! ([`syntax`]), word expansion ([`expand`], which asks for variables and
//! files through a trait), jobs' bookkeeping ([`jobs`]) and the line editor
//! (the `editor` module). The rest calls the kernel through wasmux-sys, whose calls
//! fail with ENOSYS off Wasmux; it is tested end to end by
//! tests/tests/shell.rs.
//!
//! Where it differs from bash or dash, on purpose or for now:
//!
//! - The last stage of a pipeline that is not a program runs in the shell
//!   (as in ksh and zsh), so `echo x | read v` sets `v`; an interactive
//!   shell runs every stage as a process, so a job can be stopped whole.
//! - Programs get fds 0-2 from the table; a redirection of fd 4-9 reaches
//!   builtins and functions but not programs (spawn takes no such action
//!   yet through wasmux-sys's `Command`), fd 3 is the kernel's root
//!   preopen, and a closed fd 0-2 (`>&-`) is given to a program as an
//!   empty stdin or /dev/null.
//! - Signal numbers are WASI's, so `$?` after ^Z is 128 + 19.
//! - Preview1 has no mode bits: `test -x` is true for any existing file.
//!
//! # Invariants
//!
//! - Parsing never runs anything; expansion reaches the shell only through
//!   [`expand::Context`].
//! - A syntax tree prints back to source that parses to the same tree
//!   ([`syntax::print`]): child shells get their commands that way.
//! - Every fd the shell opens or creates for itself is close-on-exec: a
//!   spawned command gets exactly the fds its table gives it.
//! - A subshell run in-process leaves no trace: variables, functions,
//!   options, traps, fds and the working directory are put back.
//! - With job control, every pipeline is its own process group, and the
//!   terminal goes back to the shell (with its modes) when the job stops
//!   or ends.
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

pub mod builtins;
pub mod cli;
pub mod editor;
pub mod exec;
pub mod expand;
pub mod input;
pub mod interactive;
pub mod jobs;
pub mod shell;
pub mod syntax;
pub mod traps;
pub mod util;
