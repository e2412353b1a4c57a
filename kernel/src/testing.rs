//! Fakes for tests: a host with a controllable clock and deterministic
//! randomness, and a kernel over an in-memory filesystem.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasmux_fs::{Access, Cred, FakeClock, MemFs, OpenFile, Vfs};
use wasmux_uapi::{FdFlags, Rights, Timestamp};
pub use wasmux_wasi::testing::{Capture, FakeHost};

use crate::{Inherit, Kernel, KernelConfig, Preopen, SpawnSpec};

/// A kernel over an empty memfs root, with a fake host.
pub fn kernel() -> Kernel {
    kernel_and_clock().0
}

/// A kernel as [`kernel`] makes it, and its host's monotonic clock to move.
pub fn kernel_and_clock() -> (Kernel, Rc<Cell<Timestamp>>) {
    let clock = Rc::new(FakeClock::new(1_700_000_000_000_000_000));
    let root = Rc::new(RefCell::new(MemFs::new(clock.clone())));
    let vfs = Vfs::new(root, clock.clone());
    let host = FakeHost::new(clock);
    let monotonic = host.monotonic_clock();
    // Small slices keep debug-build tests quick; the behaviour is the same.
    let config = KernelConfig {
        slice_fuel: 100_000,
        ..KernelConfig::default()
    };
    (Kernel::new(vfs, Rc::new(host), config), monotonic)
}

/// A spec that runs `program` with stdio captured into `stdout` (fd 1 and 2)
/// and "/" preopened.
pub fn spec_with_output(kernel: &mut Kernel, program: Vec<u8>, stdout: &Capture) -> SpawnSpec {
    let root = kernel.vfs().root();
    let sink = |capture: &Capture| Inherit {
        file: Rc::new(OpenFile::new(
            Box::new(capture.clone()),
            Access::READ_WRITE,
            FdFlags::empty(),
        )),
        rights: Rights::STREAM,
    };
    SpawnSpec {
        program,
        args: vec![b"program".to_vec()],
        env: Vec::new(),
        stdio: [sink(&Capture::default()), sink(stdout), sink(stdout)],
        preopens: vec![Preopen {
            name: b"/".to_vec(),
            at: root,
        }],
        root,
        cwd: root,
        cred: Cred::ROOT,
        confine_paths: false,
    }
}

/// A spec that runs `program` with discarded stdio and "/" preopened.
pub fn spec(kernel: &mut Kernel, program: Vec<u8>) -> SpawnSpec {
    spec_with_output(kernel, program, &Capture::default())
}

/// Writes `bytes` to `path` (absolute, parent existing) with `mode`.
///
/// # Panics
/// If the file cannot be created: a broken test setup.
#[allow(clippy::expect_used)]
pub fn install(kernel: &mut Kernel, path: &str, bytes: &[u8], mode: u32) {
    let vfs = kernel.vfs();
    let root = vfs.root();
    let walk = wasmux_fs::Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    let options = wasmux_fs::OpenOptions {
        access: Access::READ_WRITE,
        create: true,
        truncate: true,
        mode,
        ..wasmux_fs::OpenOptions::READ
    };
    let file = vfs
        .open(&walk, path.as_bytes(), &options)
        .expect("create a test file");
    file.write(bytes).expect("write a test file");
}
