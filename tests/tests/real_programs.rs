//! Programs nobody wrote for Wasmux: a C program on wasi-libc and uutils'
//! coreutils (cat, sort, wc, cp) from crates.io.

use wasmux_tests::{BOTH_REFERENCES, Scenario};

const FRUIT: &str = "pear\napple\nfig\n";

#[test]
fn c_program_does_stdio_file_io() {
    Scenario::new("c_file_io")
        .args(&["from-the-test"])
        .references(BOTH_REFERENCES)
        .stdout(concat!(
            "argc=2\n",
            "wrote 5 lines\n",
            "read 5 lines, sum of squares 55\n",
            "size 77 bytes, regular file: yes\n",
            "listing: extra.txt squares.txt\n",
            "missing file: ENOENT\n",
            "cleaned up; from-the-test\n",
        ))
        .check();
}

#[test]
fn coreutils_cat_prints_a_file() {
    Scenario::new("coreutils")
        .args(&["cat", "/fruit.txt"])
        .file("fruit.txt", FRUIT)
        .references(BOTH_REFERENCES)
        .stdout(FRUIT)
        .check();
}

#[test]
fn coreutils_sort_writes_its_output_file() {
    let outcomes = Scenario::new("coreutils")
        .args(&["sort", "-o", "/sorted.txt", "/fruit.txt"])
        .file("fruit.txt", FRUIT)
        .references(BOTH_REFERENCES)
        .stdout("")
        .check();
    for outcome in outcomes {
        let sorted = std::fs::read_to_string(outcome.root.join("sorted.txt")).unwrap_or_default();
        assert_eq!(sorted, "apple\nfig\npear\n", "{}", outcome.runtime);
    }
}

#[test]
fn coreutils_wc_counts_stdin() {
    Scenario::new("coreutils")
        .no_root()
        .args(&["wc"])
        .stdin(b"one two\nthree\n")
        .references(BOTH_REFERENCES)
        .stdout("      2       3      14\n")
        .check();
}

#[test]
fn coreutils_cp_copies_into_a_new_directory() {
    let outcomes = Scenario::new("coreutils")
        .args(&["cp", "/fruit.txt", "/backup/fruit.txt"])
        .file("fruit.txt", FRUIT)
        .file("backup/.keep", "")
        .references(BOTH_REFERENCES)
        .stdout("")
        .check();
    for outcome in outcomes {
        let copy =
            std::fs::read_to_string(outcome.root.join("backup/fruit.txt")).unwrap_or_default();
        assert_eq!(copy, FRUIT, "{}", outcome.runtime);
    }
}

#[test]
fn coreutils_cat_of_a_missing_file_fails() {
    Scenario::new("coreutils")
        .args(&["cat", "/missing.txt"])
        .references(BOTH_REFERENCES)
        .stdout("")
        .stderr_contains("No such file or directory")
        .status(1)
        .check();
}
