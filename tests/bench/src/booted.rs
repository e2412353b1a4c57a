//! The booted system, in-process: a disk image with the root filesystem
//! of `cargo xtask rootfs`, booted as `wasmux boot` does (open the image,
//! mount /dev /proc /tmp, the console, /sbin/init), with the console's
//! output kept in memory so a figure can watch for the shell's prompt.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use wasmux_console::TerminalOutput;
use wasmux_fs::clock::SystemClock;
use wasmux_fs::{Cred, DiskFs, DiskOptions, Vfs, Walk};
use wasmux_kernel::{Kernel, KernelConfig, RunState, SpawnSpec, TERMINAL_ENV};

use crate::system::BenchHost;

/// What the console showed, shared with the test.
#[derive(Clone, Default)]
struct Screen(Rc<RefCell<Vec<u8>>>);

impl TerminalOutput for Screen {
    fn write(&mut self, bytes: &[u8]) {
        self.0.borrow_mut().extend_from_slice(bytes);
    }
}

/// A disk image with the root filesystem installed (a warm disk).
pub struct Disk {
    image: PathBuf,
}

/// A booted kernel and its console's output.
struct Booted {
    kernel: Kernel,
    screen: Screen,
    /// The process spawned first (init, or the shell).
    first: wasmux_uapi::Pid,
}

impl Disk {
    /// Installs `rootfs` on a fresh image in `dir`.
    pub fn install(rootfs: &Path, dir: &Path) -> Result<Disk, String> {
        let archive =
            std::fs::read(rootfs).map_err(|error| format!("{}: {error}", rootfs.display()))?;
        let image = dir.join("bench-disk.img");
        let _ = std::fs::remove_file(&image);
        let disk = Disk { image };
        let mut kernel = disk.open()?;
        wasmux_kernel::install_rootfs(kernel.vfs(), &archive)
            .map_err(|error| format!("{}: {error}", rootfs.display()))?;
        kernel.sync().map_err(|error| format!("sync: {error}"))?;
        Ok(disk)
    }

    fn open(&self) -> Result<Kernel, String> {
        let clock = Rc::new(SystemClock);
        let fs = DiskFs::open_image(&self.image, clock.clone(), DiskOptions::default())
            .map_err(|error| format!("{}: {error}", self.image.display()))?;
        let vfs = Vfs::new(Rc::new(RefCell::new(fs)), clock);
        let host = Rc::new(BenchHost::new());
        Ok(Kernel::new(vfs, host, KernelConfig::default()))
    }

    /// Opens the disk, mounts the system filesystems, attaches a console
    /// and spawns `program` (read from the disk) with `args` on it.
    fn boot(&self, program: &str, args: &[&str]) -> Result<Booted, String> {
        let mut kernel = self.open()?;
        kernel
            .mount_system_filesystems()
            .map_err(|error| format!("mounting /dev, /proc, /tmp: {error}"))?;
        let screen = Screen::default();
        kernel.attach_console(Box::new(screen.clone()));
        let stdio = kernel.console_stdio().ok_or("no console")?;
        let root = kernel.vfs().root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let bytes = kernel
            .vfs()
            .read_executable(&walk, program.as_bytes())
            .map_err(|error| format!("{program}: {error}"))?;
        let spec = SpawnSpec::system(
            bytes,
            args.iter().map(|arg| arg.as_bytes().to_vec()).collect(),
            TERMINAL_ENV.iter().map(|var| var.to_vec()).collect(),
            stdio,
            root,
        );
        let first = kernel
            .spawn(spec)
            .map_err(|error| format!("{program}: {error}"))?;
        Ok(Booted {
            kernel,
            screen,
            first,
        })
    }

    /// Boots to the first shell prompt (the console's output ends with
    /// "# " or "$ " after init's banner); returns the time from opening
    /// the disk to then.
    pub fn boot_to_prompt(&self, limit: Duration) -> Result<Duration, String> {
        let started = Instant::now();
        let mut booted = self.boot("/sbin/init", &["/sbin/init"])?;
        let shows_prompt = |screen: &Screen| {
            let shown = screen.0.borrow();
            shown.ends_with(b"# ") || shown.ends_with(b"$ ")
        };
        drive(&mut booted, limit, |booted| shows_prompt(&booted.screen)).map_err(|error| {
            format!(
                "{error}; the console showed:\n{}",
                String::from_utf8_lossy(&booted.screen.0.borrow())
            )
        })?;
        Ok(started.elapsed())
    }

    /// Runs `/bin/sh -c script` on a booted system (no init: the shell is
    /// the only process besides those it starts); returns its wall time.
    pub fn run_shell(&self, script: &str, limit: Duration) -> Result<Duration, String> {
        let mut booted = self.boot("/bin/sh", &["sh", "-c", script])?;
        let started = Instant::now();
        let mut ended = false;
        drive(&mut booted, limit, |booted| {
            let first = booted.first;
            ended |= booted
                .kernel
                .take_deaths()
                .iter()
                .any(|death| death.pid == first);
            ended
        })?;
        let shown = String::from_utf8_lossy(&booted.screen.0.borrow()).into_owned();
        if !shown.trim().is_empty() {
            return Err(format!("the shell loop printed:\n{shown}"));
        }
        Ok(started.elapsed())
    }
}

/// Runs the kernel until `done` holds, for at most `limit`.
fn drive(
    booted: &mut Booted,
    limit: Duration,
    mut done: impl FnMut(&mut Booted) -> bool,
) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        let state = booted.kernel.run();
        if done(booted) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!("not done after {limit:?}"));
        }
        match state {
            RunState::Busy => {}
            RunState::Empty => return Err("every process ended".into()),
            RunState::Idle { .. } => std::thread::sleep(Duration::from_micros(50)),
        }
    }
}
