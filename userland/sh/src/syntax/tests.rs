//! Parser tests: trees are checked through the one-line printer (which
//! shows structure) and the source printer (which must parse back).

use super::ast::{Command, Compound, ParamName, ParamOp, RedirectKind, RedirectTarget, WordPart};
use super::{Aliases, Parser, parse, print};

/// The one-line form of every and-or list of `src`, joined by " ;; ".
fn lines(src: &str) -> String {
    let list = parse(src).unwrap_or_else(|error| panic!("{src:?}: {error}"));
    list.items
        .iter()
        .map(|item| {
            let mut line = print::and_or_line(&item.and_or);
            if item.background {
                line.push_str(" &");
            }
            line
        })
        .collect::<Vec<_>>()
        .join(" ;; ")
}

fn error(src: &str) -> String {
    match parse(src) {
        Ok(list) => panic!("{src:?} parsed: {list:?}"),
        Err(error) => error.message,
    }
}

fn first_command(src: &str) -> Command {
    let list = parse(src).unwrap();
    list.items[0].and_or.first.commands[0].clone()
}

fn words(src: &str) -> Vec<Vec<WordPart>> {
    match first_command(src) {
        Command::Simple(simple) => simple.words.into_iter().map(|word| word.parts).collect(),
        other => panic!("not simple: {other:?}"),
    }
}

#[test]
fn lists_and_or_lists_and_pipelines() {
    assert_eq!(lines("a; b & c"), "a ;; b & ;; c");
    assert_eq!(lines("a && b || ! c | d"), "a && b || ! c | d");
    assert_eq!(lines("a |\n b &&\n\n c"), "a | b && c");
    assert_eq!(lines("\n\n# only a comment\n"), "");
    assert_eq!(lines("echo a#b # comment"), "echo a#b");
}

