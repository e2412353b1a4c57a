//! Subshells run in this process: `( list )` and `$( list )` run here with
//! the shell's state saved first and put back after, so nothing they
//! change (variables, functions, options, the directory, fds) leaks out.
//! `exit` in one ends only it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{Flow, Run};
use crate::shell::Shell;
use crate::shell::fds::{FdTable, Target};
use crate::shell::options::Options;
use crate::shell::vars::Vars;
use crate::syntax::Aliases;
use crate::syntax::ast::{FunctionDef, List};
use crate::traps::Traps;

#[derive(Debug)]
struct Saved {
    vars: Vars,
    positional: Vec<String>,
    functions: HashMap<String, Rc<FunctionDef>>,
    aliases: Aliases,
    options: Options,
    fds: FdTable,
    traps: Traps,
    locals: usize,
    loop_depth: usize,
    function_depth: usize,
    path_cache: HashMap<String, String>,
}

impl Shell {
    fn save(&self) -> Saved {
        Saved {
            vars: self.vars.clone(),
            positional: self.positional.clone(),
            functions: self.functions.clone(),
            aliases: self.aliases.clone(),
            options: self.options,
            fds: self.fds.clone(),
            traps: self.traps.clone(),
            locals: self.locals.len(),
            loop_depth: self.loop_depth,
            function_depth: self.function_depth,
            path_cache: self.path_cache.clone(),
        }
    }

    fn put_back(&mut self, saved: Saved) {
        let old_pwd = saved.vars.get("PWD").map(str::to_string);
        if self.vars.get("PWD").map(str::to_string) != old_pwd
            && let Some(pwd) = &old_pwd
        {
            let _ = wasmux_sys::chdir(pwd);
        }
        if self.traps != saved.traps {
            self.traps.restore_from(&saved.traps);
        }
        self.vars = saved.vars;
        self.positional = saved.positional;
        self.functions = saved.functions;
        self.aliases = saved.aliases;
        self.options = saved.options;
        self.fds = saved.fds;
        self.traps = saved.traps;
        self.locals.truncate(saved.locals);
        self.loop_depth = saved.loop_depth;
        self.function_depth = saved.function_depth;
        self.path_cache = saved.path_cache;
    }

    /// Runs `body` as a subshell; `$?` is its status afterwards.
    pub fn in_subshell(&mut self, body: impl FnOnce(&mut Shell) -> Run) {
        let saved = self.save();
        self.subshell_depth += 1;
        self.loop_depth = 0;
        self.function_depth = 0;
        self.traps.enter_subshell();
        let result = body(self);
        if let Err(Flow::Exit(status)) = result {
            self.status = status;
        }
        let exit_trap = self.traps.take_exit_action();
        if let Some(action) = exit_trap {
            let status = self.status;
            let _ = self.eval_text(&action);
            self.status = status;
        }
        self.subshell_depth -= 1;
        self.put_back(saved);
        if let Err(Flow::Interrupt) = result {
            self.interrupted = true;
        }
    }

    /// `$(list)`: runs it as a subshell with stdout collected in memory.
    pub fn substitute(&mut self, list: &Rc<List>) -> String {
        let buffer = Rc::new(RefCell::new(Vec::new()));
        let capture = Target::Capture(buffer.clone());
        self.in_subshell(|shell| {
            shell.fds.set(1, capture);
            shell.run_list(list)
        });
        self.substitution_status = Some(self.status);
        let bytes = std::mem::take(&mut *buffer.borrow_mut());
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        }
    }
}
