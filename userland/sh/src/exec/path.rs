//! What a command name means: a special builtin, a function, a builtin,
//! or a program found in PATH (remembered until PATH changes).

use std::rc::Rc;

use crate::builtins::{self, Entry};
use crate::shell::Shell;
use crate::syntax::ast::FunctionDef;

#[derive(Debug, Clone)]
pub enum Resolved {
    Special(&'static Entry),
    Function(Rc<FunctionDef>),
    Builtin(&'static Entry),
    External(String),
    NotFound,
}

impl Shell {
    /// Looks `name` up in POSIX's order: special builtins, functions,
    /// other builtins, then PATH.
    pub fn resolve(&mut self, name: &str) -> Resolved {
        if let Some(entry) = builtins::find(name)
            && entry.special
        {
            return Resolved::Special(entry);
        }
        if let Some(function) = self.functions.get(name) {
            return Resolved::Function(function.clone());
        }
        if let Some(entry) = builtins::find(name) {
            return Resolved::Builtin(entry);
        }
        match self.find_program(name) {
            Some(path) => Resolved::External(path),
            None => Resolved::NotFound,
        }
    }

    /// The path of program `name`: itself if it has a slash, else the
    /// first PATH directory holding a file of that name.
    pub fn find_program(&mut self, name: &str) -> Option<String> {
        if name.contains('/') {
            return Some(name.to_string());
        }
        if name.is_empty() {
            return None;
        }
        if let Some(path) = self.path_cache.get(name) {
            return Some(path.clone());
        }
        let search = self.var("PATH").unwrap_or_default().to_string();
        for dir in search.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let candidate = if dir.ends_with('/') {
                format!("{dir}{name}")
            } else {
                format!("{dir}/{name}")
            };
            if std::fs::metadata(&candidate).is_ok_and(|metadata| metadata.is_file()) {
                self.path_cache.insert(name.to_string(), candidate.clone());
                return Some(candidate);
            }
        }
        None
    }
}
