//! find's expression: parsing (precedence: `!` over `-a` over `-o`) and
//! evaluation on one entry.

use std::io;

use glob::{MatchOptions, Pattern};

use super::{Entry, Walk};
use crate::attrs::kind;
use crate::chown;
use crate::mode::{self, Mode};
use crate::users::Accounts;

/// A node of the expression.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// -name / -iname (case-insensitive) on the last component.
    Name(Pattern, bool),
    /// -path on the whole path (`*` matches "/" too).
    Path(Pattern),
    /// -type: one of f d l c b p s.
    Type(char),
    Empty,
    /// -perm MODE (exactly), -MODE (all of its bits), /MODE (any of them).
    Perm(PermMatch, u32),
    /// -user / -uid.
    User(u32),
    /// -group / -gid.
    Group(u32),
    /// -nouser: the uids /etc/passwd knows.
    NoUser(Vec<u32>),
    /// -nogroup: the gids /etc/group knows.
    NoGroup(Vec<u32>),
    /// -readable (4), -writable (2), -executable (1), for the effective ids.
    Access(u32),
    Constant(bool),
    Print,
    Print0,
    /// -exec COMMAND ;  or, with a batch index, -exec COMMAND {} +.
    Exec(Vec<String>, Option<usize>),
}

/// How -perm compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermMatch {
    Exact,
    All,
    Any,
}

/// -perm's argument: `[-/]MODE`, MODE octal or symbolic (applied to 000).
fn perm(text: &str) -> Result<Expr, String> {
    let (how, mode) = match text.as_bytes().first() {
        Some(b'-') => (PermMatch::All, &text[1..]),
        Some(b'/') => (PermMatch::Any, &text[1..]),
        _ => (PermMatch::Exact, text),
    };
    let bits = Mode::parse(mode)
        .map(|mode| mode.apply(0, false, 0))
        .ok_or_else(|| format!("invalid mode '{text}'"))?;
    Ok(Expr::Perm(how, bits))
}

/// A query's expression and the global options.
#[derive(Debug, Clone)]
pub struct Query {
    pub expr: Expr,
    pub max_depth: Option<usize>,
    pub min_depth: usize,
    /// -depth: a directory after its contents.
    pub depth_first: bool,
}

impl Query {
    /// The commands of `-exec ... +` actions, by batch index.
    pub fn batch_commands(&self) -> Vec<Vec<String>> {
        fn gather(expr: &Expr, out: &mut Vec<Vec<String>>) {
            match expr {
                Expr::And(a, b) | Expr::Or(a, b) => {
                    gather(a, out);
                    gather(b, out);
                }
                Expr::Not(a) => gather(a, out),
                Expr::Exec(command, Some(_)) => out.push(command.clone()),
                _ => {}
            }
        }
        let mut out = Vec::new();
        gather(&self.expr, &mut out);
        out
    }
}

struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
    query: Query,
    has_action: bool,
    batches: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next_value(&mut self, option: &str) -> Result<String, String> {
        self.at += 1;
        let value = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or_else(|| format!("missing argument to '{option}'"))?;
        self.at += 1;
        Ok(value)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                None | Some("-o" | "-or" | ")") => return Ok(left),
                Some("-a" | "-and") => self.at += 1,
                _ => {}
            }
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some("!" | "-not") => {
                self.at += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some("(") => {
                self.at += 1;
                let inner = self.or()?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(_) => self.primary(),
            None => Err("invalid expression; expected an expression".into()),
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let token = self.peek().unwrap_or_default().to_string();
        let pattern = |text: &str| {
            Pattern::new(text).map_err(|error| format!("invalid pattern '{text}': {error}"))
        };
        let number = |text: String| {
            text.parse::<usize>().map_err(|_| {
                format!("Expected a positive decimal integer argument to {token}, but got '{text}'")
            })
        };
        let expr = match token.as_str() {
            "-name" | "-iname" => {
                Expr::Name(pattern(&self.next_value(&token)?)?, token == "-iname")
            }
            "-path" | "-wholename" => Expr::Path(pattern(&self.next_value(&token)?)?),
            "-type" => {
                let kind = self.next_value(&token)?;
                match kind.as_str() {
                    "f" | "d" | "l" | "c" | "b" | "p" | "s" => {
                        Expr::Type(kind.chars().next().unwrap_or('f'))
                    }
                    _ => return Err(format!("Unknown argument to -type: {kind}")),
                }
            }
            "-perm" => perm(&self.next_value(&token)?)?,
            "-user" | "-uid" | "-group" | "-gid" => {
                let value = self.next_value(&token)?;
                let accounts = Accounts::load();
                let id = match token.as_str() {
                    "-user" => chown::user_id(&accounts, &value),
                    "-group" => chown::group_id(&accounts, &value),
                    _ => value.parse().ok(),
                };
                let Some(id) = id else {
                    return Err(match token.as_str() {
                        "-user" => format!("'{value}' is not the name of a known user"),
                        "-group" => format!("'{value}' is not the name of an existing group"),
                        _ => format!("invalid argument '{value}' to '{token}'"),
                    });
                };
                if token.ends_with("user") || token == "-uid" {
                    Expr::User(id)
                } else {
                    Expr::Group(id)
                }
            }
            "-nouser" | "-nogroup" => {
                self.at += 1;
                let accounts = Accounts::load();
                if token == "-nouser" {
                    Expr::NoUser(accounts.users.iter().map(|user| user.1).collect())
                } else {
                    Expr::NoGroup(accounts.groups.iter().map(|group| group.1).collect())
                }
            }
            "-readable" | "-writable" | "-executable" => {
                self.at += 1;
                Expr::Access(match token.as_str() {
                    "-readable" => 4,
                    "-writable" => 2,
                    _ => 1,
                })
            }
            "-maxdepth" => {
                self.query.max_depth = Some(number(self.next_value(&token)?)?);
                Expr::Constant(true)
            }
            "-mindepth" => {
                self.query.min_depth = number(self.next_value(&token)?)?;
                Expr::Constant(true)
            }
            "-depth" | "-d" => {
                self.at += 1;
                self.query.depth_first = true;
                Expr::Constant(true)
            }
            "-empty" | "-true" | "-false" | "-print" | "-print0" => {
                self.at += 1;
                self.has_action |= token.starts_with("-print");
                match token.as_str() {
                    "-empty" => Expr::Empty,
                    "-true" => Expr::Constant(true),
                    "-false" => Expr::Constant(false),
                    "-print" => Expr::Print,
                    _ => Expr::Print0,
                }
            }
            "-exec" => {
                self.at += 1;
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|t| t != ";" && !(t == "+" && self.tokens[self.at - 1] == "{}"))
                {
                    self.at += 1;
                }
                let end = self.at;
                let terminator = self
                    .peek()
                    .ok_or("missing argument to '-exec'")?
                    .to_string();
                self.at += 1;
                if end == start {
                    return Err("missing argument to '-exec'".into());
                }
                self.has_action = true;
                let batch = (terminator == "+").then(|| {
                    self.batches += 1;
                    self.batches - 1
                });
                Expr::Exec(self.tokens[start..end].to_vec(), batch)
            }
            other if other.starts_with('-') => return Err(format!("unknown predicate '{other}'")),
            other => return Err(format!("paths must precede expression: '{other}'")),
        };
        Ok(expr)
    }
}

/// Parses find's expression (everything after the paths). Without an
/// action, `-print` is added, as POSIX says. Errors: GNU find's messages.
pub fn parse(tokens: &[String]) -> Result<Query, String> {
    let query = Query {
        expr: Expr::Constant(true),
        max_depth: None,
        min_depth: 0,
        depth_first: false,
    };
    let mut parser = Parser {
        tokens,
        at: 0,
        query,
        has_action: false,
        batches: 0,
    };
    let expr = if tokens.is_empty() {
        Expr::Constant(true)
    } else {
        parser.or()?
    };
    if let Some(extra) = parser.peek() {
        return Err(format!("unexpected '{extra}'"));
    }
    parser.query.expr = if parser.has_action {
        expr
    } else {
        Expr::And(Box::new(expr), Box::new(Expr::Print))
    };
    Ok(parser.query)
}

