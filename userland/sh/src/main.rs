//! `sh`: see the wasmux_sh crate.

fn main() {
    std::process::exit(wasmux_sh::cli::main());
}
