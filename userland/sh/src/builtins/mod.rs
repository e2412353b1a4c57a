//! Builtins: the table, and helpers they share. Each builtin gets the
//! shell and its argv (argv\[0\] is its name) and returns its status, or a
//! [`Flow`] (`exit`, `return`, `break`, ...).

mod cd;
mod echo;
mod flow;
mod jobs;
mod misc;
mod printf;
mod read;
mod test;
mod vars;

use crate::exec::Flow;
use crate::shell::Shell;

pub type Builtin = fn(&mut Shell, &[String]) -> Result<i32, Flow>;

/// A builtin and how it runs.
#[derive(Debug)]
pub struct Entry {
    pub name: &'static str,
    pub run: Builtin,
    /// POSIX's special builtins: found before functions, their
    /// assignments stay.
    pub special: bool,
    /// It only writes output: it may run in the shell as a pipeline stage
    /// feeding a program.
    pub pure: bool,
}

const fn entry(name: &'static str, run: Builtin) -> Entry {
    Entry {
        name,
        run,
        special: false,
        pure: false,
    }
}

const fn special(name: &'static str, run: Builtin) -> Entry {
    Entry {
        name,
        run,
        special: true,
        pure: false,
    }
}

const fn pure(name: &'static str, run: Builtin) -> Entry {
    Entry {
        name,
        run,
        special: false,
        pure: true,
    }
}

pub static TABLE: [Entry; 42] = [
    Entry {
        name: ":",
        run: misc::colon,
        special: true,
        pure: true,
    },
    special(".", flow::dot),
    special("break", flow::break_),
    special("continue", flow::continue_),
    special("eval", flow::eval),
    special("exec", flow::exec),
    special("exit", flow::exit),
    special("export", vars::export),
    special("readonly", vars::readonly),
    special("return", flow::return_),
    special("set", vars::set),
    special("shift", vars::shift),
    special("times", misc::times),
    special("trap", flow::trap),
    special("unset", vars::unset),
    special("__wasmux_subshell", vars::subshell_state),
    pure("[", test::bracket),
    entry("alias", misc::alias),
    entry("bg", jobs::bg),
    entry("cd", cd::cd),
    entry("command", misc::command),
    pure("echo", echo::echo),
    pure("false", misc::false_),
    entry("fg", jobs::fg),
    entry("getopts", read::getopts),
    entry("hash", misc::hash),
    entry("help", misc::help),
    entry("history", misc::history),
    pure("jobs", jobs::jobs),
    entry("kill", jobs::kill),
    entry("local", vars::local),
    pure("printf", printf::printf),
    pure("pwd", cd::pwd),
    entry("read", read::read),
    entry("source", flow::dot),
    pure("test", test::test),
    pure("true", misc::true_),
    pure("type", misc::type_),
    entry("ulimit", misc::ulimit),
    entry("umask", misc::umask),
    entry("unalias", misc::unalias),
    entry("wait", jobs::wait),
];

pub fn find(name: &str) -> Option<&'static Entry> {
    TABLE.iter().find(|entry| entry.name == name)
}

/// Reports a usage error of builtin `name`: status 2.
pub fn usage(shell: &Shell, name: &str, message: &str) -> i32 {
    shell.error(&format!("{name}: {message}"));
    2
}

/// Reports a failure of builtin `name`: status 1.
pub fn failure(shell: &Shell, name: &str, message: &str) -> i32 {
    shell.error(&format!("{name}: {message}"));
    1
}

/// Writes a builtin's output; a write error is reported (except a closed
/// pipe) and is the builtin's failure.
pub fn write_out(shell: &Shell, name: &str, text: &str) -> i32 {
    match shell.out(text) {
        Ok(()) => 0,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => 1,
        Err(error) if wasmux_sys::is_errno(&error, wasmux_sys::Errno::Pipe) => 1,
        Err(error) => failure(
            shell,
            name,
            &format!("write error: {}", crate::shell::error_text(&error)),
        ),
    }
}

/// Splits leading `-abc` options off `args` (after argv\[0\]) for the
/// letters in `known`; stops at `--` or the first operand. Errors:
/// "-q: invalid option".
pub fn options<'a>(args: &'a [String], known: &str) -> Result<(Vec<char>, &'a [String]), String> {
    let mut letters = Vec::new();
    let mut rest = args;
    while let Some(arg) = rest.first() {
        if arg == "--" {
            rest = &rest[1..];
            break;
        }
        let Some(flags) = arg.strip_prefix('-').filter(|flags| !flags.is_empty()) else {
            break;
        };
        for letter in flags.chars() {
            if !known.contains(letter) {
                return Err(format!("-{letter}: invalid option"));
            }
            letters.push(letter);
        }
        rest = &rest[1..];
    }
    Ok((letters, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_each_name_once() {
        let mut names: Vec<&str> = TABLE.iter().map(|entry| entry.name).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn options_stop_at_operands_and_double_dash() {
        let args: Vec<String> = ["-n", "-e", "x", "-q"].map(String::from).to_vec();
        let (letters, rest) = options(&args, "ne").unwrap();
        assert_eq!(letters, ['n', 'e']);
        assert_eq!(rest, ["x", "-q"]);
        let args: Vec<String> = ["--", "-n"].map(String::from).to_vec();
        assert_eq!(options(&args, "n").unwrap().1, ["-n"]);
        assert_eq!(options(&args[1..], "e").unwrap_err(), "-n: invalid option");
    }
}
