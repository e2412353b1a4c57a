//! The shell's state: variables, functions, aliases, options, positional
//! parameters, the fd table, jobs and traps; and the small services every
//! other module uses (messages, variable assignment with its side effects).

mod context;
pub mod fds;
pub mod options;
pub mod vars;

use std::collections::HashMap;
use std::io;
use std::rc::Rc;

use crate::jobs::Jobs;
use crate::syntax::Aliases;
use crate::syntax::ast::FunctionDef;
use crate::traps::Traps;
use fds::FdTable;
use options::Options;
use vars::{Var, Vars};

/// How the shell was started, for `$-` and for messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// `sh -c STRING`
    #[default]
    String,
    /// `sh FILE`: messages name the file and line.
    Script(String),
    /// Commands from stdin (a terminal or not).
    Stdin,
}

#[derive(Debug)]
pub struct Shell {
    pub vars: Vars,
    pub positional: Vec<String>,
    /// `$0`
    pub arg0: String,
    pub functions: HashMap<String, Rc<FunctionDef>>,
    pub aliases: Aliases,
    pub options: Options,
    /// `$?`
    pub status: i32,
    /// `$$` (a child shell keeps its parent's).
    pub pid: u32,
    /// `$!`
    pub last_background: Option<u32>,
    pub fds: FdTable,
    pub jobs: Jobs,
    pub traps: Traps,
    pub interactive: bool,
    pub source: Source,
    /// Where this shell's program is, to start child shells.
    pub self_path: String,
    /// PATH lookups already done: name to path.
    pub path_cache: HashMap<String, String>,
    pub loop_depth: usize,
    pub function_depth: usize,
    pub source_depth: usize,
    /// Inside an `if`/`while` condition or a non-final `&&`/`||` part:
    /// `set -e` does not apply.
    pub condition_depth: usize,
    /// Inside `( )` or `$( )` run by this process.
    pub subshell_depth: usize,
    /// Saved variables of `local`, one frame per function call.
    pub locals: Vec<Vec<(String, Option<Var>)>>,
    /// The line of the command being run, for messages and `$LINENO`.
    pub line: usize,
    /// The status of the last command substitution of the current command.
    pub substitution_status: Option<i32>,
    /// The terminal and process groups, when job control is on.
    pub terminal: Option<crate::jobs::Terminal>,
    /// A ^C a subshell run here saw, to pass on to the prompt.
    pub interrupted: bool,
    /// `getopts`: the offset inside a group of options (`-abc`) and the
    /// OPTIND it belongs to.
    pub getopts: (usize, usize),
    /// The line editor and its history (interactive).
    pub editor: Option<crate::editor::Editor>,
}

impl Shell {
    /// A shell with the given environment and nothing run yet.
    pub fn new(environment: Vec<(String, String)>) -> Shell {
        let mut shell = Shell {
            vars: Vars::from_environment(environment),
            positional: Vec::new(),
            arg0: "sh".to_string(),
            functions: HashMap::new(),
            aliases: Aliases::new(),
            options: Options::default(),
            status: 0,
            pid: wasmux_sys::getpid(),
            last_background: None,
            fds: FdTable::standard(),
            jobs: Jobs::default(),
            traps: Traps::default(),
            interactive: false,
            source: Source::String,
            self_path: "/bin/sh".to_string(),
            path_cache: HashMap::new(),
            loop_depth: 0,
            function_depth: 0,
            source_depth: 0,
            condition_depth: 0,
            subshell_depth: 0,
            locals: Vec::new(),
            line: 0,
            substitution_status: None,
            terminal: None,
            interrupted: false,
            getopts: (0, 1),
            editor: None,
        };
        shell.init_variables();
        shell
    }

    fn init_variables(&mut self) {
        let defaults = [
            ("IFS", " \t\n"),
            ("PS2", "> "),
            ("PS4", "+ "),
            ("OPTIND", "1"),
        ];
        for (name, value) in defaults {
            if self.vars.get(name).is_none() {
                let _ = self.vars.set(name, value.to_string());
            }
        }
        if self.vars.get("PATH").is_none() {
            let _ = self
                .vars
                .set("PATH", wasmux_sys::process::DEFAULT_PATH.to_string());
        }
        let ppid = wasmux_sys::getppid();
        let _ = self.vars.set("PPID", ppid.to_string());
        if let Ok(cwd) = wasmux_sys::getcwd().or_else(|_| std::env::current_dir()) {
            let cwd = cwd.to_string_lossy().into_owned();
            // Keep an inherited PWD if it names the same directory.
            let inherited = self.vars.get("PWD").map(str::to_string);
            if inherited.as_deref() != Some(cwd.as_str()) {
                let _ = self.vars.export("PWD", Some(cwd));
            }
        }
    }

    /// Assigns a variable as a script's assignment does: read-only is an
    /// error, `set -a` exports, PATH forgets remembered lookups.
    pub fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        if name == "PATH" {
            self.path_cache.clear();
        }
        self.vars.set(name, value)?;
        if self.options.allexport {
            self.vars.export(name, None)?;
        }
        Ok(())
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }

    /// The prefix of the shell's messages: "sh: ", or "sh: FILE: line N: "
    /// in a script.
    pub fn message_prefix(&self) -> String {
        match &self.source {
            Source::Script(name) => format!("sh: {name}: line {}: ", self.line),
            _ => "sh: ".to_string(),
        }
    }

    /// Writes "sh: MESSAGE" and a newline to stderr.
    pub fn error(&self, message: &str) {
        self.error_to(&self.fds, message);
    }

    /// [`Shell::error`] to the stderr of `fds` (a command's, after its
    /// redirections: `nosuch 2>&1` reports on stdout).
    pub fn error_to(&self, fds: &FdTable, message: &str) {
        let line = format!("{}{message}\n", self.message_prefix());
        let _ = fds.write(2, line.as_bytes());
    }

    /// Writes to stdout; `Err` only for the builtin to report.
    pub fn out(&self, text: &str) -> io::Result<()> {
        self.fds.write(1, text.as_bytes())
    }

    /// `$-`: the option letters, plus i for an interactive shell.
    pub fn flags(&self) -> String {
        let mut flags = self.options.letters();
        if self.interactive {
            flags.push('i');
        }
        match self.source {
            Source::String => flags.push('c'),
            Source::Stdin => flags.push('s'),
            Source::Script(_) => {}
        }
        flags
    }

    /// Whether pipelines get process groups and the terminal.
    pub fn job_control(&self) -> bool {
        self.options.monitor && self.terminal.is_some()
    }
}

/// An I/O error's message without Rust's "(os error N)" suffix, using the
/// kernel's errno text when there is one.
pub fn error_text(error: &io::Error) -> String {
    if let Some(errno) = error
        .raw_os_error()
        .and_then(|raw| u16::try_from(raw).ok())
        .and_then(wasmux_uapi::Errno::from_raw)
        && cfg!(all(target_arch = "wasm32", target_os = "wasi"))
    {
        return errno.message().to_string();
    }
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
