use proptest::prelude::*;

use super::*;

#[test]
fn modes_read_like_ls() {
    assert_eq!(mode_string(kind::IFDIR | 0o755), "drwxr-xr-x");
    assert_eq!(mode_string(kind::IFLNK | 0o777), "lrwxrwxrwx");
    assert_eq!(mode_string(kind::IFREG | 0o644), "-rw-r--r--");
    assert_eq!(mode_string(kind::IFDIR | 0o1777), "drwxrwxrwt");
    assert_eq!(mode_string(kind::IFDIR | 0o1776), "drwxrwxrwT");
    assert_eq!(mode_string(kind::IFREG | 0o4755), "-rwsr-xr-x");
    assert_eq!(mode_string(kind::IFREG | 0o6644), "-rwSr-Sr--");
    assert_eq!(mode_string(kind::IFCHR | 0o666), "crw-rw-rw-");
    assert_eq!(mode_string(kind::IFBLK | 0o660), "brw-rw----");
    assert_eq!(mode_string(kind::IFIFO | 0o600), "prw-------");
    assert_eq!(mode_string(kind::IFSOCK | 0o755), "srwxr-xr-x");
    assert_eq!(permission_string(0o2710), "rwx--s---");
}

#[test]
fn types_are_named_like_stat() {
    assert_eq!(type_name(kind::IFREG | 0o644, 0), "regular empty file");
    assert_eq!(type_name(kind::IFREG | 0o644, 1), "regular file");
    assert_eq!(type_name(kind::IFDIR, 4096), "directory");
    assert_eq!(type_name(kind::IFLNK, 3), "symbolic link");
    assert_eq!(type_name(kind::IFCHR, 0), "character special file");
}

#[test]
fn modes_are_checked_like_gnu() {
    for good in [
        "755",
        "0644",
        "00755",
        "u+x",
        "a-w",
        "go=rx",
        "u+x,g-w",
        "+x",
        "o=u",
        "u=rwX,g+s",
        "=",
        "a=",
        "u+x-w",
        "ug=s",
    ] {
        assert!(Mode::parse(good).is_some(), "{good}");
    }
    for bad in [
        "", "8", "12345", "u", "z+x", "u+q", "u+x,", ",u+x", "u+xu", "u+ug", "x", "+7",
    ] {
        assert!(Mode::parse(bad).is_none(), "{bad}");
    }
}

/// Results of GNU chmod 9.x (umask 022), run on a Linux host.
#[test]
fn symbolic_modes_apply_as_gnu_chmod_does() {
    let cases: &[(&str, u32, u32)] = &[
        // (mode, result on a 644 file, result on a 2755 directory)
        ("=w", 0o200, 0o2200),
        ("=r", 0o444, 0o2444),
        ("-w", 0o444, 0o2555),
        ("+w", 0o644, 0o2755),
        ("a-w", 0o444, 0o2555),
        ("u=rw,g=u", 0o664, 0o2665),
        ("o=g", 0o644, 0o2755),
        ("g+s", 0o2644, 0o2755),
        ("=rx", 0o555, 0o2555),
        ("u=rx", 0o544, 0o2555),
        ("a=", 0o000, 0o2000),
        ("=", 0o000, 0o2000),
        ("+X", 0o644, 0o2755),
        ("-r", 0o200, 0o2311),
        ("+t", 0o1644, 0o3755),
        ("o+s", 0o644, 0o2755),
        ("u+s", 0o4644, 0o6755),
        ("=s", 0o6000, 0o6000),
        ("ug=s", 0o6004, 0o6005),
        ("644", 0o644, 0o2644),
        ("00755", 0o755, 0o755),
    ];
    for &(text, file, dir) in cases {
        let mode = Mode::parse(text).unwrap_or_else(|| panic!("{text} parses"));
        assert_eq!(
            mode.apply(kind::IFREG | 0o644, false, 0o022),
            file,
            "{text} on a file"
        );
        assert_eq!(
            mode.apply(kind::IFDIR | 0o2755, true, 0o022),
            dir,
            "{text} on a directory"
        );
    }
    let on_666: &[(&str, u32)] = &[
        ("=r", 0o444),
        ("-rwx", 0o022),
        ("+rwx", 0o777),
        ("u+x,a+X", 0o777),
        ("a+X", 0o666),
        ("u+x,g+X", 0o776),
        ("-w", 0o466),
    ];
    for &(text, expected) in on_666 {
        let mode = Mode::parse(text).unwrap_or_else(|| panic!("{text} parses"));
        assert_eq!(mode.apply(0o666, false, 0o022), expected, "{text} on 666");
    }
    let strip_then_x = Mode::parse("a-x,a+X").unwrap_or_else(|| panic!("parses"));
    assert_eq!(
        strip_then_x.apply(0o755, false, 0o022),
        0o644,
        "X sees the x just removed"
    );
    assert!(Mode::parse("-w").is_some_and(|m| m.uses_umask()));
    assert!(!Mode::parse("a-w").is_some_and(|m| m.uses_umask()));
}

/// A clause as generated: class letters, then (operator, permissions).
#[derive(Debug, Clone)]
struct GenClause {
    who: Vec<char>,
    actions: Vec<(char, GenPerms)>,
}

#[derive(Debug, Clone)]
enum GenPerms {
    Letters(Vec<char>),
    Copy(char),
}

fn text_of(clauses: &[GenClause]) -> String {
    let clause = |c: &GenClause| {
        let mut text: String = c.who.iter().collect();
        for (op, perms) in &c.actions {
            text.push(*op);
            match perms {
                GenPerms::Letters(letters) => text.extend(letters),
                GenPerms::Copy(class) => text.push(*class),
            }
        }
        text
    };
    clauses.iter().map(clause).collect::<Vec<_>>().join(",")
}

