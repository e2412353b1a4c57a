//! The syntax tree the parser builds and the executor walks.
//!
//! Words keep their source text beside their parts, so a tree prints back
//! as source (for child shells, `type` and job listings) without a
//! word-level printer.

use std::cell::OnceCell;
use std::rc::Rc;

/// Commands in sequence, each run in the foreground or the background.
#[derive(Clone, Debug, Default)]
pub struct List {
    pub items: Vec<Item>,
}

/// One and-or list with how it ends (`;`/newline or `&`).
#[derive(Clone, Debug)]
pub struct Item {
    pub and_or: AndOr,
    pub background: bool,
}

/// Pipelines joined by `&&` and `||`, evaluated left to right.
#[derive(Clone, Debug)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// Commands joined by `|`, optionally negated with `!`.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
    /// The source line it starts on.
    pub line: usize,
}

#[derive(Clone, Debug)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Compound, Vec<Redirect>),
    Function(Rc<FunctionDef>),
}

/// `name() compound-command [redirections]`.
#[derive(Debug)]
pub struct FunctionDef {
    pub name: String,
    pub body: Compound,
    pub redirects: Vec<Redirect>,
}

/// Assignments, words and redirections, in any order in the source.
#[derive(Clone, Debug, Default)]
pub struct SimpleCommand {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// `NAME=value`.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub name: String,
    pub value: Word,
}

#[derive(Clone, Debug)]
pub enum Compound {
    /// `{ list; }`
    Group(List),
    /// `( list )`
    Subshell(List),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`
    If {
        branches: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    /// `while`/`until condition; do body; done`
    Loop {
        until: bool,
        condition: List,
        body: List,
    },
    /// `for name [in words]; do body; done` (no `in`: the positional parameters)
    For {
        variable: String,
        words: Option<Vec<Word>>,
        body: List,
    },
    /// `case subject in pattern|pattern) body;; esac`
    Case { subject: Word, arms: Vec<CaseArm> },
}

#[derive(Clone, Debug)]
pub struct CaseArm {
    pub patterns: Vec<Word>,
    pub body: List,
}

/// `[fd]op target`.
#[derive(Clone, Debug)]
pub struct Redirect {
    /// The explicit fd (the `2` of `2>`), else the operator's default.
    pub fd: Option<u32>,
    pub kind: RedirectKind,
    pub target: RedirectTarget,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectKind {
    /// `<`
    Input,
    /// `>`
    Output,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupInput,
    /// `>&`
    DupOutput,
    /// `<<` and `<<-`
    HereDoc,
}

impl RedirectKind {
    /// The fd the operator applies to without an explicit one.
    pub fn default_fd(self) -> u32 {
        match self {
            RedirectKind::Input
            | RedirectKind::ReadWrite
            | RedirectKind::DupInput
            | RedirectKind::HereDoc => 0,
            _ => 1,
        }
    }

    pub fn operator(self) -> &'static str {
        match self {
            RedirectKind::Input => "<",
            RedirectKind::Output => ">",
            RedirectKind::Clobber => ">|",
            RedirectKind::Append => ">>",
            RedirectKind::ReadWrite => "<>",
            RedirectKind::DupInput => "<&",
            RedirectKind::DupOutput => ">&",
            RedirectKind::HereDoc => "<<",
        }
    }
}

#[derive(Clone, Debug)]
pub enum RedirectTarget {
    Word(Word),
    HereDoc(Rc<HereDoc>),
}

/// A here-document. Its body is read after the line holding the operator,
/// so the parser fills it in later.
#[derive(Debug)]
pub struct HereDoc {
    pub delimiter: String,
    /// A quoted delimiter: the body is taken literally.
    pub quoted: bool,
    /// `<<-`: leading tabs were stripped from the body lines.
    pub strip_tabs: bool,
    /// The body, as parts (literal text when `quoted`), and its raw text.
    pub body: OnceCell<(Vec<WordPart>, String)>,
}

/// A word: its parts, and its text as written.
#[derive(Clone, Debug, Default)]
pub struct Word {
    pub text: String,
    pub parts: Vec<WordPart>,
}

impl Word {
    /// A word of one literal, unquoted part.
    pub fn literal(text: &str) -> Word {
        Word {
            text: text.to_string(),
            parts: vec![WordPart::Literal(text.to_string())],
        }
    }

    /// The text, if the word is one unquoted literal (a reserved word or
    /// a name must be).
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// Whether any part is quoted (for here-document delimiters).
    pub fn has_quotes(&self) -> bool {
        self.parts
            .iter()
            .any(|part| matches!(part, WordPart::Quoted(_) | WordPart::DoubleQuoted(_)))
    }
}

#[derive(Clone, Debug)]
pub enum WordPart {
    /// Unquoted text: field splitting does not touch it, globbing does.
    Literal(String),
    /// Single-quoted or backslash-escaped text: taken as is.
    Quoted(String),
    /// `"..."`: expansions inside, no splitting or globbing of the result.
    DoubleQuoted(Vec<WordPart>),
    Param(Box<Param>),
    /// `$(...)` or backquotes.
    Command(Rc<List>),
    /// `$((...))`: the expression, expanded as in double quotes, then evaluated.
    Arith(Vec<WordPart>),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

/// A parameter expansion: `$name`, `${name}`, `${name op word}`.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: ParamName,
    pub op: ParamOp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamName {
    Named(String),
    /// `$1`, `${10}`; `$0` is `Special('0')`.
    Positional(usize),
    /// One of `@ * # ? - $ ! 0`.
    Special(char),
}

#[derive(Clone, Debug)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name:-word}` and friends; `colon` also treats empty as unset.
    Test {
        kind: TestKind,
        colon: bool,
        word: Vec<WordPart>,
    },
    /// `${name%pat}` `${name%%pat}` `${name#pat}` `${name##pat}`
    Trim {
        suffix: bool,
        longest: bool,
        pattern: Vec<WordPart>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestKind {
    /// `-`: use the word.
    Default,
    /// `=`: assign the word.
    Assign,
    /// `?`: fail with the word as message.
    Error,
    /// `+`: the word if set.
    Alternative,
}

impl TestKind {
    pub fn operator(self) -> char {
        match self {
            TestKind::Default => '-',
            TestKind::Assign => '=',
            TestKind::Error => '?',
            TestKind::Alternative => '+',
        }
    }
}