fn matches_type(letter: char, entry: &Entry) -> bool {
    if let Some(stat) = entry.stat {
        let wanted = match letter {
            'f' => kind::IFREG,
            'd' => kind::IFDIR,
            'l' => kind::IFLNK,
            'c' => kind::IFCHR,
            'b' => kind::IFBLK,
            'p' => kind::IFIFO,
            _ => kind::IFSOCK,
        };
        return stat.file_type() == wanted;
    }
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::fs::FileTypeExt;
    let file_type = entry.metadata.file_type();
    match letter {
        'f' => file_type.is_file(),
        'd' => file_type.is_dir(),
        'l' => file_type.is_symlink(),
        'c' => file_type.is_char_device(),
        'b' => file_type.is_block_device(),
        #[cfg(unix)]
        'p' => file_type.is_fifo(),
        #[cfg(unix)]
        's' => file_type.is_socket(),
        #[cfg(target_os = "wasi")]
        's' => file_type.is_socket(),
        _ => false,
    }
}

impl Expr {
    /// Whether `entry` satisfies the expression, running its actions.
    /// Errors: writing the output.
    pub fn eval(&self, entry: &Entry, walk: &mut Walk) -> io::Result<bool> {
        let options = |case_sensitive| MatchOptions {
            case_sensitive,
            require_literal_separator: false,
            require_literal_leading_dot: false,
        };
        Ok(match self {
            Expr::And(a, b) => a.eval(entry, walk)? && b.eval(entry, walk)?,
            Expr::Or(a, b) => a.eval(entry, walk)? || b.eval(entry, walk)?,
            Expr::Not(a) => !a.eval(entry, walk)?,
            Expr::Name(pattern, insensitive) => {
                let name = entry.name.trim_end_matches('/');
                let name = if name.is_empty() {
                    "/"
                } else {
                    name.rsplit('/').next().unwrap_or(name)
                };
                pattern.matches_with(name, options(!insensitive))
            }
            Expr::Path(pattern) => pattern.matches_with(entry.path, options(true)),
            Expr::Type(kind) => matches_type(*kind, entry),
            Expr::Empty if entry.metadata.is_dir() => {
                std::fs::read_dir(entry.path).is_ok_and(|mut dir| dir.next().is_none())
            }
            Expr::Empty => entry.metadata.is_file() && entry.metadata.len() == 0,
            Expr::Perm(how, bits) => entry.stat.is_some_and(|stat| {
                let have = stat.permissions();
                match how {
                    PermMatch::Exact => have == *bits,
                    PermMatch::All => have & bits == *bits,
                    PermMatch::Any => *bits == 0 || have & bits != 0,
                }
            }),
            Expr::User(uid) => entry.stat.is_some_and(|stat| stat.uid == *uid),
            Expr::Group(gid) => entry.stat.is_some_and(|stat| stat.gid == *gid),
            Expr::NoUser(known) => entry.stat.is_some_and(|stat| !known.contains(&stat.uid)),
            Expr::NoGroup(known) => entry.stat.is_some_and(|stat| !known.contains(&stat.gid)),
            Expr::Access(want) => {
                let ids = wasmux_sys::getids();
                entry
                    .stat
                    .is_some_and(|stat| mode::allows(&stat, ids.euid, ids.egid, *want))
            }
            Expr::Constant(value) => *value,
            Expr::Print => {
                writeln!(walk.out, "{}", entry.path)?;
                true
            }
            Expr::Print0 => {
                write!(walk.out, "{}\0", entry.path)?;
                true
            }
            Expr::Exec(command, None) => walk.run(command, &[entry.path.to_string()]),
            Expr::Exec(_, Some(batch)) => {
                walk.batches[*batch].push(entry.path.to_string());
                true
            }
        })
    }
}
