//! stat: GNU stat's layout and `-c`/`--printf` formats over what WASI's
//! filestat holds (device, inode, type, links, size, three times). Mode
//! bits, owners and block counts are not in preview1 nor in the wasmux
//! module, so their directives (%a %A %u %U %g %G %b %B %o) print "?"
//! rather than made-up values. uutils' stat needs the Unix metadata.

use std::ffi::OsString;
use std::fs::Metadata;
use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::common::{Spec, reason, text, usage_error};
use crate::time::Civil;

/// GNU stat's default format.
const DEFAULT_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Dh/%dd\tInode: %-11i Links: %h\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";

/// What a file is, as stat names it.
pub fn type_name(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_symlink() {
        "symbolic link"
    } else if kind.is_dir() {
        "directory"
    } else if kind.is_file() && metadata.len() == 0 {
        "regular empty file"
    } else if kind.is_file() {
        "regular file"
    } else if kind.is_char_device() {
        "character special file"
    } else if kind.is_block_device() {
        "block special file"
    } else {
        "socket"
    }
}

/// (device, inode, links)
fn ids(metadata: &Metadata) -> (u64, u64, u64) {
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::fs::MetadataExt;
    (metadata.dev(), metadata.ino(), metadata.nlink())
}

/// The status-change time (ctime), which std's Metadata does not give on WASI.
#[cfg(unix)]
fn changed_time(_: &Path, metadata: &Metadata) -> Option<(i64, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.ctime(), metadata.ctime_nsec() as u32))
}

#[cfg(target_os = "wasi")]
fn changed_time(path: &Path, metadata: &Metadata) -> Option<(i64, u32)> {
    let status = if metadata.file_type().is_symlink() {
        rustix::fs::lstat(path)
    } else {
        rustix::fs::stat(path)
    };
    status
        .ok()
        .map(|status| (status.st_ctim.tv_sec, status.st_ctim.tv_nsec as u32))
}

/// A time as (seconds, nanoseconds) since the epoch.
fn seconds(time: std::io::Result<std::time::SystemTime>) -> Option<(i64, u32)> {
    let time = time.ok()?;
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => Some((after.as_secs() as i64, after.subsec_nanos())),
        Err(before) => Some((-(before.duration().as_secs() as i64), 0)),
    }
}

fn human_time(time: Option<(i64, u32)>) -> String {
    match time {
        Some((seconds, nanos)) => {
            format!("{}.{nanos:09} +0000", Civil::from_unix(seconds).date_time())
        }
        None => "-".to_string(),
    }
}

/// The value of directive `letter` for the file at `path`.
pub fn directive(letter: char, path: &Path, metadata: &Metadata) -> Option<String> {
    let (dev, ino, links) = ids(metadata);
    let changed = changed_time(path, metadata);
    let name = path.display().to_string();
    Some(match letter {
        'n' => name,
        'N' => match std::fs::read_link(path) {
            Ok(target) if metadata.file_type().is_symlink() => {
                format!("{name} -> {}", target.display())
            }
            _ => name,
        },
        's' => metadata.len().to_string(),
        'F' => type_name(metadata).to_string(),
        'd' => dev.to_string(),
        'D' => format!("{dev:x}"),
        'i' => ino.to_string(),
        'h' => links.to_string(),
        'a' | 'A' | 'u' | 'U' | 'g' | 'G' | 'b' | 'B' | 'o' | 'f' => "?".to_string(),
        'x' => human_time(seconds(metadata.accessed())),
        'y' => human_time(seconds(metadata.modified())),
        'z' => human_time(changed),
        'w' => "-".to_string(),
        'X' => seconds(metadata.accessed()).map_or("-".into(), |t| t.0.to_string()),
        'Y' => seconds(metadata.modified()).map_or("-".into(), |t| t.0.to_string()),
        'Z' => changed.map_or("-".into(), |t| t.0.to_string()),
        'W' => "0".to_string(),
        _ => return None,
    })
}

