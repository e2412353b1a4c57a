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
    let table = mounts(MOUNTS);
    assert_eq!(table[3].fs_type, "memfs");
    let mount = |path: &str| mount_of(&table, Path::new(path)).map(|m| m.point.clone());
    assert_eq!(mount("/tmp/x").as_deref(), Some("/tmp"));
    assert_eq!(mount("/tmpfile").as_deref(), Some("/"));
    assert_eq!(mount("/dev").as_deref(), Some("/dev"));
}

fn stats(blocks: u64, free: u64) -> StatFs {
    StatFs {
        block_size: 4096,
        blocks,
        free,
        available: free,
        files: 0,
        free_files: 0,
        name_max: 255,
    }
}

#[test]
fn df_figures_come_from_statfs() {
    assert_eq!(
        figures(&stats(1000, 250), false),
        ["4000", "3000", "1000", "75%"]
    );
    assert_eq!(figures(&stats(3, 2), false), ["12", "4", "8", "34%"]);
    assert_eq!(
        figures(&stats(262_144, 131_072), true),
        ["1.0G", "512M", "512M", "50%"]
    );
    assert_eq!(figures(&stats(0, 0), false), ["0", "0", "0", "-"]);
}

#[test]
fn df_columns_fit_their_cells() {
    let table = mounts(MOUNTS);
    let rows = [
        (&table[0], figures(&stats(2_621_440, 2_000_000), false)),
        (&table[3], figures(&stats(4096, 4096), false)),
    ];
    let plain = DfOptions {
        human: false,
        show_type: false,
    };
    assert_eq!(
        df_table(&rows, plain),
        "Filesystem     1K-blocks    Used Available Use% Mounted on\n\
         diskfs          10485760 2485760   8000000  24% /\n\
         memfs              16384       0     16384   0% /tmp\n"
    );
    let typed = DfOptions {
        human: true,
        show_type: true,
    };
    let rows = [(&table[3], figures(&stats(4096, 4096), true))];
    assert_eq!(
        df_table(&rows, typed),
        "Filesystem     Type   Size  Used Avail Use% Mounted on\n\
         memfs          memfs   16M     0   16M   0% /tmp\n"
    );
}

#[test]
fn du_counts_blocks_or_bytes_depth_first() {
    let root = std::env::temp_dir().join(format!("wasmux-du-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::write(root.join("a"), vec![b'x'; 1500]).unwrap();
    std::fs::write(root.join("sub/b"), vec![b'x'; 100]).unwrap();
    std::fs::write(root.join("sub/deeper/c"), vec![b'x'; 3000]).unwrap();
    std::fs::hard_link(root.join("a"), root.join("sub/a-again")).unwrap();
    let stat = |path: &str| attrs::lstat(&root.join(path)).unwrap();
    let blocks = |path: &str| stat(path).blocks * 512;
    let sizes = |path: &str| stat(path).size;
    let options = DuOptions {
        all: false,
        max_depth: None,
        apparent: false,
        show: |bytes| bytes.to_string(),
    };
    let mut du = Du::new(&options);
    let deeper = blocks("sub/deeper") + blocks("sub/deeper/c");
    let sub = blocks("sub") + blocks("sub/b") + deeper;
    let all = blocks("") + blocks("a") + sub;
    assert_eq!(du.walk(&root, 0), all, "the hard link counts once");
    let shown = root.display();
    assert_eq!(
        du.out,
        format!("{deeper}\t{shown}/sub/deeper\n{sub}\t{shown}/sub\n{all}\t{shown}\n")
    );
    let options = DuOptions {
        all: true,
        max_depth: Some(1),
        apparent: true,
        show: |bytes| bytes.to_string(),
    };
    let mut du = Du::new(&options);
    du.walk(&root, 0);
    let sub = sizes("sub") + sizes("sub/deeper") + 3100;
    let all = sizes("") + 1500 + sub;
    assert_eq!(
        du.out,
        format!("1500\t{shown}/a\n{sub}\t{shown}/sub\n{all}\t{shown}\n")
    );
    let _ = std::fs::remove_dir_all(&root);
}
