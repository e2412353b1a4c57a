//! `set` options: the letters of `$-` and their long names.

/// The options `set` changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub noglob: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub verbose: bool,
    pub noexec: bool,
    pub monitor: bool,
    pub pipefail: bool,
    pub ignoreeof: bool,
}

/// (letter, long name) of each option, in `$-` order.
pub const NAMES: [(Option<char>, &str); 11] = [
    (Some('a'), "allexport"),
    (Some('e'), "errexit"),
    (Some('f'), "noglob"),
    (Some('m'), "monitor"),
    (Some('n'), "noexec"),
    (Some('u'), "nounset"),
    (Some('v'), "verbose"),
    (Some('x'), "xtrace"),
    (Some('C'), "noclobber"),
    (None, "pipefail"),
    (None, "ignoreeof"),
];

impl Options {
    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "allexport" => &mut self.allexport,
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "nounset" => &mut self.nounset,
            "verbose" => &mut self.verbose,
            "xtrace" => &mut self.xtrace,
            "noclobber" => &mut self.noclobber,
            "pipefail" => &mut self.pipefail,
            "ignoreeof" => &mut self.ignoreeof,
            _ => return None,
        })
    }

    /// Sets an option by long name; false if there is none such.
    pub fn set_named(&mut self, name: &str, on: bool) -> bool {
        match self.slot(name) {
            Some(slot) => {
                *slot = on;
                true
            }
            None => false,
        }
    }

    /// Sets an option by letter; false if there is none such.
    pub fn set_letter(&mut self, letter: char, on: bool) -> bool {
        NAMES
            .iter()
            .find(|(option, _)| *option == Some(letter))
            .is_some_and(|(_, name)| self.set_named(name, on))
    }

    pub fn get_named(&self, name: &str) -> Option<bool> {
        let mut copy = *self;
        copy.slot(name).map(|slot| *slot)
    }

    /// The letters of the options that are on (`$-` without i, c, s).
    pub fn letters(&self) -> String {
        NAMES
            .iter()
            .filter_map(|(letter, name)| letter.filter(|_| self.get_named(name) == Some(true)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_names_are_the_same_options() {
        let mut options = Options::default();
        assert!(options.set_letter('e', true) && options.set_named("xtrace", true));
        assert!(!options.set_letter('q', true) && !options.set_named("nope", true));
        assert_eq!(options.letters(), "ex");
        assert_eq!(options.get_named("errexit"), Some(true));
        options.set_named("pipefail", true);
        assert_eq!(options.letters(), "ex", "pipefail has no letter");
    }
}
