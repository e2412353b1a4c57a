//! chown and chgrp through the kernel's chown call, with names from
//! /etc/passwd and /etc/group ([`Accounts`]) and GNU's options (-R -h -v
//! -c -f --dereference --reference) and messages. uutils' versions need
//! libc's getpwnam family.
//!
//! As GNU's: without -R a symlink operand is followed unless -h; with -R
//! nothing is followed and links themselves change (GNU's default -P).

use std::ffi::OsString;
use std::path::Path;

use crate::attrs::{self, Stat};
use crate::common::{Spec, reason, sorted_children, text, usage_error};
use crate::mode;
use crate::users::Accounts;

/// The ids to set; `None` leaves one alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Owner {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// A user name or number.
pub fn user_id(accounts: &Accounts, name: &str) -> Option<u32> {
    accounts
        .user(name)
        .map(|(uid, _)| uid)
        .or_else(|| name.parse().ok())
}

/// A group name or number.
pub fn group_id(accounts: &Accounts, name: &str) -> Option<u32> {
    accounts
        .groups
        .iter()
        .find(|group| group.0 == name)
        .map(|group| group.1)
        .or_else(|| name.parse().ok())
}

/// chown's `OWNER[:[GROUP]]` (or the old `OWNER.GROUP`). Errors: GNU's
/// message ("invalid user: 'ghost'").
pub fn parse_owner(accounts: &Accounts, spec: &str) -> Result<Owner, String> {
    let split = spec.split_once(':').or_else(|| {
        // OWNER.GROUP, unless the dotted text is itself a user.
        spec.split_once('.')
            .filter(|_| user_id(accounts, spec).is_none())
    });
    let (user, group) = match split {
        Some((user, group)) => (user, Some(group)),
        None => (spec, None),
    };
    let uid = match user {
        "" => None,
        name => Some(user_id(accounts, name).ok_or_else(|| format!("invalid user: '{spec}'"))?),
    };
    let gid = match group {
        None => None,
        Some("") if user.is_empty() => None,
        // OWNER: gives the owner's login group.
        Some("") => Some(
            accounts
                .user(user)
                .map(|(_, gid)| gid)
                .ok_or_else(|| format!("invalid spec: '{spec}'"))?,
        ),
        Some(name) => {
            Some(group_id(accounts, name).ok_or_else(|| format!("invalid group: '{spec}'"))?)
        }
    };
    Ok(Owner { uid, gid })
}

/// Which tool is running: they differ in words only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Chown,
    Chgrp,
}

#[derive(Debug)]
struct Run {
    tool: Tool,
    owner: Owner,
    accounts: Accounts,
    recursive: bool,
    follow: bool,
    quiet: bool,
    verbose: bool,
    changes: bool,
    failed: bool,
}

impl Run {
    fn name(&self) -> &'static str {
        match self.tool {
            Tool::Chown => "chown",
            Tool::Chgrp => "chgrp",
        }
    }

    fn user(&self, uid: u32) -> String {
        self.accounts
            .user_name(uid)
            .map_or_else(|| uid.to_string(), str::to_owned)
    }

    fn group(&self, gid: u32) -> String {
        self.accounts
            .group_name(gid)
            .map_or_else(|| gid.to_string(), str::to_owned)
    }

    /// "root:root", "root" or (group only) "root", as GNU describes owners.
    fn describe(&self, uid: u32, gid: u32) -> String {
        match (self.owner.uid, self.owner.gid) {
            (Some(_), Some(_)) => format!("{}:{}", self.user(uid), self.group(gid)),
            (Some(_), None) => self.user(uid),
            _ => self.group(gid),
        }
    }

    fn change(&mut self, path: &Path, stat: &Stat, follow: bool) {
        let shown = path.display();
        let what = if self.owner.uid.is_some() {
            "ownership"
        } else {
            "group"
        };
        let result = attrs::chown(path, self.owner.uid, self.owner.gid, follow);
        let (uid, gid) = (
            self.owner.uid.unwrap_or(stat.uid),
            self.owner.gid.unwrap_or(stat.gid),
        );
        let (old, new) = (self.describe(stat.uid, stat.gid), self.describe(uid, gid));
        let changed = (uid, gid) != (stat.uid, stat.gid);
        match result {
            Ok(()) if changed && (self.verbose || self.changes) => {
                println!("changed {what} of '{shown}' from {old} to {new}");
            }
            Ok(()) if !changed && self.verbose => println!("{what} of '{shown}' retained as {new}"),
            Ok(()) => {}
            Err(error) => {
                self.failed = true;
                if !self.quiet {
                    let doing = if self.owner.uid.is_some() {
                        "changing ownership of"
                    } else {
                        "changing group of"
                    };
                    eprintln!("{}: {doing} '{shown}': {}", self.name(), reason(&error));
                }
                if self.verbose {
                    println!("failed to change {what} of '{shown}' from {old} to {new}");
                }
            }
        }
    }

    fn operand(&mut self, path: &Path) {
        let follow = self.follow && !self.recursive;
        match attrs::status(path, follow) {
            Ok(stat) => {
                self.change(path, &stat, follow);
                if self.recursive && mode::is_dir(stat.mode) {
                    self.descend(path);
                }
            }
            Err(error) => self.cannot("access", path, &error),
        }
    }

    fn descend(&mut self, dir: &Path) {
        let children = match sorted_children(dir) {
            Ok(children) => children,
            Err(error) => return self.cannot("read directory", dir, &error),
        };
        for child in children {
            match attrs::lstat(&child) {
                Ok(stat) => {
                    self.change(&child, &stat, false);
                    if mode::is_dir(stat.mode) {
                        self.descend(&child);
                    }
                }
                Err(error) => self.cannot("access", &child, &error),
            }
        }
    }

    fn cannot(&mut self, doing: &str, path: &Path, error: &std::io::Error) {
        self.failed = true;
        if !self.quiet {
            eprintln!(
                "{}: cannot {doing} '{}': {}",
                self.name(),
                path.display(),
                reason(error)
            );
        }
    }
}

