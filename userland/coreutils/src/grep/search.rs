//! Searching files, directories and streams with a compiled pattern, line
//! by line (streamed, so `yes | grep -m1 y` ends).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use regex::bytes::Regex;

use crate::common::reason;

/// What is printed for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The selected lines (the default).
    Lines,
    /// The matched parts of selected lines, one a line (-o).
    OnlyMatching,
    /// The number of selected lines (-c).
    Count,
    /// The file's name when a line is selected (-l).
    FilesWithMatches,
    /// The file's name when no line is (-L).
    FilesWithoutMatch,
    /// Nothing; stop at the first selected line (-q).
    Quiet,
}

/// A search in progress: the pattern, the options, and what happened so far.
#[derive(Debug)]
pub struct Matcher {
    pub regex: Regex,
    pub invert: bool,
    pub line_number: bool,
    pub output: Output,
    pub max_count: Option<u64>,
    pub with_filename: bool,
    pub recursive: bool,
    /// -R: follow symbolic links met in directories (-r skips them).
    pub follow_links: bool,
    /// -s: no messages about unreadable files.
    pub quiet_errors: bool,
    /// A line was selected somewhere.
    pub selected: bool,
    /// Something could not be read.
    pub failed: bool,
}

impl Matcher {
    fn error(&mut self, name: &str, message: &str) {
        self.failed = true;
        if !self.quiet_errors {
            eprintln!("grep: {name}: {message}");
        }
    }

    /// Searches a command-line operand: "-" (stdin), a file, or a directory
    /// (with -r).
    pub fn search_operand(&mut self, path: &Path, out: &mut impl Write) {
        if path.as_os_str() == "-" {
            self.search_reader(io::stdin().lock(), "(standard input)", out);
            return;
        }
        let name = path.to_string_lossy().into_owned();
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() && self.recursive => {
                self.search_dir(path, false, out)
            }
            Ok(metadata) if metadata.is_dir() => self.error(&name, "Is a directory"),
            Ok(_) => self.search_file(path, &name, out),
            Err(error) => self.error(&name, &reason(&error)),
        }
    }

    /// Searches every file under `dir`, in name order; `strip_dot` shows
    /// "./a" as "a" (grep -r with no operand).
    pub fn search_dir(&mut self, dir: &Path, strip_dot: bool, out: &mut impl Write) {
        let shown = |path: &Path| -> String {
            let text = path.to_string_lossy().into_owned();
            match text.strip_prefix("./") {
                Some(rest) if strip_dot => rest.to_string(),
                _ => text,
            }
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => return self.error(&shown(dir), &reason(&error)),
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        for path in paths {
            let name = shown(&path);
            let metadata = match std::fs::symlink_metadata(&path) {
                Ok(metadata) if metadata.file_type().is_symlink() && !self.follow_links => continue,
                Ok(metadata) if metadata.file_type().is_symlink() => std::fs::metadata(&path),
                other => other,
            };
            match metadata {
                Ok(metadata) if metadata.is_dir() => self.search_dir(&path, strip_dot, out),
                Ok(metadata) if metadata.is_file() => self.search_file(&path, &name, out),
                Ok(_) => {}
                Err(error) => self.error(&name, &reason(&error)),
            }
            if self.selected && self.output == Output::Quiet {
                return;
            }
        }
    }

    fn search_file(&mut self, path: &Path, name: &str, out: &mut impl Write) {
        match std::fs::File::open(path) {
            Ok(file) => self.search_reader(file, name, out),
            Err(error) => self.error(name, &reason(&error)),
        }
    }

    /// Searches one stream called `name`.
    pub fn search_reader(&mut self, reader: impl Read, name: &str, out: &mut impl Write) {
        if let Err(error) = self.search_lines(BufReader::new(reader), name, out) {
            self.error(name, &reason(&error));
        }
    }

    fn search_lines(
        &mut self,
        mut reader: impl BufRead,
        name: &str,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let prefix = |number: u64| {
            let mut text = String::new();
            if self.with_filename {
                text += name;
                text += ":";
            }
            if self.line_number {
                text += &format!("{number}:");
            }
            text
        };
        let (mut count, mut number, mut binary) = (0u64, 0u64, false);
        let mut line = Vec::new();
        while self.max_count.is_none_or(|max| count < max) {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            number += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            binary |= line.contains(&0);
            if self.regex.is_match(&line) == self.invert {
                continue;
            }
            count += 1;
            match self.output {
                Output::Lines if !binary => {
                    out.write_all(prefix(number).as_bytes())?;
                    out.write_all(&line)?;
                    out.write_all(b"\n")?;
                }
                Output::OnlyMatching if !binary && !self.invert => {
                    for found in self.regex.find_iter(&line).filter(|m| !m.is_empty()) {
                        out.write_all(prefix(number).as_bytes())?;
                        out.write_all(found.as_bytes())?;
                        out.write_all(b"\n")?;
                    }
                }
                // A binary file only says that it matches: no need to read on.
                Output::Lines | Output::OnlyMatching if binary => break,
                Output::FilesWithMatches | Output::FilesWithoutMatch | Output::Quiet => break,
                _ => {}
            }
        }
        self.selected |= count > 0;
        match self.output {
            Output::Count if self.with_filename => writeln!(out, "{name}:{count}")?,
            Output::Count => writeln!(out, "{count}")?,
            Output::FilesWithMatches if count > 0 => writeln!(out, "{name}")?,
            Output::FilesWithoutMatch if count == 0 => writeln!(out, "{name}")?,
            Output::Lines | Output::OnlyMatching if binary && count > 0 => {
                writeln!(out, "grep: {name}: binary file matches")?
            }
            _ => {}
        }
        Ok(())
    }
}
