//! Behaviour of the VFS over memfs: path walk, mounts, permissions, open.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::{FakeClock, MemFs, NewNode, NodeKind, OpenFile, SetAttr};

struct Fixture {
    vfs: Vfs,
    clock: Rc<FakeClock>,
}

impl Fixture {
    fn new() -> Fixture {
        let clock = Rc::new(FakeClock::new(1_000_000));
        let fs: SharedFs = Rc::new(RefCell::new(MemFs::new(clock.clone())));
        Fixture {
            vfs: Vfs::new(fs, clock.clone()),
            clock,
        }
    }

    fn walk(&self) -> Walk {
        let root = self.vfs.root();
        Walk {
            cred: Cred::ROOT,
            base: root,
            root,
            confine: false,
        }
    }

    fn user(&self) -> Walk {
        Walk {
            cred: Cred {
                uid: 1000,
                gid: 1000,
            },
            ..self.walk()
        }
    }

    fn confined(&mut self, base: &[u8]) -> Walk {
        let walk = self.walk();
        let base = self.vfs.resolve(&walk, base, true).unwrap();
        Walk {
            base,
            confine: true,
            ..walk
        }
    }

    fn mkdir(&mut self, path: &str) {
        let walk = self.walk();
        self.vfs.mkdir(&walk, path.as_bytes(), 0o755).unwrap();
    }

    fn write(&mut self, path: &str, data: &[u8]) {
        let walk = self.walk();
        let file = self
            .vfs
            .open(&walk, path.as_bytes(), &create_options())
            .unwrap();
        file.write(data).unwrap();
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, FsError> {
        let walk = self.walk();
        let file = self.vfs.open(&walk, path.as_bytes(), &OpenOptions::READ)?;
        let mut out = Vec::new();
        let mut buf = [0; 7];
        loop {
            let count = file.read(&mut buf)?;
            if count == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..count]);
        }
    }

    fn symlink(&mut self, target: &str, path: &str) {
        let walk = self.walk();
        self.vfs
            .symlink(target.as_bytes(), &walk, path.as_bytes())
            .unwrap();
    }

    fn kind(&mut self, path: &str) -> Result<NodeKind, FsError> {
        let walk = self.walk();
        self.vfs
            .stat_path(&walk, path.as_bytes(), false)
            .map(|meta| meta.kind)
    }
}

fn create_options() -> OpenOptions {
    OpenOptions {
        access: Access::READ_WRITE,
        create: true,
        truncate: true,
        ..OpenOptions::READ
    }
}

fn names(file: &OpenFile) -> Vec<Vec<u8>> {
    let mut names = Vec::new();
    file.readdir(0, &mut |entry| {
        names.push(entry.name);
        true
    })
    .unwrap();
    names
}

#[test]
fn create_write_and_read_back() {
    let mut fx = Fixture::new();
    fx.mkdir("/a");
    fx.write("/a/f", b"hello world");
    assert_eq!(fx.read("/a/f").unwrap(), b"hello world");
    assert_eq!(fx.read("a/./f").unwrap(), b"hello world");
    assert_eq!(fx.read("//a//f").unwrap(), b"hello world");
}

#[test]
fn empty_path_is_not_found_and_nul_is_invalid() {
    let mut fx = Fixture::new();
    let walk = fx.walk();
    assert_eq!(fx.vfs.resolve(&walk, b"", true), Err(FsError::NotFound));
    assert_eq!(fx.vfs.resolve(&walk, b"a\0", true), Err(FsError::Invalid));
}

#[test]
fn long_names_and_paths_are_name_too_long() {
    let mut fx = Fixture::new();
    let walk = fx.walk();
    assert_eq!(
        fx.vfs.mkdir(&walk, &[b'x'; 256], 0o755),
        Err(FsError::NameTooLong)
    );
    fx.vfs.mkdir(&walk, &[b'x'; 255], 0o755).unwrap();
    let long = b"a/".repeat(2049);
    assert_eq!(
        fx.vfs.resolve(&walk, &long, true),
        Err(FsError::NameTooLong)
    );
}

