//! `coreutils`: the multicall binary; see the crate doc of wasmux_coreutils.

fn main() {
    let status = wasmux_coreutils::run(std::env::args_os().collect());
    // Buffered stdout is flushed by std's exit path only for a normal return.
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(status);
}
