//! find: walks directory trees and evaluates an expression on each entry.
//! Tests -name -iname -path -type -empty -true -false, and on the
//! kernel's stat ([`crate::attrs`]) -perm -user -group -uid -gid -nouser
//! -nogroup -readable -writable -executable; actions -print
//! -print0 -exec CMD {} ; and -exec CMD {} + (spawned through
//! `wasmux-sys`); operators ( ) ! -not -a -and -o -or; options -maxdepth
//! -mindepth -depth. uutils' findutils needs Unix APIs WASI lacks.
//!
//! Entries are visited in name order (GNU find uses the directory's own
//! order), so output does not depend on the filesystem.

mod expr;

use std::ffi::OsString;
use std::fs::Metadata;
use std::io::{self, Write};
use std::path::Path;

pub use expr::{Expr, Query, parse};

use crate::attrs::Stat;
use crate::common::{reason, text};

/// One entry being looked at.
#[derive(Debug)]
pub struct Entry<'a> {
    /// As find prints it: the operand, then "/" and names.
    pub path: &'a str,
    /// Its last component (the operand itself for a top-level entry).
    pub name: &'a str,
    pub metadata: &'a Metadata,
    /// The kernel's lstat: modes and owners (None if it failed).
    pub stat: Option<Stat>,
    pub depth: usize,
}

/// A walk in progress: where output goes and what went wrong.
#[allow(missing_debug_implementations)]
pub struct Walk<'a> {
    pub query: &'a Query,
    pub out: &'a mut dyn Write,
    /// Paths gathered by `-exec ... {} +`, per such action.
    pub batches: Vec<Vec<String>>,
    pub failed: bool,
}

impl Walk<'_> {
    /// Visits `path` (at `depth`) and, for a directory within -maxdepth,
    /// what is under it.
    pub fn visit(&mut self, path: &str, depth: usize) {
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                eprintln!("find: '{path}': {}", reason(&error));
                self.failed = true;
                return;
            }
        };
        let name = if depth == 0 {
            path.to_string()
        } else {
            Path::new(path)
                .file_name()
                .map_or(path.to_string(), |name| name.to_string_lossy().into_owned())
        };
        let entry = Entry {
            path,
            name: &name,
            metadata: &metadata,
            stat: crate::attrs::lstat(Path::new(path)).ok(),
            depth,
        };
        let evaluate = depth >= self.query.min_depth;
        if evaluate && !self.query.depth_first {
            self.evaluate(&entry);
        }
        if metadata.is_dir() && self.query.max_depth.is_none_or(|max| depth < max) {
            match std::fs::read_dir(path) {
                Ok(children) => {
                    let mut names: Vec<String> = children
                        .filter_map(|child| {
                            child
                                .ok()
                                .map(|c| c.file_name().to_string_lossy().into_owned())
                        })
                        .collect();
                    names.sort();
                    for child in names {
                        let joined = if path.ends_with('/') {
                            format!("{path}{child}")
                        } else {
                            format!("{path}/{child}")
                        };
                        self.visit(&joined, depth + 1);
                    }
                }
                Err(error) => {
                    eprintln!("find: '{path}': {}", reason(&error));
                    self.failed = true;
                }
            }
        }
        if evaluate && self.query.depth_first {
            self.evaluate(&entry);
        }
    }

    fn evaluate(&mut self, entry: &Entry) {
        let expr = &self.query.expr;
        if let Err(error) = expr.eval(entry, self) {
            eprintln!("find: {}", reason(&error));
            self.failed = true;
        }
    }

    /// Runs `command` with `{}` replaced by `paths` (one path for `;`, all
    /// for `+`); true when it exits 0.
    pub fn run(&mut self, command: &[String], paths: &[String]) -> bool {
        let mut argv: Vec<String> = Vec::new();
        for arg in command {
            if arg == "{}" && paths.len() != 1 {
                argv.extend(paths.iter().cloned());
            } else if paths.len() == 1 {
                argv.push(arg.replace("{}", &paths[0]));
            } else {
                argv.push(arg.clone());
            }
        }
        let _ = self.out.flush();
        match wasmux_sys::process::Command::new(&argv[0])
            .args(&argv[1..])
            .status()
        {
            Ok(status) => status.success(),
            Err(error) => {
                eprintln!("find: '{}': {}", argv[0], reason(&error));
                self.failed = true;
                false
            }
        }
    }

    /// Runs the `-exec ... +` commands with what they gathered.
    pub fn finish(&mut self) {
        for (index, command) in self.query.batch_commands().into_iter().enumerate() {
            let paths = std::mem::take(&mut self.batches[index]);
            if !paths.is_empty() && !self.run(&command, &paths) {
                self.failed = true;
            }
        }
    }
}

/// `find [PATH]... [EXPRESSION]`.
pub fn main(args: Vec<OsString>) -> i32 {
    let args: Vec<String> = args.iter().skip(1).map(|arg| text(arg)).collect();
    let first_expr = args
        .iter()
        .position(|arg| (arg.starts_with('-') && arg.len() > 1) || arg == "(" || arg == "!")
        .unwrap_or(args.len());
    let (paths, expression) = args.split_at(first_expr);
    let query = match parse(expression) {
        Ok(query) => query,
        Err(message) => {
            eprintln!("find: {message}");
            return 1;
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut walk = Walk {
        query: &query,
        out: &mut out,
        batches: vec![Vec::new(); query.batch_commands().len()],
        failed: false,
    };
    let paths = if paths.is_empty() {
        vec![".".to_string()]
    } else {
        paths.to_vec()
    };
    for path in &paths {
        walk.visit(path, 0);
    }
    walk.finish();
    let failed = walk.failed;
    let _ = out.flush();
    i32::from(failed)
}

#[cfg(test)]
mod tests;
