//! The browser platform's behaviour, natively over a memory store.

use std::cell::RefCell;
use std::rc::Rc;

use wasmux_fs::{BlockStore, FakeClock, MemoryStore, StoreError};
use wasmux_kernel::testing::FakeHost;

use crate::{Event, Sandbox, Step, System, SystemOptions};

/// A memory store the test keeps a handle on, as OPFS outlives a tab.
#[derive(Clone, Default)]
struct SharedStore(Rc<RefCell<MemoryStore>>);

impl BlockStore for SharedStore {
    fn len(&self) -> Result<u64, StoreError> {
        self.0.borrow().len()
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), StoreError> {
        self.0.borrow_mut().read_at(offset, buf)
    }
    fn write_at(&mut self, offset: u64, data: &[u8]) -> Result<(), StoreError> {
        self.0.borrow_mut().write_at(offset, data)
    }
    fn set_len(&mut self, len: u64) -> Result<(), StoreError> {
        self.0.borrow_mut().set_len(len)
    }
    fn flush(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

impl SharedStore {
    /// The store as a tab killed now would leave it.
    fn crash_copy(&self) -> SharedStore {
        let bytes = self.0.borrow().bytes().to_vec();
        SharedStore(Rc::new(RefCell::new(MemoryStore::from_bytes(bytes))))
    }
}

fn open(store: &SharedStore) -> System {
    let clock = Rc::new(FakeClock::new(1_700_000_000_000_000_000));
    let host = Rc::new(FakeHost::new(clock.clone()));
    let mut options = SystemOptions::default();
    options.kernel.slice_fuel = 100_000;
    System::open(Box::new(store.clone()), host, clock, options).unwrap()
}

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// Reads fd 0 and writes what it read to fd 1, until end of file.
const CAT: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")
        (loop $again
            (i32.store (i32.const 0) (i32.const 1024))
            (i32.store (i32.const 4) (i32.const 4096))
            (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (if (i32.load (i32.const 8)) (then
                (i32.store (i32.const 4) (i32.load (i32.const 8)))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (br $again))))))"#;

/// Exits at once.
const TRUE: &str = r#"(module (memory (export "memory") 1) (func (export "_start")))"#;

/// Writes "login: " to the console, then echoes lines like CAT.
fn init_program() -> Vec<u8> {
    let text = CAT.replace(
        r#"(func (export "_start")"#,
        r#"(data (i32.const 64) "login: ")
        (func (export "_start")
        (i32.store (i32.const 0) (i32.const 64))
        (i32.store (i32.const 4) (i32.const 7))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"#,
    );
    wasm(&text)
}

fn rootfs() -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, body, mode) in [
        ("sbin/init", init_program(), 0o755),
        ("bin/cat", wasm(CAT), 0o755),
        ("bin/true", wasm(TRUE), 0o755),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_size(body.len() as u64);
        header.set_mtime(1_700_000_000);
        builder.append_data(&mut header, path, &body[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

fn booted(store: &SharedStore) -> System {
    let mut system = open(store);
    if !system.has_root() {
        system.install(&rootfs()).unwrap();
    }
    system.boot(24, 80, &["/sbin/init".into()]).unwrap();
    system
}

/// Steps until everything waits; panics if it never does.
fn settle(system: &mut System) -> Step {
    for _ in 0..10_000 {
        match system.step(u64::MAX) {
            Step::Busy => {}
            // Quiet with a commit to make: the next step makes it.
            Step::Idle { .. } if system.commit_next => {}
            other => return other,
        }
    }
    panic!("the system never settled");
}

#[test]
fn first_boot_installs_the_rootfs_and_shows_the_prompt() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    assert!(matches!(settle(&mut system), Step::Idle { .. }));
    assert_eq!(system.take_screen(), b"login: ");
    system.console_input(b"root\n");
    settle(&mut system);
    // The tty echoes the typed line (ONLCR: \r\n), then init echoes it.
    assert_eq!(system.take_screen(), b"root\r\nroot\r\n");
}

#[test]
fn a_quiet_system_shows_its_output_before_it_commits() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    settle(&mut system);
    system.write_file("/late.txt", b"x", 0o644).unwrap();
    // The step that goes quiet asks to be called again at once...
    assert!(matches!(
        system.step(u64::MAX),
        Step::Idle { deadline: Some(_) }
    ));
    assert!(open(&store.crash_copy()).read_file("/late.txt").is_err());
    // ...and that one commits.
    system.step(u64::MAX);
    assert_eq!(
        open(&store.crash_copy()).read_file("/late.txt").unwrap(),
        b"x"
    );
}

#[test]
fn a_second_boot_mounts_what_the_first_installed() {
    let store = SharedStore::default();
    drop(booted(&store));
    let mut system = open(&store);
    assert!(system.has_root());
}

#[test]
fn api_processes_get_input_and_give_output_then_their_status() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    let pid = system.spawn(&["cat".into()], Some("/tmp"), None).unwrap();
    system.write_input(pid, b"through the pipes").unwrap();
    system.close_input(pid);
    settle(&mut system);
    let events: Vec<Event> = system
        .take_events()
        .into_iter()
        .filter(|event| !matches!(event, Event::Log(_)))
        .map(|event| match event {
            Event::Exit { pid, status, .. } => Event::Exit {
                pid,
                status,
                runtime: 0,
            },
            other => other,
        })
        .collect();
    assert_eq!(
        events,
        [
            Event::InputTaken { pid },
            Event::Output {
                pid,
                bytes: b"through the pipes".to_vec()
            },
            Event::OutputEnd { pid },
            Event::Exit {
                pid,
                status: 0,
                runtime: 0
            },
        ]
    );
    assert!(system.write_input(pid, b"late").is_err());
}

#[test]
fn input_to_a_process_that_exits_is_dropped_and_reported() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    let pid = system.spawn(&["true".into()], None, None).unwrap();
    system.write_input(pid, &vec![b'x'; 1 << 20]).unwrap();
    settle(&mut system);
    let events = system.take_events();
    assert!(events.contains(&Event::InputClosed { pid }), "{events:?}");
    assert!(events.iter().any(|event| matches!(
        event,
        Event::Exit { pid: exited, status: 0, .. } if *exited == pid
    )));
    assert!(!events.contains(&Event::InputTaken { pid }));
}

