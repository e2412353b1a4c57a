//! df and du over the kernel's statfs and stat ([`crate::attrs`]).
//!
//! - df lists the mounts of /proc/mounts with their sizes, used and
//!   available space; like GNU df it leaves out filesystems of no size
//!   (proc, devices) unless -a or named.
//! - du sums disk usage: each file's blocks (st_blocks, 512 bytes each),
//!   directories included, each hard-linked file once; --apparent-size
//!   and -b sum sizes in bytes instead.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::attrs::{self, StatFs};
use crate::common::{Spec, reason, sorted_children, text, usage_error};
use crate::mode;
use crate::procinfo::unescape_octal;
use crate::size::{human, kibibytes};

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

/// One line of /proc/mounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub device: String,
    pub point: String,
    pub fs_type: String,
}

/// The mounts of /proc/mounts' text, in its order.
pub fn mounts(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace().map(unescape_octal);
            Some(Mount {
                device: fields.next()?,
                point: fields.next()?,
                fs_type: fields.next().unwrap_or_default(),
            })
        })
        .collect()
}

/// The mount holding `path` (absolute): the longest mount point above it.
pub fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .filter(|mount| path.starts_with(&mount.point))
        .max_by_key(|mount| mount.point.len())
}

/// df's table: one row per mount with its figures; -T adds the type.
#[derive(Debug, Clone, Copy)]
pub struct DfOptions {
    pub human: bool,
    pub show_type: bool,
}

/// The cells of a row of figures: size, used, available, use%.
pub fn figures(stats: &StatFs, human_sizes: bool) -> [String; 4] {
    let bytes = |blocks: u64| blocks.saturating_mul(stats.block_size);
    let total = bytes(stats.blocks);
    let used = bytes(stats.blocks.saturating_sub(stats.free));
    let available = bytes(stats.available);
    let show = |bytes: u64| {
        if human_sizes {
            human(bytes)
        } else {
            kibibytes(bytes).to_string()
        }
    };
    // GNU's Use%: used over what a user could have, rounded up.
    let percent = match used + available {
        0 => "-".to_string(),
        room => format!("{}%", (used * 100).div_ceil(room)),
    };
    [show(total), show(used), show(available), percent]
}

/// Lays out df's table: `rows` of (mount, figures), columns as wide as
/// their widest cell (GNU's minimums: 14 for the filesystem, 5 for
/// numbers), names to the left, numbers to the right.
pub fn df_table(rows: &[(&Mount, [String; 4])], options: DfOptions) -> String {
    let header = if options.human {
        ["Size", "Used", "Avail", "Use%"]
    } else {
        ["1K-blocks", "Used", "Available", "Use%"]
    };
    let widest = |minimum: usize, header: &str, cells: &mut dyn Iterator<Item = usize>| {
        cells.fold(minimum.max(header.len()), usize::max)
    };
    let source = widest(
        14,
        "Filesystem",
        &mut rows.iter().map(|(m, _)| m.device.len()),
    );
    let kind = widest(4, "Type", &mut rows.iter().map(|(m, _)| m.fs_type.len()));
    let numbers: Vec<usize> = (0..4)
        .map(|i| {
            let minimum = if i == 3 { 4 } else { 5 };
            widest(
                minimum,
                header[i],
                &mut rows.iter().map(|(_, f)| f[i].len()),
            )
        })
        .collect();
    let line = |device: &str, fs_type: &str, cells: [&str; 4], point: &str| {
        let mut line = format!("{device:<source$} ");
        if options.show_type {
            line += &format!("{fs_type:<kind$} ");
        }
        for (cell, width) in cells.iter().zip(&numbers) {
            line += &format!("{cell:>width$} ");
        }
        line + point + "\n"
    };
    let mut out = line("Filesystem", "Type", header, "Mounted on");
    for (mount, cells) in rows {
        let cells = [&*cells[0], &*cells[1], &*cells[2], &*cells[3]];
        out += &line(&mount.device, &mount.fs_type, cells, &mount.point);
    }
    out
}

