//! Fakes for tests of the ABI and of everything above it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasmux_fs::{Clock, FakeClock};
use wasmux_uapi::{ClockId, Timestamp};

use crate::Host;

/// A host whose clocks only move when told (or by `tick` per reading), and
/// whose random bytes are a fixed sequence.
#[derive(Debug)]
pub struct FakeHost {
    pub clock: Rc<FakeClock>,
    monotonic: Rc<Cell<Timestamp>>,
    /// Added to the monotonic clock on every reading, so loops that poll time make progress.
    pub tick: Timestamp,
    seed: Cell<u64>,
}

impl FakeHost {
    pub fn new(clock: Rc<FakeClock>) -> FakeHost {
        FakeHost {
            clock,
            monotonic: Rc::new(Cell::new(1_000_000_000)),
            tick: 1_000,
            seed: Cell::new(0x9e37_79b9_7f4a_7c15),
        }
    }

    /// The monotonic clock, shared, to move it after the host is boxed.
    pub fn monotonic_clock(&self) -> Rc<Cell<Timestamp>> {
        self.monotonic.clone()
    }

    /// Moves the monotonic clock forward.
    pub fn advance(&self, ns: Timestamp) {
        self.monotonic.set(self.monotonic.get().saturating_add(ns));
    }
}

impl Host for FakeHost {
    fn realtime(&self) -> Timestamp {
        self.clock.now()
    }

    fn monotonic(&self) -> Timestamp {
        let now = self.monotonic.get().saturating_add(self.tick);
        self.monotonic.set(now);
        now
    }

    fn resolution(&self, _clock: ClockId) -> Timestamp {
        1
    }

    fn random(&self, buf: &mut [u8]) {
        let mut seed = self.seed.get();
        for byte in buf {
            // xorshift64: deterministic, good enough for a fake.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *byte = seed as u8;
        }
        self.seed.set(seed);
    }
}

/// A sink that keeps what is written, for stdout and stderr in tests.
#[derive(Clone, Debug, Default)]
pub struct Capture(pub Rc<RefCell<Vec<u8>>>);

impl Capture {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.borrow()).into_owned()
    }
}

impl wasmux_fs::File for Capture {
    fn stat(&self) -> Result<wasmux_fs::Metadata, wasmux_fs::FsError> {
        Ok(wasmux_fs::Metadata {
            dev: 0,
            ino: wasmux_fs::InodeId(0),
            kind: wasmux_fs::NodeKind::CharDevice,
            mode: 0o620,
            nlink: 1,
            uid: 0,
            gid: 0,
            size: 0,
            rdev: 0,
            atime: 0,
            mtime: 0,
            ctime: 0,
        })
    }
    fn is_seekable(&self) -> bool {
        false
    }
    fn read(&self, _offset: u64, _buf: &mut [u8]) -> Result<usize, wasmux_fs::FsError> {
        Ok(0)
    }
    fn write(
        &self,
        _pos: wasmux_fs::WritePos,
        data: &[u8],
    ) -> Result<(usize, u64), wasmux_fs::FsError> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok((data.len(), 0))
    }
    fn set_attr(&self, _changes: &wasmux_fs::SetAttr) -> Result<(), wasmux_fs::FsError> {
        Ok(())
    }
    fn sync(&self) -> Result<(), wasmux_fs::FsError> {
        Ok(())
    }
    fn poll(&self) -> wasmux_fs::Readiness {
        wasmux_fs::Readiness::ALWAYS
    }
}

/// A `Processes` over a plain table that records what calls asked for.
#[derive(Debug, Default)]
pub struct FakeProcesses {
    pub table: wasmux_proc::ProcessTable,
    /// Processes started, by pid.
    pub started: Vec<wasmux_uapi::Pid>,
    /// Signals sent.
    pub signals: Vec<(wasmux_uapi::Pid, wasmux_uapi::Signal)>,
    /// Kernel log lines.
    pub log: Vec<String>,
}

impl crate::Processes for FakeProcesses {
    fn table(&mut self) -> &mut wasmux_proc::ProcessTable {
        &mut self.table
    }

    fn load(
        &mut self,
        _program: &[u8],
        _file: Option<wasmux_proc::ProgramKey>,
        _choice: wasmux_proc::ExecutorChoice,
    ) -> Result<Box<dyn wasmux_proc::Executor>, wasmux_proc::LoadError> {
        Err(wasmux_proc::LoadError::Invalid(
            "the fake loads nothing".into(),
        ))
    }

    fn load_cached(
        &mut self,
        _file: wasmux_proc::ProgramKey,
        _choice: wasmux_proc::ExecutorChoice,
    ) -> Option<Result<Box<dyn wasmux_proc::Executor>, wasmux_proc::LoadError>> {
        None
    }

    fn start(&mut self, process: wasmux_proc::Process) {
        self.started.push(process.pid);
        self.table.insert(process);
    }

    fn signal(&mut self, target: wasmux_uapi::Pid, signal: wasmux_uapi::Signal) {
        self.signals.push((target, signal));
    }

    fn log(&mut self, line: String) {
        self.log.push(line);
    }
}
