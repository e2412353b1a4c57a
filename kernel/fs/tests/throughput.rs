//! Sequential throughput through the VFS: 64 MiB written then read in 1 MiB
//! chunks on each filesystem type. Ignored by default; run with
//! `cargo test -p wasmux-fs --release --test throughput -- --ignored --nocapture`.

#![cfg(all(unix, not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used)] // a benchmark: any failure should stop it loudly

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use wasmux_fs::clock::SystemClock;
use wasmux_fs::diskfs::ImageFileStore;
use wasmux_fs::{
    Access, Clock, Cred, DiskFs, DiskOptions, HostFs, MemFs, MemoryStore, OpenOptions, SharedFs,
    Vfs, Walk,
};

const TOTAL: usize = 64 << 20;
const CHUNK: usize = 1 << 20;

fn measure(label: &str, fs: SharedFs) {
    let clock: Rc<dyn Clock> = Rc::new(SystemClock);
    let mut vfs = Vfs::new(fs, clock);
    let root = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    let options = OpenOptions {
        access: Access::READ_WRITE,
        create: true,
        truncate: true,
        ..OpenOptions::READ
    };
    let file = vfs.open(&walk, b"big", &options).unwrap();
    let chunk: Vec<u8> = (0..CHUNK).map(|index| (index % 251) as u8).collect();
    let start = Instant::now();
    for _ in 0..TOTAL / CHUNK {
        assert_eq!(file.write(&chunk).unwrap(), CHUNK);
    }
    file.sync().unwrap();
    let write = start.elapsed();
    let mut buf = vec![0; CHUNK];
    let start = Instant::now();
    let mut total = 0;
    loop {
        let count = file.read_at(total as u64, &mut buf).unwrap();
        if count == 0 {
            break;
        }
        total += count;
    }
    let read = start.elapsed();
    assert_eq!(total, TOTAL);
    assert_eq!(buf, chunk);
    let mib = (TOTAL >> 20) as f64;
    println!(
        "{label:<28} write {:>7.0} MiB/s   read {:>7.0} MiB/s",
        mib / write.as_secs_f64(),
        mib / read.as_secs_f64()
    );
}

#[test]
#[ignore = "a benchmark: run explicitly with --release"]
fn sequential_64_mib_write_then_read() {
    let clock: Rc<dyn Clock> = Rc::new(SystemClock);
    measure("memfs", Rc::new(RefCell::new(MemFs::new(clock.clone()))));
    let disk = DiskFs::format(MemoryStore::new(), clock.clone(), DiskOptions::default()).unwrap();
    measure("diskfs (MemoryStore)", Rc::new(RefCell::new(disk)));
    let dir = std::env::temp_dir().join(format!("wasmux-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let image = ImageFileStore::open(dir.join("disk.img")).unwrap();
    let disk = DiskFs::format(image, clock.clone(), DiskOptions::default()).unwrap();
    measure("diskfs (ImageFileStore)", Rc::new(RefCell::new(disk)));
    std::fs::create_dir_all(dir.join("host")).unwrap();
    measure(
        "hostfs",
        Rc::new(RefCell::new(HostFs::new(dir.join("host")).unwrap())),
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "a benchmark: run explicitly with --release"]
fn creating_many_small_files_is_linear() {
    let clock: Rc<dyn Clock> = Rc::new(SystemClock);
    for count in [2_000usize, 8_000] {
        let disk =
            DiskFs::format(MemoryStore::new(), clock.clone(), DiskOptions::default()).unwrap();
        let mut vfs = Vfs::new(Rc::new(RefCell::new(disk)), clock.clone());
        let root = vfs.root();
        let walk = Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        };
        let options = OpenOptions {
            access: Access::WRITE,
            create: true,
            ..OpenOptions::READ
        };
        let start = Instant::now();
        for index in 0..count {
            let file = vfs
                .open(&walk, format!("f{index}").as_bytes(), &options)
                .unwrap();
            file.write(b"small file").unwrap();
            file.sync().unwrap();
        }
        let elapsed = start.elapsed();
        println!(
            "diskfs: {count} files created with fsync each in {:.0} ms",
            elapsed.as_secs_f64() * 1e3
        );
    }
}
