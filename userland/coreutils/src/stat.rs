//! stat: GNU stat's layout and `-c`/`--printf` formats over the kernel's
//! stat ([`crate::attrs`]): mode bits, owners (named from /etc/passwd and
//! /etc/group, "UNKNOWN" otherwise), blocks and the three times. There is
//! no birth time, so %w is "-" and %W is 0. uutils' stat needs the Unix
//! metadata.

use std::ffi::OsString;
use std::path::Path;

use crate::attrs::{self, Stat, major, minor};
use crate::common::{Spec, reason, text, usage_error};
use crate::mode::{self, mode_string};
use crate::time::Civil;
use crate::users::Accounts;

/// GNU stat's default format (coreutils 9), its line for device files
/// adding the device type.
const DEFAULT_FORMAT: &str = "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Hd,%Ld\tInode: %-11i Links: %h\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n Birth: %w\n";
const DEVICE_LINE: &str = "Device: %Hd,%Ld\tInode: %-11i Links: %-5h Device type: %Hr,%Lr\n";

/// A name quoted as GNU's %N does: 'name', with ' written '\''.
pub fn quote(name: &str) -> String {
    format!("'{}'", name.replace('\'', "'\\''"))
}

fn human_time(nanos: u64) -> String {
    let (seconds, nanos) = (nanos / 1_000_000_000, nanos % 1_000_000_000);
    format!(
        "{}.{nanos:09} +0000",
        Civil::from_unix(seconds as i64).date_time()
    )
}

/// What one file's directives print.
#[derive(Debug)]
pub struct Described<'a> {
    pub path: &'a Path,
    pub stat: Stat,
    pub accounts: &'a Accounts,
    /// %N quotes names (in -c formats; the default format does not).
    pub quoted: bool,
}

impl Described<'_> {
    /// The value of `directive` (a letter, or H/L then d/r).
    pub fn directive(&self, directive: &str) -> Option<String> {
        let stat = &self.stat;
        let name = self.path.display().to_string();
        let shown = |name: String| if self.quoted { quote(&name) } else { name };
        Some(match directive {
            "n" => name,
            "N" => match std::fs::read_link(self.path) {
                Ok(target) if mode::is_symlink(stat.mode) => {
                    format!("{} -> {}", shown(name), shown(target.display().to_string()))
                }
                _ => shown(name),
            },
            "s" => stat.size.to_string(),
            "F" => mode::type_name(stat.mode, stat.size).to_string(),
            "a" => format!("{:o}", stat.permissions()),
            "A" => mode_string(stat.mode),
            "f" => format!("{:x}", stat.mode),
            "u" => stat.uid.to_string(),
            "U" => self
                .accounts
                .user_name(stat.uid)
                .unwrap_or("UNKNOWN")
                .to_string(),
            "g" => stat.gid.to_string(),
            "G" => self
                .accounts
                .group_name(stat.gid)
                .unwrap_or("UNKNOWN")
                .to_string(),
            "b" => stat.blocks.to_string(),
            "B" => "512".to_string(),
            "o" => stat.blksize.to_string(),
            "d" => stat.dev.to_string(),
            "D" => format!("{:x}", stat.dev),
            "Hd" => major(stat.dev).to_string(),
            "Ld" => minor(stat.dev).to_string(),
            "Hr" => major(stat.rdev).to_string(),
            "Lr" => minor(stat.rdev).to_string(),
            "t" => format!("{:x}", major(stat.rdev)),
            "T" => format!("{:x}", minor(stat.rdev)),
            "i" => stat.ino.to_string(),
            "h" => stat.nlink.to_string(),
            "x" => human_time(stat.atime),
            "y" => human_time(stat.mtime),
            "z" => human_time(stat.ctime),
            "w" => "-".to_string(),
            "X" => (stat.atime / 1_000_000_000).to_string(),
            "Y" => (stat.mtime / 1_000_000_000).to_string(),
            "Z" => (stat.ctime / 1_000_000_000).to_string(),
            "W" => "0".to_string(),
            _ => return None,
        })
    }
}

