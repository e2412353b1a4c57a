//! Small helpers: quoting for output that is read back as input, a
//! random number for `$RANDOM`.

use std::cell::Cell;

/// `text` quoted so the shell reads it back as one word with that value.
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:,+@%=".contains(c));
    if plain {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

thread_local! {
    static SEED: Cell<u64> = const { Cell::new(0) };
}

/// A pseudo-random number in 0..32768 (xorshift, seeded from the clock
/// and the pid).
pub fn random_u15() -> u32 {
    SEED.with(|seed| {
        let mut state = seed.get();
        if state == 0 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|time| time.as_nanos() as u64)
                .unwrap_or(1);
            state = nanos ^ (u64::from(wasmux_sys::getpid()) << 32) | 1;
        }
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        seed.set(state);
        (state >> 33) as u32 % 32768
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips_through_the_parser() {
        for text in ["plain", "", "a b", "it's", "$x `y` \"z\"", "*"] {
            let quoted = quote(text);
            let mut fake = crate::expand::tests_support::Empty;
            let list = crate::syntax::parse(&format!("echo {quoted}")).unwrap();
            let crate::syntax::ast::Command::Simple(simple) =
                &list.items[0].and_or.first.commands[0]
            else {
                panic!()
            };
            let fields = crate::expand::expand_words(&mut fake, &simple.words[1..]).unwrap();
            assert_eq!(fields, [text], "{quoted}");
        }
        assert_eq!(quote("a/b.c"), "a/b.c");
    }
}
