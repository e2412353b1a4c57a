use wasmux_mm::GuestMemoryExt;
use wasmux_proc::Wait;
use wasmux_uapi::Errno;

use super::Harness;
use crate::SysError;

fn clock_subscription(h: &mut Harness, at: u32, userdata: u64, timeout: u64) {
    h.memory.write_value(at, userdata).unwrap();
    h.memory.write_value(at + 8, 0u8).unwrap(); // clock
    h.memory.write_value(at + 16, 1u32).unwrap(); // monotonic
    h.memory.write_value(at + 24, timeout).unwrap();
    h.memory.write_value(at + 40, 0u16).unwrap(); // relative
}

#[test]
fn a_relative_timeout_blocks_until_its_deadline_counted_from_the_first_call() {
    let mut h = Harness::new();
    clock_subscription(&mut h, 1000, 7, 5_000_000);
    let first = h.call("poll_oneoff", &[1000, 2000, 1, 8]);
    assert_eq!(
        first,
        Err(SysError::Block(Wait::Until(h.call_time + 5_000_000)))
    );
    // Restarted after the deadline: ready, with the same call time.
    h.host.advance(10_000_000);
    assert_eq!(h.call("poll_oneoff", &[1000, 2000, 1, 8]), Ok(()));
    assert_eq!(h.u32_at(8), 1);
    assert_eq!(h.u64_at(2000), 7);
}

#[test]
fn fd_subscriptions_on_ready_files_return_at_once() {
    let mut h = Harness::new();
    clock_subscription(&mut h, 1000, 1, 1_000_000_000);
    h.memory.write_value(1048, 2u64).unwrap();
    h.memory.write_value(1056, 2u8).unwrap(); // fd_write
    h.memory.write_value(1064, 1u32).unwrap(); // stdout
    assert_eq!(h.call("poll_oneoff", &[1000, 2000, 2, 8]), Ok(()));
    assert_eq!(h.u32_at(8), 1);
    assert_eq!(h.u64_at(2000), 2);
}

#[test]
fn no_subscriptions_is_einval() {
    let mut h = Harness::new();
    assert_eq!(
        h.errno("poll_oneoff", &[1000, 2000, 0, 8]),
        Errno::Inval.raw()
    );
}