#[test]
fn quoting_keeps_text_and_marks_parts() {
    let parts = words(r#"echo 'a b' "c $x" d\ e"#);
    assert!(matches!(&parts[1][..], [WordPart::Quoted(text)] if text == "a b"));
    assert!(matches!(&parts[2][..], [WordPart::DoubleQuoted(inner)] if inner.len() == 2));
    assert!(
        matches!(&parts[3][..], [WordPart::Literal(d), WordPart::Quoted(space), WordPart::Literal(e)]
            if d == "d" && space == " " && e == "e")
    );
    let parts = words(r#"echo "a\$b\c\"""#);
    let [WordPart::DoubleQuoted(inner)] = &parts[1][..] else {
        panic!("{parts:?}")
    };
    let text: String = inner
        .iter()
        .map(|part| match part {
            WordPart::Literal(text) | WordPart::Quoted(text) => text.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(text, r#"a$b\c""#);
}

#[test]
fn parameters_in_every_form() {
    let parts = words("echo $x ${y} $1 ${10} $@ $# ${#z} ${a:-b c} ${d%%*.c} ${e#x}");
    let params: Vec<(ParamName, String)> = parts[1..]
        .iter()
        .map(|parts| match &parts[..] {
            [WordPart::Param(param)] => {
                let op = match &param.op {
                    ParamOp::Plain => "plain".to_string(),
                    ParamOp::Length => "length".to_string(),
                    ParamOp::Test { kind, colon, word } => {
                        format!("test {}{} {}", colon, kind.operator(), word.len())
                    }
                    ParamOp::Trim {
                        suffix, longest, ..
                    } => format!("trim {suffix} {longest}"),
                };
                (param.name.clone(), op)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let named = |name: &str| ParamName::Named(name.to_string());
    assert_eq!(
        params,
        vec![
            (named("x"), "plain".into()),
            (named("y"), "plain".into()),
            (ParamName::Positional(1), "plain".into()),
            (ParamName::Positional(10), "plain".into()),
            (ParamName::Special('@'), "plain".into()),
            (ParamName::Special('#'), "plain".into()),
            (named("z"), "length".into()),
            (named("a"), "test true- 1".into()),
            (named("d"), "trim true true".into()),
            (named("e"), "trim false false".into()),
        ]
    );
    assert_eq!(error("echo ${x!}"), "bad substitution");
}

#[test]
fn substitutions_nest() {
    let parts = words("echo $(echo $(echo a) `echo b`) $((1 + (2 * 3))) $( (echo sub) )");
    assert!(matches!(&parts[1][..], [WordPart::Command(list)] if list.items.len() == 1));
    assert!(matches!(&parts[2][..], [WordPart::Arith(_)]));
    assert!(matches!(&parts[3][..], [WordPart::Command(_)]));
    let parts = words("echo \"$(case x in x) echo y;; esac)\"");
    assert!(matches!(&parts[1][..], [WordPart::DoubleQuoted(inner)]
        if matches!(&inner[..], [WordPart::Command(_)])));
}

#[test]
fn tildes_at_word_starts_and_in_assignments() {
    let parts = words("echo ~ ~user/x a~ '~'");
    assert!(matches!(&parts[1][..], [WordPart::Tilde(user)] if user.is_empty()));
    assert!(
        matches!(&parts[2][..], [WordPart::Tilde(user), WordPart::Literal(rest)]
        if user == "user" && rest == "/x")
    );
    assert!(matches!(&parts[3][..], [WordPart::Literal(text)] if text == "a~"));
    let Command::Simple(simple) = first_command("PATH=~/bin:~x/y:/z cmd") else {
        panic!()
    };
    let tildes = simple.assignments[0]
        .value
        .parts
        .iter()
        .filter(|part| matches!(part, WordPart::Tilde(_)))
        .count();
    assert_eq!(tildes, 2);
}

#[test]
fn assignments_only_before_the_command_name() {
    let Command::Simple(simple) = first_command("a=1 b= c=$x echo d=2") else {
        panic!()
    };
    let names: Vec<&str> = simple.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(simple.words.len(), 2);
    assert_eq!(simple.words[1].text, "d=2");
}

#[test]
fn redirections_with_fds_and_duplications() {
    let Command::Simple(simple) = first_command("cmd <in >out 2>>log 2>&1 3<&0 >&- 4<>rw >|f")
    else {
        panic!()
    };
    let shapes: Vec<(Option<u32>, RedirectKind)> = simple
        .redirects
        .iter()
        .map(|redirect| (redirect.fd, redirect.kind))
        .collect();
    assert_eq!(
        shapes,
        vec![
            (None, RedirectKind::Input),
            (None, RedirectKind::Output),
            (Some(2), RedirectKind::Append),
            (Some(2), RedirectKind::DupOutput),
            (Some(3), RedirectKind::DupInput),
            (None, RedirectKind::DupOutput),
            (Some(4), RedirectKind::ReadWrite),
            (None, RedirectKind::Clobber),
        ]
    );
    assert_eq!(lines("echo 2 > x"), "echo 2 >x");
}

#[test]
fn here_documents_take_the_lines_after_their_command() {
    let src = "cat <<EOF; cat <<-'END'\nhello $x\nEOF\n\tliteral $y\n\tEND\necho after\n";
    let list = parse(src).unwrap();
    assert_eq!(list.items.len(), 3);
    let bodies: Vec<(String, bool)> = list.items[..2]
        .iter()
        .map(|item| match &item.and_or.first.commands[0] {
            Command::Simple(simple) => match &simple.redirects[0].target {
                RedirectTarget::HereDoc(doc) => (doc.body.get().unwrap().1.clone(), doc.quoted),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        bodies,
        vec![
            ("hello $x\n".to_string(), false),
            ("literal $y\n".to_string(), true)
        ]
    );
    assert_eq!(print::and_or_line(&list.items[2].and_or), "echo after");
}

#[test]
fn compound_commands() {
    assert_eq!(
        lines("if a; then b; elif c\nthen d; else e; fi"),
        "if a; then b; elif c; then d; else e; fi"
    );
    assert_eq!(
        lines("while a; do b; done; until c\ndo d\ndone"),
        "while a; do b; done ;; until c; do d; done"
    );
    assert_eq!(
        lines("for x in a b; do echo $x; done"),
        "for x in a b; do echo $x; done"
    );
    assert_eq!(lines("for x\ndo echo; done"), "for x; do echo; done");
    assert_eq!(
        lines("for x in do done; do :; done"),
        "for x in do done; do :; done"
    );
    assert_eq!(
        lines("case $x in (a|b) echo ab;; *.c) ;; esac"),
        "case $x in a|b) echo ab; ;; *.c) ;; esac"
    );
    assert_eq!(lines("{ a; b; } >out"), "{ a; b; } >out");
    assert_eq!(lines("(a; b) | c"), "( a; b; ) | c");
    assert_eq!(lines("f() { echo; }; f"), "f() { echo; } ;; f");
    assert_eq!(lines("function g { :; }"), "g() { :; }");
    assert_eq!(lines("echo { } fi"), "echo { } fi");
}

#[test]
fn syntax_errors_name_the_token() {
    assert_eq!(
        error("if true; then fi"),
        "syntax error near unexpected token `fi'"
    );
    assert_eq!(
        error("echo a; fi"),
        "syntax error near unexpected token `fi'"
    );
    assert_eq!(error("a && ; b"), "syntax error near unexpected token `;'");
    assert_eq!(error("| a"), "syntax error near unexpected token `|'");
    assert_eq!(error("echo )"), "syntax error near unexpected token `)'");
    assert_eq!(error("cat <"), "syntax error: unexpected end of file");
    assert_eq!(
        error("cat <\n"),
        "syntax error near unexpected token `newline'"
    );
    assert_eq!(
        error("f() echo"),
        "syntax error near unexpected token `echo'"
    );
    assert_eq!(error("{ }"), "syntax error near unexpected token `}'");
}

#[test]
fn unfinished_input_is_incomplete() {
    for src in [
        "if true; then",
        "echo 'a",
        "echo \"a",
        "a |",
        "a &&",
        "cat <<EOF\nx\n",
        "echo $(a",
        "case x in",
        "echo ${x",
    ] {
        let mut parser = Parser::new(src, None);
        parser.set_partial(true);
        let error = parser.program().unwrap_err();
        assert!(error.incomplete, "{src:?}: {error:?}");
    }
    assert!(!parse("fi").unwrap_err().incomplete);
}

#[test]
fn errors_report_their_line() {
    let error = parse("echo a\necho b\nthen").unwrap_err();
    assert_eq!(error.line, 3);
}

#[test]
fn aliases_expand_in_command_position_only() {
    let mut aliases = Aliases::new();
    aliases.insert("ll".into(), "ls -l".into());
    aliases.insert("ls".into(), "ls -F".into());
    aliases.insert("nice".into(), "nice ".into());
    aliases.insert("cond".into(), "if true; then".into());
    let parse = |src: &str| {
        let list = Parser::new(src, Some(&aliases)).program().unwrap();
        print::and_or_line(&list.items[0].and_or)
    };
    assert_eq!(parse("ll x; echo ll"), "ls -F -l x");
    assert_eq!(parse("echo ll"), "echo ll");
    assert_eq!(parse("nice ll"), "nice ls -F -l");
    assert_eq!(parse("cond echo yes; fi"), "if true; then echo yes; fi");
}

#[test]
fn printed_source_parses_back_to_the_same_tree() {
    let src = "f() {\n  cat <<EOF | tr a b\n$x body\nEOF\n  case $1 in a|b) echo 'q' \"d\";; esac\n}\nfor i in 1 2; do f $i && break || continue; done &\nx=1 y=\"$(echo a; echo b)\" cmd >o 2>&1\n";
    let list = parse(src).unwrap();
    let printed = print::source(&list);
    let again = parse(&printed).unwrap_or_else(|error| panic!("{printed}\n{error}"));
    assert_eq!(print::source(&again), printed);
    let lines: Vec<String> = again
        .items
        .iter()
        .map(|item| print::and_or_line(&item.and_or))
        .collect();
    assert_eq!(lines[1], "for i in 1 2; do f $i && break || continue; done");
    assert!(printed.contains("$x body\nEOF\n"), "{printed}");
}

#[test]
fn function_bodies_are_compound_commands() {
    let Command::Function(function) = first_command("greet() ( echo hi ) >/dev/null") else {
        panic!()
    };
    assert_eq!(function.name, "greet");
    assert!(matches!(function.body, Compound::Subshell(_)));
    assert_eq!(function.redirects.len(), 1);
}
