//! Behaviour of /dev through the real VFS: a memfs root with devfs on /dev.

use std::cell::RefCell;

use super::*;
use std::cell::Cell;

use crate::{
    Access, Cred, Devices, FakeClock, File, OpenFile, OpenOptions, SeekFrom, SetAttr, SharedFs,
    Vfs, Walk,
};

struct Fixture {
    vfs: Vfs,
}

impl Fixture {
    fn with_devices(devices: MemoryDevices) -> Fixture {
        let clock = Rc::new(FakeClock::new(0));
        let root: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
        let mut vfs = Vfs::new(root, clock.clone());
        let walk = walk(&vfs, Cred::ROOT);
        vfs.mkdir(&walk, b"/dev", 0o755).unwrap();
        let at = vfs.resolve(&walk, b"/dev", true).unwrap();
        let dev: SharedFs = Rc::new(RefCell::new(new(clock).unwrap()));
        vfs.mount(at, dev).unwrap();
        vfs.set_devices(Rc::new(devices));
        Fixture { vfs }
    }

    fn new() -> Fixture {
        Fixture::with_devices(MemoryDevices::new(Rc::new(FakeRandom::new(7))))
    }

    fn open(&mut self, path: &str, access: Access) -> Result<OpenFile, FsError> {
        let walk = walk(
            &self.vfs,
            Cred {
                uid: 1000,
                gid: 1000,
            },
        );
        let options = OpenOptions {
            access,
            ..OpenOptions::READ
        };
        self.vfs.open(&walk, path.as_bytes(), &options)
    }
}

fn walk(vfs: &Vfs, cred: Cred) -> Walk {
    let root = vfs.root();
    Walk {
        cred,
        base: root,
        root,
        confine: false,
    }
}

#[test]
fn dev_null_swallows_writes() {
    let mut fx = Fixture::new();
    let null = fx.open("/dev/null", Access::READ_WRITE).unwrap();
    assert_eq!(null.write(&[1; 100_000]), Ok(100_000));
    let mut buf = [9; 8];
    assert_eq!(null.read(&mut buf), Ok(0));
    assert_eq!(null.seek(SeekFrom::Current(0)), Ok(0));
}

#[test]
fn dev_full_is_full() {
    let mut fx = Fixture::new();
    let full = fx.open("/dev/full", Access::READ_WRITE).unwrap();
    assert_eq!(full.write(b"x"), Err(FsError::NoSpace));
    let mut buf = [9; 8];
    assert_eq!(full.read(&mut buf), Ok(8));
    assert_eq!(buf, [0; 8]);
}

#[test]
fn dev_zero_reads_zeros_at_any_offset() {
    let mut fx = Fixture::new();
    let zero = fx.open("/dev/zero", Access::READ).unwrap();
    let mut buf = [9; 4096];
    assert_eq!(zero.read(&mut buf), Ok(4096));
    assert!(buf.iter().all(|&byte| byte == 0));
    assert_eq!(zero.read_at(u64::MAX, &mut buf[..3]), Ok(3));
}

#[test]
fn dev_urandom_reads_the_random_source() {
    let mut fx = Fixture::new();
    for path in ["/dev/urandom", "/dev/random"] {
        let random = fx.open(path, Access::READ_WRITE).unwrap();
        let mut buf = [0; 3];
        assert_eq!(random.read(&mut buf), Ok(3));
        assert_ne!(buf, [0; 3]);
        assert_eq!(random.write(b"entropy"), Ok(7));
    }
    let counter = Rc::new(Cell::new(0usize));
    let seen = counter.clone();
    let source = move |buf: &mut [u8]| {
        seen.set(seen.get() + buf.len());
        buf.fill(0xaa);
    };
    let mut fx = Fixture::with_devices(MemoryDevices::new(Rc::new(source)));
    let random = fx.open("/dev/urandom", Access::READ).unwrap();
    let mut buf = [0; 5];
    random.read(&mut buf).unwrap();
    assert_eq!((buf, counter.get()), ([0xaa; 5], 5));
}

#[test]
fn nodes_have_linux_numbers_and_modes() {
    let mut fx = Fixture::new();
    let walk = walk(&fx.vfs, Cred::ROOT);
    assert_eq!(CONSOLE, 0x0501);
    assert_eq!((major(NULL), minor(NULL)), (1, 3));
    let big = device_number(4095, 1_000_000);
    assert_eq!((major(big), minor(big)), (4095, 1_000_000));
    for node in NODES {
        let path = format!("/dev/{}", node.name);
        let meta = fx.vfs.stat_path(&walk, path.as_bytes(), true).unwrap();
        assert_eq!(
            (meta.kind, meta.rdev, meta.mode, meta.uid),
            (NodeKind::CharDevice, node.rdev, node.mode, 0)
        );
    }
    for dir in DIRECTORIES {
        let meta = fx
            .vfs
            .stat_path(&walk, format!("/dev/{dir}").as_bytes(), true)
            .unwrap();
        assert_eq!((meta.kind, meta.mode), (NodeKind::Directory, 0o755));
    }
    let user = fx.open("/dev/console", Access::WRITE).map(drop);
    assert_eq!(user, Err(FsError::Access));
}

#[test]
fn other_numbers_go_to_the_fallback() {
    struct Console;
    impl Devices for Console {
        fn open(&self, _: NodeKind, rdev: u64, _: Access) -> Result<Box<dyn File>, FsError> {
            match rdev {
                CONSOLE | TTY => Err(FsError::WouldBlock),
                _ => Err(FsError::NotSupported),
            }
        }
    }
    let mut fx = Fixture::new();
    assert_eq!(
        fx.open("/dev/tty", Access::READ).map(drop),
        Err(FsError::NotSupported)
    );
    let devices =
        MemoryDevices::new(Rc::new(FakeRandom::default())).with_fallback(Rc::new(Console));
    let mut fx = Fixture::with_devices(devices);
    assert_eq!(
        fx.open("/dev/tty", Access::READ).map(drop),
        Err(FsError::WouldBlock)
    );
    assert!(fx.open("/dev/null", Access::READ).is_ok());
    let block = devices_open_block_null();
    assert_eq!(block, Err(FsError::NotSupported));
}

/// A block device numbered like /dev/null is not /dev/null.
fn devices_open_block_null() -> Result<(), FsError> {
    let devices = MemoryDevices::new(Rc::new(FakeRandom::default()));
    devices
        .open(NodeKind::BlockDevice, NULL, Access::READ)
        .map(drop)
}

#[test]
fn opened_devices_refuse_attribute_changes() {
    let mut fx = Fixture::new();
    let null = fx.open("/dev/null", Access::WRITE).unwrap();
    let truncate = SetAttr {
        size: Some(0),
        ..SetAttr::default()
    };
    assert_eq!(null.set_attr(&truncate), Err(FsError::Invalid));
    assert_eq!(null.stat().unwrap().rdev, NULL);
    assert!(null.poll().writable);
}
