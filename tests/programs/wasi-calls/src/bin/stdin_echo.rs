//! Reads stdin to its end with fd_read in small chunks and writes it back
//! upper-cased, then the byte and line counts. Stdio must pass through.

fn main() {
    let mut input = Vec::new();
    let mut chunk = [0u8; 7];
    loop {
        let iovec = [wasi::Iovec {
            buf: chunk.as_mut_ptr(),
            buf_len: chunk.len(),
        }];
        // SAFETY: the iovec points into `chunk`.
        let count = guest::ok(unsafe { wasi::fd_read(0, &iovec) }, "fd_read(stdin)");
        if count == 0 {
            break;
        }
        input.extend_from_slice(&chunk[..count]);
    }
    guest::write_all(1, &input.to_ascii_uppercase());
    let lines = input.iter().filter(|&&byte| byte == b'\n').count();
    println!("{} bytes, {lines} lines", input.len());
}
