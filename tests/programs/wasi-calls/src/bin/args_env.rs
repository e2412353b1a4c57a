//! args_sizes_get/args_get and environ_sizes_get/environ_get, called raw and
//! checked against each other: the sizes must match what the get calls write,
//! every string must be NUL-terminated inside the buffer.
//! Prints the arguments after argv[0] and the environment sorted by key.

use guest::{check, check_eq, ok};

/// Calls a sizes_get/get pair and decodes the strings it returns.
fn strings(
    sizes: unsafe fn() -> Result<(usize, usize), wasi::Errno>,
    get: unsafe fn(*mut *mut u8, *mut u8) -> Result<(), wasi::Errno>,
    what: &str,
) -> Vec<String> {
    // SAFETY: the sizes call writes only its results.
    let (count, buffer_size) = ok(unsafe { sizes() }, what);
    if count == 0 {
        // Like wasi-libc, do not ask for nothing (node:wasi answers EINVAL).
        check_eq(buffer_size, 0, "no strings take no bytes");
        return Vec::new();
    }
    let mut pointers = vec![std::ptr::null_mut::<u8>(); count];
    let mut buffer = vec![0u8; buffer_size];
    // SAFETY: both buffers have exactly the sizes the runtime asked for.
    ok(
        unsafe { get(pointers.as_mut_ptr(), buffer.as_mut_ptr()) },
        what,
    );
    let start = buffer.as_ptr() as usize;
    let mut total = 0;
    let decoded = pointers
        .iter()
        .map(|&pointer| {
            let offset = (pointer as usize).wrapping_sub(start);
            check(offset < buffer_size, "each pointer points into the buffer");
            let rest = &buffer[offset..];
            let length = rest.iter().position(|&byte| byte == 0);
            let length = length.unwrap_or_else(|| guest::fail("string is NUL-terminated"));
            total += length + 1;
            String::from_utf8_lossy(&rest[..length]).into_owned()
        })
        .collect();
    check_eq(total, buffer_size, "the strings fill the buffer exactly");
    decoded
}

fn main() {
    let args = strings(wasi::args_sizes_get, wasi::args_get, "args");
    check(!args.is_empty(), "argv[0] is present");
    check_eq(
        args[1..].to_vec(),
        guest::arguments(),
        "raw args agree with std",
    );
    println!("argc: {}", args.len() - 1);
    for (index, arg) in args.iter().enumerate().skip(1) {
        println!("argv[{index}]: {arg:?}");
    }

    let mut environment = strings(wasi::environ_sizes_get, wasi::environ_get, "environ");
    environment.sort();
    let from_std: Vec<String> = std::env::vars()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    check_eq(
        environment.len(),
        from_std.len(),
        "raw environ agrees with std",
    );
    println!("environ: {}", environment.len());
    for entry in &environment {
        check(entry.contains('='), "each environment entry is KEY=VALUE");
        println!("  {entry:?}");
    }
}
