use super::*;

const TEXT: &str = "apple pie\nBanana split\ncherry tart\napple crumble\n";

fn matcher(pattern: &str, syntax: Syntax, ignore_case: bool, output: Output) -> Matcher {
    Matcher {
        regex: build_regex(&[pattern.to_string()], syntax, ignore_case, false, false).unwrap(),
        invert: false,
        line_number: false,
        output,
        max_count: None,
        with_filename: false,
        recursive: false,
        follow_links: false,
        quiet_errors: false,
        selected: false,
        failed: false,
    }
}

fn run(matcher: &mut Matcher, input: &str) -> String {
    let mut out = Vec::new();
    matcher.search_reader(input.as_bytes(), "in", &mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn basic_syntax_swaps_escaped_and_bare_operators() {
    assert_eq!(basic_to_extended(r"a\(b\)\{2\}"), "a(b){2}");
    assert_eq!(basic_to_extended("a+b?(c)|d"), r"a\+b\?\(c\)\|d");
    assert_eq!(basic_to_extended("*a*"), r"\*a*");
    assert_eq!(basic_to_extended("^a^b$c$"), r"^a\^b\$c$");
    assert_eq!(basic_to_extended(r"x\|^y"), "x|^y");
    assert_eq!(basic_to_extended(r"[]a]\.\/"), r"[\]a]\./");
    assert_eq!(basic_to_extended("[[:digit:]]+"), r"[[:digit:]]\+");
}

#[test]
fn basic_patterns_match_as_posix_says() {
    let regex = build_regex(&["ap*le".into()], Syntax::Basic, false, false, false).unwrap();
    assert!(regex.is_match(b"apple") && regex.is_match(b"ale"));
    let regex = build_regex(&["a+".into()], Syntax::Basic, false, false, false).unwrap();
    assert!(regex.is_match(b"a+") && !regex.is_match(b"aa"));
    let regex = build_regex(&[r"\(ab\)\{2\}".into()], Syntax::Basic, false, false, false).unwrap();
    assert!(regex.is_match(b"xabab") && !regex.is_match(b"ab"));
}

#[test]
fn fixed_strings_are_literal_and_extended_has_alternation() {
    let regex = build_regex(&["a.c".into()], Syntax::Fixed, false, false, false).unwrap();
    assert!(regex.is_match(b"a.c") && !regex.is_match(b"abc"));
    let regex = build_regex(&["cat|dog".into()], Syntax::Extended, false, false, false).unwrap();
    assert!(regex.is_match(b"hotdog"));
}

#[test]
fn word_and_line_options_anchor() {
    let word = build_regex(&["pie".into()], Syntax::Basic, false, true, false).unwrap();
    assert!(word.is_match(b"apple pie") && !word.is_match(b"pies"));
    let line = build_regex(&["pie".into()], Syntax::Basic, false, false, true).unwrap();
    assert!(line.is_match(b"pie") && !line.is_match(b"apple pie"));
}

#[test]
fn several_patterns_match_any() {
    let regex = build_regex(
        &["kiwi".into(), "tart".into()],
        Syntax::Fixed,
        false,
        false,
        false,
    )
    .unwrap();
    assert!(regex.is_match(b"cherry tart") && regex.is_match(b"kiwi"));
}

#[test]
fn lines_counts_and_inversion() {
    let mut plain = matcher("apple", Syntax::Basic, false, Output::Lines);
    assert_eq!(run(&mut plain, TEXT), "apple pie\napple crumble\n");
    assert!(plain.selected);

    let mut numbered = matcher("banana", Syntax::Basic, true, Output::Lines);
    numbered.line_number = true;
    numbered.with_filename = true;
    assert_eq!(run(&mut numbered, TEXT), "in:2:Banana split\n");

    let mut count = matcher("apple", Syntax::Basic, false, Output::Count);
    count.invert = true;
    assert_eq!(run(&mut count, TEXT), "2\n");

    let mut none = matcher("kiwi", Syntax::Basic, false, Output::Count);
    assert_eq!(run(&mut none, TEXT), "0\n");
    assert!(!none.selected);
}

#[test]
fn only_matching_max_count_and_file_names() {
    let mut only = matcher("[a-z]*le", Syntax::Basic, false, Output::OnlyMatching);
    assert_eq!(run(&mut only, TEXT), "apple\napple\ncrumble\n");

    let mut first = matcher("a", Syntax::Basic, false, Output::Lines);
    first.max_count = Some(1);
    assert_eq!(run(&mut first, TEXT), "apple pie\n");

    let mut listed = matcher("tart", Syntax::Basic, false, Output::FilesWithMatches);
    assert_eq!(run(&mut listed, TEXT), "in\n");
    let mut unlisted = matcher("tart", Syntax::Basic, false, Output::FilesWithoutMatch);
    assert_eq!(run(&mut unlisted, TEXT), "");
}

#[test]
fn binary_input_is_reported_not_printed() {
    let mut plain = matcher("b", Syntax::Basic, false, Output::Lines);
    assert_eq!(run(&mut plain, "a\0b\n"), "grep: in: binary file matches\n");
}

#[test]
fn a_last_line_without_newline_gets_one() {
    let mut plain = matcher("end", Syntax::Basic, false, Output::Lines);
    assert_eq!(run(&mut plain, "start\nthe end"), "the end\n");
}

#[test]
fn bad_patterns_give_the_regex_crates_reason() {
    let error = build_regex(&["(".into()], Syntax::Extended, false, false, false).unwrap_err();
    assert_eq!(error, "unclosed group");
}
