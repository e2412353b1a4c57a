//! Loading a program image for spawn and exec: reading the file, following
//! a `#!` line, and decoding argument and environment buffers.

use wasmux_fs::{Location, Metadata, Walk};
use wasmux_mm::{GuestMemory, GuestMemoryExt};
use wasmux_proc::{Executor, ExecutorChoice, ProgramKey};
use wasmux_uapi::Errno;

use crate::context::{Context, SysResult};

/// The most bytes of arguments plus environment one image may get (ARG_MAX).
pub const ARG_MAX: u32 = 2 << 20;

/// The longest `#!` line honoured.
const SHEBANG_MAX: usize = 256;

/// A loaded program, ready to become a process's code.
pub struct Image {
    pub executor: Box<dyn Executor>,
    /// The arguments it starts with (changed by a `#!` line).
    pub args: Vec<Vec<u8>>,
}

impl core::fmt::Debug for Image {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Image")
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

/// Splits a buffer of NUL-terminated strings.
/// Errors: Inval if the last string is not terminated.
pub fn split_strings(buffer: &[u8]) -> Result<Vec<Vec<u8>>, Errno> {
    match buffer.split_last() {
        None => Ok(Vec::new()),
        Some((&0, body)) => Ok(body.split(|&byte| byte == 0).map(<[u8]>::to_vec).collect()),
        Some(_) => Err(Errno::Inval),
    }
}

/// Reads the strings buffer at `ptr` of `len` bytes.
/// Errors: TooBig beyond [`ARG_MAX`], Fault, Inval.
pub fn read_strings(memory: &dyn GuestMemory, ptr: u32, len: u32) -> SysResult<Vec<Vec<u8>>> {
    if len > ARG_MAX {
        return Err(Errno::TooBig.into());
    }
    Ok(split_strings(&memory.read_bytes(ptr, len)?)?)
}

/// The interpreter and its optional argument from a `#!` line.
fn shebang(bytes: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let rest = bytes.strip_prefix(b"#!")?;
    let line_end = rest
        .iter()
        .position(|&byte| byte == b'\n')
        .unwrap_or(rest.len());
    let line = rest.get(..line_end.min(SHEBANG_MAX))?;
    let is_space = |byte: &u8| *byte == b' ' || *byte == b'\t' || *byte == b'\r';
    let line = line.trim_ascii();
    let split = line.iter().position(is_space).unwrap_or(line.len());
    let (interpreter, argument) = line.split_at(split);
    let argument = argument.trim_ascii();
    if interpreter.is_empty() {
        return None;
    }
    Some((
        interpreter.to_vec(),
        (!argument.is_empty()).then(|| argument.to_vec()),
    ))
}

/// The identity of a program file as of its last change.
fn key_of(meta: &Metadata) -> ProgramKey {
    ProgramKey {
        dev: meta.dev,
        ino: meta.ino.0,
        size: meta.size,
        mtime: meta.mtime,
        ctime: meta.ctime,
    }
}

/// Loads a program file: from the kernel's cache when the file has not
/// changed since it was compiled, else read (unless `bytes` already holds
/// it) and compiled.
fn load_file(
    cx: &mut Context<'_>,
    path: &[u8],
    at: Location,
    meta: &Metadata,
    bytes: Option<Vec<u8>>,
    choice: ExecutorChoice,
) -> SysResult<Box<dyn Executor>> {
    let key = key_of(meta);
    let result = match cx.processes.load_cached(key, choice) {
        Some(result) => result,
        None => {
            let bytes = match bytes {
                Some(bytes) => bytes,
                None => cx.vfs.read_program(at, meta)?,
            };
            if bytes.starts_with(b"#!") {
                // An interpreter that is itself a script: one level only.
                return Err(Errno::NoExec.into());
            }
            cx.processes.load(&bytes, Some(key), choice)
        }
    };
    result.map_err(|error| {
        cx.processes
            .log(format!("{}: {error}", String::from_utf8_lossy(path)));
        Errno::NoExec.into()
    })
}

/// Loads the program at `path` (walked from `walk`) with `args`. A script
/// starting with `#!` runs its interpreter with the script's path inserted,
/// as execve does (one level). A program file unchanged since it was last
/// compiled is not read again.
/// Errors: as reading the file (NoEnt, Access, NotDir, Loop...), NoExec when
/// it is not a program the kernel can run (the kernel log says why).
pub fn load(
    cx: &mut Context<'_>,
    walk: &Walk,
    path: &[u8],
    args: Vec<Vec<u8>>,
    env: &[Vec<u8>],
) -> SysResult<Image> {
    let choice = ExecutorChoice::from_env(env);
    let (at, meta) = cx.vfs.check_executable(walk, path)?;
    if let Some(result) = cx.processes.load_cached(key_of(&meta), choice) {
        let executor = result.map_err(|_| Errno::NoExec)?;
        return Ok(Image { executor, args });
    }
    let bytes = cx.vfs.read_program(at, &meta)?;
    match shebang(&bytes) {
        Some((interpreter, argument)) => {
            let mut new_args = vec![interpreter.clone()];
            new_args.extend(argument);
            new_args.push(path.to_vec());
            new_args.extend(args.into_iter().skip(1));
            let (at, meta) = cx.vfs.check_executable(walk, &interpreter)?;
            let executor = load_file(cx, &interpreter, at, &meta, None, choice)?;
            Ok(Image {
                executor,
                args: new_args,
            })
        }
        None => {
            let executor = load_file(cx, path, at, &meta, Some(bytes), choice)?;
            Ok(Image { executor, args })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_at_nuls_and_must_be_terminated() {
        assert_eq!(
            split_strings(b"a\0bc\0\0").unwrap(),
            vec![b"a".to_vec(), b"bc".to_vec(), Vec::new()]
        );
        assert_eq!(split_strings(b"").unwrap(), Vec::<Vec<u8>>::new());
        assert_eq!(split_strings(b"a"), Err(Errno::Inval));
    }

    #[test]
    fn shebang_lines_give_interpreter_and_one_argument() {
        assert_eq!(
            shebang(b"#!/bin/sh\necho"),
            Some((b"/bin/sh".to_vec(), None))
        );
        assert_eq!(
            shebang(b"#! /usr/bin/env  sh -x \n"),
            Some((b"/usr/bin/env".to_vec(), Some(b"sh -x".to_vec())))
        );
        assert_eq!(shebang(b"#!\n"), None);
        assert_eq!(shebang(b"\0asm"), None);
    }
}
