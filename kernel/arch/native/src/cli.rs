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

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Version,
    Help,
    Run(RunOptions),
}

pub const USAGE: &str = "\
usage: wasmux run [--dir HOST[::GUEST]]... [--env KEY[=VALUE]]... [--] PROGRAM.wasm [ARGS...]
       wasmux --version

Runs a wasm32-wasi program on the Wasmux kernel.

  --dir HOST::GUEST   make the host directory HOST visible at GUEST and preopen
                      it (GUEST \"/\" makes it the root); --dir DIR means DIR::DIR
  --env KEY=VALUE     set an environment variable; --env KEY copies the host's
  -V, --version       print the version
  -h, --help          print this help";

/// Parses `args` (without the program name).
/// Errors: a message naming what is wrong.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut subcommand: Option<String> = None;
    let mut options = RunOptions::default();
    let mut program: Option<PathBuf> = None;
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("dir") if subcommand.is_some() => {
                let value = parser.value().map_err(|error| error.to_string())?;
                options.dirs.push(dir_mapping(
                    &value.string().map_err(|_| "--dir must be UTF-8")?,
                )?);
            }
            Long("env") if subcommand.is_some() => {
                let value = parser.value().map_err(|error| error.to_string())?;
                options.env.push(env_entry(
                    &value.string().map_err(|_| "--env must be UTF-8")?,
                )?);
            }
            Value(value) if subcommand.is_none() => {
                let name = value.string().map_err(|_| "unknown command")?;
                if name != "run" {
                    return Err(format!("unknown command `{name}`"));
                }
                subcommand = Some(name);
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
    if subcommand.is_none() {
        return Err("no command given".into());
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
    fn mistakes_are_reported() {
        assert!(parse_str(&[]).is_err());
        assert!(parse_str(&["walk"]).is_err());
        assert!(parse_str(&["run"]).is_err());
        assert!(parse_str(&["run", "--dir", "::x", "p.wasm"]).is_err());
    }
}
