use super::*;

const MOUNTS: &str = "diskfs / diskfs rw 0 0\ndevfs /dev devfs rw 0 0\nproc /proc proc rw 0 0\nmemfs /tmp memfs rw 0 0\n";

#[test]
fn paths_resolve_lexically() {
    let cwd = Path::new("/home/user");
    assert_eq!(
        absolute(Path::new("a/../b/./c"), cwd),
        Path::new("/home/user/b/c")
    );
    assert_eq!(absolute(Path::new("/x/.."), cwd), Path::new("/"));
    assert_eq!(absolute(Path::new("../../.."), cwd), Path::new("/"));
}

#[test]
fn the_longest_mount_point_holds_a_path() {
    let mount = |path: &str| mount_of(MOUNTS, Path::new(path)).map(|(_, point)| point);
    assert_eq!(mount("/tmp/x").as_deref(), Some("/tmp"));
    assert_eq!(mount("/tmpfile").as_deref(), Some("/"));
    assert_eq!(mount("/dev").as_deref(), Some("/dev"));
}

#[test]
fn df_shows_unknown_figures_as_dashes() {
    let rows = [("diskfs".to_string(), "/".to_string())];
    assert_eq!(
        df_table(&rows, false),
        "Filesystem     1K-blocks  Used Available Use% Mounted on\n\
         diskfs                 -     -         -    - /\n"
    );
    assert!(
        df_table(&rows, true)
            .starts_with("Filesystem          Size  Used     Avail Use% Mounted on\n")
    );
}

#[test]
fn du_human_rounds_up() {
    assert_eq!(du_human(0), "0");
    assert_eq!(du_human(1000), "1000");
    assert_eq!(du_human(1025), "1.1K");
    assert_eq!(du_human(10 * 1024), "10K");
    assert_eq!(du_human(3 << 20), "3.0M");
}

#[test]
fn du_sums_apparent_sizes_depth_first() {
    let root = std::env::temp_dir().join(format!("wasmux-du-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::write(root.join("a"), vec![b'x'; 1500]).unwrap();
    std::fs::write(root.join("sub/b"), vec![b'x'; 100]).unwrap();
    std::fs::write(root.join("sub/deeper/c"), vec![b'x'; 3000]).unwrap();
    std::fs::hard_link(root.join("a"), root.join("sub/a-again")).unwrap();
    let options = DuOptions {
        all: false,
        max_depth: None,
        show: |bytes| bytes.to_string(),
    };
    let mut du = Du::new(&options);
    assert_eq!(du.walk(&root, 0), 4600);
    let shown = root.display();
    assert_eq!(
        du.out,
        format!("3000\t{shown}/sub/deeper\n3100\t{shown}/sub\n4600\t{shown}\n")
    );
    let options = DuOptions {
        all: true,
        max_depth: Some(1),
        show: |bytes| bytes.to_string(),
    };
    let mut du = Du::new(&options);
    du.walk(&root, 0);
    assert_eq!(
        du.out,
        format!("1500\t{shown}/a\n3100\t{shown}/sub\n4600\t{shown}\n")
    );
    let _ = std::fs::remove_dir_all(&root);
}