/// The model: a mode as a grid of booleans, classes u g o by r w x, and the
/// three special bits, changed cell by cell as POSIX describes chmod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grid {
    perm: [[bool; 3]; 3],
    /// setuid, setgid, sticky
    special: [bool; 3],
}

impl Grid {
    fn from_bits(bits: u32) -> Grid {
        let mut grid = Grid {
            perm: [[false; 3]; 3],
            special: [false; 3],
        };
        for class in 0..3 {
            for perm in 0..3 {
                grid.perm[class][perm] = bits & (1 << (8 - 3 * class - perm)) != 0;
            }
            grid.special[class] = bits & (1 << (11 - class)) != 0;
        }
        grid
    }

    fn bits(&self) -> u32 {
        let mut bits = 0;
        for class in 0..3 {
            for perm in 0..3 {
                if self.perm[class][perm] {
                    bits |= 1 << (8 - 3 * class - perm);
                }
            }
            if self.special[class] {
                bits |= 1 << (11 - class);
            }
        }
        bits
    }
}

fn model(start: u32, clauses: &[GenClause], dir: bool, umask: u32) -> u32 {
    let mut grid = Grid::from_bits(start);
    let masked = Grid::from_bits(umask);
    for clause in clauses {
        let all = clause.who.is_empty() || clause.who.contains(&'a');
        let classes: Vec<usize> = (0..3)
            .filter(|&c| all || clause.who.contains(&['u', 'g', 'o'][c]))
            .collect();
        for (op, perms) in &clause.actions {
            let before = grid;
            let any_x = (0..3).any(|c| before.perm[c][2]);
            for &class in &classes {
                for perm in 0..3 {
                    let wanted = match perms {
                        GenPerms::Copy(source) => {
                            let source = "ugo".find(*source).unwrap_or(0);
                            before.perm[source][perm]
                        }
                        GenPerms::Letters(letters) => {
                            letters.contains(&['r', 'w', 'x'][perm])
                                || (perm == 2 && letters.contains(&'X') && (dir || any_x))
                        }
                    };
                    let shielded = clause.who.is_empty() && masked.perm[class][perm];
                    let cell = &mut grid.perm[class][perm];
                    match op {
                        '+' if wanted && !shielded => *cell = true,
                        '-' if wanted && !shielded => *cell = false,
                        '=' => *cell = wanted && !shielded,
                        _ => {}
                    }
                }
                // The special bit of this class: s for u and g, t for o.
                let letters = match perms {
                    GenPerms::Letters(letters) => letters.clone(),
                    GenPerms::Copy(_) => Vec::new(),
                };
                let wanted = letters.contains(if class == 2 { &'t' } else { &'s' });
                let keep = *op == '=' && dir && class < 2 && !letters.contains(&'s');
                let cell = &mut grid.special[class];
                match op {
                    '+' if wanted => *cell = true,
                    '-' if wanted => *cell = false,
                    '=' if !keep => *cell = wanted,
                    _ => {}
                }
            }
        }
    }
    grid.bits()
}

fn gen_clause() -> impl Strategy<Value = GenClause> {
    let perms = prop_oneof![
        proptest::sample::subsequence(vec!['r', 'w', 'x', 'X', 's', 't'], 0..=4)
            .prop_map(GenPerms::Letters),
        proptest::sample::select(vec!['u', 'g', 'o']).prop_map(GenPerms::Copy),
    ];
    let op = proptest::sample::select(vec!['+', '-', '=']);
    (
        proptest::sample::subsequence(vec!['u', 'g', 'o', 'a'], 0..=3),
        proptest::collection::vec((op, perms), 1..=3),
    )
        .prop_map(|(who, actions)| GenClause { who, actions })
}

proptest! {
    /// Any symbolic mode changes any mode, of a file or a directory, under
    /// any umask, as the cell-by-cell model says.
    #[test]
    fn symbolic_modes_agree_with_the_model(
        start in 0u32..=0o7777,
        clauses in proptest::collection::vec(gen_clause(), 1..=3),
        dir: bool,
        umask in 0u32..=0o777,
    ) {
        let text = text_of(&clauses);
        let mode = Mode::parse(&text);
        prop_assert!(mode.is_some(), "{} should parse", text);
        let got = mode.map_or(0, |m| m.apply(start, dir, umask));
        prop_assert_eq!(got, model(start, &clauses, dir, umask), "{} on {:o}", text, start);
    }

    /// `u=..,g=..,o=..` spelled from a mode's letters gives back its rwx bits.
    #[test]
    fn a_mode_spelled_out_sets_itself(bits in 0u32..=0o777, start in 0u32..=0o777) {
        let letters = permission_string(bits);
        let spelled: Vec<String> = ["u", "g", "o"]
            .iter()
            .zip(letters.as_bytes().chunks(3))
            .map(|(class, chunk)| {
                let perms: String = chunk.iter().filter(|&&c| c != b'-').map(|&c| c as char).collect();
                format!("{class}={perms}")
            })
            .collect();
        let mode = Mode::parse(&spelled.join(","));
        prop_assert_eq!(mode.map(|m| m.apply(start, false, 0o022)), Some(bits));
    }

    /// An octal mode of a file is the mode, whatever was there.
    #[test]
    fn octal_modes_are_absolute_for_files(bits in 0u32..=0o7777, start in 0u32..=0o7777) {
        let mode = Mode::parse(&format!("{bits:o}"));
        prop_assert_eq!(mode.map(|m| m.apply(start, false, 0o077)), Some(bits));
    }
}