#[test]
fn dot_dot_at_root_stays_at_root() {
    let mut fx = Fixture::new();
    fx.mkdir("/a");
    let walk = fx.walk();
    assert_eq!(
        fx.vfs.resolve(&walk, b"/../../a/..", true),
        Ok(fx.vfs.root())
    );
    assert_eq!(fx.vfs.resolve(&walk, b"/", true), Ok(fx.vfs.root()));
}

#[test]
fn trailing_slash_rules_follow_linux() {
    let mut fx = Fixture::new();
    fx.write("/file", b"x");
    fx.mkdir("/d");
    let walk = fx.walk();
    assert_eq!(
        fx.vfs.open(&walk, b"file/", &OpenOptions::READ).map(drop),
        Err(FsError::NotDir)
    );
    assert_eq!(
        fx.vfs.open(&walk, b"file///", &OpenOptions::READ).map(drop),
        Err(FsError::NotDir)
    );
    fx.vfs.open(&walk, b"d/", &OpenOptions::READ).unwrap();
    fx.vfs.mkdir(&walk, b"e/", 0o755).unwrap();
    fx.vfs.rmdir(&walk, b"e/").unwrap();
    assert_eq!(fx.vfs.unlink(&walk, b"file/"), Err(FsError::NotDir));
    assert_eq!(fx.vfs.unlink(&walk, b"d/"), Err(FsError::IsDir));
    assert_eq!(fx.vfs.rmdir(&walk, b"file/"), Err(FsError::NotDir));
    assert_eq!(fx.vfs.symlink(b"t", &walk, b"new/"), Err(FsError::NotFound));
    assert_eq!(fx.vfs.symlink(b"t", &walk, b"d/"), Err(FsError::Exists));
    assert_eq!(fx.vfs.symlink(b"t", &walk, b"file/"), Err(FsError::NotDir));
    assert_eq!(
        fx.vfs.open(&walk, b"new/", &create_options()).map(drop),
        Err(FsError::IsDir)
    );
}

#[test]
fn rename_with_trailing_slashes_works_on_directories_only() {
    let mut fx = Fixture::new();
    fx.mkdir("/source");
    fx.write("/file", b"x");
    let walk = fx.walk();
    fx.vfs.rename(&walk, b"source/", &walk, b"target").unwrap();
    fx.vfs.rename(&walk, b"target", &walk, b"source/").unwrap();
    fx.vfs.rename(&walk, b"source/", &walk, b"target/").unwrap();
    assert_eq!(
        fx.vfs.rename(&walk, b"file/", &walk, b"other"),
        Err(FsError::NotDir)
    );
    assert_eq!(
        fx.vfs.rename(&walk, b"file", &walk, b"other/"),
        Err(FsError::NotDir)
    );
}

#[test]
fn rename_edge_cases_match_posix() {
    let mut fx = Fixture::new();
    fx.mkdir("/source");
    fx.mkdir("/target");
    fx.write("/target/file", b"x");
    let walk = fx.walk();
    assert_eq!(
        fx.vfs.rename(&walk, b"source", &walk, b"target"),
        Err(FsError::NotEmpty)
    );
    assert_eq!(
        fx.vfs.rename(&walk, b"source", &walk, b"target/file"),
        Err(FsError::NotDir)
    );
    assert_eq!(
        fx.vfs.rename(&walk, b"target/file", &walk, b"source"),
        Err(FsError::IsDir)
    );
    assert_eq!(
        fx.vfs.rename(&walk, b"missing", &walk, b"x"),
        Err(FsError::NotFound)
    );
    assert_eq!(
        fx.vfs.rename(&walk, b"source", &walk, b"source/inner"),
        Err(FsError::Invalid)
    );
    assert_eq!(fx.vfs.rename(&walk, b".", &walk, b"x"), Err(FsError::Busy));
    fx.vfs
        .rename(&walk, b"target/file", &walk, b"target/file")
        .unwrap();
    fx.vfs.rmdir(&walk, b"source").unwrap();
}

