//! ls's options: what each letter asks for (the last of -l/-1/-C, of
//! -a/-A, of -t/-S/-U and of -F/-p wins, as in GNU ls) and the line width.

use std::ffi::OsString;

use crate::common::{Spec, text};

/// Which hidden entries (names starting with '.') a directory shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// None (the default).
    Skip,
    /// All but `.` and `..` (-A).
    Almost,
    /// All, `.` and `..` too (-a).
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// -l: one file a line with its attributes.
    Long,
    /// -C: names in columns, down then across.
    Columns,
    /// -1: one name a line.
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    /// -t: newest first.
    Time,
    /// -S: largest first.
    Size,
    /// -U: the directory's order.
    None,
}

/// What follows a name (-F, -p).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    None,
    /// -p: '/' after directories.
    Slash,
    /// -F: '/' directories, '*' executables, '@' symlinks, '|' fifos, '=' sockets.
    Classify,
}

/// What ls was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub hidden: Hidden,
    pub format: Format,
    pub recursive: bool,
    /// -d: directories are listed as themselves, not their contents.
    pub directory: bool,
    /// -h: sizes as 1.5K, 3.0M.
    pub human: bool,
    /// -n: owners and groups as numbers.
    pub numeric: bool,
    pub sort: Sort,
    pub reverse: bool,
    pub indicator: Indicator,
    /// -i: each file's inode number first.
    pub inode: bool,
    pub color: bool,
    /// -L: show what symlinks point to rather than the links.
    pub dereference: bool,
    /// The line width the columns fit in.
    pub width: usize,
    /// Now, in seconds since the epoch (-l's recent times are within six
    /// months before it).
    pub now: i64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            hidden: Hidden::Skip,
            format: Format::Single,
            recursive: false,
            directory: false,
            human: false,
            numeric: false,
            sort: Sort::Name,
            reverse: false,
            indicator: Indicator::None,
            inode: false,
            color: false,
            dereference: false,
            width: 80,
            now: 0,
        }
    }
}

const SPEC: Spec = Spec {
    short: "aAdlRrtSUFphin1CLw:",
    long: &[
        ("all", 'a', false),
        ("almost-all", 'A', false),
        ("directory", 'd', false),
        ("recursive", 'R', false),
        ("reverse", 'r', false),
        ("human-readable", 'h', false),
        ("numeric-uid-gid", 'n', false),
        ("classify", 'F', false),
        ("inode", 'i', false),
        ("dereference", 'L', false),
        ("width", 'w', true),
        ("color", 'c', true),
        ("help", 'H', false),
    ],
    stop_at_operand: false,
};

pub const HELP: &str = "Usage: ls [OPTION]... [FILE]...\n\
List information about the FILEs (the current directory by default).\n\n\
  -a, --all              do not ignore entries starting with .\n\
  -A, --almost-all       do not list implied . and ..\n\
  -C                     list entries by columns\n\
      --color[=WHEN]     color the names: always, auto or never (default)\n\
  -d, --directory        list directories themselves, not their contents\n\
  -F, --classify         append indicator (one of */=@|) to entries\n\
  -h, --human-readable   with -l, print sizes like 1K 234M 2G\n\
  -i, --inode            print the index number of each file\n\
  -l                     use a long listing format\n\
  -L, --dereference      show information for the file a symlink references\n\
  -n, --numeric-uid-gid  like -l, but list numeric user and group IDs\n\
  -p                     append / indicator to directories\n\
  -r, --reverse          reverse order while sorting\n\
  -R, --recursive        list subdirectories recursively\n\
  -S                     sort by file size, largest first\n\
  -t                     sort by time, newest first\n\
  -U                     do not sort; list entries in directory order\n\
  -w, --width=COLS       set output width to COLS\n\
  -1                     list one file per line\n\n\
Exit status: 0 if OK, 1 if minor problems, 2 if serious trouble.\n";

/// Why [`parse`] gives no options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// --help.
    Help,
    /// A bad option: its message, then a "Try" line, and the exit status
    /// (GNU's: 2, but 1 for a bad --color word).
    Usage(String, i32),
    /// A bad option value: its message alone.
    Invalid(String),
}

/// Parses the arguments (without argv\[0\]) into options and operands.
/// `tty` says whether stdout is a terminal, `tty_width` its width and
/// `columns_env` the `COLUMNS` variable.
pub fn parse(
    args: Vec<OsString>,
    tty: bool,
    tty_width: Option<usize>,
    columns_env: Option<&str>,
) -> Result<(Options, Vec<OsString>), Stop> {
    // A bare --color means always; Spec's values are required.
    let mut args = args;
    let end = args
        .iter()
        .position(|arg| arg == "--")
        .unwrap_or(args.len());
    args[..end]
        .iter_mut()
        .filter(|arg| *arg == "--color" || *arg == "--colour")
        .for_each(|arg| *arg = OsString::from("--color=always"));
    let parsed = SPEC
        .parse(args)
        .map_err(|message| Stop::Usage(message, 2))?;
    let mut options = Options {
        format: if tty { Format::Columns } else { Format::Single },
        ..Options::default()
    };
    let mut width = None;
    for (letter, value) in &parsed.options {
        match letter {
            'a' => options.hidden = Hidden::All,
            'A' => options.hidden = Hidden::Almost,
            'd' => options.directory = true,
            'l' => options.format = Format::Long,
            'n' => {
                options.format = Format::Long;
                options.numeric = true;
            }
            '1' => options.format = Format::Single,
            'C' => options.format = Format::Columns,
            'R' => options.recursive = true,
            'r' => options.reverse = true,
            't' => options.sort = Sort::Time,
            'S' => options.sort = Sort::Size,
            'U' => options.sort = Sort::None,
            'F' => options.indicator = Indicator::Classify,
            'p' => options.indicator = Indicator::Slash,
            'h' => options.human = true,
            'i' => options.inode = true,
            'L' => options.dereference = true,
            'H' => return Err(Stop::Help),
            'w' => {
                let value = text(value.as_deref().unwrap_or_default());
                match value.parse::<usize>() {
                    Ok(cols) => width = Some(cols),
                    Err(_) => return Err(Stop::Invalid(format!("invalid line width: '{value}'"))),
                }
            }
            'c' => {
                let value = text(value.as_deref().unwrap_or_default());
                options.color = match value.as_str() {
                    "always" | "yes" | "force" => true,
                    "never" | "no" | "none" => false,
                    "auto" | "tty" | "if-tty" => tty,
                    _ => {
                        let message = format!(
                            "invalid argument '{value}' for '--color'\nValid arguments are:\n  \
                             - 'always', 'yes', 'force'\n  - 'never', 'no', 'none'\n  \
                             - 'auto', 'tty', 'if-tty'"
                        );
                        return Err(Stop::Usage(message, 1));
                    }
                };
            }
            _ => {}
        }
    }
    let from_env = columns_env.and_then(|cols| cols.parse::<usize>().ok().filter(|&c| c > 0));
    options.width = width
        .or(from_env)
        .or(tty_width.filter(|&c| c > 0))
        .unwrap_or(80);
    options.now = crate::time::now_nanos() as i64 / 1_000_000_000;
    Ok((options, parsed.operands))
}
