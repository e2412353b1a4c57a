//! `test` and `[`: file, string and integer tests with `!`, `-a`, `-o`
//! and parentheses (POSIX's rules by argument count, then precedence).

use std::fs::{self, Metadata};

use super::usage;
use crate::exec::Flow;
use crate::shell::Shell;
use crate::shell::fds::Target;

pub fn test(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    Ok(run(shell, "test", &argv[1..]))
}

pub fn bracket(shell: &mut Shell, argv: &[String]) -> Result<i32, Flow> {
    match argv[1..].split_last() {
        Some((last, args)) if last == "]" => Ok(run(shell, "[", args)),
        _ => Ok(usage(shell, "[", "missing `]'")),
    }
}

fn run(shell: &Shell, name: &str, args: &[String]) -> i32 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut evaluator = Evaluator {
        shell,
        args: &args,
        at: 0,
    };
    match evaluator.evaluate() {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(message) => usage(shell, name, &message),
    }
}

struct Evaluator<'a> {
    shell: &'a Shell,
    args: &'a [&'a str],
    at: usize,
}

const UNARY: [&str; 20] = [
    "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-L", "-n", "-p", "-r", "-s", "-S", "-t", "-u",
    "-w", "-x", "-z", "-O",
];
const BINARY: [&str; 15] = [
    "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~",
];

impl<'a> Evaluator<'a> {
    fn evaluate(&mut self) -> Result<bool, String> {
        let args = self.args;
        // POSIX decides small cases by count, so `[ -n ]` or `[ = = = ]` work.
        let value = match args {
            [] => false,
            [one] => !one.is_empty(),
            ["!", one] => one.is_empty(),
            [op, operand] if UNARY.contains(op) => self.unary(op, operand)?,
            [left, op, right] if BINARY.contains(op) => self.binary(left, op, right)?,
            ["!", rest @ ..] if rest.len() == 2 || rest.len() == 3 => {
                let mut inner = Evaluator {
                    shell: self.shell,
                    args: rest,
                    at: 0,
                };
                !inner.evaluate()?
            }
            ["(", middle @ .., ")"] if middle.len() <= 2 => {
                let mut inner = Evaluator {
                    shell: self.shell,
                    args: middle,
                    at: 0,
                };
                inner.evaluate()?
            }
            _ => {
                let value = self.or()?;
                if let Some(extra) = self.args.get(self.at) {
                    return Err(format!("{extra}: unexpected argument"));
                }
                value
            }
        };
        Ok(value)
    }

    fn next(&mut self) -> Option<&'a str> {
        let arg = self.args.get(self.at).copied();
        self.at += 1;
        arg
    }

    fn peek(&self) -> Option<&'a str> {
        self.args.get(self.at).copied()
    }

    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.peek() == Some("-o") {
            self.at += 1;
            let right = self.and()?;
            value = value || right;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.peek() == Some("-a") {
            self.at += 1;
            let right = self.not()?;
            value = value && right;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        if self.peek() == Some("!") {
            self.at += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.next() else {
            return Err("argument expected".to_string());
        };
        if first == "(" {
            let value = self.or()?;
            if self.next() != Some(")") {
                return Err("`)' expected".to_string());
            }
            return Ok(value);
        }
        if let Some(op) = self.peek().filter(|op| BINARY.contains(op))
            && self.args.get(self.at + 1).is_some()
        {
            self.at += 1;
            let right = self.next().unwrap_or("");
            return self.binary(first, op, right);
        }
        if UNARY.contains(&first)
            && let Some(operand) = self.next()
        {
            return self.unary(first, operand);
        }
        Ok(!first.is_empty())
    }

    fn unary(&self, op: &str, operand: &str) -> Result<bool, String> {
        let metadata = || fs::metadata(operand).ok();
        Ok(match op {
            "-n" => !operand.is_empty(),
            "-z" => operand.is_empty(),
            "-e" => metadata().is_some(),
            "-f" => metadata().is_some_and(|m| m.is_file()),
            "-d" => metadata().is_some_and(|m| m.is_dir()),
            "-h" | "-L" => fs::symlink_metadata(operand).is_ok_and(|m| m.file_type().is_symlink()),
            "-s" => metadata().is_some_and(|m| m.len() > 0),
            "-b" => metadata().is_some_and(|m| kind_at(operand, &m) == Kind::Block),
            "-c" => metadata().is_some_and(|m| kind_at(operand, &m) == Kind::Char),
            "-p" => metadata().is_some_and(|m| kind_at(operand, &m) == Kind::Fifo),
            "-S" => metadata().is_some_and(|m| kind_at(operand, &m) == Kind::Socket),
            "-r" => readable(operand),
            "-w" => writable(operand),
            "-x" => executable(operand),
            "-O" | "-g" | "-u" | "-k" => metadata().is_some() && op == "-O",
            "-t" => {
                let fd: u32 = operand
                    .parse()
                    .map_err(|_| format!("{operand}: integer expression expected"))?;
                match self.shell.fds.get(fd) {
                    Target::Fd(handle) => wasmux_sys::termios::isatty(handle.file()),
                    _ => false,
                }
            }
            _ => return Err(format!("{op}: unary operator expected")),
        })
    }

    fn binary(&self, left: &str, op: &str, right: &str) -> Result<bool, String> {
        let integer = |text: &str| {
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("{text}: integer expression expected"))
        };
        let modified = |path: &str| fs::metadata(path).and_then(|m| m.modified()).ok();
        Ok(match op {
            "=" | "==" => left == right,
            "!=" => left != right,
            "<" => left < right,
            ">" => left > right,
            "-eq" => integer(left)? == integer(right)?,
            "-ne" => integer(left)? != integer(right)?,
            "-lt" => integer(left)? < integer(right)?,
            "-le" => integer(left)? <= integer(right)?,
            "-gt" => integer(left)? > integer(right)?,
            "-ge" => integer(left)? >= integer(right)?,
            "-nt" => match (modified(left), modified(right)) {
                (Some(a), Some(b)) => a > b,
                (Some(_), None) => true,
                _ => false,
            },
            "-ot" => match (modified(left), modified(right)) {
                (Some(a), Some(b)) => a < b,
                (None, Some(_)) => true,
                _ => false,
            },
            "-ef" => identity(left).is_some() && identity(left) == identity(right),
            _ => return Err(format!("{op}: binary operator expected")),
        })
    }
}

