//! Child shells: what runs beside other processes (a pipeline stage that
//! is not a program, a compound command in the background) runs in a
//! spawned `sh -c`, given this shell's state as a script before its own.
//!
//! The state travels as shell source because the child must parse it
//! anyway, it needs no format of its own, and `ps` shows what runs.
//! Rejected: an environment variable holding the state (it would leak
//! into every program the child starts), a pipe the child reads it from
//! (one more fd and a write that can block before the child runs), and
//! running such stages in the shell one after another (a builtin loop
//! feeding `head` would never end, and output beyond a pipe's 64 KiB
//! would deadlock).

use crate::shell::Shell;
use crate::syntax::print::function_source;
use crate::util::quote;

/// Variables a child shell sets for itself.
const OWN_VARIABLES: [&str; 3] = ["PPID", "LINENO", "OPTIND"];

impl Shell {
    /// A script that recreates this shell's state (variables that are not
    /// exported, functions, aliases, options, `$$`, `$!`, `$?`), then runs
    /// `body`. Exported variables travel in the environment.
    pub fn child_script(&self, body: &str) -> String {
        let mut script = format!(
            "__wasmux_subshell {} {} {}\n",
            self.pid,
            self.last_background.unwrap_or(0),
            self.status
        );
        for (name, var) in self.vars.sorted() {
            if OWN_VARIABLES.contains(&name.as_str()) {
                continue;
            }
            if !var.exported {
                script.push_str(&format!("{name}={}\n", quote(&var.value)));
            }
            if var.readonly {
                script.push_str(&format!("readonly {name}\n"));
            }
        }
        let mut aliases: Vec<_> = self.aliases.iter().collect();
        aliases.sort();
        for (name, value) in aliases {
            script.push_str(&format!("alias {name}={}\n", quote(value)));
        }
        let mut functions: Vec<_> = self.functions.values().collect();
        functions.sort_by(|a, b| a.name.cmp(&b.name));
        for function in functions {
            script.push_str(&function_source(function));
        }
        let letters = self.options.letters().replace('m', "");
        if !letters.is_empty() {
            script.push_str(&format!("set -{letters}\n"));
        }
        if self.options.pipefail {
            script.push_str("set -o pipefail\n");
        }
        script.push_str(body);
        script
    }

    /// The argv of a child shell running `script` with `args` as its
    /// positional parameters.
    pub fn child_argv(&self, script: String, args: &[String]) -> Vec<String> {
        let mut argv = vec![
            "sh".to_string(),
            "-c".to_string(),
            script,
            self.arg0.clone(),
        ];
        argv.extend(args.iter().cloned());
        argv
    }
}
