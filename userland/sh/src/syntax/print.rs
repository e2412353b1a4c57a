//! Syntax trees back to source: whole programs for child shells (which
//! parse it again, so here-document bodies follow their lines), or one
//! line for job listings and `set -x`-like displays.

use std::rc::Rc;

use super::ast::{
    AndOr, Command, Compound, Connector, FunctionDef, HereDoc, List, Pipeline, Redirect,
    RedirectTarget,
};

/// Source text that parses back to `list`.
pub fn source(list: &List) -> String {
    let mut printer = Printer::new(false);
    printer.list(list);
    printer.out
}

/// The source of one command (a function definition, a pipeline stage).
pub fn command_source(command: &Command) -> String {
    let mut printer = Printer::new(false);
    printer.command(command);
    printer.newline();
    printer.out
}

/// A function definition as source.
pub fn function_source(function: &FunctionDef) -> String {
    let mut printer = Printer::new(false);
    printer.function(function);
    printer.newline();
    printer.out
}

/// One line describing `and_or`, as `jobs` shows it (no here-document bodies).
pub fn and_or_line(and_or: &AndOr) -> String {
    let mut printer = Printer::new(true);
    printer.and_or(and_or);
    printer.out.trim_end().to_string()
}

/// One line describing a pipeline.
pub fn pipeline_line(pipeline: &Pipeline) -> String {
    let mut printer = Printer::new(true);
    printer.pipeline(pipeline);
    printer.out.trim_end().to_string()
}

struct Printer {
    out: String,
    compact: bool,
    pending: Vec<Rc<HereDoc>>,
}

impl Printer {
    fn new(compact: bool) -> Printer {
        Printer {
            out: String::new(),
            compact,
            pending: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Ends a line, then writes the here-document bodies it started.
    fn newline(&mut self) {
        self.out.push('\n');
        for doc in std::mem::take(&mut self.pending) {
            if let Some((_, body)) = doc.body.get() {
                self.out.push_str(body);
            }
            self.out.push_str(&doc.delimiter);
            self.out.push('\n');
        }
    }

    /// After a keyword such as `then`: a space on one line, else a newline.
    fn gap(&mut self) {
        if self.compact {
            self.push(" ");
        } else {
            self.newline();
        }
    }

    fn list(&mut self, list: &List) {
        for item in &list.items {
            self.and_or(&item.and_or);
            match (item.background, self.compact) {
                (true, true) => self.push(" & "),
                (true, false) => {
                    self.push(" &");
                    self.newline();
                }
                (false, true) => self.push("; "),
                (false, false) => self.newline(),
            }
        }
    }

    fn and_or(&mut self, and_or: &AndOr) {
        self.pipeline(&and_or.first);
        for (connector, pipeline) in &and_or.rest {
            self.push(match connector {
                Connector::And => " && ",
                Connector::Or => " || ",
            });
            self.pipeline(pipeline);
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline) {
        if pipeline.negated {
            self.push("! ");
        }
        for (index, command) in pipeline.commands.iter().enumerate() {
            if index > 0 {
                self.push(" | ");
            }
            self.command(command);
        }
    }

    fn command(&mut self, command: &Command) {
        match command {
            Command::Simple(simple) => {
                let mut first = true;
                let mut space = |printer: &mut Printer| {
                    if !first {
                        printer.push(" ");
                    }
                    first = false;
                };
                for assignment in &simple.assignments {
                    space(self);
                    self.push(&assignment.name);
                    self.push("=");
                    self.push(&assignment.value.text);
                }
                for word in &simple.words {
                    space(self);
                    self.push(&word.text);
                }
                for redirect in &simple.redirects {
                    space(self);
                    self.redirect(redirect);
                }
            }
            Command::Compound(compound, redirects) => {
                self.compound(compound);
                self.redirects(redirects);
            }
            Command::Function(function) => self.function(function),
        }
    }

    fn function(&mut self, function: &FunctionDef) {
        self.push(&function.name);
        self.push("() ");
        self.compound(&function.body);
        self.redirects(&function.redirects);
    }

    fn redirects(&mut self, redirects: &[Redirect]) {
        for redirect in redirects {
            self.push(" ");
            self.redirect(redirect);
        }
    }

    fn redirect(&mut self, redirect: &Redirect) {
        if let Some(fd) = redirect.fd {
            self.push(&fd.to_string());
        }
        self.push(redirect.kind.operator());
        match &redirect.target {
            RedirectTarget::Word(word) => self.push(&word.text),
            RedirectTarget::HereDoc(doc) => {
                if doc.quoted {
                    self.push("'");
                    self.push(&doc.delimiter);
                    self.push("'");
                } else {
                    self.push(&doc.delimiter);
                }
                self.pending.push(doc.clone());
            }
        }
    }

    fn compound(&mut self, compound: &Compound) {
        match compound {
            Compound::Group(list) => {
                self.push("{");
                self.gap();
                self.list(list);
                self.push("}");
            }
            Compound::Subshell(list) => {
                self.push("(");
                self.gap();
                self.list(list);
                self.push(")");
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                for (index, (condition, body)) in branches.iter().enumerate() {
                    self.push(if index == 0 { "if" } else { "elif" });
                    self.gap();
                    self.list(condition);
                    self.push("then");
                    self.gap();
                    self.list(body);
                }
                if let Some(otherwise) = otherwise {
                    self.push("else");
                    self.gap();
                    self.list(otherwise);
                }
                self.push("fi");
            }
            Compound::Loop {
                until,
                condition,
                body,
            } => {
                self.push(if *until { "until" } else { "while" });
                self.gap();
                self.list(condition);
                self.do_done(body);
            }
            Compound::For {
                variable,
                words,
                body,
            } => {
                self.push("for ");
                self.push(variable);
                if let Some(words) = words {
                    self.push(" in");
                    for word in words {
                        self.push(" ");
                        self.push(&word.text);
                    }
                }
                if self.compact {
                    self.push("; ");
                } else {
                    self.newline();
                }
                self.do_done(body);
            }
            Compound::Case { subject, arms } => {
                self.push("case ");
                self.push(&subject.text);
                self.push(" in");
                self.gap();
                for arm in arms {
                    let patterns: Vec<&str> =
                        arm.patterns.iter().map(|word| word.text.as_str()).collect();
                    self.push(&patterns.join("|"));
                    self.push(")");
                    self.gap();
                    self.list(&arm.body);
                    self.push(";;");
                    self.gap();
                }
                self.push("esac");
            }
        }
    }

    fn do_done(&mut self, body: &List) {
        self.push("do");
        self.gap();
        self.list(body);
        self.push("done");
    }
}
