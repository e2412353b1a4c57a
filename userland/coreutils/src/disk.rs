//! df and du. uutils' crates need statvfs and st_blocks; WASI preview1 has
//! neither (and the wasmux module no statfs), so:
//!
//! - df lists the mounts of /proc/mounts and shows "-" for the figures it
//!   cannot know (sizes, use), rather than invented ones;
//! - du sums apparent sizes (bytes of files and symlinks, each hard link
//!   once), as GNU's `du --apparent-size` does, in 1024-byte units.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::common::{Spec, reason, text, usage_error};
use crate::procinfo::unescape_octal;

/// `path` made absolute (against `cwd`) and without `.` and `..`,
/// lexically: realpath is not available on WASI.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for component in cwd.join(path).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => out.push(name),
            _ => {}
        }
    }
    out
}

/// The mount of /proc/mounts' text holding `path` (absolute): (device, mount point).
pub fn mount_of(mounts: &str, path: &Path) -> Option<(String, String)> {
    mounts
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            Some((
                unescape_octal(fields.first()?),
                unescape_octal(fields.get(1)?),
            ))
        })
        .filter(|(_, point)| path.starts_with(point))
        .max_by_key(|(_, point)| point.len())
}

/// df's table for `rows` of (device, mount point).
pub fn df_table(rows: &[(String, String)], human: bool) -> String {
    let header = if human {
        ("Size", "Avail")
    } else {
        ("1K-blocks", "Available")
    };
    let line = |fs: &str, size: &str, used: &str, avail: &str, percent: &str, point: &str| {
        format!("{fs:<14} {size:>9} {used:>5} {avail:>9} {percent:>4} {point}\n")
    };
    let mut out = line(
        "Filesystem",
        header.0,
        "Used",
        header.1,
        "Use%",
        "Mounted on",
    );
    for (device, point) in rows {
        out += &line(device, "-", "-", "-", "-", point);
    }
    out
}

/// `df [-h] [-k] [FILE]...`.
pub fn df(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "hkaT",
        long: &[("human-readable", 'h', false), ("all", 'a', false)],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("df", &message, 1),
    };
    let mounts = match std::fs::read_to_string("/proc/mounts") {
        Ok(mounts) => mounts,
        Err(error) => {
            eprintln!(
                "df: cannot read table of mounted file systems: {}",
                reason(&error)
            );
            return 1;
        }
    };
    let mut status = 0;
    let rows: Vec<(String, String)> = if parsed.operands.is_empty() {
        let fields = |line: &str| {
            let mut fields = line.split_whitespace().map(unescape_octal);
            Some((fields.next()?, fields.next()?))
        };
        mounts.lines().filter_map(fields).collect()
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let mut rows = Vec::new();
        for operand in &parsed.operands {
            if let Err(error) = std::fs::metadata(operand) {
                eprintln!("df: {}: {}", text(operand), reason(&error));
                status = 1;
                continue;
            }
            rows.extend(mount_of(&mounts, &absolute(Path::new(operand), &cwd)));
        }
        rows
    };
    if !rows.is_empty() {
        print!("{}", df_table(&rows, parsed.has('h')));
    }
    status
}

/// A size as `du -h` shows it: "512", "1.5K", "10K".
pub fn du_human(bytes: u64) -> String {
    let mut value = bytes as f64;
    let mut unit = "";
    for next in ["K", "M", "G", "T", "P"] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    if unit.is_empty() {
        bytes.to_string()
    } else if value < 10.0 {
        format!("{:.1}{unit}", (value * 10.0).ceil() / 10.0)
    } else {
        format!("{}{unit}", value.ceil())
    }
}

/// What du prints and how.
#[derive(Debug, Clone)]
pub struct DuOptions {
    pub all: bool,
    pub max_depth: Option<usize>,
    /// Shows a byte count.
    pub show: fn(u64) -> String,
}

/// Where du's walk is.
#[derive(Debug)]
pub struct Du<'a> {
    pub options: &'a DuOptions,
    pub out: String,
    pub failed: bool,
    seen: HashSet<(u64, u64)>,
}

