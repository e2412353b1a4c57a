//! Command-line parsing.

use std::ffi::OsString;
use std::path::PathBuf;

/// A `--dir HOST::GUEST` mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirMapping {
    pub host: PathBuf,
    pub guest: String,
}

/// `wasmux run` options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    pub dirs: Vec<DirMapping>,
    /// `KEY=VALUE` strings, in order.
    pub env: Vec<String>,
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// `wasmux boot` options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BootOptions {
    /// The disk image; a default location when absent.
    pub disk: Option<PathBuf>,
    /// The root filesystem to install when the disk has none.
    pub rootfs: Option<PathBuf>,
    /// Run `sh -c COMMAND` as the session, then shut down with its status.
    pub command: Option<String>,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Version,
    Help,
    Run(RunOptions),
    Boot(BootOptions),
}

pub const USAGE: &str = "\
usage: wasmux boot [--disk FILE] [--rootfs rootfs.tar] [-c COMMAND]
       wasmux run [--dir HOST[::GUEST]]... [--env KEY[=VALUE]]... [--] PROGRAM.wasm [ARGS...]
       wasmux --version

boot   boots Wasmux from a disk image (installing rootfs.tar on first boot)
       to a shell on this terminal; with -c, runs COMMAND, prints its
       output and exits with its status. The disk persists between boots.
run    runs one wasm32-wasi program, the way `wasmtime run` does.

  --disk FILE         the disk image (default $WASMUX_DISK, else
                      $XDG_DATA_HOME/wasmux/disk.img or ~/.local/share/wasmux/disk.img)
  --rootfs FILE       the root filesystem archive for a first boot
  -c COMMAND          run COMMAND with /bin/sh as the whole session
  --dir HOST::GUEST   make the host directory HOST visible at GUEST and preopen
                      it (GUEST \"/\" makes it the root); --dir DIR means DIR::DIR
  --env KEY=VALUE     set an environment variable; --env KEY copies the host's
  -V, --version       print the version
  -h, --help          print this help";

fn value(parser: &mut lexopt::Parser) -> Result<OsString, String> {
    parser.value().map_err(|error| error.to_string())
}

fn text(value: OsString, what: &str) -> Result<String, String> {
    value
        .into_string()
        .map_err(|_| format!("{what} must be UTF-8"))
}

/// Parses `args` (without the program name).
/// Errors: a message naming what is wrong.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let first = parser.next().map_err(|error| error.to_string())?;
    match first {
        Some(Short('V') | Long("version")) => Ok(Command::Version),
        Some(Short('h') | Long("help")) => Ok(Command::Help),
        Some(Value(name)) if name == "run" => parse_run(parser),
        Some(Value(name)) if name == "boot" => parse_boot(parser),
        Some(Value(name)) => Err(format!("unknown command `{}`", name.to_string_lossy())),
        Some(other) => Err(other.unexpected().to_string()),
        None => Err("no command given".into()),
    }
}

fn parse_boot(mut parser: lexopt::Parser) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut options = BootOptions::default();
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("disk") => options.disk = Some(PathBuf::from(value(&mut parser)?)),
            Long("rootfs") => options.rootfs = Some(PathBuf::from(value(&mut parser)?)),
            Short('c') => options.command = Some(text(value(&mut parser)?, "the command")?),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    Ok(Command::Boot(options))
}

fn parse_run(mut parser: lexopt::Parser) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut options = RunOptions::default();
    let mut program: Option<PathBuf> = None;
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("dir") => {
                let value = parser.value().map_err(|error| error.to_string())?;
                options.dirs.push(dir_mapping(&text(value, "--dir")?)?);
            }
            Long("env") => {
                let value = parser.value().map_err(|error| error.to_string())?;
                options.env.push(env_entry(&text(value, "--env")?)?);
            }
            Value(value) => {
                program = Some(PathBuf::from(value));
                options.args = parser
                    .raw_args()
                    .map_err(|error| error.to_string())?
                    .collect();
                break;
            }
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    options.program = program.ok_or("no program given")?;
    Ok(Command::Run(options))
}

fn dir_mapping(value: &str) -> Result<DirMapping, String> {
    let (host, guest) = match value.split_once("::") {
        Some((host, guest)) => (host, guest),
        None => (value, value),
    };
    if host.is_empty() || guest.is_empty() {
        return Err(format!("--dir `{value}`: expected HOST::GUEST"));
    }
    Ok(DirMapping {
        host: PathBuf::from(host),
        guest: guest.to_string(),
    })
}

fn env_entry(value: &str) -> Result<String, String> {
    if value.contains('=') {
        return Ok(value.to_string());
    }
    match std::env::var(value) {
        Ok(host) => Ok(format!("{value}={host}")),
        Err(_) => Err(format!("--env {value}: not set on the host")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn arguments_after_the_program_belong_to_it() {
        let Ok(Command::Run(options)) =
            parse_str(&["run", "--dir", "a::/", "p.wasm", "--dir", "-x"])
        else {
            panic!("expected run");
        };
        assert_eq!(options.program, PathBuf::from("p.wasm"));
        assert_eq!(
            options.args,
            vec![OsString::from("--dir"), OsString::from("-x")]
        );
        assert_eq!(
            options.dirs,
            vec![DirMapping {
                host: "a".into(),
                guest: "/".into()
            }]
        );
    }

    #[test]
    fn double_dash_ends_options() {
        let Ok(Command::Run(options)) = parse_str(&["run", "--env", "A=1", "--", "p.wasm"]) else {
            panic!("expected run");
        };
        assert_eq!(options.env, vec!["A=1".to_string()]);
    }

    #[test]
    fn version_works_alone_and_after_run() {
        assert_eq!(parse_str(&["--version"]), Ok(Command::Version));
        assert_eq!(parse_str(&["run", "--version"]), Ok(Command::Version));
    }

    #[test]
    fn boot_takes_a_disk_a_rootfs_and_a_command() {
        let parsed = parse_str(&[
            "boot", "--disk", "d.img", "--rootfs", "r.tar", "-c", "echo hi",
        ]);
        let expected = BootOptions {
            disk: Some("d.img".into()),
            rootfs: Some("r.tar".into()),
            command: Some("echo hi".into()),
        };
        assert_eq!(parsed, Ok(Command::Boot(expected)));
        assert_eq!(
            parse_str(&["boot"]),
            Ok(Command::Boot(BootOptions::default()))
        );
        assert!(parse_str(&["boot", "extra"]).is_err());
    }

    #[test]
    fn mistakes_are_reported() {
        assert!(parse_str(&[]).is_err());
        assert!(parse_str(&["walk"]).is_err());
        assert!(parse_str(&["run"]).is_err());
        assert!(parse_str(&["run", "--dir", "::x", "p.wasm"]).is_err());
    }
}
