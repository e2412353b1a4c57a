//! The shell as expansion's [`Context`]: variables, parameters, command
//! substitution, home directories and the file system.

use std::rc::Rc;

use super::Shell;
use crate::expand::{Context, ExpandError};
use crate::syntax::ast::List;

impl Context for Shell {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "LINENO" => Some(self.line.to_string()),
            "RANDOM" => Some(crate::util::random_u15().to_string()),
            _ => self.vars.get(name).map(str::to_string),
        }
    }

    fn set_var(&mut self, name: &str, value: String) -> Result<(), ExpandError> {
        Shell::set_var(self, name, value).map_err(ExpandError::fatal)
    }

    fn positional(&self) -> &[String] {
        &self.positional
    }

    fn special(&self, name: char) -> Option<String> {
        match name {
            '?' => Some(self.status.to_string()),
            '$' => Some(self.pid.to_string()),
            '!' => self.last_background.map(|pid| pid.to_string()),
            '-' => Some(self.flags()),
            '0' => Some(self.arg0.clone()),
            _ => None,
        }
    }

    fn command_substitution(&mut self, list: &Rc<List>) -> Result<String, ExpandError> {
        Ok(self.substitute(list))
    }

    fn home(&self, user: &str) -> Option<String> {
        if user.is_empty() {
            return self.vars.get("HOME").map(str::to_string);
        }
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&user) && fields.len() >= 6).then(|| fields[5].to_string())
        })
    }

    fn read_dir(&self, dir: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(dir).ok()?;
        Some(
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect(),
        )
    }

    fn exists(&self, path: &str) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn nounset(&self) -> bool {
        self.options.nounset
    }

    fn noglob(&self) -> bool {
        self.options.noglob
    }
}