#[cfg(unix)]
fn file_id(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(target_os = "wasi")]
fn file_id(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::wasi::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

impl<'a> Du<'a> {
    pub fn new(options: &'a DuOptions) -> Du<'a> {
        Du {
            options,
            out: String::new(),
            failed: false,
            seen: HashSet::new(),
        }
    }

    /// Adds `path`'s lines (at `depth`); returns its size in bytes.
    pub fn walk(&mut self, path: &Path, depth: usize) -> u64 {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                self.failed = true;
                eprintln!("du: cannot access '{}': {}", path.display(), reason(&error));
                return 0;
            }
        };
        let shown = self.options.max_depth.is_none_or(|max| depth <= max);
        if !metadata.is_dir() {
            let size = if metadata.file_type().is_file()
                && metadata.nlink_above_one()
                && !self.seen.insert(file_id(&metadata))
            {
                0
            } else {
                metadata.len()
            };
            if shown && (self.options.all || depth == 0) {
                self.out += &format!("{}\t{}\n", (self.options.show)(size), path.display());
            }
            return size;
        }
        let mut total = 0;
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> = entries
                    .filter_map(|entry| entry.ok().map(|e| e.path()))
                    .collect();
                children.sort();
                for child in children {
                    total += self.walk(&child, depth + 1);
                }
            }
            Err(error) => {
                self.failed = true;
                eprintln!(
                    "du: cannot read directory '{}': {}",
                    path.display(),
                    reason(&error)
                );
            }
        }
        if shown {
            self.out += &format!("{}\t{}\n", (self.options.show)(total), path.display());
        }
        total
    }
}

trait LinkCount {
    fn nlink_above_one(&self) -> bool;
}

impl LinkCount for std::fs::Metadata {
    fn nlink_above_one(&self) -> bool {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        #[cfg(target_os = "wasi")]
        use std::os::wasi::fs::MetadataExt;
        self.nlink() > 1
    }
}

/// `du [-a] [-s] [-c] [-h|-k|-m|-b] [-d N] [FILE]...`.
pub fn du(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "ashkmbcd:",
        long: &[
            ("all", 'a', false),
            ("summarize", 's', false),
            ("human-readable", 'h', false),
            ("bytes", 'b', false),
            ("total", 'c', false),
            ("max-depth", 'd', true),
            ("apparent-size", 'A', false),
        ],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("du", &message, 1),
    };
    let max_depth = match parsed.value('d').map(|depth| text(depth).parse::<usize>()) {
        Some(Ok(depth)) => Some(depth),
        Some(Err(_)) => {
            return usage_error(
                "du",
                &format!(
                    "invalid maximum depth '{}'",
                    text(parsed.value('d').unwrap_or_default())
                ),
                1,
            );
        }
        None if parsed.has('s') => Some(0),
        None => None,
    };
    let unit = parsed
        .options
        .iter()
        .rev()
        .find(|(c, _)| matches!(c, 'h' | 'k' | 'm' | 'b'))
        .map_or('k', |(c, _)| *c);
    let show: fn(u64) -> String = match unit {
        'h' => du_human,
        'm' => |bytes| bytes.div_ceil(1 << 20).to_string(),
        'b' => |bytes| bytes.to_string(),
        _ => |bytes| bytes.div_ceil(1024).to_string(),
    };
    let options = DuOptions {
        all: parsed.has('a'),
        max_depth,
        show,
    };
    let mut du = Du::new(&options);
    let operands = if parsed.operands.is_empty() {
        vec![OsString::from(".")]
    } else {
        parsed.operands.clone()
    };
    let mut total = 0;
    for operand in &operands {
        total += du.walk(Path::new(operand), 0);
    }
    if parsed.has('c') {
        du.out += &format!("{}\ttotal\n", show(total));
    }
    print!("{}", du.out);
    i32::from(du.failed)
}

#[cfg(test)]
mod tests;
