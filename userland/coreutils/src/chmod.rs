//! chmod: octal and symbolic modes ([`crate::mode`]) through the kernel's
//! chmod call, with GNU chmod's options (-R -f -v -c --reference) and
//! messages. uutils' chmod is Unix-only, and std's set_permissions is
//! unsupported on WASI.
//!
//! As GNU chmod: symlinks named on the command line are followed, those
//! met while recursing are left alone; a directory is changed before its
//! contents; when the umask keeps a symbolic mode from taking full effect
//! ("-w" with umask 022) chmod says so and exits 1.

use std::ffi::OsString;
use std::path::Path;

use crate::attrs::{self, Stat};
use crate::common::{reason, sorted_children, text, usage_error};
use crate::mode::{self, Mode, permission_string};

/// How chmod reports.
#[derive(Debug, Clone, Copy, Default)]
struct Report {
    quiet: bool,
    verbose: bool,
    changes: bool,
}

/// One chmod run: its mode, options and how it went.
#[derive(Debug)]
struct Chmod {
    mode: Mode,
    recursive: bool,
    report: Report,
    umask: u32,
    failed: bool,
}

fn octal_and_letters(bits: u32) -> String {
    format!("{bits:04o} ({})", permission_string(bits))
}

impl Chmod {
    /// Changes the file at `path` whose status is `stat`.
    fn change(&mut self, path: &Path, stat: &Stat) {
        let shown = path.display();
        let dir = mode::is_dir(stat.mode);
        let old = stat.permissions();
        let new = self.mode.apply(stat.mode, dir, self.umask);
        let result = attrs::chmod(path, new);
        let report = self.report;
        match &result {
            Ok(()) if new != old && (report.verbose || report.changes) => println!(
                "mode of '{shown}' changed from {} to {}",
                octal_and_letters(old),
                octal_and_letters(new)
            ),
            Ok(()) if new == old && report.verbose => {
                println!("mode of '{shown}' retained as {}", octal_and_letters(new));
            }
            Ok(()) => {}
            Err(error) => {
                self.failed = true;
                if !report.quiet {
                    eprintln!(
                        "chmod: changing permissions of '{shown}': {}",
                        reason(error)
                    );
                }
                if report.verbose {
                    println!(
                        "failed to change mode of '{shown}' from {} to {}",
                        octal_and_letters(old),
                        octal_and_letters(new)
                    );
                }
            }
        }
        if result.is_ok() && self.mode.uses_umask() {
            let wanted = self.mode.apply(stat.mode, dir, 0);
            if wanted != new {
                self.failed = true;
                if !report.quiet {
                    eprintln!(
                        "chmod: {shown}: new permissions are {}, not {}",
                        permission_string(new),
                        permission_string(wanted)
                    );
                }
            }
        }
    }

    /// A command-line operand: followed if a symlink, walked with -R.
    fn operand(&mut self, path: &Path) {
        match attrs::stat(path) {
            Ok(stat) => {
                self.change(path, &stat);
                if self.recursive && mode::is_dir(stat.mode) {
                    self.descend(path);
                }
            }
            Err(error) => {
                self.failed = true;
                if !self.report.quiet {
                    eprintln!(
                        "chmod: cannot access '{}': {}",
                        path.display(),
                        reason(&error)
                    );
                }
            }
        }
    }

    fn descend(&mut self, dir: &Path) {
        let children = match sorted_children(dir) {
            Ok(children) => children,
            Err(error) => {
                self.failed = true;
                if !self.report.quiet {
                    eprintln!(
                        "chmod: cannot read directory '{}': {}",
                        dir.display(),
                        reason(&error)
                    );
                }
                return;
            }
        };
        for child in children {
            match attrs::lstat(&child) {
                Ok(stat) if mode::is_symlink(stat.mode) => {
                    if self.report.verbose {
                        println!(
                            "neither symbolic link '{}' nor referent has been changed",
                            child.display()
                        );
                    }
                }
                Ok(stat) => {
                    self.change(&child, &stat);
                    if mode::is_dir(stat.mode) {
                        self.descend(&child);
                    }
                }
                Err(error) => {
                    self.failed = true;
                    if !self.report.quiet {
                        eprintln!(
                            "chmod: cannot access '{}': {}",
                            child.display(),
                            reason(&error)
                        );
                    }
                }
            }
        }
    }
}

