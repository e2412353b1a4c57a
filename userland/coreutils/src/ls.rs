//! ls: GNU ls over the kernel's stat ([`crate::attrs`]): modes with the
//! file type letter, link counts, owners named from /etc/passwd and
//! /etc/group, sizes, blocks and times. uutils' ls reads these only on
//! Unix targets.
//!
//! - Operands: files first (one listing), then each directory, with a
//!   `DIR:` header when there is more than one operand or with -R. No
//!   operand lists `.`.
//! - Formats: -l (long), -1 (one a line), -C (columns fitting the width);
//!   the last given wins. Without one: columns on a terminal, one a line
//!   otherwise. The width: -w, else `COLUMNS`, else the terminal's, else 80.
//! - Names sort in byte order (the C locale); -t (newest first), -S
//!   (largest first) and -U (directory order) instead; -r reverses.
//! - Statuses: 2 for a missing operand or an unreadable operand directory,
//!   1 for a minor problem (an unreadable subdirectory under -R).
//! - Left out: quoting of unusual names, -x, -m, -s, -g, -o, -c, -u,
//!   --time-style, --sort=WORD, LS_COLORS (--color uses GNU's default colors).

mod columns;
mod long;
mod options;
#[cfg(test)]
mod tests;

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::attrs::{self, Stat, kind};
use crate::common::{reason, text, usage_error};
use crate::mode;
use crate::users::Accounts;

pub use columns::layout;
pub use options::{Format, HELP, Hidden, Indicator, Options, Sort, Stop, parse};

/// One file to show.
#[derive(Debug, Clone)]
pub struct Entry {
    /// As shown: the operand as given, or the name in its directory.
    pub name: String,
    /// Where it is (to recurse into).
    pub path: PathBuf,
    pub stat: Stat,
    /// Whether the file itself is a symlink (even if `stat` followed it).
    pub symlink: bool,
    /// A symlink's target and the target's stat (when it exists).
    pub target: Option<(String, Option<Stat>)>,
}

impl Entry {
    /// `path`'s entry, shown as `name`; stat follows symlinks if `follow`.
    /// Errors: lstat's.
    pub fn read(name: String, path: PathBuf, follow: bool, long: bool) -> io::Result<Entry> {
        let mut stat = attrs::lstat(&path)?;
        let symlink = mode::is_symlink(stat.mode);
        if follow && symlink {
            stat = attrs::stat(&path)?;
        }
        let target = if mode::is_symlink(stat.mode) && long {
            let target = std::fs::read_link(&path)
                .map(|target| target.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some((target, attrs::stat(&path).ok()))
        } else {
            None
        };
        Ok(Entry {
            name,
            path,
            stat,
            symlink,
            target,
        })
    }

    fn is_dir(&self) -> bool {
        mode::is_dir(self.stat.mode)
    }
}

/// The character -F (or -p) puts after a file of `stat`.
pub fn indicator(stat: &Stat, style: Indicator) -> Option<char> {
    let file_type = stat.mode & kind::IFMT;
    match style {
        Indicator::None => None,
        Indicator::Slash => (file_type == kind::IFDIR).then_some('/'),
        Indicator::Classify => match file_type {
            kind::IFDIR => Some('/'),
            kind::IFLNK => Some('@'),
            kind::IFIFO => Some('|'),
            kind::IFSOCK => Some('='),
            kind::IFREG if stat.mode & 0o111 != 0 => Some('*'),
            _ => None,
        },
    }
}

/// GNU's default color (dircolors) for a file of `stat`.
fn color_of(stat: &Stat) -> Option<&'static str> {
    match stat.mode & kind::IFMT {
        kind::IFDIR if stat.mode & mode::STICKY != 0 && stat.mode & 0o002 != 0 => Some("30;42"),
        kind::IFDIR => Some("01;34"),
        kind::IFLNK => Some("01;36"),
        kind::IFIFO => Some("33"),
        kind::IFSOCK => Some("01;35"),
        kind::IFCHR | kind::IFBLK => Some("40;33;01"),
        kind::IFREG if stat.mode & mode::SETUID != 0 => Some("37;41"),
        kind::IFREG if stat.mode & 0o111 != 0 => Some("01;32"),
        _ => None,
    }
}

