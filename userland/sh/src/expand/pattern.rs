//! Shell patterns (XCU 2.13): `*`, `?` and bracket expressions, for
//! `case`, `${x%pat}` and pathname expansion.
//!
//! A pattern is built from characters that are either active (unquoted:
//! may be special) or literal (quoted), so `"*".c` and `*.c` differ.

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    tokens: Vec<Token>,
}

#[derive(Clone, Debug)]
enum Token {
    Char(char),
    /// `?`
    Any,
    /// `*`
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Clone, Debug)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(fn(char) -> bool),
}

fn named_class(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "alpha" => char::is_alphabetic,
        "digit" => |c: char| c.is_ascii_digit(),
        "alnum" => char::is_alphanumeric,
        "upper" => char::is_uppercase,
        "lower" => char::is_lowercase,
        "space" => char::is_whitespace,
        "blank" => |c: char| c == ' ' || c == '\t',
        "punct" => |c: char| c.is_ascii_punctuation(),
        "print" => |c: char| !c.is_control(),
        "graph" => |c: char| !c.is_control() && !c.is_whitespace(),
        "cntrl" => char::is_control,
        "xdigit" => |c: char| c.is_ascii_hexdigit(),
        _ => return None,
    })
}

impl Pattern {
    /// A pattern from `(char, active)` pairs: only active characters are
    /// special, and an active backslash quotes the next character.
    pub fn new(chars: &[(char, bool)]) -> Pattern {
        let mut tokens = Vec::new();
        let mut index = 0;
        while let Some(&(c, active)) = chars.get(index) {
            index += 1;
            if !active {
                tokens.push(Token::Char(c));
                continue;
            }
            match c {
                '*' => {
                    if !matches!(tokens.last(), Some(Token::Star)) {
                        tokens.push(Token::Star);
                    }
                }
                '?' => tokens.push(Token::Any),
                '\\' => match chars.get(index) {
                    Some(&(next, _)) => {
                        index += 1;
                        tokens.push(Token::Char(next));
                    }
                    None => tokens.push(Token::Char('\\')),
                },
                '[' => match bracket(&chars[index..]) {
                    Some((token, used)) => {
                        index += used;
                        tokens.push(token);
                    }
                    None => tokens.push(Token::Char('[')),
                },
                c => tokens.push(Token::Char(c)),
            }
        }
        Pattern { tokens }
    }

    /// Every character of `text` active.
    pub fn parse(text: &str) -> Pattern {
        let chars: Vec<(char, bool)> = text.chars().map(|c| (c, true)).collect();
        Pattern::new(&chars)
    }

    /// Whether the pattern has anything but plain characters.
    pub fn has_magic(&self) -> bool {
        self.tokens
            .iter()
            .any(|token| !matches!(token, Token::Char(_)))
    }

