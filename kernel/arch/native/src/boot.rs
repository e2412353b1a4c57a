//! `wasmux boot`: Wasmux from a disk image, to a shell on this terminal.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use wasmux_fs::clock::SystemClock;
use wasmux_fs::{Cred, DiskFs, DiskOptions, FsError, Vfs, Walk};
use wasmux_kernel::{Kernel, KernelConfig, RunState, SpawnSpec, TERMINAL_ENV};
use wasmux_wasi::Host;

use crate::cli::BootOptions;
use crate::host::NativeHost;
use crate::terminal::{self, HostScreen, RawMode};

/// Exit status when the system cannot boot.
const EXIT_NO_BOOT: i32 = 1;

/// Where the disk lives when `--disk` is not given.
fn default_disk() -> PathBuf {
    if let Some(path) = std::env::var_os("WASMUX_DISK") {
        return PathBuf::from(path);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("wasmux/disk.img")
}

fn has_init(vfs: &mut Vfs) -> bool {
    let root = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    vfs.stat_path(&walk, b"/sbin/init", true).is_ok()
}

/// Opens the disk and installs the root filesystem if it has none.
fn prepare(options: &BootOptions) -> Result<Kernel, String> {
    let disk = options.disk.clone().unwrap_or_else(default_disk);
    if let Some(parent) = disk
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("{}: {error}", parent.display()))?;
    }
    let clock = Rc::new(SystemClock);
    let fs = DiskFs::open_image(&disk, clock.clone(), DiskOptions::default())
        .map_err(|error| format!("{}: {error}", disk.display()))?;
    let vfs = Vfs::new(Rc::new(RefCell::new(fs)), clock);
    let mut kernel = Kernel::new(vfs, Rc::new(NativeHost::new()), KernelConfig::default());
    if !has_init(kernel.vfs()) {
        let Some(rootfs) = &options.rootfs else {
            return Err(format!(
                "{} holds no root filesystem: pass --rootfs rootfs.tar",
                disk.display()
            ));
        };
        let archive =
            std::fs::read(rootfs).map_err(|error| format!("{}: {error}", rootfs.display()))?;
        let report = wasmux_kernel::install_rootfs(kernel.vfs(), &archive)
            .map_err(|error| format!("{}: {error}", rootfs.display()))?;
        kernel
            .sync()
            .map_err(|error| format!("saving the disk: {error}"))?;
        eprintln!(
            "wasmux: installed {} ({} entries) on {}",
            rootfs.display(),
            report.entries,
            disk.display()
        );
        if !has_init(kernel.vfs()) {
            return Err(format!("{} has no /sbin/init", rootfs.display()));
        }
    }
    kernel
        .mount_system_filesystems()
        .map_err(|error: FsError| format!("mounting /dev, /proc, /tmp: {error}"))?;
    Ok(kernel)
}

/// Boots and runs until init ends; returns its exit status.
pub fn boot(options: &BootOptions) -> i32 {
    let mut kernel = match prepare(options) {
        Ok(kernel) => kernel,
        Err(message) => {
            eprintln!("wasmux: {message}");
            return EXIT_NO_BOOT;
        }
    };
    let raw = RawMode::enter();
    let tty = kernel.attach_console(Box::new(HostScreen));
    if !raw.is_raw() {
        // Input from a pipe is not typed: do not echo it back.
        let mut termios = *tty.borrow().termios();
        termios.c_lflag &= !(wasmux_uapi::termios::ECHO | wasmux_uapi::termios::ECHONL);
        tty.borrow_mut()
            .set_termios(termios, wasmux_console::SetWhen::Now);
    }
    if let Some((rows, cols)) = terminal::window_size() {
        kernel.console_resize(rows, cols);
    }
    let Some(stdio) = kernel.console_stdio() else {
        return EXIT_NO_BOOT;
    };
    let root = kernel.vfs().root();
    let mut args = vec![b"/sbin/init".to_vec()];
    if let Some(command) = &options.command {
        args.push(b"-c".to_vec());
        args.push(command.as_bytes().to_vec());
    }
    let program = match read_init(&mut kernel) {
        Ok(bytes) => bytes,
        Err(message) => {
            drop(raw);
            eprintln!("wasmux: {message}");
            return EXIT_NO_BOOT;
        }
    };
    let env = TERMINAL_ENV.iter().map(|var| var.to_vec()).collect();
    let spec = SpawnSpec::system(program, args, env, stdio, root);
    let init = match kernel.spawn(spec) {
        Ok(pid) => pid,
        Err(error) => {
            drop(raw);
            eprintln!("wasmux: /sbin/init: {error}");
            return EXIT_NO_BOOT;
        }
    };
    let status = drive(&mut kernel, init);
    if let Err(error) = kernel.sync() {
        eprintln!("wasmux: saving the disk: {error}");
    }
    drop(raw);
    status
}

fn read_init(kernel: &mut Kernel) -> Result<Vec<u8>, String> {
    let vfs = kernel.vfs();
    let root = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    vfs.read_executable(&walk, b"/sbin/init")
        .map_err(|error| format!("/sbin/init: {error}"))
}

/// The platform loop: keys and resizes in, rounds of the kernel, sleep
/// while everything waits; ends when init does.
fn drive(kernel: &mut Kernel, init: wasmux_uapi::Pid) -> i32 {
    let keys = terminal::keys();
    let resizes = terminal::resizes();
    let clock = NativeHost::new();
    let mut input_open = true;
    loop {
        if terminal::resized(&resizes) {
            if let Some((rows, cols)) = terminal::window_size() {
                kernel.console_resize(rows, cols);
            }
        }
        let state = kernel.run();
        for line in kernel.take_log() {
            eprint!("wasmux: {line}\r\n");
        }
        if let Some(death) = kernel
            .take_deaths()
            .into_iter()
            .find(|death| death.pid == init)
        {
            if let Some(trap) = death.trap {
                eprint!("wasmux: /sbin/init: wasm trap: {trap}\r\n");
            }
            return death.status.code();
        }
        let _ = kernel.vfs().flush_if_due();
        let wait = match state {
            RunState::Busy => Duration::ZERO,
            RunState::Empty => return EXIT_NO_BOOT,
            RunState::Idle {
                deadline: Some(deadline),
            } => Duration::from_nanos(deadline.saturating_sub(clock.monotonic()))
                .min(Duration::from_millis(250)),
            RunState::Idle { deadline: None } => Duration::from_millis(250),
        };
        let first = if wait.is_zero() || !input_open {
            if !wait.is_zero() {
                std::thread::sleep(wait);
            }
            keys.try_recv().map_err(|_| RecvTimeoutError::Timeout)
        } else {
            keys.recv_timeout(wait)
        };
        let mut next = first;
        loop {
            match next {
                Ok(Some(bytes)) => kernel.console_input(&bytes),
                Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                    input_open = false;
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
            }
            next = keys.try_recv().map_err(|_| RecvTimeoutError::Timeout);
        }
    }
}