/// Expands `format` for one file: `%[-0][WIDTH][.PRECISION]DIRECTIVE`
/// (a letter, or `H`/`L` then `d`/`r`: a device's major and minor),
/// `%%`, and (for --printf) backslash escapes.
pub fn expand(format: &str, escapes: bool, value: &dyn Fn(&str) -> Option<String>) -> String {
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
                let mut directive = letter.to_string();
                if matches!(letter, 'H' | 'L')
                    && let Some(&kind) = chars.peek().filter(|&&c| c == 'd' || c == 'r')
                {
                    directive.push(kind);
                    chars.next();
                }
                let Some(text) = value(&directive) else {
                    out.push('%');
                    out += &spec;
                    out += &directive;
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
    let (format, escapes, quoted) = match (parsed.value('P'), parsed.value('c')) {
        (Some(format), _) => (Some(text(format)), true, true),
        (None, Some(format)) => (Some(text(format) + "\n"), false, true),
        (None, None) => (None, false, false),
    };
    let accounts = Accounts::load();
    let mut status = 0;
    for operand in &parsed.operands {
        let path = Path::new(operand);
        match attrs::status(path, parsed.has('L')) {
            Ok(stat) => {
                let described = Described {
                    path,
                    stat,
                    accounts: &accounts,
                    quoted,
                };
                let format = format.clone().unwrap_or_else(|| default_format(&stat));
                print!(
                    "{}",
                    expand(&format, escapes, &|directive| described
                        .directive(directive))
                );
            }
            Err(error) => {
                eprintln!("stat: cannot stat '{}': {}", path.display(), reason(&error));
                status = 1;
            }
        }
    }
    status
}

/// The default format for a file: devices have a line of their own.
fn default_format(stat: &Stat) -> String {
    let device = matches!(stat.file_type(), attrs::kind::IFCHR | attrs::kind::IFBLK);
    if !device {
        return DEFAULT_FORMAT.to_string();
    }
    DEFAULT_FORMAT
        .lines()
        .map(|line| {
            if line.starts_with("Device:") {
                DEVICE_LINE.trim_end().to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_pad_truncate_and_escape() {
        let value = |directive: &str| match directive {
            "s" => Some("42".to_string()),
            "n" => Some("name".to_string()),
            "Hd" => Some("8".to_string()),
            _ => None,
        };
        assert_eq!(
            expand("%s|%5s|%-5s|%05s|%.2n|%%|%q|%Hd,%H", false, &value),
            "42|   42|42   |00042|na|%|%q|8,%H"
        );
        assert_eq!(expand("%n\\t%s\\n", true, &value), "name\t42\n");
        assert_eq!(expand("%n\\t", false, &value), "name\\t");
    }

    #[test]
    fn files_are_described_with_modes_owners_and_blocks() {
        let dir = std::env::temp_dir().join(format!("wasmux-stat-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("it's");
        std::fs::write(&file, "12345").unwrap();
        attrs::chmod(&file, 0o4750).unwrap();
        let stat = attrs::stat(&file).unwrap();
        let accounts = Accounts::parse(
            &format!("someone:x:{}:{}::/:/bin/sh\n", stat.uid, stat.gid),
            "",
        );
        let described = Described {
            path: &file,
            stat,
            accounts: &accounts,
            quoted: true,
        };
        let line = expand("%s %F %h %a %A %U %G %B", false, &|d| {
            described.directive(d)
        });
        assert_eq!(line, "5 regular file 1 4750 -rwsr-x--- someone UNKNOWN 512");
        assert!(
            described
                .directive("N")
                .is_some_and(|n| n.ends_with("it'\\''s'"))
        );
        assert_eq!(described.directive("b"), Some(stat.blocks.to_string()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn devices_get_a_line_for_their_type() {
        let stat = attrs::stat(Path::new("/dev/null")).unwrap();
        let format = default_format(&stat);
        assert!(
            format.contains("Links: %-5h Device type: %Hr,%Lr\n"),
            "{format}"
        );
        let described = Described {
            path: Path::new("/dev/null"),
            stat,
            accounts: &Accounts::default(),
            quoted: false,
        };
        assert_eq!(described.directive("Hr").as_deref(), Some("1"));
        assert_eq!(described.directive("Lr").as_deref(), Some("3"));
    }
}