#[test]
fn spawn_errors_are_messages() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    assert!(system.spawn(&[], None, None).is_err());
    let missing = system.spawn(&["nothing".into()], None, None).unwrap_err();
    assert!(missing.starts_with("nothing:"), "{missing}");
    assert!(
        system
            .spawn(&["cat".into()], Some("/nowhere"), None)
            .is_err()
    );
    assert!(system.write_input(999, b"x").is_err());
    system.close_input(999); // a process that is gone has nothing to close
}

#[test]
fn files_written_through_the_api_survive_a_crash_once_the_system_is_idle() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    system.make_dir("/home/user/notes").unwrap();
    system
        .write_file("/home/user/notes/a.txt", b"kept", 0o600)
        .unwrap();
    system.write_file("/root.txt", b"kept", 0o644).unwrap();
    settle(&mut system);
    let crashed = store.crash_copy();
    drop(system);
    let mut after = open(&crashed);
    assert_eq!(after.read_file("/root.txt").unwrap(), b"kept");
    assert_eq!(after.read_file("/home/user/notes/a.txt").unwrap(), b"kept");
    assert!(after.make_dir("/root.txt/x").is_err());
    assert!(after.read_file("/missing").is_err());
    assert!(after.write_file("/no/such/dir", b"x", 0o644).is_err());
}