/// Expands `format` for one file: `%[-0][WIDTH][.PRECISION]LETTER`
/// directives, `%%`, and (for --printf) backslash escapes.
pub fn expand(format: &str, escapes: bool, value: &dyn Fn(char) -> Option<String>) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' => {
                let mut spec = String::new();
                while let Some(&next) = chars
                    .peek()
                    .filter(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '#' | '+' | ' '))
                {
                    spec.push(next);
                    chars.next();
                }
                let Some(letter) = chars.next() else {
                    out.push('%');
                    out += &spec;
                    break;
                };
                if letter == '%' {
                    out.push('%');
                    continue;
                }
                let Some(text) = value(letter) else {
                    out.push('%');
                    out += &spec;
                    out.push(letter);
                    continue;
                };
                let left = spec.starts_with('-');
                let zero =
                    spec.trim_start_matches('-').starts_with('0') && text.parse::<i64>().is_ok();
                let (width, precision) = match spec
                    .trim_start_matches(['-', '0', '#', '+', ' '])
                    .split_once('.')
                {
                    Some((width, precision)) => {
                        (width.parse().unwrap_or(0), precision.parse::<usize>().ok())
                    }
                    None => (
                        spec.trim_start_matches(['-', '0', '#', '+', ' '])
                            .parse()
                            .unwrap_or(0),
                        None,
                    ),
                };
                let text: String = match precision {
                    Some(precision) => text.chars().take(precision).collect(),
                    None => text,
                };
                out += &match (left, zero) {
                    (true, _) => format!("{text:<width$}"),
                    (false, true) => format!("{text:0>width$}"),
                    (false, false) => format!("{text:>width$}"),
                };
            }
            '\\' if escapes => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('"') => out.push('"'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            other => out.push(other),
        }
    }
    out
}

/// `stat [-L] [-c FORMAT | --printf FORMAT] FILE...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "Lc:",
        long: &[
            ("dereference", 'L', false),
            ("format", 'c', true),
            ("printf", 'P', true),
        ],
        stop_at_operand: false,
    };
    let parsed = match spec.parse(args.into_iter().skip(1)) {
        Ok(parsed) if !parsed.operands.is_empty() => parsed,
        Ok(_) => return usage_error("stat", "missing operand", 1),
        Err(message) => return usage_error("stat", &message, 1),
    };
    let (format, escapes) = match (parsed.value('P'), parsed.value('c')) {
        (Some(format), _) => (text(format), true),
        (None, Some(format)) => (text(format) + "\n", false),
        (None, None) => (DEFAULT_FORMAT.to_string(), false),
    };
    let mut status = 0;
    for operand in &parsed.operands {
        let path = Path::new(operand);
        let metadata = if parsed.has('L') {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        };
        match metadata {
            Ok(metadata) => print!(
                "{}",
                expand(&format, escapes, &|letter| directive(
                    letter, path, &metadata
                ))
            ),
            Err(error) => {
                eprintln!("stat: cannot stat '{}': {}", path.display(), reason(&error));
                status = 1;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_pad_truncate_and_escape() {
        let value = |letter| match letter {
            's' => Some("42".to_string()),
            'n' => Some("name".to_string()),
            _ => None,
        };
        assert_eq!(
            expand("%s|%5s|%-5s|%05s|%.2n|%%|%q", false, &value),
            "42|   42|42   |00042|na|%|%q"
        );
        assert_eq!(expand("%n\\t%s\\n", true, &value), "name\t42\n");
        assert_eq!(expand("%n\\t", false, &value), "name\\t");
    }

    #[test]
    fn files_are_described_with_what_wasi_knows() {
        let dir = std::env::temp_dir().join(format!("wasmux-stat-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("five");
        std::fs::write(&file, "12345").unwrap();
        let metadata = std::fs::metadata(&file).unwrap();
        let line = expand("%s %F %h %a %U", false, &|letter| {
            directive(letter, &file, &metadata)
        });
        assert_eq!(line, "5 regular file 1 ? ?");
        let metadata = std::fs::metadata(&dir).unwrap();
        assert_eq!(
            directive('F', &dir, &metadata).as_deref(),
            Some("directory")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
