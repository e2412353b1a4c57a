//! `wasmux run`: one program on a fresh kernel, the way `wasmtime run` runs it.

use std::cell::RefCell;
use std::os::unix::ffi::OsStrExt;
use std::rc::Rc;
use std::time::Duration;

use wasmux_fs::{Access, Cred, FsError, Location, MemFs, OpenFile, SharedFs, Vfs, Walk};
use wasmux_kernel::{Inherit, Kernel, KernelConfig, Preopen, RunState, SpawnSpec};
use wasmux_uapi::{FdFlags, Rights};
use wasmux_wasi::Host;

use crate::cli::RunOptions;
use wasmux_fs::clock::SystemClock;

use crate::host::NativeHost;
use crate::stdio::{HostStdio, Stream};

/// Exit status when the program file is missing (like a shell's "command not found").
pub const EXIT_NOT_FOUND: i32 = 127;
/// Exit status when the program cannot be run (like a shell's "cannot execute").
pub const EXIT_CANNOT_RUN: i32 = 126;

/// Runs the program described by `options`; returns the process's exit status.
pub fn run(options: &RunOptions) -> i32 {
    let name = options.program.display().to_string();
    let program = match std::fs::read(&options.program) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("wasmux: {name}: {error}");
            return if error.kind() == std::io::ErrorKind::NotFound {
                EXIT_NOT_FOUND
            } else {
                EXIT_CANNOT_RUN
            };
        }
    };
    let (vfs, preopens) = match build_tree(options) {
        Ok(tree) => tree,
        Err(message) => {
            eprintln!("wasmux: {message}");
            return EXIT_CANNOT_RUN;
        }
    };
    let host = NativeHost::new();
    let mut kernel = Kernel::new(vfs, Rc::new(host), KernelConfig::default());
    let root = kernel.vfs().root();
    let mut args = vec![options.program.as_os_str().as_bytes().to_vec()];
    args.extend(options.args.iter().map(|arg| arg.as_bytes().to_vec()));
    let spec = SpawnSpec {
        program,
        args,
        env: options
            .env
            .iter()
            .map(|entry| entry.as_bytes().to_vec())
            .collect(),
        stdio: [
            stdio(Stream::Stdin, Access::READ),
            stdio(Stream::Stdout, Access::WRITE),
            stdio(Stream::Stderr, Access::WRITE),
        ],
        preopens,
        root,
        cwd: root,
        cred: Cred::ROOT,
        confine_paths: true,
    };
    let pid = match kernel.spawn(spec) {
        Ok(pid) => pid,
        Err(error) => {
            eprintln!("wasmux: {name}: {error}");
            return EXIT_CANNOT_RUN;
        }
    };
    let death = drive(&mut kernel, pid);
    if let Err(error) = kernel.sync() {
        eprintln!("wasmux: flushing files failed: {error}");
    }
    let Some(death) = death else {
        eprintln!("wasmux: {name}: the process vanished");
        return EXIT_CANNOT_RUN;
    };
    if let Some(trap) = &death.trap {
        eprintln!("wasmux: {name}: wasm trap: {trap}");
    }
    death.status.code()
}

/// The platform loop: run the kernel, sleep while everything is blocked,
/// until the program ends (processes it left behind are not waited for,
/// as a shell does not wait for a command's background children).
fn drive(kernel: &mut Kernel, program: wasmux_uapi::Pid) -> Option<wasmux_kernel::Death> {
    let clock = NativeHost::new();
    loop {
        let state = kernel.run();
        for line in kernel.take_log() {
            eprintln!("wasmux: {line}");
        }
        if let Some(death) = kernel
            .take_deaths()
            .into_iter()
            .find(|death| death.pid == program)
        {
            return Some(death);
        }
        match state {
            RunState::Busy => {}
            RunState::Empty => return None,
            RunState::Idle { deadline } => {
                // Deadlines are the kernel host's monotonic time; this host
                // started a moment later, so its readings are never ahead.
                let wait = match deadline {
                    Some(deadline) => {
                        Duration::from_nanos(deadline.saturating_sub(clock.monotonic()))
                    }
                    // Nothing can wake a process here but input, which the
                    // stdio files read synchronously: look again shortly.
                    None => Duration::from_millis(10),
                };
                std::thread::sleep(wait);
                kernel.notify_io();
            }
        }
    }
}

fn stdio(stream: Stream, access: Access) -> Inherit {
    Inherit {
        file: Rc::new(OpenFile::new(
            Box::new(HostStdio::new(stream)),
            access,
            FdFlags::empty(),
        )),
        rights: Rights::STREAM,
    }
}

fn is_root(guest: &str) -> bool {
    guest == "/" || guest == "."
}

/// The guest's tree: a host dir mapped to "/" (or "."), else an empty memfs,
/// with the other host dirs mounted at their guest paths; and the preopens.
fn build_tree(options: &RunOptions) -> Result<(Vfs, Vec<Preopen>), String> {
    let clock = Rc::new(SystemClock);
    let mut root_dir = None;
    for mapping in options
        .dirs
        .iter()
        .filter(|mapping| is_root(&mapping.guest))
    {
        if root_dir.replace(mapping).is_some() {
            return Err("only one --dir may be the root (GUEST \"/\" or \".\")".into());
        }
    }
    let root: SharedFs = match root_dir {
        Some(mapping) => host_dir(mapping)?,
        None => Rc::new(RefCell::new(MemFs::new(clock.clone()))),
    };
    let mut vfs = Vfs::new(root, clock);
    let top = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: top,
        root: top,
        confine: false,
    };
    let mut preopens = Vec::new();
    for mapping in &options.dirs {
        if is_root(&mapping.guest) {
            preopens.push(Preopen {
                name: mapping.guest.as_bytes().to_vec(),
                at: top,
            });
            continue;
        }
        let fs = host_dir(mapping)?;
        let path = mapping.guest.as_bytes();
        let at = make_dirs(&mut vfs, &walk, path)
            .map_err(|error| format!("--dir {}: {error}", mapping.guest))?;
        vfs.mount(at, fs)
            .map_err(|error| format!("--dir {}: {error}", mapping.guest))?;
        let location = vfs
            .resolve(&walk, path, true)
            .map_err(|error| format!("--dir {}: {error}", mapping.guest))?;
        preopens.push(Preopen {
            name: path.to_vec(),
            at: location,
        });
    }
    Ok((vfs, preopens))
}

fn host_dir(mapping: &crate::cli::DirMapping) -> Result<SharedFs, String> {
    let fs = wasmux_fs::HostFs::new(&mapping.host)
        .map_err(|error| format!("--dir {}: {error}", mapping.host.display()))?;
    Ok(Rc::new(RefCell::new(fs)))
}

/// `mkdir -p` in the in-memory part of the tree.
fn make_dirs(vfs: &mut Vfs, walk: &Walk, path: &[u8]) -> Result<Location, FsError> {
    let mut prefix = Vec::new();
    for component in path
        .split(|&byte| byte == b'/')
        .filter(|component| !component.is_empty())
    {
        prefix.push(b'/');
        prefix.extend_from_slice(component);
        match vfs.mkdir(walk, &prefix, 0o755) {
            Ok(()) | Err(FsError::Exists) => {}
            Err(error) => return Err(error),
        }
    }
    vfs.resolve(walk, path, true)
}
