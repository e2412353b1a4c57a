//! Guards in front of uutils tools for what would abort on WASI: uu_sort's
//! `--check` and `--merge` read on a second thread, and WASI has no threads
//! (std::thread::spawn fails, and sort panics). They get a clear error
//! instead; everything else goes to uu_sort.

use std::ffi::OsString;

/// Whether sort's arguments ask for --check (-c, -C) or --merge (-m).
pub fn sort_needs_threads(args: &[OsString]) -> bool {
    let mut words = args.iter().skip(1).map(|arg| arg.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            return false;
        }
        if let Some(long) = word.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            if name.len() >= 3 && ("check".starts_with(name) || "merge".starts_with(name)) {
                return true;
            }
            continue;
        }
        let Some(cluster) = word.strip_prefix('-') else {
            continue;
        };
        for (index, letter) in cluster.char_indices() {
            match letter {
                'c' | 'C' | 'm' => return true,
                // These take a value: the rest of the word, or the next one.
                'k' | 't' | 'o' | 'S' | 'T' => {
                    if index + 1 == cluster.len() {
                        words.next();
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    false
}

/// `sort`: uu_sort, unless it would need a thread.
pub fn sort(args: Vec<OsString>) -> i32 {
    if sort_needs_threads(&args) {
        eprintln!(
            "sort: --check and --merge are not supported on Wasmux (they need threads, which WASI lacks)"
        );
        return 2;
    }
    #[cfg(target_os = "wasi")]
    return uu_sort::uumain(args.into_iter());
    #[cfg(not(target_os = "wasi"))]
    {
        eprintln!("sort: uutils' tools are only built for wasm32-wasip1");
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        std::iter::once("sort")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn check_and_merge_are_found_among_options() {
        for words in [
            &["-c", "f"][..],
            &["-nc"],
            &["-C"],
            &["-m", "a", "b"],
            &["--check=quiet"],
            &["--merge"],
            &["-rm"],
        ] {
            assert!(sort_needs_threads(&args(words)), "{words:?}");
        }
    }

    #[test]
    fn option_values_and_operands_are_not_mistaken() {
        for words in [
            &["-k", "c", "f"][..],
            &["-tc", "f"],
            &["-o", "m", "f"],
            &["--", "-c"],
            &["-n", "cm"],
            &["--key=c"],
        ] {
            assert!(!sort_needs_threads(&args(words)), "{words:?}");
        }
    }
}
