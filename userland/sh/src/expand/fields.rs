//! Field splitting (XCU 2.6.5): pieces from unquoted expansions split at
//! IFS characters; everything else only joins onto the current field.

use super::Piece;
use super::pattern::Pattern;

/// A field: its text, and per character whether it may be a pattern
/// character (it was not quoted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub active: Vec<bool>,
    /// A quoted piece (even an empty one) went into it: kept even if empty.
    quoted: bool,
}

impl Field {
    fn push(&mut self, c: char, active: bool) {
        self.text.push(c);
        self.active.push(active);
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty() && !self.quoted
    }

    /// The field as a pattern.
    pub fn pattern(&self) -> Pattern {
        let chars: Vec<(char, bool)> = self.text.chars().zip(self.active.iter().copied()).collect();
        Pattern::new(&chars)
    }

    /// Whether pathname expansion applies: an unquoted `*`, `?` or `[`.
    pub fn has_magic(&self) -> bool {
        self.text
            .chars()
            .zip(&self.active)
            .any(|(c, active)| *active && matches!(c, '*' | '?' | '['))
    }
}

const DEFAULT_IFS: &str = " \t\n";

/// Splits `pieces` into fields with `ifs` (`None`: unset, the default).
pub fn split_fields(pieces: &[Piece], ifs: Option<&str>) -> Vec<Field> {
    let ifs = ifs.unwrap_or(DEFAULT_IFS);
    let mut fields = Vec::new();
    let mut current = Field::default();
    // The last field ended at IFS white space, which may still pair with a
    // following non-white IFS character into one delimiter.
    let mut after_white = false;
    for piece in pieces {
        match piece {
            Piece::Break => {
                if !current.is_empty() {
                    fields.push(std::mem::take(&mut current));
                }
                after_white = false;
            }
            Piece::Text {
                text,
                quoted,
                split,
            } => {
                if *quoted {
                    current.quoted = true;
                }
                for c in text.chars() {
                    if !*split || *quoted || !ifs.contains(c) {
                        current.push(c, !*quoted);
                        after_white = false;
                        continue;
                    }
                    if c.is_whitespace() {
                        if !current.is_empty() {
                            fields.push(std::mem::take(&mut current));
                            after_white = true;
                        }
                    } else {
                        if !(current.is_empty() && after_white) {
                            fields.push(std::mem::take(&mut current));
                        }
                        after_white = false;
                    }
                }
            }
        }
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unquoted(text: &str) -> Piece {
        Piece::Text {
            text: text.to_string(),
            quoted: false,
            split: true,
        }
    }

    fn quoted(text: &str) -> Piece {
        Piece::Text {
            text: text.to_string(),
            quoted: true,
            split: false,
        }
    }

    fn texts(pieces: &[Piece], ifs: Option<&str>) -> Vec<String> {
        split_fields(pieces, ifs)
            .into_iter()
            .map(|field| field.text)
            .collect()
    }

    #[test]
    fn white_space_runs_are_one_delimiter_and_ends_are_trimmed() {
        assert_eq!(texts(&[unquoted("  a \t b\n ")], None), ["a", "b"]);
        assert!(texts(&[unquoted("   ")], None).is_empty());
        assert!(texts(&[unquoted("")], None).is_empty());
    }

    #[test]
    fn other_ifs_characters_delimit_empty_fields() {
        assert_eq!(texts(&[unquoted("a::b")], Some(":")), ["a", "", "b"]);
        assert_eq!(texts(&[unquoted(":a:")], Some(":")), ["", "a"]);
        assert_eq!(texts(&[unquoted("a : b")], Some(" :")), ["a", "b"]);
        assert_eq!(texts(&[unquoted("a b")], Some("")), ["a b"]);
    }

    #[test]
    fn quoted_text_joins_and_keeps_empty_fields() {
        assert_eq!(
            texts(&[quoted("a b"), unquoted("c d")], None),
            ["a bc", "d"]
        );
        assert_eq!(texts(&[quoted("")], None), [""]);
        assert_eq!(
            texts(&[quoted("x"), Piece::Break, quoted("")], None),
            ["x", ""]
        );
        let fields = split_fields(&[quoted("*"), unquoted("*")], None);
        assert_eq!(fields[0].active, [false, true]);
        assert!(fields[0].has_magic());
    }

    proptest! {
        /// With default IFS, splitting an unquoted text gives its
        /// white-space separated words.
        #[test]
        fn default_ifs_splits_like_split_whitespace(text in "[ a-c\t\n]{0,20}") {
            let expected: Vec<String> = text.split_whitespace().map(String::from).collect();
            prop_assert_eq!(texts(&[unquoted(&text)], None), expected);
        }

        /// Quoted text is never split, whatever IFS holds.
        #[test]
        fn quoted_text_is_one_field(text in "[ :a-c]{0,12}") {
            prop_assert_eq!(texts(&[quoted(&text)], Some(" :")), vec![text]);
        }
    }
}