#[test]
fn init_exit_is_an_event_and_the_system_halts() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    settle(&mut system);
    // ^D at the start of a line: end of file for init's read.
    system.console_input(b"\x04");
    assert_eq!(settle(&mut system), Step::Halted);
    assert!(
        system
            .take_events()
            .contains(&Event::InitExit { status: 0 })
    );
}

#[test]
fn a_rootfs_without_init_is_refused() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(1_700_000_000);
    header.set_size(2);
    builder
        .append_data(&mut header, "etc/motd", &b"hi"[..])
        .unwrap();
    let archive = builder.into_inner().unwrap();
    let mut system = open(&SharedStore::default());
    assert_eq!(
        system.install(&archive).unwrap_err(),
        "rootfs.tar has no /sbin/init"
    );
    assert!(system.boot(24, 80, &["/sbin/init".into()]).is_err());
}

#[test]
fn an_api_environment_overrides_the_defaults_it_names() {
    let env = crate::jobs::environment(&["HOME=/home/user".into(), "EXTRA=1".into()]);
    let env: Vec<String> = env
        .into_iter()
        .map(|v| String::from_utf8(v).unwrap())
        .collect();
    assert!(env.contains(&"HOME=/home/user".to_string()));
    assert!(env.contains(&"EXTRA=1".to_string()));
    assert!(!env.contains(&"HOME=/root".to_string()));
    assert!(env.iter().any(|var| var.starts_with("PATH=")));
}

/// Prints the name of every preopen, from fd 3 on, one a line.
const PREOPENS: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_prestat_get" (func $get (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $name (param i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start") (local $fd i32)
        (local.set $fd (i32.const 3))
        (block $done (loop $next
            (br_if $done (call $get (local.get $fd) (i32.const 0)))
            (drop (call $name (local.get $fd) (i32.const 100) (i32.load (i32.const 4))))
            (i32.store8 (i32.add (i32.const 100) (i32.load (i32.const 4))) (i32.const 10))
            (i32.store (i32.const 16) (i32.const 100))
            (i32.store (i32.const 20) (i32.add (i32.load (i32.const 4)) (i32.const 1)))
            (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
            (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
            (br $next)))))"#;

fn output_of(system: &mut System, pid: u32) -> Vec<u8> {
    system.close_input(pid);
    settle(system);
    let mut bytes = Vec::new();
    for event in system.take_events() {
        if let Event::Output {
            pid: from,
            bytes: more,
        } = event
        {
            if from == pid {
                bytes.extend(more);
            }
        }
    }
    bytes
}

#[test]
fn a_sandboxed_process_gets_exactly_the_preopens_it_is_given() {
    let store = SharedStore::default();
    let mut system = booted(&store);
    system
        .write_file("/tmp/preopens", &wasm(PREOPENS), 0o755)
        .unwrap();
    system.make_dir("/tmp/box/data").unwrap();
    let argv = ["/tmp/preopens".to_string()];
    let pid = system.spawn(&argv, None, None).unwrap();
    assert_eq!(output_of(&mut system, pid), b"/\n");
    let sandbox = Sandbox {
        root: "/tmp/box".into(),
        preopens: vec![
            ("/".into(), "/tmp/box".into()),
            ("/data".into(), "/tmp/box/data".into()),
        ],
    };
    let pid = system
        .spawn_sandboxed(&argv, Some("/data"), None, Some(&sandbox))
        .unwrap();
    assert_eq!(output_of(&mut system, pid), b"/\n/data\n");
    let none = Sandbox {
        root: "/tmp/box".into(),
        preopens: Vec::new(),
    };
    let pid = system
        .spawn_sandboxed(&argv, None, None, Some(&none))
        .unwrap();
    assert_eq!(output_of(&mut system, pid), b"");
    let missing = Sandbox {
        root: "/nowhere".into(),
        preopens: Vec::new(),
    };
    assert!(
        system
            .spawn_sandboxed(&argv, None, None, Some(&missing))
            .is_err()
    );
}