#[test]
fn symlinks_resolve_relative_and_absolute_targets() {
    let mut fx = Fixture::new();
    fx.mkdir("/a");
    fx.mkdir("/a/b");
    fx.write("/a/b/f", b"data");
    fx.symlink("b/f", "/a/rel");
    fx.symlink("/a/b", "/abs");
    fx.symlink("../../a/b/f", "/a/b/up");
    assert_eq!(fx.read("/a/rel").unwrap(), b"data");
    assert_eq!(fx.read("/abs/f").unwrap(), b"data");
    assert_eq!(fx.read("/a/b/up").unwrap(), b"data");
    assert_eq!(fx.kind("/abs"), Ok(NodeKind::Symlink));
    assert_eq!(fx.kind("/abs/"), Ok(NodeKind::Directory));
    let walk = fx.walk();
    assert_eq!(fx.vfs.readlink(&walk, b"/a/rel"), Ok(b"b/f".to_vec()));
    assert_eq!(fx.vfs.readlink(&walk, b"/a"), Err(FsError::Invalid));
}

#[test]
fn symlink_loops_fail_with_loop() {
    let mut fx = Fixture::new();
    fx.symlink("b", "/a");
    fx.symlink("a", "/b");
    fx.symlink("self/x", "/self");
    assert_eq!(fx.read("/a"), Err(FsError::Loop));
    assert_eq!(fx.read("/self"), Err(FsError::Loop));
}

#[test]
fn forty_symlinks_resolve_and_forty_one_loop() {
    let mut fx = Fixture::new();
    fx.write("/l0", b"end");
    for index in 1..=41 {
        fx.symlink(&format!("l{}", index - 1), &format!("/l{index}"));
    }
    assert_eq!(fx.read("/l40").unwrap(), b"end");
    assert_eq!(fx.read("/l41"), Err(FsError::Loop));
}

#[test]
fn open_final_symlink_without_follow_is_loop() {
    let mut fx = Fixture::new();
    fx.mkdir("/target");
    fx.symlink("target", "/link");
    fx.symlink("missing", "/dangling");
    let walk = fx.walk();
    let nofollow = OpenOptions {
        follow: false,
        ..OpenOptions::READ
    };
    assert_eq!(
        fx.vfs.open(&walk, b"link", &nofollow).map(drop),
        Err(FsError::Loop)
    );
    let dir_nofollow = OpenOptions {
        directory: true,
        ..nofollow
    };
    assert_eq!(
        fx.vfs.open(&walk, b"link", &dir_nofollow).map(drop),
        Err(FsError::Loop)
    );
    assert_eq!(
        fx.vfs.open(&walk, b"dangling", &nofollow).map(drop),
        Err(FsError::Loop)
    );
    let dir_follow = OpenOptions {
        directory: true,
        ..OpenOptions::READ
    };
    fx.vfs.open(&walk, b"link", &dir_follow).unwrap();
    assert_eq!(
        fx.vfs
            .open(&walk, b"dangling", &OpenOptions::READ)
            .map(drop),
        Err(FsError::NotFound)
    );
}

#[test]
fn create_through_dangling_symlink_creates_the_target() {
    let mut fx = Fixture::new();
    fx.symlink("made", "/dangling");
    fx.write("/dangling", b"x");
    assert_eq!(fx.read("/made").unwrap(), b"x");
    let walk = fx.walk();
    let exclusive = OpenOptions {
        exclusive: true,
        ..create_options()
    };
    assert_eq!(
        fx.vfs.open(&walk, b"dangling", &exclusive).map(drop),
        Err(FsError::Exists)
    );
}

