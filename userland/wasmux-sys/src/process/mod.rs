//! Starting programs: [`Command`] (spawn with pipes, process groups and
//! signal settings; PATH lookup happens here, not in the kernel) and
//! [`exec`].
//!
//! Wasmux has no fork: a child is created running its program, with file
//! actions arranging its fds (posix_spawn). Pipes the builder creates are
//! close-on-exec on the caller's side, so later children never hold a
//! pipe open by accident and readers see end of file when they should.

mod child;
mod command;
mod request;
mod stdio;

use std::ffi::OsStr;
use std::io;
use std::path::Path;

pub use child::{Child, Output};
pub use command::{Command, DEFAULT_PATH};
pub use stdio::Stdio;

use crate::bytes;

/// Replaces the caller's program with the one at `path` (no PATH lookup;
/// see [`Command::exec`] for that), keeping its pid, process group,
/// working directory and fds but the close-on-exec ones. `argv` includes
/// argv\[0\]; `env` entries are `KEY=VALUE`. Returns only on failure, with
/// spawn's loading errors (`ENOENT`, `EACCES`, `ENOEXEC`, `E2BIG`, ...).
pub fn exec<A, E>(path: impl AsRef<Path>, argv: &[A], env: &[E]) -> io::Error
where
    A: AsRef<OsStr>,
    E: AsRef<OsStr>,
{
    let list = |items: &mut dyn Iterator<Item = &[u8]>| request::string_list(items);
    let argv = list(&mut argv.iter().map(|arg| bytes(arg.as_ref())));
    let env = list(&mut env.iter().map(|entry| bytes(entry.as_ref())));
    match (argv, env) {
        (Ok(argv), Ok(env)) => request::exec(bytes(path.as_ref().as_os_str()), &argv, &env),
        (Err(error), _) | (_, Err(error)) => error,
    }
}
