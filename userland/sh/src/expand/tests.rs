//! Expansion against a fake shell: variables in a map, a fake file tree,
//! command substitutions answered from a table.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use proptest::prelude::*;

use super::{Context, ExpandError, expand_pattern, expand_string, expand_words};
use crate::syntax::ast::{Command, List, Word};
use crate::syntax::{parse, print};

#[derive(Default)]
struct Fake {
    vars: HashMap<String, String>,
    positional: Vec<String>,
    files: BTreeSet<String>,
    nounset: bool,
    noglob: bool,
}

impl Fake {
    fn new() -> Fake {
        let mut fake = Fake::default();
        fake.vars.insert("HOME".into(), "/home/user".into());
        for file in [
            "a.c",
            "b.c",
            "c.h",
            ".hidden.c",
            "dir/x.c",
            "dir/y.txt",
            "dir/sub/z.c",
        ] {
            fake.files.insert(file.to_string());
        }
        fake
    }

    fn var(mut self, name: &str, value: &str) -> Fake {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn args(mut self, args: &[&str]) -> Fake {
        self.positional = args.iter().map(|arg| arg.to_string()).collect();
        self
    }
}

impl Context for Fake {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn set_var(&mut self, name: &str, value: String) -> Result<(), ExpandError> {
        self.vars.insert(name.to_string(), value);
        Ok(())
    }

    fn positional(&self) -> &[String] {
        &self.positional
    }

    fn special(&self, name: char) -> Option<String> {
        match name {
            '?' => Some("0".into()),
            '$' => Some("42".into()),
            '0' => Some("sh".into()),
            _ => None,
        }
    }

    fn command_substitution(&mut self, list: &Rc<List>) -> Result<String, ExpandError> {
        // `echo WORDS` answers its words' source text and a newline.
        let line = print::source(list);
        let words = line.trim_end().strip_prefix("echo ").unwrap_or("");
        Ok(format!("{words}\n\n"))
    }

    fn home(&self, user: &str) -> Option<String> {
        match user {
            "" => self.vars.get("HOME").cloned(),
            "root" => Some("/root".into()),
            _ => None,
        }
    }

    fn read_dir(&self, dir: &str) -> Option<Vec<String>> {
        let prefix = match dir.trim_end_matches('/') {
            "." => String::new(),
            dir => format!("{dir}/"),
        };
        let mut names = BTreeSet::new();
        for file in &self.files {
            if let Some(rest) = file.strip_prefix(&prefix) {
                names.insert(rest.split('/').next().unwrap_or(rest).to_string());
            }
        }
        (!names.is_empty()).then(|| names.into_iter().collect())
    }

    fn exists(&self, path: &str) -> bool {
        self.files.contains(path) || self.read_dir(path).is_some()
    }

    fn nounset(&self) -> bool {
        self.nounset
    }