#[test]
fn open_flags_behave_like_openat() {
    let mut fx = Fixture::new();
    fx.mkdir("/d");
    fx.write("/f", b"abc");
    let walk = fx.walk();
    assert_eq!(
        fx.vfs.open(&walk, b"d", &create_options()).map(drop),
        Err(FsError::IsDir)
    );
    let write = OpenOptions {
        access: Access::WRITE,
        ..OpenOptions::READ
    };
    assert_eq!(
        fx.vfs.open(&walk, b"d", &write).map(drop),
        Err(FsError::IsDir)
    );
    let directory = OpenOptions {
        directory: true,
        ..OpenOptions::READ
    };
    assert_eq!(
        fx.vfs.open(&walk, b"f", &directory).map(drop),
        Err(FsError::NotDir)
    );
    let exclusive = OpenOptions {
        exclusive: true,
        ..create_options()
    };
    assert_eq!(
        fx.vfs.open(&walk, b"f", &exclusive).map(drop),
        Err(FsError::Exists)
    );
    assert_eq!(
        fx.vfs.open(&walk, b"missing", &OpenOptions::READ).map(drop),
        Err(FsError::NotFound)
    );
    fx.vfs.open(&walk, b"f", &create_options()).unwrap();
    assert_eq!(fx.read("/f").unwrap(), b"");
}

#[test]
fn append_writes_go_to_the_end() {
    let mut fx = Fixture::new();
    fx.write("/f", b"abc");
    let walk = fx.walk();
    let append = OpenOptions {
        access: Access::WRITE,
        flags: FdFlags::APPEND,
        ..OpenOptions::READ
    };
    let file = fx.vfs.open(&walk, b"f", &append).unwrap();
    file.write(b"de").unwrap();
    assert_eq!(file.tell(), 5);
    assert_eq!(fx.read("/f").unwrap(), b"abcde");
}

#[test]
fn unlink_open_file_keeps_data() {
    let mut fx = Fixture::new();
    fx.write("/f", b"still here");
    let walk = fx.walk();
    let file = fx.vfs.open(&walk, b"f", &OpenOptions::READ).unwrap();
    fx.vfs.unlink(&walk, b"f").unwrap();
    assert_eq!(fx.read("/f"), Err(FsError::NotFound));
    let mut buf = [0; 32];
    let count = file.read(&mut buf).unwrap();
    assert_eq!(&buf[..count], b"still here");
    assert_eq!(file.stat().unwrap().nlink, 0);
    let ino = file.stat().unwrap().ino;
    drop(file);
    let root = fx.vfs.root();
    assert_eq!(
        fx.vfs.stat(Location {
            mount: root.mount,
            ino
        }),
        Err(FsError::NotFound)
    );
}

#[test]
fn confined_walk_rejects_escapes_even_when_reentering() {
    let mut fx = Fixture::new();
    fx.mkdir("/sandbox");
    fx.mkdir("/sandbox/dir");
    fx.write("/sandbox/dir/f", b"x");
    fx.write("/secret", b"s");
    fx.symlink("/secret", "/sandbox/abs");
    fx.symlink("../secret", "/sandbox/up");
    fx.symlink("../sandbox/dir", "/sandbox/reenter");
    fx.symlink("dir/../dir/f", "/sandbox/inside");
    let walk = fx.confined(b"/sandbox");
    assert_eq!(
        fx.vfs.resolve(&walk, b"/secret", true),
        Err(FsError::Escape)
    );
    assert_eq!(
        fx.vfs.resolve(&walk, b"../secret", true),
        Err(FsError::Escape)
    );
    assert_eq!(
        fx.vfs.resolve(&walk, b"../sandbox/dir/f", true),
        Err(FsError::Escape)
    );
    assert_eq!(fx.vfs.resolve(&walk, b"abs", true), Err(FsError::Escape));
    assert_eq!(fx.vfs.resolve(&walk, b"up", true), Err(FsError::Escape));
    assert_eq!(
        fx.vfs.resolve(&walk, b"reenter", true),
        Err(FsError::Escape)
    );
    assert!(fx.vfs.resolve(&walk, b"abs", false).is_ok());
    assert!(fx.vfs.resolve(&walk, b"inside", true).is_ok());
    assert!(fx.vfs.resolve(&walk, b"dir/.//../dir/f", true).is_ok());
    assert_eq!(
        fx.vfs.resolve(&walk, b"dir/../..", true),
        Err(FsError::Escape)
    );
}

