//! ABI tests: real fd tables and a memfs VFS, a fake host, and a guest
//! memory that is only reachable by copying (the shape a JIT process has).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod attr_tests;
mod fd_tests;
mod fuzz;
mod path_tests;
mod poll_tests;

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{Access, FakeClock, MemFs, OpenFile, Vfs};
use wasmux_mm::{CopyingMemory, GuestMemory, GuestMemoryExt};
use wasmux_proc::{
    Executor, FdEntry, FdTable, MAX_SYSCALL_ARGS, Process, Stop, SyscallRequest, Trap,
};
use wasmux_uapi::{FdFlags, Pid, Rights};

use crate::testing::{Capture, FakeHost, FakeProcesses};
use crate::{Context, SYSCALLS, SysError, SysResult, dispatch};

/// The harness calls handlers directly; no guest code runs.
struct NoCode;

impl Executor for NoCode {
    fn run(&mut self, _fuel: u64, _reply: Option<u64>) -> Stop {
        Stop::Trapped(Trap {
            kind: "no code".into(),
        })
    }
    fn push_call(&mut self, _export: &str, _args: &[u64]) -> Result<(), Trap> {
        Err(Trap {
            kind: "no code".into(),
        })
    }
    fn memory(&mut self) -> Box<dyn GuestMemory + '_> {
        Box::new(CopyingMemory::new(0))
    }
    fn fuel_consumed(&self) -> u64 {
        0
    }
    fn memory_bytes(&self) -> u64 {
        0
    }
}

pub struct Harness {
    pub process: Process,
    pub vfs: Vfs,
    pub host: FakeHost,
    pub processes: FakeProcesses,
    pub ipc: wasmux_ipc::Ipc,
    pub memory: CopyingMemory,
    pub stdout: Capture,
    pub call_time: u64,
}

/// The preopened root's fd.
pub const ROOT_FD: u64 = 3;

impl Harness {
    pub fn new() -> Harness {
        let clock = Rc::new(FakeClock::new(1_700_000_000_000_000_000));
        let root = Rc::new(RefCell::new(MemFs::new(clock.clone())));
        let mut vfs = Vfs::new(root, clock.clone());
        let top = vfs.root();
        let stdout = Capture::default();
        let mut fds = FdTable::new();
        let stream = |capture: &Capture| FdEntry {
            file: Rc::new(OpenFile::new(
                Box::new(capture.clone()),
                Access::READ_WRITE,
                FdFlags::empty(),
            )),
            rights: Rights::STREAM,
            inheriting: Rights::empty(),
            cloexec: false,
            preopen: None,
        };
        fds.insert(stream(&Capture::default())).unwrap();
        fds.insert(stream(&stdout)).unwrap();
        fds.insert(stream(&stdout)).unwrap();
        let dir = vfs
            .open_location(top, Access::READ, FdFlags::empty())
            .unwrap();
        fds.insert(FdEntry {
            file: Rc::new(dir),
            rights: Rights::DIRECTORY,
            inheriting: Rights::all(),
            cloexec: false,
            preopen: Some(b"/".to_vec()),
        })
        .unwrap();
        let mut process = Process::new(Pid(1), Box::new(NoCode), top, 0);
        process.executor = None;
        process.args = vec![b"prog".to_vec(), b"arg".to_vec()];
        process.env = vec![b"A=1".to_vec()];
        process.fds = fds;
        process.confine_paths = true;
        Harness {
            process,
            vfs,
            host: FakeHost::new(clock),
            processes: FakeProcesses::default(),
            ipc: wasmux_ipc::Ipc::default(),
            memory: CopyingMemory::new(64 * 1024),
            stdout,
            call_time: 1_000_000_000,
        }
    }

    /// Calls the system call `name` with raw arguments.
    pub fn call(&mut self, name: &str, args: &[u64]) -> SysResult {
        let number = SYSCALLS
            .iter()
            .position(|syscall| syscall.function.name == name)
            .expect("no such syscall");
        let mut request = SyscallRequest {
            number: number as u32,
            args: [0; MAX_SYSCALL_ARGS],
            arg_count: args.len(),
        };
        request.args[..args.len()].copy_from_slice(args);
        let mut cx = Context {
            process: &mut self.process,
            vfs: &mut self.vfs,
            host: &self.host,
            processes: &mut self.processes,
            ipc: &self.ipc,
            call_time: self.call_time,
            cpu_time: 0,
            yield_now: false,
        };
        dispatch(&mut cx, &mut self.memory, &request)
    }

    /// The errno a call returns (0 for success); panics on block/exit.
    pub fn errno(&mut self, name: &str, args: &[u64]) -> u16 {
        match self.call(name, args) {
            Ok(()) => 0,
            Err(SysError::Errno(errno)) => errno.raw(),
            Err(other) => panic!("{name} did not return: {other:?}"),
        }
    }

    pub fn put(&mut self, addr: u32, bytes: &[u8]) {
        self.memory.write(addr, bytes).unwrap();
    }

    pub fn u32_at(&self, addr: u32) -> u32 {
        self.memory.read_value(addr).unwrap()
    }

    pub fn u64_at(&self, addr: u32) -> u64 {
        self.memory.read_value(addr).unwrap()
    }

    /// Writes a one-entry iovec list at `list` pointing at `buf..buf+len`.
    pub fn iovec(&mut self, list: u32, buf: u32, len: u32) {
        self.memory.write_value(list, buf).unwrap();
        self.memory.write_value(list + 4, len).unwrap();
    }

    /// Opens (creating) `name` under the root with every right; returns the fd.
    pub fn create(&mut self, name: &str) -> u64 {
        self.put(100, name.as_bytes());
        let errno = self.errno(
            "path_open",
            &[
                ROOT_FD,
                0,
                100,
                name.len() as u64,
                1,
                u64::MAX,
                u64::MAX,
                0,
                200,
            ],
        );
        assert_eq!(errno, 0, "creating {name}");
        u64::from(self.u32_at(200))
    }
}