/// `chmod [-R] [-f] [-v|-c] MODE FILE...` or `chmod [OPTION]... --reference=RFILE FILE...`.
pub fn main(args: Vec<OsString>) -> i32 {
    let mut report = Report::default();
    let mut recursive = false;
    let mut reference = None;
    let mut words = Vec::new();
    let mut args = args.iter().skip(1).map(|arg| text(arg));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--" => words.extend(args.by_ref()),
            "--recursive" => recursive = true,
            "--silent" | "--quiet" => report.quiet = true,
            "--verbose" => report.verbose = true,
            "--changes" => report.changes = true,
            "--reference" => match args.next() {
                Some(file) => reference = Some(file),
                None => {
                    return usage_error("chmod", "option '--reference' requires an argument", 1);
                }
            },
            other if other.starts_with("--reference=") => {
                reference = Some(other["--reference=".len()..].to_string());
            }
            other if other.starts_with("--") => {
                return usage_error("chmod", &format!("unrecognized option '{other}'"), 1);
            }
            // -R -f -v -c and their clusters; any other word with a dash,
            // such as -w or -x, is a mode.
            other if other.len() > 1 && other[1..].chars().all(|c| "Rfvc".contains(c)) => {
                for letter in other[1..].chars() {
                    match letter {
                        'R' => recursive = true,
                        'f' => report.quiet = true,
                        'v' => report.verbose = true,
                        _ => report.changes = true,
                    }
                }
            }
            other => words.push(other.to_string()),
        }
    }
    let (mode, files) = match reference {
        Some(reference) => match attrs::stat(Path::new(&reference)) {
            Ok(stat) => (
                Mode::Octal {
                    bits: stat.permissions(),
                    digits: 5,
                },
                words.as_slice(),
            ),
            Err(error) => {
                eprintln!(
                    "chmod: failed to get attributes of '{reference}': {}",
                    reason(&error)
                );
                return 1;
            }
        },
        None => {
            let Some((mode, files)) = words.split_first() else {
                return usage_error("chmod", "missing operand", 1);
            };
            if files.is_empty() {
                return usage_error("chmod", &format!("missing operand after '{mode}'"), 1);
            }
            match Mode::parse(mode) {
                Some(parsed) => (parsed, files),
                None => {
                    eprintln!("chmod: invalid mode: '{mode}'");
                    eprintln!("Try 'chmod --help' for more information.");
                    return 1;
                }
            }
        }
    };
    if files.is_empty() {
        return usage_error("chmod", "missing operand", 1);
    }
    let mut chmod = Chmod {
        mode,
        recursive,
        report,
        umask: attrs::umask(),
        failed: false,
    };
    for file in files {
        chmod.operand(Path::new(file));
    }
    i32::from(chmod.failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_changes_top_down_and_symlinks_inside_stay() {
        let root = std::env::temp_dir().join(format!("wasmux-chmod-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("d/sub")).unwrap();
        std::fs::write(root.join("d/sub/f"), "x").unwrap();
        std::fs::write(root.join("outside"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("outside"), root.join("d/link")).unwrap();
        attrs::chmod(&root.join("outside"), 0o600).unwrap();
        let mut chmod = Chmod {
            mode: Mode::parse("go-rwx,u+x").unwrap(),
            recursive: true,
            report: Report::default(),
            umask: 0o022,
            failed: false,
        };
        chmod.operand(&root.join("d"));
        let bits = |path: &str| attrs::stat(&root.join(path)).unwrap().permissions();
        assert!(!chmod.failed);
        assert_eq!(
            (bits("d"), bits("d/sub"), bits("d/sub/f")),
            (0o700, 0o700, 0o700)
        );
        assert_eq!(
            bits("outside"),
            0o600,
            "a symlink met inside is not followed"
        );
        chmod.operand(&root.join("nope"));
        assert!(chmod.failed);
        let _ = std::fs::remove_dir_all(&root);
    }
}