#[test]
fn mount_hides_the_directory_and_dot_dot_leaves_through_the_mount_point() {
    let mut fx = Fixture::new();
    fx.mkdir("/mnt");
    fx.write("/mnt/hidden", b"x");
    fx.write("/top", b"t");
    let walk = fx.walk();
    let at = fx.vfs.resolve(&walk, b"/mnt", true).unwrap();
    let other: SharedFs = Rc::new(RefCell::new(MemFs::new(fx.clock.clone())));
    let id = fx.vfs.mount(at, other).unwrap();
    assert_eq!(
        fx.vfs
            .mount(at, Rc::new(RefCell::new(MemFs::new(fx.clock.clone())))),
        Err(FsError::Busy)
    );
    assert_eq!(fx.read("/mnt/hidden"), Err(FsError::NotFound));
    fx.write("/mnt/new", b"n");
    assert_eq!(fx.read("/mnt/../top").unwrap(), b"t");
    let mnt = fx.vfs.resolve(&walk, b"/mnt", true).unwrap();
    assert_eq!(mnt.mount, id);
    assert_eq!(fx.vfs.stat(mnt).unwrap().dev, id.dev());
    assert_eq!(fx.vfs.rmdir(&walk, b"/mnt"), Err(FsError::Busy));
    assert_eq!(
        fx.vfs.rename(&walk, b"/mnt/new", &walk, b"/moved"),
        Err(FsError::CrossDevice)
    );
    assert_eq!(fx.vfs.path_of(mnt), Ok(b"/mnt".to_vec()));
    let mounts = fx.vfs.mounts();
    assert_eq!(mounts[1].path, b"/mnt");
    assert_eq!(mounts[1].type_name, "memfs");
}

#[test]
fn path_of_names_nested_directories() {
    let mut fx = Fixture::new();
    fx.mkdir("/a");
    fx.mkdir("/a/b");
    let walk = fx.walk();
    let at = fx.vfs.resolve(&walk, b"a/b", true).unwrap();
    assert_eq!(fx.vfs.path_of(at), Ok(b"/a/b".to_vec()));
    let root = fx.vfs.root();
    assert_eq!(fx.vfs.path_of(root), Ok(b"/".to_vec()));
}

#[test]
fn path_from_a_process_root_names_directories_below_it() {
    let mut fx = Fixture::new();
    fx.mkdir("/jail");
    fx.mkdir("/jail/home");
    fx.mkdir("/elsewhere");
    let walk = fx.walk();
    let jail = fx.vfs.resolve(&walk, b"/jail", true).unwrap();
    let home = fx.vfs.resolve(&walk, b"/jail/home", true).unwrap();
    let elsewhere = fx.vfs.resolve(&walk, b"/elsewhere", true).unwrap();
    assert_eq!(fx.vfs.path_from(jail, home), Ok(b"/home".to_vec()));
    assert_eq!(fx.vfs.path_from(jail, jail), Ok(b"/".to_vec()));
    assert_eq!(
        fx.vfs.path_from(jail, elsewhere),
        Ok(b"/elsewhere".to_vec())
    );
}

