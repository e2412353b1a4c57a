use super::*;

struct Tree(std::path::PathBuf);

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// root/{a.txt, B.TXT, empty, notes.md, sub/{c.txt, deep/d.txt}, void/, link -> a.txt}
fn tree(name: &str) -> Tree {
    let root = std::env::temp_dir().join(format!("wasmux-find-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("sub/deep")).unwrap();
    std::fs::create_dir_all(root.join("void")).unwrap();
    for (path, text) in [
        ("a.txt", "a"),
        ("B.TXT", "b"),
        ("empty", ""),
        ("notes.md", "n"),
        ("sub/c.txt", "c"),
        ("sub/deep/d.txt", "d"),
    ] {
        std::fs::write(root.join(path), text).unwrap();
    }
    std::os::unix::fs::symlink("a.txt", root.join("link")).unwrap();
    Tree(root)
}

/// find's output for `expression` from `root`, with the root shown as ".".
fn find(tree: &Tree, expression: &[&str]) -> String {
    let tokens: Vec<String> = expression.iter().map(|t| t.to_string()).collect();
    let query = parse(&tokens).unwrap();
    let mut out = Vec::new();
    let mut walk = Walk {
        query: &query,
        out: &mut out,
        batches: vec![Vec::new(); query.batch_commands().len()],
        failed: false,
    };
    let root = tree.0.display().to_string();
    walk.visit(&root, 0);
    assert!(!walk.failed);
    String::from_utf8(out).unwrap().replace(&root, ".")
}

#[test]
fn everything_is_printed_in_name_order_by_default() {
    let tree = tree("all");
    assert_eq!(
        find(&tree, &[]),
        ".\n./B.TXT\n./a.txt\n./empty\n./link\n./notes.md\n./sub\n./sub/c.txt\n./sub/deep\n./sub/deep/d.txt\n./void\n"
    );
}

#[test]
fn name_type_and_depth_select() {
    let tree = tree("select");
    assert_eq!(
        find(&tree, &["-name", "*.txt"]),
        "./a.txt\n./sub/c.txt\n./sub/deep/d.txt\n"
    );
    assert_eq!(
        find(&tree, &["-iname", "*.txt", "-maxdepth", "1"]),
        "./B.TXT\n./a.txt\n"
    );
    assert_eq!(
        find(&tree, &["-type", "d"]),
        ".\n./sub\n./sub/deep\n./void\n"
    );
    assert_eq!(find(&tree, &["-type", "l"]), "./link\n");
    assert_eq!(
        find(&tree, &["-mindepth", "2", "-type", "f"]),
        "./sub/c.txt\n./sub/deep/d.txt\n"
    );
    assert_eq!(find(&tree, &["-empty"]), "./empty\n./void\n");
    assert_eq!(
        find(&tree, &["-path", "*/sub/*.txt"]),
        "./sub/c.txt\n./sub/deep/d.txt\n"
    );
}

#[test]
fn operators_combine_tests() {
    let tree = tree("operators");
    assert_eq!(
        find(
            &tree,
            &[
                "-maxdepth",
                "1",
                "-type",
                "f",
                "!",
                "-name",
                "*.txt",
                "-not",
                "-name",
                "B*"
            ]
        ),
        "./empty\n./notes.md\n"
    );
    assert_eq!(
        find(&tree, &["-name", "*.md", "-o", "-name", "d.txt"]),
        "./notes.md\n./sub/deep/d.txt\n"
    );
    assert_eq!(
        find(
            &tree,
            &[
                "(", "-name", "c*", "-o", "-name", "d*", ")", "-a", "-type", "f"
            ]
        ),
        "./sub/c.txt\n./sub/deep/d.txt\n"
    );
    assert_eq!(
        find(
            &tree,
            &["-name", "sub", "-print", "-o", "-name", "void", "-print"]
        ),
        "./sub\n./void\n"
    );
}

#[test]
fn depth_lists_contents_first() {
    let tree = tree("depth");
    assert_eq!(
        find(&tree, &["-depth", "-path", "*sub*"]),
        "./sub/c.txt\n./sub/deep/d.txt\n./sub/deep\n./sub\n"
    );
}

#[test]
fn bad_expressions_are_reported_like_gnu() {
    let parse = |tokens: &[&str]| {
        parse(&tokens.iter().map(|t| t.to_string()).collect::<Vec<_>>()).map(|_| ())
    };
    assert_eq!(parse(&["-bogus"]), Err("unknown predicate '-bogus'".into()));
    assert_eq!(parse(&["-name"]), Err("missing argument to '-name'".into()));
    assert_eq!(
        parse(&["-type", "x"]),
        Err("Unknown argument to -type: x".into())
    );
    assert_eq!(
        parse(&["-exec", "echo", "{}"]),
        Err("missing argument to '-exec'".into())
    );
    assert!(parse(&["-exec", "echo", "{}", ";"]).is_ok());
    assert!(parse(&["(", "-true"]).is_err());
}

#[test]
fn permission_and_owner_tests_read_the_kernels_stat() {
    let tree = tree("perm");
    let set = |path: &str, bits: u32| crate::attrs::chmod(&tree.0.join(path), bits).unwrap();
    for path in [
        "a.txt",
        "B.TXT",
        "empty",
        "notes.md",
        "sub/c.txt",
        "sub/deep/d.txt",
    ] {
        set(path, 0o644);
    }
    set("a.txt", 0o755);
    set("empty", 0o4600);
    set("notes.md", 0o666);
    let files = ["-type", "f"];
    let with = |more: &[&str]| find(&tree, &[&files[..], more].concat());
    assert_eq!(with(&["-perm", "755"]), "./a.txt\n");
    assert_eq!(with(&["-perm", "-u+x"]), "./a.txt\n");
    assert_eq!(with(&["-perm", "-4000"]), "./empty\n");
    assert_eq!(with(&["-perm", "/o+w,g+x"]), "./a.txt\n./notes.md\n");
    assert_eq!(
        with(&["-perm", "u=rw,go=r"]),
        "./B.TXT\n./sub/c.txt\n./sub/deep/d.txt\n"
    );
    assert_eq!(
        with(&["!", "-perm", "/022", "-perm", "/0"]).lines().count(),
        5
    );
    assert_eq!(
        with(&["-executable"]),
        "./a.txt\n",
        "root on the host stub's ids"
    );
    let uid = crate::attrs::stat(&tree.0).unwrap().uid.to_string();
    assert_eq!(with(&["-uid", &uid, "-name", "*.md"]), "./notes.md\n");
    assert_eq!(with(&["-uid", "4242"]), "");
    assert!(parse(&["-perm".to_string(), "u+q".to_string()]).is_err());
}
