//! Enum arguments out of range answer EINVAL: clock id 99, whence 3, advice 9,
//! an event type 7 in a subscription. (Wasmtime traps on these instead of
//! answering; node:wasi answers EINVAL, and so must Wasmux: a garbage argument is
//! an error for the program, never the end of it.)

use guest::{check_eq, say};
use wasi::wasi_snapshot_preview1 as raw;

const EINVAL: i32 = wasi::ERRNO_INVAL.raw() as i32;

fn main() {
    let root = guest::root_dir();
    let file = guest::create_file(root, "argued.txt", b"0123456789");
    let mut out = [0u64; 8];
    let out_ptr = out.as_mut_ptr() as i32;
    // An fd_read subscription whose tag byte says event type 7.
    let mut subscription = [0u8; 48];
    subscription[8] = 7;
    subscription[16..20].copy_from_slice(&(file as u32).to_le_bytes());

    // SAFETY: every pointer is valid; only the enum values are wrong.
    let results = unsafe {
        [
            ("clock_res_get clock 99", raw::clock_res_get(99, out_ptr)),
            (
                "clock_time_get clock 99",
                raw::clock_time_get(99, 1, out_ptr),
            ),
            ("fd_seek whence 3", raw::fd_seek(file as i32, 0, 3, out_ptr)),
            ("fd_advise advice 9", raw::fd_advise(file as i32, 0, 1, 9)),
        ]
    };
    for (what, errno) in results {
        check_eq(errno, EINVAL, what);
        say(&format!("{what}: EINVAL"));
    }
    // SAFETY: one 48-byte subscription in, room for one 32-byte event out.
    let errno = unsafe { raw::poll_oneoff(subscription.as_ptr() as i32, out_ptr, 1, out_ptr + 32) };
    let event_errno = u16::from_le_bytes([out[1] as u8, (out[1] >> 8) as u8]);
    let refused = errno == EINVAL || (errno == 0 && event_errno == wasi::ERRNO_INVAL.raw());
    guest::check(
        refused,
        &format!("poll_oneoff event type 7: errno {errno}, event errno {event_errno}"),
    );
    say("poll_oneoff event type 7: EINVAL");
    guest::close(file);
}