#[test]
fn permissions_are_enforced_for_non_root() {
    let mut fx = Fixture::new();
    fx.mkdir("/private");
    fx.write("/private/f", b"x");
    fx.write("/readonly", b"x");
    let root_walk = fx.walk();
    let private_mode = SetAttr {
        mode: Some(0o700),
        ..SetAttr::default()
    };
    fx.vfs
        .set_attr_path(&root_walk, b"/private", true, &private_mode)
        .unwrap();
    let user = fx.user();
    assert_eq!(
        fx.vfs
            .open(&user, b"/private/f", &OpenOptions::READ)
            .map(drop),
        Err(FsError::Access)
    );
    let write = OpenOptions {
        access: Access::WRITE,
        ..OpenOptions::READ
    };
    assert_eq!(
        fx.vfs.open(&user, b"/readonly", &write).map(drop),
        Err(FsError::Access)
    );
    fx.vfs
        .open(&user, b"/readonly", &OpenOptions::READ)
        .unwrap();
    assert_eq!(fx.vfs.mkdir(&user, b"/mine", 0o755), Err(FsError::Access));
    assert_eq!(fx.vfs.unlink(&user, b"/readonly"), Err(FsError::Access));
    assert_eq!(
        fx.vfs
            .set_attr_path(&user, b"/readonly", true, &private_mode),
        Err(FsError::Perm)
    );
}

#[test]
fn user_owns_what_it_creates() {
    let mut fx = Fixture::new();
    fx.mkdir("/tmp");
    let root_walk = fx.walk();
    fx.vfs
        .set_attr_path(
            &root_walk,
            b"/tmp",
            true,
            &SetAttr {
                mode: Some(0o1777),
                ..SetAttr::default()
            },
        )
        .unwrap();
    let user = fx.user();
    fx.vfs.open(&user, b"/tmp/mine", &create_options()).unwrap();
    let meta = fx.vfs.stat_path(&user, b"/tmp/mine", true).unwrap();
    assert_eq!((meta.uid, meta.gid, meta.mode), (1000, 1000, 0o644));
    let other = Walk {
        cred: Cred {
            uid: 1001,
            gid: 1001,
        },
        ..user
    };
    assert_eq!(fx.vfs.unlink(&other, b"/tmp/mine"), Err(FsError::Perm));
    fx.vfs.unlink(&user, b"/tmp/mine").unwrap();
}

#[test]
fn hard_links_share_data_and_count_links() {
    let mut fx = Fixture::new();
    fx.write("/f", b"shared");
    fx.mkdir("/d");
    let walk = fx.walk();
    fx.vfs.link(&walk, b"f", false, &walk, b"g").unwrap();
    assert_eq!(fx.vfs.stat_path(&walk, b"g", false).unwrap().nlink, 2);
    assert_eq!(
        fx.vfs.link(&walk, b"f", false, &walk, b"g"),
        Err(FsError::Exists)
    );
    assert_eq!(
        fx.vfs.link(&walk, b"f", false, &walk, b"f"),
        Err(FsError::Exists)
    );
    assert_eq!(
        fx.vfs.link(&walk, b"f", false, &walk, b"d"),
        Err(FsError::Exists)
    );
    assert_eq!(
        fx.vfs.link(&walk, b"d", false, &walk, b"e"),
        Err(FsError::Perm)
    );
    assert_eq!(
        fx.vfs.link(&walk, b"missing", false, &walk, b"e"),
        Err(FsError::NotFound)
    );
    fx.vfs.unlink(&walk, b"f").unwrap();
    assert_eq!(fx.read("/g").unwrap(), b"shared");
}

#[test]
fn directory_listing_includes_dot_entries() {
    let mut fx = Fixture::new();
    fx.mkdir("/d");
    fx.write("/d/a", b"");
    fx.mkdir("/d/b");
    let walk = fx.walk();
    let dir = fx.vfs.open(&walk, b"/d", &OpenOptions::READ).unwrap();
    assert_eq!(
        names(&dir),
        vec![b".".to_vec(), b"..".to_vec(), b"a".to_vec(), b"b".to_vec()]
    );
    assert_eq!(dir.seek(crate::SeekFrom::Start(3)), Ok(3));
    let mut buf = [0; 4];
    assert_eq!(dir.read(&mut buf), Err(FsError::IsDir));
}

