//! Tab completion's pure part: which word is being completed, and what a
//! list of candidates does to it.

/// Characters that end a word for completion.
fn is_break(c: char) -> bool {
    c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '<' | '>' | '`' | '=')
}

/// The word before the cursor: where it starts (in characters), its text,
/// and whether it is in command position (the first word of a command).
pub fn current_word(before: &str) -> (usize, String, bool) {
    let chars: Vec<char> = before.chars().collect();
    let mut start = chars.len();
    while start > 0 && !is_break(chars[start - 1]) {
        start -= 1;
    }
    let word: String = chars[start..].iter().collect();
    let mut at = start;
    while at > 0 && chars[at - 1].is_whitespace() {
        at -= 1;
    }
    let command = at == 0 || matches!(chars[at - 1], ';' | '|' | '&' | '(' | '`');
    let command = command && !word.contains('/');
    (start, word, command)
}

/// What completing a word does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Text to insert at the cursor.
    Insert(String),
    /// Several candidates and nothing to add: show them.
    List(Vec<String>),
    Nothing,
}

/// Completes `typed` from `candidates` (full words that start with it).
/// A single match gets `suffix` after it (a space, or nothing after a
/// directory's `/`).
pub fn complete(typed: &str, candidates: &[String]) -> Completion {
    let mut matches: Vec<&String> = candidates
        .iter()
        .filter(|candidate| candidate.starts_with(typed))
        .collect();
    matches.sort();
    matches.dedup();
    match matches.as_slice() {
        [] => Completion::Nothing,
        [only] => {
            let mut insert = only[typed.len()..].to_string();
            if !only.ends_with('/') {
                insert.push(' ');
            }
            Completion::Insert(insert)
        }
        many => {
            let prefix = common_prefix(many);
            if prefix.len() > typed.len() {
                Completion::Insert(prefix[typed.len()..].to_string())
            } else {
                Completion::List(many.iter().map(|s| s.to_string()).collect())
            }
        }
    }
}

fn common_prefix(words: &[&String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut prefix: &str = first;
    for word in &words[1..] {
        while !word.starts_with(prefix) {
            let mut chars = prefix.chars();
            chars.next_back();
            prefix = chars.as_str();
        }
    }
    prefix.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn words_and_command_position() {
        assert_eq!(current_word("ec"), (0, "ec".to_string(), true));
        assert_eq!(current_word("ls /us"), (3, "/us".to_string(), false));
        assert_eq!(current_word("a | gr"), (4, "gr".to_string(), true));
        assert_eq!(current_word("cat x; "), (7, String::new(), true));
        assert_eq!(current_word("./scr"), (0, "./scr".to_string(), false));
    }

    #[test]
    fn single_matches_finish_the_word() {
        let candidates = strings(&["echo", "env", "exit", "bin/"]);
        assert_eq!(
            complete("ec", &candidates),
            Completion::Insert("ho ".into())
        );
        assert_eq!(complete("b", &candidates), Completion::Insert("in/".into()));
        assert_eq!(complete("zz", &candidates), Completion::Nothing);
    }

    #[test]
    fn several_matches_extend_or_list() {
        let candidates = strings(&["sleep", "sleepy", "sort"]);
        assert_eq!(
            complete("sl", &candidates),
            Completion::Insert("eep".into())
        );
        assert_eq!(
            complete("s", &candidates),
            Completion::List(strings(&["sleep", "sleepy", "sort"]))
        );
    }
}