/// `df [-h] [-k] [-a] [-T] [FILE]...`.
pub fn df(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "hkaT",
        long: &[
            ("human-readable", 'h', false),
            ("all", 'a', false),
            ("print-type", 'T', false),
        ],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("df", &message, 1),
    };
    let table = match std::fs::read_to_string("/proc/mounts") {
        Ok(text) => mounts(&text),
        Err(error) => {
            eprintln!(
                "df: cannot read table of mounted file systems: {}",
                reason(&error)
            );
            return 1;
        }
    };
    let mut status = 0;
    let named = !parsed.operands.is_empty();
    // (mount, the path to ask statfs about)
    let mut wanted: Vec<(&Mount, PathBuf)> = Vec::new();
    if named {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        for operand in &parsed.operands {
            let path = Path::new(operand);
            if let Err(error) = attrs::stat(path) {
                eprintln!("df: {}: {}", text(operand), reason(&error));
                status = 1;
                continue;
            }
            if let Some(mount) = mount_of(&table, &absolute(path, &cwd)) {
                wanted.push((mount, path.to_path_buf()));
            }
        }
    } else {
        wanted = table
            .iter()
            .map(|mount| (mount, PathBuf::from(&mount.point)))
            .collect();
    }
    let mut rows = Vec::new();
    for (mount, path) in wanted {
        match attrs::statfs(&path) {
            Ok(stats) if stats.blocks == 0 && !named && !parsed.has('a') => {}
            Ok(stats) => rows.push((mount, figures(&stats, parsed.has('h')))),
            Err(error) => {
                eprintln!("df: {}: {}", path.display(), reason(&error));
                status = 1;
            }
        }
    }
    if !rows.is_empty() {
        let options = DfOptions {
            human: parsed.has('h'),
            show_type: parsed.has('T'),
        };
        print!("{}", df_table(&rows, options));
    }
    status
}

/// What du prints and how.
#[derive(Debug, Clone)]
pub struct DuOptions {
    pub all: bool,
    pub max_depth: Option<usize>,
    /// Sums sizes in bytes rather than blocks.
    pub apparent: bool,
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

impl<'a> Du<'a> {
    pub fn new(options: &'a DuOptions) -> Du<'a> {
        Du {
            options,
            out: String::new(),
            failed: false,
            seen: HashSet::new(),
        }
    }

    /// Adds `path`'s lines (at `depth`); returns its usage in bytes.
    pub fn walk(&mut self, path: &Path, depth: usize) -> u64 {
        let stat = match attrs::lstat(path) {
            Ok(stat) => stat,
            Err(error) => {
                self.failed = true;
                eprintln!("du: cannot access '{}': {}", path.display(), reason(&error));
                return 0;
            }
        };
        let shown = self.options.max_depth.is_none_or(|max| depth <= max);
        let dir = mode::is_dir(stat.mode);
        let own = if !dir && stat.nlink > 1 && !self.seen.insert((stat.dev, stat.ino)) {
            0
        } else if self.options.apparent {
            stat.size
        } else {
            stat.blocks.saturating_mul(512)
        };
        if !dir {
            if shown && (self.options.all || depth == 0) {
                self.out += &format!("{}\t{}\n", (self.options.show)(own), path.display());
            }
            return own;
        }
        let mut total = own;
        match sorted_children(path) {
            Ok(children) => {
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

/// `du [-a] [-s] [-c] [-h|-k|-m|-b] [--apparent-size] [-d N] [FILE]...`.
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
        'h' => human,
        'm' => |bytes| bytes.div_ceil(1 << 20).to_string(),
        'b' => |bytes| bytes.to_string(),
        _ => |bytes| kibibytes(bytes).to_string(),
    };
    let options = DuOptions {
        all: parsed.has('a'),
        max_depth,
        apparent: parsed.has('A') || parsed.has('b'),
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