#[test]
fn set_attr_sets_explicit_times_and_truncates() {
    let mut fx = Fixture::new();
    fx.write("/f", b"abcdef");
    let walk = fx.walk();
    let changes = SetAttr {
        size: Some(3),
        atime: Some(5),
        mtime: Some(7),
        ..SetAttr::default()
    };
    fx.vfs.set_attr_path(&walk, b"f", true, &changes).unwrap();
    let meta = fx.vfs.stat_path(&walk, b"f", true).unwrap();
    assert_eq!((meta.size, meta.atime, meta.mtime), (3, 5, 7));
    assert_eq!(fx.vfs.now(), 1_000_000);
    fx.clock.advance(10);
    assert_eq!(fx.vfs.now(), 1_000_010);
}

#[test]
fn device_nodes_open_through_the_driver_table() {
    struct Null;
    impl Devices for Null {
        fn open(&self, _: NodeKind, rdev: u64, _: Access) -> Result<Box<dyn crate::File>, FsError> {
            if rdev == 3 {
                Err(FsError::Access)
            } else {
                Err(FsError::NotSupported)
            }
        }
    }
    let mut fx = Fixture::new();
    let walk = fx.walk();
    fx.vfs
        .mknod(
            &walk,
            b"/null",
            NewNode::Device {
                kind: NodeKind::CharDevice,
                rdev: 3,
            },
            0o666,
        )
        .unwrap();
    assert_eq!(
        fx.vfs.open(&walk, b"/null", &OpenOptions::READ).map(drop),
        Err(FsError::NotSupported)
    );
    fx.vfs.set_devices(Rc::new(Null));
    assert_eq!(
        fx.vfs.open(&walk, b"/null", &OpenOptions::READ).map(drop),
        Err(FsError::Access)
    );
    let user = fx.user();
    let node = NewNode::Device {
        kind: NodeKind::CharDevice,
        rdev: 1,
    };
    assert_eq!(
        fx.vfs.mknod(&user, b"/dev2", node, 0o666),
        Err(FsError::Perm)
    );
}

#[test]
fn open_location_opens_symlinks_only_without_access() {
    let mut fx = Fixture::new();
    fx.symlink("x", "/l");
    let walk = fx.walk();
    let at = fx.vfs.resolve(&walk, b"/l", false).unwrap();
    assert_eq!(
        fx.vfs
            .open_location(at, Access::READ, FdFlags::empty())
            .map(drop),
        Err(FsError::Loop)
    );
    let file = fx
        .vfs
        .open_location(at, Access::NONE, FdFlags::empty())
        .unwrap();
    assert_eq!(file.stat().unwrap().kind, NodeKind::Symlink);
}

#[test]
fn rmdir_and_unlink_of_dot_names_follow_linux() {
    let mut fx = Fixture::new();
    fx.mkdir("/d");
    let walk = fx.walk();
    assert_eq!(fx.vfs.rmdir(&walk, b"d/."), Err(FsError::Invalid));
    assert_eq!(fx.vfs.rmdir(&walk, b"d/.."), Err(FsError::NotEmpty));
    assert_eq!(fx.vfs.unlink(&walk, b"d/."), Err(FsError::IsDir));
    assert_eq!(fx.vfs.mkdir(&walk, b"d/..", 0o755), Err(FsError::Exists));
    assert_eq!(fx.vfs.mkdir(&walk, b"/", 0o755), Err(FsError::Exists));
}

#[test]
fn walking_through_a_file_is_not_dir() {
    let mut fx = Fixture::new();
    fx.write("/f", b"");
    assert_eq!(fx.read("/f/x"), Err(FsError::NotDir));
    let walk = fx.walk();
    assert_eq!(fx.vfs.mkdir(&walk, b"/f/x", 0o755), Err(FsError::NotDir));
}
