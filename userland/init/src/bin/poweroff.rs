//! `poweroff`: asks init (pid 1) to shut the system down, with SIGTERM.
//! Init ends every process and exits; the kernel saves the disk and stops.
//! Arguments (`now`, `-h`...) are accepted and ignored, as `shutdown now`.

use std::process::exit;

use wasmux_sys::signal::Signal;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--help") {
        println!("usage: poweroff   (stops the system: SIGTERM to init)");
        return;
    }
    if let Err(error) = wasmux_sys::kill(1, Signal::Term) {
        eprintln!("poweroff: cannot signal init: {error}");
        exit(1);
    }
}
