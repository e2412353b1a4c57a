//! random_get: a zero-length request succeeds, and larger buffers are filled
//! (32 bytes that are all zero would happen once in 2^256 runs). Prints no byte.

use guest::{check, ok, say};

fn fill(length: usize) -> Vec<u8> {
    let mut buffer = vec![0u8; length];
    // SAFETY: the buffer has `length` writable bytes.
    ok(
        unsafe { wasi::random_get(buffer.as_mut_ptr(), length) },
        "random_get",
    );
    buffer
}

fn main() {
    check(fill(0).is_empty(), "zero-length random_get");
    say("zero bytes: ok");

    let small = fill(32);
    check(
        small.iter().any(|&byte| byte != 0),
        "32 random bytes are not all zero",
    );
    say("32 bytes: filled");

    let large = fill(65536);
    let distinct = large
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    check(
        distinct > 200,
        "64 KiB of random bytes use most byte values",
    );
    check(fill(32) != small, "two draws differ");
    say("64 KiB: filled");
}
