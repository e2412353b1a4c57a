//! Properties of path resolution and directory listing, for any input.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use proptest::prelude::*;

use super::*;
use crate::model_tests::cases;
use crate::{
    DiskFs, DiskOptions, FakeClock, FileSystem, MemFs, MemoryStore, NewAttrs, NewNode, NodeKind,
    SetAttr,
};

/// /a/b/c (dirs), /a/f (file), and symlinks of every flavour.
fn tree() -> Vfs {
    let clock = Rc::new(FakeClock::new(0));
    let fs: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
    let mut vfs = Vfs::new(fs, clock);
    let root = vfs.root();
    let walk = Walk {
        cred: Cred::ROOT,
        base: root,
        root,
        confine: false,
    };
    for dir in ["a", "a/b", "a/b/c"] {
        vfs.mkdir(&walk, dir.as_bytes(), 0o755).unwrap();
    }
    let create = OpenOptions {
        access: Access::WRITE,
        create: true,
        ..OpenOptions::READ
    };
    vfs.open(&walk, b"a/f", &create).unwrap();
    for (target, link) in [
        ("..", "a/b/up"),
        ("/a/b", "a/abs"),
        ("l", "a/l"),
        ("../../f", "a/b/c/rel"),
        ("c", "a/b/down"),
    ] {
        vfs.symlink(target.as_bytes(), &walk, link.as_bytes())
            .unwrap();
    }
    vfs
}

fn path_strategy() -> impl Strategy<Value = (bool, Vec<&'static str>, bool)> {
    let names = prop::sample::select(vec![
        "a", "b", "c", "f", ".", "..", "up", "abs", "l", "rel", "down",
    ]);
    (
        any::<bool>(),
        prop::collection::vec(names, 1..8),
        any::<bool>(),
    )
}