/// A name as shown (colored when asked) and its width on screen.
pub fn painted(name: &str, stat: &Stat, options: &Options) -> (String, usize) {
    let width = name.chars().count();
    match color_of(stat).filter(|_| options.color) {
        Some(color) => (format!("\x1b[{color}m{name}\x1b[0m"), width),
        None => (name.to_string(), width),
    }
}

/// `entries` in the order `options` asks for.
pub fn sort(entries: &mut [Entry], options: &Options) {
    let by_name = |a: &Entry, b: &Entry| a.name.as_bytes().cmp(b.name.as_bytes());
    match options.sort {
        Sort::None => return,
        Sort::Name => entries.sort_by(by_name),
        Sort::Time => {
            entries.sort_by(|a, b| b.stat.mtime.cmp(&a.stat.mtime).then_with(|| by_name(a, b)))
        }
        Sort::Size => {
            entries.sort_by(|a, b| b.stat.size.cmp(&a.stat.size).then_with(|| by_name(a, b)))
        }
    }
    if options.reverse {
        entries.reverse();
    }
}

/// Lists operands into `out`, reporting problems on `err`.
pub struct Lister<'a> {
    pub options: &'a Options,
    pub accounts: &'a Accounts,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The exit status so far.
    pub status: i32,
    /// Whether anything was listed yet (a later directory's header then
    /// follows a blank line).
    printed: bool,
}

impl std::fmt::Debug for Lister<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lister")
            .field("options", self.options)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl<'a> Lister<'a> {
    pub fn new(
        options: &'a Options,
        accounts: &'a Accounts,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Lister<'a> {
        Lister {
            options,
            accounts,
            out,
            err,
            status: 0,
            printed: false,
        }
    }

    fn problem(&mut self, message: String, status: i32) {
        let _ = self.out.flush();
        let _ = writeln!(self.err, "ls: {message}");
        self.status = self.status.max(status);
    }

    fn long(&self) -> bool {
        self.options.format == Format::Long
    }

    /// Lists `operands` (`.` when there are none); returns the exit status.
    /// Errors: writing to `out`.
    pub fn run(&mut self, operands: &[OsString]) -> io::Result<i32> {
        let dot = [OsString::from(".")];
        let operands = if operands.is_empty() { &dot } else { operands };
        let options = self.options;
        // Like GNU: symlinks named on the command line are followed to
        // directories unless -l, -d or -F say to show the links themselves.
        let follow_to_dirs = !options.directory
            && options.format != Format::Long
            && options.indicator != Indicator::Classify;
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for operand in operands {
            let name = text(operand);
            let path = PathBuf::from(operand);
            let mut entry =
                match Entry::read(name.clone(), path.clone(), options.dereference, self.long()) {
                    Ok(entry) => entry,
                    Err(error) => {
                        self.problem(format!("cannot access '{name}': {}", reason(&error)), 2);
                        continue;
                    }
                };
            if follow_to_dirs
                && mode::is_symlink(entry.stat.mode)
                && let Ok(stat) = attrs::stat(&path)
                && mode::is_dir(stat.mode)
            {
                entry.stat = stat;
            }
            if entry.is_dir() && !options.directory {
                dirs.push(entry);
            } else {
                files.push(entry);
            }
        }
        sort(&mut files, options);
        if !files.is_empty() {
            self.show(&files, false)?;
            self.printed = true;
        }
        sort(&mut dirs, options);
        let headers = operands.len() > 1 || options.recursive;
        for dir in &dirs {
            self.directory(&dir.path, &dir.name, headers, true)?;
        }
        self.out.flush()?;
        Ok(self.status)
    }

    /// Lists the directory at `path` (shown as `shown`), then with -R its
    /// subdirectories.
    fn directory(&mut self, path: &Path, shown: &str, header: bool, top: bool) -> io::Result<()> {
        let names = match read_names(path) {
            Ok(names) => names,
            Err(error) => {
                let status = if top { 2 } else { 1 };
                self.problem(
                    format!("cannot open directory '{shown}': {}", reason(&error)),
                    status,
                );
                return Ok(());
            }
        };
        if self.printed {
            writeln!(self.out)?;
        }
        self.printed = true;
        if header {
            writeln!(self.out, "{shown}:")?;
        }
        let options = self.options;
        let mut shown_names: Vec<OsString> = Vec::new();
        if options.hidden == Hidden::All {
            shown_names.extend([OsString::from("."), OsString::from("..")]);
        }
        shown_names.extend(names.into_iter().filter(|name| {
            options.hidden != Hidden::Skip || !name.as_encoded_bytes().starts_with(b".")
        }));
        let mut entries = Vec::new();
        for name in shown_names {
            let child = path.join(&name);
            match Entry::read(text(&name), child.clone(), options.dereference, self.long()) {
                Ok(entry) => entries.push(entry),
                Err(error) => {
                    let child = join_shown(shown, &name);
                    self.problem(format!("cannot access '{child}': {}", reason(&error)), 1);
                }
            }
        }
        sort(&mut entries, options);
        self.show(&entries, true)?;
        if options.recursive {
            for entry in &entries {
                if entry.is_dir() && !entry.symlink && entry.name != "." && entry.name != ".." {
                    let shown = join_shown(shown, OsStr::new(&entry.name));
                    self.directory(&entry.path, &shown, true, false)?;
                }
            }
        }
        Ok(())
    }

    /// Writes one listing: a directory's entries (with -l's "total" line)
    /// or the file operands.
    fn show(&mut self, entries: &[Entry], total: bool) -> io::Result<()> {
        let options = self.options;
        let text = match options.format {
            Format::Long => {
                let mut text = String::new();
                if total {
                    let blocks: u64 = entries.iter().map(|entry| entry.stat.blocks).sum();
                    text += &format!("total {}\n", long::total(blocks, options.human));
                }
                text + &long::lines(entries, options, self.accounts)
            }
            Format::Columns | Format::Single => {
                let cells = short_cells(entries, options);
                if options.format == Format::Columns {
                    layout(&cells, options.width)
                } else {
                    cells.iter().map(|(cell, _)| format!("{cell}\n")).collect()
                }
            }
        };
        self.out.write_all(text.as_bytes())
    }
}

/// `dir`/`name` as the user reads it ("./sub", "/d/sub", "d/sub" for "d/").
fn join_shown(dir: &str, name: &OsStr) -> String {
    let name = name.to_string_lossy();
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The names in directory `path`, without `.` and `..`, in its order.
fn read_names(path: &Path) -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let name = entry?.file_name();
        if name != "." && name != ".." {
            names.push(name);
        }
    }
    Ok(names)
}

