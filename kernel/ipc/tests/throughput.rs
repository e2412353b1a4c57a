//! Pipe throughput: 1 GiB through one pipe in 64 KiB writes and reads,
//! alternating, through `OpenFile` as the kernel calls it. Ignored by
//! default; run with
//! `cargo test -p wasmux-ipc --release --test throughput -- --ignored --nocapture`.

#![allow(clippy::unwrap_used)] // a benchmark: any failure should stop it loudly

use std::time::Instant;

use wasmux_fs::{Access, OpenFile};
use wasmux_ipc::{Ipc, PIPE_CAPACITY};
use wasmux_uapi::FdFlags;

const TOTAL: usize = 1 << 30;
const CHUNK: usize = 64 << 10;

#[test]
#[ignore = "benchmark; run with --release -- --ignored --nocapture"]
fn one_gib_through_a_pipe_in_64_kib_chunks() {
    assert_eq!(CHUNK, PIPE_CAPACITY);
    let (reader, writer) = Ipc::default().pipe();
    let reader = OpenFile::new(Box::new(reader), Access::READ, FdFlags::empty());
    let writer = OpenFile::new(Box::new(writer), Access::WRITE, FdFlags::empty());
    let chunk: Vec<u8> = (0..CHUNK).map(|index| (index % 251) as u8).collect();
    let mut buf = vec![0; CHUNK];
    let mut checksum = 0u64;
    let start = Instant::now();
    let mut moved = 0;
    while moved < TOTAL {
        assert_eq!(writer.write(&chunk).unwrap(), CHUNK);
        let mut got = 0;
        while got < CHUNK {
            got += reader.read(&mut buf[got..]).unwrap();
        }
        checksum = checksum.wrapping_add(u64::from(buf[moved / CHUNK % CHUNK]));
        moved += CHUNK;
    }
    let elapsed = start.elapsed();
    let rate = TOTAL as f64 / elapsed.as_secs_f64() / 1e6;
    println!(
        "pipe: {} MiB in {:.3} s = {rate:.0} MB/s (checksum {checksum})",
        TOTAL >> 20,
        elapsed.as_secs_f64()
    );
    assert_eq!(buf, chunk);
}