fn join((absolute, names, trailing): &(bool, Vec<&str>, bool)) -> Vec<u8> {
    let mut path = if *absolute { b"/".to_vec() } else { Vec::new() };
    path.extend_from_slice(names.join("/").as_bytes());
    if *trailing {
        path.push(b'/');
    }
    path
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// Resolving is a function of the path: twice gives the same answer,
    /// and resolving the node's own absolute path gives the node back.
    #[test]
    fn resolving_twice_gives_the_same_node(path in path_strategy(), follow in any::<bool>()) {
        let mut vfs = tree();
        let walk = Walk { cred: Cred::ROOT, base: vfs.root(), root: vfs.root(), confine: false };
        let path = join(&path);
        let first = vfs.resolve(&walk, &path, follow);
        prop_assert_eq!(vfs.resolve(&walk, &path, follow), first.clone());
        if let Ok(node) = first {
            if vfs.stat(node).unwrap().kind == NodeKind::Directory {
                let canonical = vfs.path_of(node).unwrap();
                prop_assert_eq!(vfs.resolve(&walk, &canonical, true), Ok(node));
            }
        }
    }

    /// `x/./y` names what `x/y` names, and `//` is `/`.
    #[test]
    fn dot_and_double_slash_change_nothing(path in path_strategy(), at in 0usize..8, slash in any::<bool>()) {
        let mut vfs = tree();
        let walk = Walk { cred: Cred::ROOT, base: vfs.root(), root: vfs.root(), confine: false };
        let (absolute, names, trailing) = path;
        let mut dotted = names.clone();
        let insert = if slash { "" } else { "." };
        dotted.insert(at.min(names.len().saturating_sub(1)), insert);
        let plain = join(&(absolute, names, trailing));
        let dotted = join(&(absolute, dotted, trailing));
        prop_assert_eq!(vfs.resolve(&walk, &dotted, true), vfs.resolve(&walk, &plain, true));
    }

    /// A confined walk never returns a node outside its base, and when it
    /// succeeds it agrees with the unconfined walk.
    #[test]
    fn confinement_never_leaves_the_base(path in path_strategy(), base in prop::sample::select(vec!["a", "a/b", "a/b/c"])) {
        let mut vfs = tree();
        let root = vfs.root();
        let open = Walk { cred: Cred::ROOT, base: root, root, confine: false };
        let base = vfs.resolve(&open, base.as_bytes(), true).unwrap();
        let base_path = vfs.path_of(base).unwrap();
        let confined = Walk { base, confine: true, ..open };
        let path = join(&path);
        if let Ok(node) = vfs.resolve(&confined, &path, true) {
            prop_assert_eq!(vfs.resolve(&Walk { base, ..open }, &path, true), Ok(node));
            if vfs.stat(node).unwrap().kind == NodeKind::Directory {
                let node_path = vfs.path_of(node).unwrap();
                prop_assert!(node_path.starts_with(&base_path), "{:?} escaped", String::from_utf8_lossy(&path));
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Change {
    Add(u8),
    Remove(u8),
}

fn listing_is_stable(
    fs: &mut dyn FileSystem,
    pages: &[usize],
    changes: &[Vec<Change>],
) -> Result<(), TestCaseError> {
    let attrs = NewAttrs {
        mode: 0o644,
        uid: 0,
        gid: 0,
    };
    let root = fs.root();
    let stable: BTreeSet<Vec<u8>> = (0..20u8)
        .map(|index| format!("keep{index}").into_bytes())
        .collect();
    for name in &stable {
        fs.create(root, name, NewNode::Regular, attrs).unwrap();
    }
    let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut cookie = 0;
    for (page, edits) in pages
        .iter()
        .zip(changes.iter().chain(std::iter::repeat(&Vec::new())))
    {
        let mut taken = 0;
        fs.readdir(root, cookie, &mut |entry| {
            cookie = entry.next;
            *seen.entry(entry.name).or_default() += 1;
            taken += 1;
            taken < *page
        })
        .unwrap();
        for edit in edits {
            let _ = match edit {
                Change::Add(index) => fs
                    .create(
                        root,
                        format!("temp{index}").as_bytes(),
                        NewNode::Regular,
                        attrs,
                    )
                    .map(drop),
                Change::Remove(index) => fs.unlink(root, format!("temp{index}").as_bytes()),
            };
        }
    }
    fs.readdir(root, cookie, &mut |entry| {
        *seen.entry(entry.name).or_default() += 1;
        true
    })
    .unwrap();
    for name in &stable {
        prop_assert_eq!(
            seen.get(name),
            Some(&1),
            "{:?}",
            String::from_utf8_lossy(name)
        );
    }
    // A temporary name removed and created again is a new entry and may show twice.
    prop_assert_eq!(seen.get(b".".as_slice()), Some(&1));
    prop_assert_eq!(seen.get(b"..".as_slice()), Some(&1));
    Ok(())
}

fn change_strategy() -> impl Strategy<Value = Vec<Vec<Change>>> {
    let change = prop_oneof![
        (0u8..10).prop_map(Change::Add),
        (0u8..10).prop_map(Change::Remove)
    ];
    prop::collection::vec(prop::collection::vec(change, 0..4), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(128), ..ProptestConfig::default() })]

    /// An entry present throughout a listing is listed exactly once, however
    /// the listing is paged and whatever is added or removed between pages.
    #[test]
    fn readdir_is_stable_under_concurrent_changes(pages in prop::collection::vec(1usize..6, 1..12), changes in change_strategy()) {
        let clock = Rc::new(FakeClock::new(0));
        listing_is_stable(&mut MemFs::new(clock.clone()), &pages, &changes)?;
        let mut disk = DiskFs::format(MemoryStore::new(), clock, DiskOptions::default()).unwrap();
        listing_is_stable(&mut disk, &pages, &changes)?;
    }

    /// No byte string as a path panics or escapes a confined walk's checks.
    #[test]
    fn arbitrary_paths_never_panic(path in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut vfs = tree();
        let root = vfs.root();
        let walk = Walk { cred: Cred { uid: 5, gid: 5 }, base: root, root, confine: true };
        let _ = vfs.resolve(&walk, &path, true);
        let _ = vfs.mkdir(&walk, &path, 0o777);
        let _ = vfs.unlink(&walk, &path);
        let _ = vfs.set_attr_path(&walk, &path, false, &SetAttr::default());
    }
}
