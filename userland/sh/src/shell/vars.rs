//! Shell variables: values with their export and read-only flags.

use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    pub exported: bool,
    pub readonly: bool,
}

/// Every variable of the shell, exported or not.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    map: HashMap<String, Var>,
}

impl Vars {
    /// Variables from the environment the shell started with, all exported.
    pub fn from_environment(environment: impl IntoIterator<Item = (String, String)>) -> Vars {
        let map = environment
            .into_iter()
            .filter(|(name, _)| crate::syntax::is_name(name))
            .map(|(name, value)| {
                let var = Var {
                    value,
                    exported: true,
                    readonly: false,
                };
                (name, var)
            })
            .collect();
        Vars { map }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(|var| var.value.as_str())
    }

    pub fn var(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    /// Sets a value, keeping the flags. Errors: "NAME: readonly variable".
    pub fn set(&mut self, name: &str, value: String) -> Result<(), String> {
        match self.map.get_mut(name) {
            Some(var) if var.readonly => Err(format!("{name}: readonly variable")),
            Some(var) => {
                var.value = value;
                Ok(())
            }
            None => {
                self.map.insert(
                    name.to_string(),
                    Var {
                        value,
                        ..Var::default()
                    },
                );
                Ok(())
            }
        }
    }

    /// Marks a variable exported, first setting its value if one is given.
    pub fn export(&mut self, name: &str, value: Option<String>) -> Result<(), String> {
        if let Some(value) = value {
            self.set(name, value)?;
        }
        match self.map.get_mut(name) {
            Some(var) => var.exported = true,
            // `export NAME` of an unset variable: it is set, empty (a
            // simplification: POSIX keeps it unset until assigned).
            None => {
                self.map.insert(
                    name.to_string(),
                    Var {
                        value: String::new(),
                        exported: true,
                        readonly: false,
                    },
                );
            }
        }
        Ok(())
    }

    pub fn set_readonly(&mut self, name: &str) {
        if let Some(var) = self.map.get_mut(name) {
            var.readonly = true;
        } else {
            self.map.insert(
                name.to_string(),
                Var {
                    readonly: true,
                    ..Var::default()
                },
            );
        }
    }

    /// Removes a variable. Errors: "NAME: readonly variable".
    pub fn unset(&mut self, name: &str) -> Result<(), String> {
        match self.map.get(name) {
            Some(var) if var.readonly => Err(format!("{name}: readonly variable")),
            _ => {
                self.map.remove(name);
                Ok(())
            }
        }
    }

    /// Puts back what `var` was (`None`: unset), bypassing read-only
    /// (for undoing temporary assignments and `local`).
    pub fn restore(&mut self, name: &str, var: Option<Var>) {
        match var {
            Some(var) => self.map.insert(name.to_string(), var),
            None => self.map.remove(name),
        };
    }

    /// The exported variables, sorted, as the environment of a command.
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut environment: Vec<(String, String)> = self
            .map
            .iter()
            .filter(|(_, var)| var.exported)
            .map(|(name, var)| (name.clone(), var.value.clone()))
            .collect();
        environment.sort();
        environment
    }

    /// Every variable, sorted by name.
    pub fn sorted(&self) -> Vec<(&String, &Var)> {
        let mut all: Vec<(&String, &Var)> = self.map.iter().collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readonly_variables_refuse_changes() {
        let mut vars = Vars::default();
        vars.set("x", "1".into()).unwrap();
        vars.set_readonly("x");
        assert_eq!(
            vars.set("x", "2".into()).unwrap_err(),
            "x: readonly variable"
        );
        assert!(vars.unset("x").is_err());
        assert_eq!(vars.get("x"), Some("1"));
    }

    #[test]
    fn only_exported_variables_reach_the_environment() {
        let mut vars = Vars::from_environment([("HOME".to_string(), "/root".to_string())]);
        vars.set("local", "1".into()).unwrap();
        vars.export("shared", Some("2".into())).unwrap();
        vars.set("HOME", "/home".into()).unwrap();
        assert_eq!(
            vars.environment(),
            [
                ("HOME".to_string(), "/home".to_string()),
                ("shared".to_string(), "2".to_string())
            ]
        );
    }
}
