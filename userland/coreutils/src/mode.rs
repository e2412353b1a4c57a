//! Mode bits: their text (`drwxr-sr-t`, as ls -l and stat %A show it),
//! file type names, and chmod's modes, octal or symbolic, applied as GNU
//! chmod applies them.
//!
//! A symbolic mode is comma-separated clauses `[ugoa]*([-+=]PERMS)+`, PERMS
//! being letters of `rwxXst` or one of `u g o` (copy that class's bits).
//! Clauses apply left to right, each to the mode the previous ones left
//! (so `X` sees an `x` added just before). Without `ugoa` a clause acts on
//! all classes, but `+`, `-` and `=` leave alone the bits set in the umask.
//! On a directory, setuid and setgid stay unless the mode names them:
//! symbolically with `s`, or octally with five digits.

use crate::attrs::{Stat, kind};

pub const SETUID: u32 = 0o4000;
pub const SETGID: u32 = 0o2000;
pub const STICKY: u32 = 0o1000;

/// The bits each class letter selects (its rwx and its special bit).
const USER: u32 = 0o4700;
const GROUP: u32 = 0o2070;
const OTHER: u32 = 0o1007;
const ALL: u32 = 0o7777;

/// ls's letter for the file type of `mode`.
pub fn type_letter(mode: u32) -> char {
    match mode & kind::IFMT {
        kind::IFDIR => 'd',
        kind::IFLNK => 'l',
        kind::IFCHR => 'c',
        kind::IFBLK => 'b',
        kind::IFIFO => 'p',
        kind::IFSOCK => 's',
        _ => '-',
    }
}

/// The nine permission letters of `mode`: `rwsr-x--T`.
pub fn permission_string(mode: u32) -> String {
    let class = |shift: u32, special: u32, set: char, unset: char| {
        let bits = mode >> shift;
        let execute = match (bits & 1 != 0, mode & special != 0) {
            (true, true) => set,
            (false, true) => unset,
            (true, false) => 'x',
            (false, false) => '-',
        };
        [
            if bits & 4 != 0 { 'r' } else { '-' },
            if bits & 2 != 0 { 'w' } else { '-' },
            execute,
        ]
    };
    [
        class(6, SETUID, 's', 'S'),
        class(3, SETGID, 's', 'S'),
        class(0, STICKY, 't', 'T'),
    ]
    .concat()
    .into_iter()
    .collect()
}

/// The type letter and permissions: `drwxr-xr-x`.
pub fn mode_string(mode: u32) -> String {
    format!("{}{}", type_letter(mode), permission_string(mode))
}

/// What a file is, as stat's %F names it.
pub fn type_name(mode: u32, size: u64) -> &'static str {
    match mode & kind::IFMT {
        kind::IFDIR => "directory",
        kind::IFLNK => "symbolic link",
        kind::IFCHR => "character special file",
        kind::IFBLK => "block special file",
        kind::IFIFO => "fifo",
        kind::IFSOCK => "socket",
        _ if size == 0 => "regular empty file",
        _ => "regular file",
    }
}

pub fn is_dir(mode: u32) -> bool {
    mode & kind::IFMT == kind::IFDIR
}

pub fn is_symlink(mode: u32) -> bool {
    mode & kind::IFMT == kind::IFLNK
}

/// Whether a process with effective ids `uid`/`gid` may do `want` (4
/// read, 2 write, 1 execute or search) to the file of `stat`, as the
/// kernel decides: root may do anything but execute a file with no x
/// bit; otherwise the owner's, group's or others' bits count.
pub fn allows(stat: &Stat, uid: u32, gid: u32, want: u32) -> bool {
    let bits = stat.mode;
    if uid == 0 {
        return want != 1 || is_dir(bits) || bits & 0o111 != 0;
    }
    let shift = if stat.uid == uid {
        6
    } else if stat.gid == gid {
        3
    } else {
        0
    };
    (bits >> shift) & want == want
}

/// What a clause's operator adds, removes or sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perms {
    /// Letters of `rwxXst`, one bit each: r 1, w 2, x 4, X 8, s 16, t 32.
    Letters(u8),
    /// The bits of a class, `u`, `g` or `o` (as their shift: 6, 3, 0).
    Copy(u32),
}

/// One `[-+=]PERMS` of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub op: char,
    pub perms: Perms,
}

/// `[ugoa]*` and its actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The bits the classes select; 0 when no class letter was given.
    pub who: u32,
    pub actions: Vec<Action>,
}