fn readable(path: &str) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => fs::read_dir(path).is_ok(),
        Ok(_) => fs::File::open(path).is_ok(),
        Err(_) => false,
    }
}

/// Whether the caller may execute (search, for a directory) `path`, by
/// its mode bits: root needs any x bit, others the one of their class.
fn executable(path: &str) -> bool {
    let Some((mode, owner, group)) = mode_of(path) else {
        return false;
    };
    let (uid, gid) = caller_ids();
    let bits = if uid == 0 {
        return mode & 0o111 != 0;
    } else if uid == owner {
        mode >> 6
    } else if gid == group {
        mode >> 3
    } else {
        mode
    };
    bits & 1 != 0
}

/// The permission bits and owners of `path` (the kernel's stat on Wasmux).
#[cfg(target_os = "wasi")]
fn mode_of(path: &str) -> Option<(u32, u32, u32)> {
    let stat = wasmux_sys::fs::stat(path).ok()?;
    Some((stat.permissions(), stat.uid, stat.gid))
}

#[cfg(not(target_os = "wasi"))]
fn mode_of(path: &str) -> Option<(u32, u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).ok()?;
    Some((meta.mode() & 0o7777, meta.uid(), meta.gid()))
}

#[cfg(target_os = "wasi")]
fn caller_ids() -> (u32, u32) {
    let ids = wasmux_sys::getids();
    (ids.euid, ids.egid)
}

#[cfg(not(target_os = "wasi"))]
fn caller_ids() -> (u32, u32) {
    // SAFETY: geteuid and getegid cannot fail.
    unsafe { (libc_geteuid(), libc_getegid()) }
}

#[cfg(not(target_os = "wasi"))]
unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
    #[link_name = "getegid"]
    fn libc_getegid() -> u32;
}

fn writable(path: &str) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => fs::OpenOptions::new().write(true).open(path).is_ok(),
        Err(_) => false,
    }
}

#[derive(PartialEq, Eq)]
enum Kind {
    Block,
    Char,
    Fifo,
    Socket,
    Other,
}

#[cfg(unix)]
fn kind(metadata: &Metadata) -> Kind {
    use std::os::unix::fs::FileTypeExt;
    let file_type = metadata.file_type();
    if file_type.is_block_device() {
        Kind::Block
    } else if file_type.is_char_device() {
        Kind::Char
    } else if file_type.is_fifo() {
        Kind::Fifo
    } else if file_type.is_socket() {
        Kind::Socket
    } else {
        Kind::Other
    }
}

/// Preview1's file types, through std's stable API (its WASI extension
/// traits are unstable): devices live under /dev; what is neither a file,
/// a directory nor a link elsewhere is taken for a FIFO.
#[cfg(not(unix))]
fn kind_at(path: &str, metadata: &Metadata) -> Kind {
    let file_type = metadata.file_type();
    if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
        Kind::Other
    } else if path.starts_with("/dev/") {
        Kind::Char
    } else {
        Kind::Fifo
    }
}

#[cfg(unix)]
fn kind_at(_path: &str, metadata: &Metadata) -> Kind {
    kind(metadata)
}

#[cfg(unix)]
fn identity(path: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path)
        .ok()
        .map(|metadata| (metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn identity(path: &str) -> Option<std::path::PathBuf> {
    fs::canonicalize(path).ok()
}
