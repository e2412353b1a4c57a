//! `wasmux`: Wasmux on a native host.

mod boot;
mod cli;
mod host;
mod run;
mod stdio;
mod terminal;

use cli::Command;

fn main() {
    let code = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Version) => {
            println!("wasmux {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Ok(Command::Help) => {
            println!("{}", cli::USAGE);
            0
        }
        Ok(Command::Run(options)) => run::run(&options),
        Ok(Command::Boot(options)) => boot::boot(&options),
        Err(message) => {
            eprintln!("wasmux: {message}\n\n{}", cli::USAGE);
            2
        }
    };
    std::process::exit(code);
}