/// The inode column's text for each entry, right-aligned (-i), or "".
fn inodes(entries: &[Entry], options: &Options) -> Vec<String> {
    if !options.inode {
        return vec![String::new(); entries.len()];
    }
    let numbers: Vec<String> = entries.iter().map(|e| e.stat.ino.to_string()).collect();
    let width = numbers.iter().map(String::len).max().unwrap_or(0);
    numbers.iter().map(|n| format!("{n:>width$} ")).collect()
}

/// Each entry as -1 and -C show it: inode, name, indicator; and its width.
fn short_cells(entries: &[Entry], options: &Options) -> Vec<(String, usize)> {
    inodes(entries, options)
        .into_iter()
        .zip(entries)
        .map(|(inode, entry)| {
            let (name, width) = painted(&entry.name, &entry.stat, options);
            let suffix = indicator(&entry.stat, options.indicator);
            let mut cell = inode.clone() + &name;
            cell.extend(suffix);
            (cell, inode.len() + width + usize::from(suffix.is_some()))
        })
        .collect()
}

/// `ls [OPTION]... [FILE]...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let stdout = io::stdout();
    let tty = wasmux_sys::termios::isatty(&stdout);
    let tty_width = if tty {
        wasmux_sys::termios::window_size(&stdout)
            .ok()
            .map(|size| usize::from(size.cols))
    } else {
        None
    };
    let columns = std::env::var("COLUMNS").ok();
    let (options, operands) = match parse(
        args.into_iter().skip(1).collect(),
        tty,
        tty_width,
        columns.as_deref(),
    ) {
        Ok(parsed) => parsed,
        Err(Stop::Help) => {
            print!("{HELP}");
            return 0;
        }
        Err(Stop::Usage(message, status)) => return usage_error("ls", &message, status),
        Err(Stop::Invalid(message)) => {
            eprintln!("ls: {message}");
            return 2;
        }
    };
    let accounts = if options.format == Format::Long && !options.numeric {
        Accounts::load()
    } else {
        Accounts::default()
    };
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    let mut lister = Lister::new(&options, &accounts, &mut out, &mut err);
    match lister.run(&operands) {
        Ok(status) => status,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => 2,
        Err(error) => {
            eprintln!("ls: write error: {}", reason(&error));
            2
        }
    }
}
