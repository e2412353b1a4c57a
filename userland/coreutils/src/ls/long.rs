//! ls -l: one line a file, its columns aligned over the listing as GNU
//! aligns them: `[INODE ]MODE LINKS OWNER GROUP SIZE TIME NAME[ -> TARGET]`.
//! Counts and sizes are right-aligned, owners and groups left-aligned;
//! devices show "MAJOR, MINOR" in the size column.

use super::{Entry, Options, indicator, inodes, painted};
use crate::attrs::{Stat, kind, major, minor};
use crate::mode::mode_string;
use crate::size::human;
use crate::time::Civil;
use crate::users::Accounts;

/// Half of a Gregorian year, in seconds: times older than this (or in
/// the future) show their year instead of the clock.
const SIX_MONTHS: i64 = 31_556_952 / 2;

/// -l's time: "Mar  4 05:06" within six months before `now`, else
/// "Mar  4  2020".
pub fn time(nanos: u64, now: i64) -> String {
    let seconds = (nanos / 1_000_000_000) as i64;
    let civil = Civil::from_unix(seconds);
    let recent = now - SIX_MONTHS < seconds && seconds <= now;
    if recent {
        format!(
            "{} {:>2} {:02}:{:02}",
            civil.month_name(),
            civil.day,
            civil.hour,
            civil.minute
        )
    } else {
        format!("{} {:>2}  {}", civil.month_name(), civil.day, civil.year)
    }
}

/// The "total" line's figure: `blocks` (512 bytes each) in KiB, or with
/// -h in human units.
pub fn total(blocks: u64, human_sizes: bool) -> String {
    if human_sizes {
        human(blocks * 512)
    } else {
        blocks.div_ceil(2).to_string()
    }
}

fn is_device(stat: &Stat) -> bool {
    matches!(stat.mode & kind::IFMT, kind::IFCHR | kind::IFBLK)
}

/// The lines of `entries`, each ending in a newline.
pub fn lines(entries: &[Entry], options: &Options, accounts: &Accounts) -> String {
    let owner = |stat: &Stat| match accounts.user_name(stat.uid) {
        Some(name) if !options.numeric => name.to_string(),
        _ => stat.uid.to_string(),
    };
    let group = |stat: &Stat| match accounts.group_name(stat.gid) {
        Some(name) if !options.numeric => name.to_string(),
        _ => stat.gid.to_string(),
    };
    let rows: Vec<[String; 4]> = entries
        .iter()
        .map(|entry| {
            let stat = &entry.stat;
            let size = if options.human {
                human(stat.size)
            } else {
                stat.size.to_string()
            };
            [stat.nlink.to_string(), owner(stat), group(stat), size]
        })
        .collect();
    let widest = |column: usize| rows.iter().map(|row| row[column].len()).max().unwrap_or(0);
    let devices = entries.iter().filter(|entry| is_device(&entry.stat));
    let major_width = devices
        .clone()
        .map(|entry| major(entry.stat.rdev).to_string().len())
        .max();
    let minor_width = devices
        .map(|entry| minor(entry.stat.rdev).to_string().len())
        .max()
        .unwrap_or(0);
    let size_width = widest(3).max(major_width.map_or(0, |major| major + 2 + minor_width));
    let (links_width, owner_width, group_width) = (widest(0), widest(1), widest(2));
    let mut out = String::new();
    for ((entry, row), inode) in entries.iter().zip(&rows).zip(inodes(entries, options)) {
        let stat = &entry.stat;
        let size = if is_device(stat) {
            let (major, minor) = (major(stat.rdev), minor(stat.rdev));
            let text = format!(
                "{major:>0$}, {minor:>1$}",
                major_width.unwrap_or(0),
                minor_width
            );
            format!("{text:>size_width$}")
        } else {
            format!("{:>size_width$}", row[3])
        };
        out += &format!(
            "{inode}{} {:>links_width$} {:<owner_width$} {:<group_width$} {size} {} {}\n",
            mode_string(stat.mode),
            row[0],
            row[1],
            row[2],
            time(stat.mtime, options.now),
            name(entry, options),
        );
    }
    out
}

/// The name column: the name, then a symlink's target or the indicator.
fn name(entry: &Entry, options: &Options) -> String {
    let (mut text, _) = painted(&entry.name, &entry.stat, options);
    match &entry.target {
        Some((target, target_stat)) => {
            text += " -> ";
            match target_stat {
                Some(stat) => {
                    text += &painted(target, stat, options).0;
                    text.extend(indicator(stat, options.indicator));
                }
                None => text += target,
            }
        }
        None => text.extend(indicator(&entry.stat, options.indicator)),
    }
    text
}