    /// The text it matches, if it has no magic.
    pub fn literal_text(&self) -> Option<String> {
        self.tokens
            .iter()
            .map(|token| match token {
                Token::Char(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.matches_chars(&chars, false)
    }

    /// As [`matches`](Pattern::matches), but a leading `.` only matches a
    /// literal `.` (pathname expansion's rule for hidden files).
    pub fn matches_name(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        self.matches_chars(&chars, true)
    }

    fn matches_chars(&self, text: &[char], hidden_rule: bool) -> bool {
        if hidden_rule
            && text.first() == Some(&'.')
            && !matches!(self.tokens.first(), Some(Token::Char('.')))
        {
            return false;
        }
        // Iterative matching that backtracks to the last `*` only: enough,
        // since every other token matches exactly one character.
        let (mut t, mut p) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            match self.tokens.get(p) {
                Some(Token::Star) => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(token) if token_matches(token, text[t]) => {
                    p += 1;
                    t += 1;
                }
                _ => match star {
                    Some((star_p, star_t)) => {
                        p = star_p + 1;
                        t = star_t + 1;
                        star = Some((star_p, star_t + 1));
                    }
                    None => return false,
                },
            }
        }
        self.tokens[p..]
            .iter()
            .all(|token| matches!(token, Token::Star))
    }

    /// `text` without the shortest or longest prefix or suffix the pattern
    /// matches (`${x#pat}`, `${x##pat}`, `${x%pat}`, `${x%%pat}`).
    pub fn trim(&self, text: &str, suffix: bool, longest: bool) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let lengths: Box<dyn Iterator<Item = usize>> = if longest {
            Box::new((0..=n).rev())
        } else {
            Box::new(0..=n)
        };
        for length in lengths {
            let (part, rest) = if suffix {
                (&chars[n - length..], &chars[..n - length])
            } else {
                (&chars[..length], &chars[length..])
            };
            if self.matches_chars(part, false) {
                return rest.iter().collect();
            }
        }
        text.to_string()
    }
}

fn token_matches(token: &Token, c: char) -> bool {
    match token {
        Token::Char(expected) => *expected == c,
        Token::Any => true,
        Token::Star => false,
        Token::Class { negated, items } => {
            let found = items.iter().any(|item| match item {
                ClassItem::Char(expected) => *expected == c,
                ClassItem::Range(low, high) => (*low..=*high).contains(&c),
                ClassItem::Named(test) => test(c),
            });
            found != *negated
        }
    }
}

/// A bracket expression after its `[`: the token and how many characters
/// it used, or `None` if there is no closing `]`.
fn bracket(chars: &[(char, bool)]) -> Option<(Token, usize)> {
    let mut index = 0;
    let negated = matches!(chars.first(), Some(&('!' | '^', true)));
    if negated {
        index += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let &(c, active) = chars.get(index)?;
        index += 1;
        if c == ']' && active && !first {
            return Some((Token::Class { negated, items }, index));
        }
        first = false;
        if c == '[' && active && chars.get(index) == Some(&(':', true)) {
            let rest: String = chars[index + 1..].iter().map(|&(c, _)| c).collect();
            if let Some(end) = rest.find(":]")
                && let Some(test) = named_class(&rest[..end])
            {
                items.push(ClassItem::Named(test));
                index += 1 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let c = if c == '\\' && active {
            let &(next, _) = chars.get(index)?;
            index += 1;
            next
        } else {
            c
        };
        match (chars.get(index), chars.get(index + 1)) {
            (Some(&('-', true)), Some(&(high, _))) if high != ']' => {
                items.push(ClassItem::Range(c, high));
                index += 2;
            }
            _ => items.push(ClassItem::Char(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn matches(pattern: &str, text: &str) -> bool {
        Pattern::parse(pattern).matches(text)
    }

    #[test]
    fn wildcards_and_classes() {
        assert!(matches("*.c", "main.c") && !matches("*.c", "main.h"));
        assert!(matches("a?c", "abc") && !matches("a?c", "ac"));
        assert!(matches("[a-c]x", "bx") && !matches("[!a-c]x", "bx"));
        assert!(matches("[]]", "]") && matches("[!]]", "a"));
        assert!(matches("[[:digit:]][[:alpha:]]", "1z"));
        assert!(matches("*", "") && matches("**a*", "bab"));
        assert!(matches("[a", "[a"), "an unclosed bracket is literal");
        assert!(matches("\\*", "*") && !matches("\\*", "x"));
        assert!(matches("é?", "éü"));
    }

    #[test]
    fn quoted_characters_are_literal() {
        let chars = [('*', false), ('.', true), ('c', true)];
        let pattern = Pattern::new(&chars);
        assert!(pattern.matches("*.c") && !pattern.matches("a.c"));
        assert!(!pattern.has_magic());
        assert_eq!(pattern.literal_text().as_deref(), Some("*.c"));
    }

    #[test]
    fn hidden_names_need_a_literal_dot() {
        assert!(!Pattern::parse("*").matches_name(".profile"));
        assert!(Pattern::parse(".*").matches_name(".profile"));
        assert!(Pattern::parse("*").matches(".profile"));
    }

    #[test]
    fn trims_shortest_and_longest() {
        let pattern = Pattern::parse("*.");
        assert_eq!(pattern.trim("a.b.c", false, false), "b.c");
        assert_eq!(pattern.trim("a.b.c", false, true), "c");
        let pattern = Pattern::parse(".*");
        assert_eq!(pattern.trim("a.b.c", true, false), "a.b");
        assert_eq!(pattern.trim("a.b.c", true, true), "a");
        assert_eq!(Pattern::parse("x").trim("abc", true, false), "abc");
    }

    proptest! {
        /// A pattern without magic matches exactly its own text.
        #[test]
        fn literal_patterns_match_only_themselves(text in "[a-z.]{0,8}", other in "[a-z.]{0,8}") {
            let chars: Vec<(char, bool)> = text.chars().map(|c| (c, false)).collect();
            let pattern = Pattern::new(&chars);
            prop_assert!(pattern.matches(&text));
            prop_assert_eq!(pattern.matches(&other), text == other);
        }

        /// `*` between any two pieces matches every text that has them
        /// in order, as a prefix and a suffix.
        #[test]
        fn star_matches_any_middle(prefix in "[a-c]{0,4}", middle in "[a-c]{0,6}", suffix in "[a-c]{0,4}") {
            let pattern = Pattern::parse(&format!("{prefix}*{suffix}"));
            let text = format!("{prefix}{middle}{suffix}");
            prop_assert!(pattern.matches(&text));
        }

        /// Trimming removes a part the pattern matches and keeps the rest intact.
        #[test]
        fn trims_leave_a_prefix_or_suffix(text in "[ab]{0,8}", pat in "[ab*?]{0,3}") {
            let pattern = Pattern::parse(&pat);
            for longest in [false, true] {
                let kept = pattern.trim(&text, true, longest);
                prop_assert!(text.starts_with(&kept));
                let removed = &text[kept.len()..];
                prop_assert!(kept == text || pattern.matches(removed));
                let kept = pattern.trim(&text, false, longest);
                prop_assert!(text.ends_with(&kept));
            }
        }
    }
}