/// A parsed chmod mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Octal bits; with five digits or more a directory's setuid and
    /// setgid can be cleared too.
    Octal {
        bits: u32,
        digits: usize,
    },
    Symbolic(Vec<Clause>),
}

const LETTERS: &str = "rwxXst";

impl Mode {
    /// Parses chmod's MODE operand. Errors: `None` for anything chmod calls
    /// an invalid mode.
    pub fn parse(text: &str) -> Option<Mode> {
        if !text.is_empty() && text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            let bits = u32::from_str_radix(text, 8).ok()?;
            return (bits <= ALL).then_some(Mode::Octal {
                bits,
                digits: text.len(),
            });
        }
        text.split(',')
            .map(parse_clause)
            .collect::<Option<_>>()
            .map(Mode::Symbolic)
    }

    /// The permission bits (low 12) after applying this mode to `mode` (a
    /// file's mode, type bits allowed) of a directory or not, under `umask`.
    pub fn apply(&self, mode: u32, dir: bool, umask: u32) -> u32 {
        let mut bits = mode & ALL;
        match self {
            Mode::Octal { bits: new, digits } => {
                let kept = if dir && *digits < 5 {
                    bits & (SETUID | SETGID)
                } else {
                    0
                };
                return new | kept;
            }
            Mode::Symbolic(clauses) => {
                for clause in clauses {
                    for action in &clause.actions {
                        bits = act(bits, clause.who, action, dir, umask);
                    }
                }
            }
        }
        bits
    }

    /// Whether some clause names no class, so that the umask matters.
    pub fn uses_umask(&self) -> bool {
        matches!(self, Mode::Symbolic(clauses) if clauses.iter().any(|c| c.who == 0))
    }
}

fn parse_clause(clause: &str) -> Option<Clause> {
    let mut who = 0;
    let mut chars = clause.chars().peekable();
    while let Some(&c) = chars.peek() {
        who |= match c {
            'u' => USER,
            'g' => GROUP,
            'o' => OTHER,
            'a' => ALL,
            _ => break,
        };
        chars.next();
    }
    let mut actions = Vec::new();
    while let Some(op) = chars.next() {
        if !matches!(op, '+' | '-' | '=') {
            return None;
        }
        let mut letters = 0u8;
        let mut copy = None;
        while let Some(&c) = chars.peek().filter(|c| !matches!(c, '+' | '-' | '=')) {
            chars.next();
            match (c, copy, letters) {
                ('u' | 'g' | 'o', None, 0) => {
                    copy = Some(match c {
                        'u' => 6,
                        'g' => 3,
                        _ => 0,
                    });
                }
                (_, None, _) => letters |= 1 << LETTERS.find(c)?,
                _ => return None,
            }
        }
        let perms = copy.map_or(Perms::Letters(letters), Perms::Copy);
        actions.push(Action { op, perms });
    }
    (!actions.is_empty()).then_some(Clause { who, actions })
}

/// One action on the permission bits `bits`.
fn act(bits: u32, who: u32, action: &Action, dir: bool, umask: u32) -> u32 {
    let selected = if who == 0 { ALL } else { who };
    let mut value = match action.perms {
        Perms::Copy(shift) => ((bits >> shift) & 7) * 0o111,
        Perms::Letters(letters) => {
            let has = |letter: char| {
                LETTERS
                    .find(letter)
                    .is_some_and(|i| letters & (1 << i) != 0)
            };
            let executable = dir || bits & 0o111 != 0;
            let mut value = 0;
            value |= if has('r') { 0o444 } else { 0 };
            value |= if has('w') { 0o222 } else { 0 };
            value |= if has('x') || (has('X') && executable) {
                0o111
            } else {
                0
            };
            value |= if has('s') { SETUID | SETGID } else { 0 };
            value |= if has('t') { STICKY } else { 0 };
            value
        }
    };
    value &= selected;
    if who == 0 {
        value &= !(umask & 0o777);
    }
    match action.op {
        '+' => bits | value,
        '-' => bits & !value,
        _ => {
            let names_setid = matches!(action.perms, Perms::Letters(l) if l & (1 << 4) != 0);
            let mut cleared = selected;
            if dir && !names_setid {
                cleared &= !(SETUID | SETGID);
            }
            (bits & !cleared) | value
        }
    }
}

#[cfg(test)]
mod tests;