    fn noglob(&self) -> bool {
        self.noglob
    }
}

/// The words of `echo ...` in `src`, parsed.
fn words_of(src: &str) -> Vec<Word> {
    let list = parse(&format!("echo {src}")).unwrap();
    match &list.items[0].and_or.first.commands[0] {
        Command::Simple(simple) => simple.words[1..].to_vec(),
        other => panic!("{other:?}"),
    }
}

fn expand(fake: &mut Fake, src: &str) -> Vec<String> {
    expand_words(fake, &words_of(src)).unwrap_or_else(|error| panic!("{src}: {error}"))
}

fn expand_error(fake: &mut Fake, src: &str) -> ExpandError {
    expand_words(fake, &words_of(src)).unwrap_err()
}

#[test]
fn variables_split_unless_quoted() {
    let mut fake = Fake::new().var("x", "a  b").var("empty", "");
    assert_eq!(expand(&mut fake, "$x"), ["a", "b"]);
    assert_eq!(expand(&mut fake, "\"$x\""), ["a  b"]);
    assert_eq!(expand(&mut fake, "$empty"), Vec::<String>::new());
    assert_eq!(expand(&mut fake, "\"$empty\" ''"), ["", ""]);
    assert_eq!(expand(&mut fake, "pre$x'post'"), ["prea", "bpost"]);
    assert_eq!(expand(&mut fake, "$$ $? $0 $#"), ["42", "0", "sh", "0"]);
}

#[test]
fn at_and_star() {
    let mut fake = Fake::new().args(&["a b", "", "c"]);
    assert_eq!(expand(&mut fake, "\"$@\""), ["a b", "", "c"]);
    assert_eq!(expand(&mut fake, "$@"), ["a", "b", "c"]);
    assert_eq!(expand(&mut fake, "\"$*\""), ["a b  c"]);
    assert_eq!(expand(&mut fake, "\"x$@y\""), ["xa b", "", "cy"]);
    assert_eq!(expand(&mut fake, "$# $1 ${3}"), ["3", "a", "b", "c"]);
    let mut fake = fake.var("IFS", ":");
    assert_eq!(expand(&mut fake, "\"$*\""), ["a b::c"]);
    let mut none = Fake::new();
    assert_eq!(expand(&mut none, "\"$@\""), Vec::<String>::new());
    assert_eq!(expand(&mut none, "\"$@\" \"$*\""), [""]);
}

#[test]
fn parameter_operators() {
    let mut fake = Fake::new().var("set", "value").var("empty", "");
    assert_eq!(expand(&mut fake, "${unset-a b}"), ["a", "b"]);
    assert_eq!(expand(&mut fake, "\"${unset-a b}\""), ["a b"]);
    assert_eq!(expand(&mut fake, "${empty-x} ${empty:-y}"), ["y"]);
    assert_eq!(expand(&mut fake, "${set:+alt} ${unset:+alt}"), ["alt"]);
    assert_eq!(expand(&mut fake, "${new:=made} $new"), ["made", "made"]);
    assert_eq!(expand(&mut fake, "${#set} ${#unset}"), ["5", "0"]);
    let error = expand_error(&mut fake, "${unset:?custom message}");
    assert_eq!(error.message, "unset: custom message");
    assert!(error.fatal);
    assert_eq!(
        expand_error(&mut fake, "${empty:?}").message,
        "empty: parameter null or not set"
    );
}

#[test]
fn trims_use_patterns() {
    let mut fake = Fake::new().var("path", "/usr/lib/libc.so.6");
    assert_eq!(expand(&mut fake, "${path##*/}"), ["libc.so.6"]);
    assert_eq!(expand(&mut fake, "${path%/*}"), ["/usr/lib"]);
    assert_eq!(expand(&mut fake, "${path%.*}"), ["/usr/lib/libc.so"]);
    assert_eq!(expand(&mut fake, "${path%%.*}"), ["/usr/lib/libc"]);
    assert_eq!(expand(&mut fake, "${path#/usr}"), ["/lib/libc.so.6"]);
    assert_eq!(expand(&mut fake, "\"${path##*/}\""), ["libc.so.6"]);
    assert_eq!(expand(&mut fake, "${path%'.*'}"), ["/usr/lib/libc.so.6"]);
}

#[test]
fn nounset_fails_on_unset_variables_only() {
    let mut fake = Fake::new().var("empty", "");
    fake.nounset = true;
    assert_eq!(
        expand_error(&mut fake, "$nothing").message,
        "nothing: unbound variable"
    );
    assert_eq!(
        expand(&mut fake, "${nothing-default} \"$empty\""),
        ["default", ""]
    );
    assert_eq!(expand(&mut fake, "\"$@\""), Vec::<String>::new());
}

#[test]
fn tildes_become_home_directories() {
    let mut fake = Fake::new();
    assert_eq!(
        expand(&mut fake, "~ ~/x ~root ~nobody '~'"),
        ["/home/user", "/home/user/x", "/root", "~nobody", "~"]
    );
}

#[test]
fn command_substitution_and_arithmetic() {
    let mut fake = Fake::new().var("n", "6");
    assert_eq!(expand(&mut fake, "$(echo a b)"), ["a", "b"]);
    assert_eq!(expand(&mut fake, "\"$(echo a b)\"x"), ["a bx"]);
    assert_eq!(expand(&mut fake, "`echo q`"), ["q"]);
    assert_eq!(
        expand(&mut fake, "$((n * 7)) $(( (1 + 2) * $n ))"),
        ["42", "18"]
    );
    assert_eq!(expand(&mut fake, "$((m = n + 1)) $m"), ["7", "7"]);
    assert_eq!(expand_error(&mut fake, "$((1/0))").message, "division by 0");
}

#[test]
fn globbing_matches_sorted_names_and_keeps_unmatched_words() {
    let mut fake = Fake::new();
    assert_eq!(expand(&mut fake, "*.c"), ["a.c", "b.c"]);
    assert_eq!(expand(&mut fake, ".*.c"), [".hidden.c"]);
    assert_eq!(
        expand(&mut fake, "dir/*"),
        ["dir/sub", "dir/x.c", "dir/y.txt"]
    );
    assert_eq!(expand(&mut fake, "*/*.c"), ["dir/x.c"]);
    assert_eq!(expand(&mut fake, "*/"), ["dir/"]);
    assert_eq!(expand(&mut fake, "d*/s*/z.c"), ["dir/sub/z.c"]);
    assert_eq!(expand(&mut fake, "[ab].c ?.h"), ["a.c", "b.c", "c.h"]);
    assert_eq!(
        expand(&mut fake, "*.none '*'.c \"*\""),
        ["*.none", "*.c", "*"]
    );
    let mut fake = fake.var("p", "*.h");
    assert_eq!(expand(&mut fake, "$p \"$p\""), ["c.h", "*.h"]);
    fake.noglob = true;
    assert_eq!(expand(&mut fake, "*.c"), ["*.c"]);
}

#[test]
fn strings_and_patterns_do_not_split() {
    let mut fake = Fake::new().var("x", "a  b").args(&["1", "2"]);
    let word = &words_of("$x$@")[0];
    assert_eq!(expand_string(&mut fake, &word.parts).unwrap(), "a  b1 2");
    let word = &words_of("\"*\"$x*")[0];
    let pattern = expand_pattern(&mut fake, &word.parts).unwrap();
    assert!(pattern.matches("*a  bzz") && !pattern.matches("xa  b"));
}

proptest! {
    /// A single-quoted word expands to exactly its text, whatever it holds.
    #[test]
    fn single_quotes_keep_any_text(text in "[^'\\x00]{0,20}") {
        let mut fake = Fake::new();
        let fields = expand(&mut fake, &format!("'{text}'"));
        prop_assert_eq!(fields, vec![text]);
    }

    /// "$x" is x's value exactly, for any value.
    #[test]
    fn double_quoted_variables_are_exact(value in "[ -~\\n\\t]{0,20}") {
        let mut fake = Fake::new().var("x", &value);
        fake.noglob = true;
        prop_assert_eq!(expand(&mut fake, "\"$x\""), vec![value]);
    }
}
