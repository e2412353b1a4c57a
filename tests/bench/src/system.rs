//! A kernel in this process, with real host services, to time guests in.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use wasmux_fs::clock::SystemClock;
use wasmux_fs::{Access, Cred, HostFs, MemFs, OpenFile, Vfs, Walk};
use wasmux_kernel::{Inherit, Kernel, KernelConfig, Preopen, RunState, SpawnSpec};
use wasmux_uapi::{ClockId, FdFlags, Rights, Timestamp};
use wasmux_wasi::Host;

/// Clocks and randomness for the benchmark kernel.
pub struct BenchHost {
    origin: Instant,
}

impl BenchHost {
    pub fn new() -> BenchHost {
        BenchHost {
            origin: Instant::now(),
        }
    }
}

impl Host for BenchHost {
    fn realtime(&self) -> Timestamp {
        wasmux_fs::Clock::now(&SystemClock)
    }
    fn monotonic(&self) -> Timestamp {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX) + 1_000_000_000
    }
    fn resolution(&self, _clock: ClockId) -> Timestamp {
        1
    }
    fn random(&self, buf: &mut [u8]) {
        buf.fill(4);
    }
}

/// A sink for guest output.
struct Discard;

impl wasmux_fs::File for Discard {
    fn stat(&self) -> Result<wasmux_fs::Metadata, wasmux_fs::FsError> {
        Err(wasmux_fs::FsError::NotSupported)
    }
    fn is_seekable(&self) -> bool {
        false
    }
    fn read(&self, _: u64, _: &mut [u8]) -> Result<usize, wasmux_fs::FsError> {
        Ok(0)
    }
    fn write(
        &self,
        _: wasmux_fs::WritePos,
        data: &[u8],
    ) -> Result<(usize, u64), wasmux_fs::FsError> {
        Ok((data.len(), 0))
    }
    fn set_attr(&self, _: &wasmux_fs::SetAttr) -> Result<(), wasmux_fs::FsError> {
        Ok(())
    }
    fn sync(&self) -> Result<(), wasmux_fs::FsError> {
        Ok(())
    }
    fn poll(&self) -> wasmux_fs::Readiness {
        wasmux_fs::Readiness::ALWAYS
    }
}

/// A kernel whose root is a fresh memfs, or the host directory `root`.
pub struct System {
    pub kernel: Kernel,
}

impl System {
    pub fn memfs() -> System {
        let clock = Rc::new(SystemClock);
        System::over(Vfs::new(
            Rc::new(RefCell::new(MemFs::new(clock.clone()))),
            clock,
        ))
    }

    pub fn hostfs(root: &Path) -> System {
        let clock = Rc::new(SystemClock);
        let fs = HostFs::new(root).expect("the benchmark's host directory");
        System::over(Vfs::new(Rc::new(RefCell::new(fs)), clock))
    }

    fn over(vfs: Vfs) -> System {
        let host = Rc::new(BenchHost {
            origin: Instant::now(),
        });
        System {
            kernel: Kernel::new(vfs, host, KernelConfig::default()),
        }
    }

    /// Writes an executable file at the absolute `path`.
    pub fn install(&mut self, path: &str, bytes: &[u8]) {
        let vfs = self.kernel.vfs();
        let root = vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let options = wasmux_fs::OpenOptions {
            access: Access::READ_WRITE,
            create: true,
            truncate: true,
            mode: 0o755,
            ..wasmux_fs::OpenOptions::READ
        };
        let file = vfs
            .open(&walk, path.as_bytes(), &options)
            .expect("install a benchmark program");
        file.write(bytes).expect("write a benchmark program");
    }

    /// Runs `program` with `args` to its end; returns the wall time and its exit code.
    pub fn run(&mut self, program: &[u8], args: &[&str]) -> (Duration, i32) {
        let root = self.kernel.vfs().root();
        let sink = || Inherit {
            file: Rc::new(OpenFile::new(
                Box::new(Discard),
                Access::READ_WRITE,
                FdFlags::empty(),
            )),
            rights: Rights::STREAM,
        };
        let spec = SpawnSpec {
            program: program.to_vec(),
            args: args.iter().map(|arg| arg.as_bytes().to_vec()).collect(),
            env: Vec::new(),
            stdio: [sink(), sink(), sink()],
            preopens: vec![Preopen {
                name: b"/".to_vec(),
                at: root,
            }],
            root,
            cwd: root,
            cred: Cred::ROOT,
            confine_paths: false,
        };
        let started = Instant::now();
        let pid = self.kernel.spawn(spec).expect("a benchmark program loads");
        loop {
            match self.kernel.run() {
                RunState::Empty => break,
                RunState::Busy => {}
                RunState::Idle { .. } => std::thread::sleep(Duration::from_micros(50)),
            }
        }
        let elapsed = started.elapsed();
        let death = self
            .kernel
            .take_deaths()
            .into_iter()
            .find(|d| d.pid == pid)
            .expect("the benchmark process ended");
        (elapsed, death.status.code())
    }
}