const SPEC: Spec = Spec {
    short: "RhvcfHLP",
    long: &[
        ("recursive", 'R', false),
        ("no-dereference", 'h', false),
        ("dereference", 'D', false),
        ("verbose", 'v', false),
        ("changes", 'c', false),
        ("silent", 'f', false),
        ("quiet", 'f', false),
        ("reference", 'r', true),
    ],
    stop_at_operand: false,
};

fn run(tool: Tool, args: Vec<OsString>) -> i32 {
    let name = match tool {
        Tool::Chown => "chown",
        Tool::Chgrp => "chgrp",
    };
    let parsed = match SPEC.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error(name, &message, 1),
    };
    let accounts = Accounts::load();
    let mut operands: Vec<String> = parsed.operands.iter().map(|o| text(o)).collect();
    let owner = if let Some(reference) = parsed.value('r') {
        match attrs::stat(Path::new(reference)) {
            Ok(stat) => Owner {
                uid: (tool == Tool::Chown).then_some(stat.uid),
                gid: Some(stat.gid),
            },
            Err(error) => {
                let shown = text(reference);
                eprintln!(
                    "{name}: failed to get attributes of '{shown}': {}",
                    reason(&error)
                );
                return 1;
            }
        }
    } else {
        if operands.is_empty() {
            return usage_error(name, "missing operand", 1);
        }
        let spec = operands.remove(0);
        let owner = match tool {
            Tool::Chown => parse_owner(&accounts, &spec),
            Tool::Chgrp => group_id(&accounts, &spec)
                .map(|gid| Owner {
                    uid: None,
                    gid: Some(gid),
                })
                .ok_or_else(|| format!("invalid group: '{spec}'")),
        };
        match owner {
            Ok(owner) => owner,
            Err(message) => {
                eprintln!("{name}: {message}");
                return 1;
            }
        }
    };
    if operands.is_empty() {
        let last = parsed.operands.last().map(|o| text(o)).unwrap_or_default();
        return usage_error(name, &format!("missing operand after '{last}'"), 1);
    }
    // The last of -h and --dereference counts; following is the default.
    let follow = parsed
        .options
        .iter()
        .rev()
        .find(|(letter, _)| matches!(letter, 'h' | 'D'))
        .is_none_or(|(letter, _)| *letter == 'D');
    let mut run = Run {
        tool,
        owner,
        accounts,
        recursive: parsed.has('R'),
        follow,
        quiet: parsed.has('f'),
        verbose: parsed.has('v'),
        changes: parsed.has('c'),
        failed: false,
    };
    for operand in &operands {
        run.operand(Path::new(operand));
    }
    i32::from(run.failed)
}

/// `chown [-R] [-h] [-v|-c] [-f] OWNER[:[GROUP]] FILE...`.
pub fn chown(args: Vec<OsString>) -> i32 {
    run(Tool::Chown, args)
}

/// `chgrp [-R] [-h] [-v|-c] [-f] GROUP FILE...`.
pub fn chgrp(args: Vec<OsString>) -> i32 {
    run(Tool::Chgrp, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts() -> Accounts {
        Accounts::parse(
            "root:x:0:0::/root:/bin/sh\nuser:x:1000:100::/home/user:/bin/sh\nfirst.last:x:1001:100::/:/bin/sh\n",
            "root:x:0:\nusers:x:100:\nwheel:x:10:\n",
        )
    }

    #[test]
    fn owner_specs_read_like_gnu() {
        let accounts = accounts();
        let owner = |uid, gid| Ok(Owner { uid, gid });
        assert_eq!(parse_owner(&accounts, "user"), owner(Some(1000), None));
        assert_eq!(
            parse_owner(&accounts, "user:wheel"),
            owner(Some(1000), Some(10))
        );
        assert_eq!(
            parse_owner(&accounts, "user:"),
            owner(Some(1000), Some(100))
        );
        assert_eq!(parse_owner(&accounts, ":users"), owner(None, Some(100)));
        assert_eq!(
            parse_owner(&accounts, "500:600"),
            owner(Some(500), Some(600))
        );
        assert_eq!(
            parse_owner(&accounts, "root.wheel"),
            owner(Some(0), Some(10))
        );
        assert_eq!(
            parse_owner(&accounts, "first.last"),
            owner(Some(1001), None)
        );
        assert_eq!(parse_owner(&accounts, ":"), owner(None, None));
        assert_eq!(
            parse_owner(&accounts, "ghost"),
            Err("invalid user: 'ghost'".into())
        );
        assert_eq!(
            parse_owner(&accounts, "root:ghost"),
            Err("invalid group: 'root:ghost'".into())
        );
        assert_eq!(
            parse_owner(&accounts, "500:"),
            Err("invalid spec: '500:'".into())
        );
    }
}
