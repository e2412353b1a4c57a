//! uname, pwd and clear (the tools reading /proc are in `procinfo`).

use std::ffi::OsString;

use crate::common::{Spec, reason, text, usage_error};

/// `clear [-x]`: home the cursor and erase the screen (and the scrollback
/// unless -x), in ANSI escapes, as ncurses' clear does for xterm.
pub fn clear(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "x",
        long: &[],
        stop_at_operand: false,
    };
    let scrollback = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => !parsed.has('x'),
        Err(message) => return usage_error("clear", &message, 1),
    };
    print!("\x1b[H\x1b[2J{}", if scrollback { "\x1b[3J" } else { "" });
    0
}

/// `pwd [-L|-P]`: the kernel's working directory (`wasmux-sys` getcwd);
/// with -L, $PWD when it is absolute, has no "." or ".." and names the
/// same directory. uutils' pwd resolves through realpath, which WASI lacks.
pub fn pwd(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "LP",
        long: &[("logical", 'L', false), ("physical", 'P', false)],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("pwd", &message, 1),
    };
    let physical = match wasmux_sys::getcwd().or_else(|_| std::env::current_dir()) {
        Ok(path) => path,
        Err(error) => {
            eprintln!("pwd: failed to get current directory: {}", reason(&error));
            return 1;
        }
    };
    let logical = parsed
        .options
        .last()
        .is_some_and(|(letter, _)| *letter == 'L');
    let from_env = std::env::var_os("PWD")
        .map(std::path::PathBuf::from)
        .filter(|path| {
            let plain = path.is_absolute()
                && path.components().all(|c| {
                    !matches!(
                        c,
                        std::path::Component::CurDir | std::path::Component::ParentDir
                    )
                });
            plain && same_file(path, &physical)
        });
    match from_env {
        Some(path) if logical => println!("{}", path.display()),
        _ => println!("{}", physical.display()),
    }
    0
}

/// Whether two paths name the same file (device and inode).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// The fields of `uname -a`, in order: sysname, nodename, release,
/// version, machine, processor, hardware platform, operating system.
pub fn uname_fields(hostname: &str) -> [(char, String); 8] {
    [
        ('s', "Wasmux".to_string()),
        ('n', hostname.to_string()),
        ('r', env!("CARGO_PKG_VERSION").to_string()),
        ('v', "#1".to_string()),
        ('m', "wasm32".to_string()),
        ('p', "unknown".to_string()),
        ('i', "unknown".to_string()),
        ('o', "Wasmux".to_string()),
    ]
}

/// `uname [-asnrvmpio]`.
pub fn uname(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "asnrvmpio",
        long: &[
            ("all", 'a', false),
            ("kernel-name", 's', false),
            ("nodename", 'n', false),
            ("kernel-release", 'r', false),
            ("kernel-version", 'v', false),
            ("machine", 'm', false),
            ("processor", 'p', false),
            ("hardware-platform", 'i', false),
            ("operating-system", 'o', false),
        ],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) if parsed.operands.is_empty() => parsed,
        Ok(parsed) => {
            return usage_error(
                "uname",
                &format!("extra operand '{}'", text(&parsed.operands[0])),
                1,
            );
        }
        Err(message) => return usage_error("uname", &message, 1),
    };
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let hostname = match hostname.trim() {
        "" => "wasmux",
        name => name,
    };
    let all = parsed.has('a');
    let words: Vec<String> = uname_fields(hostname)
        .into_iter()
        .filter(|(letter, value)| {
            parsed.has(*letter)
                || (all && value != "unknown")
                || (parsed.options.is_empty() && *letter == 's')
        })
        .map(|(_, value)| value)
        .collect();
    println!("{}", words.join(" "));
    0
}

#[cfg(test)]
mod tests;
