//! Path resolution: `.`, `..`, symlinks, mount crossings, trailing slashes
//! and WASI confinement.
//!
//! One loop serves every operation: it walks all components but the last,
//! then looks the last one up and, if asked (or if a trailing slash demands
//! it), follows a final symlink by splicing its target into the remaining
//! components. The caller gets the directory holding the final name, the
//! name, and the node if it exists, and applies its own rules (create,
//! remove, open).
//!
//! Confinement keeps a stack of the directories entered since `base`: `..`
//! pops it, and popping `base` itself is `Escape`. So a path that leaves the
//! subtree fails at the step that leaves, even if it would come back later
//! (`../base/x`), as the WASI capability model asks. Without confinement
//! `..` asks the filesystem for the parent, stops at `root`, and at a mount's
//! root goes to the directory the mount covers first.

use crate::vfs::perm::{self, SEARCH};
use crate::{FsError, Location, Metadata, NodeKind, Vfs, Walk};

use super::{NAME_MAX, PATH_MAX, SYMLINK_MAX};

/// How to treat a symlink in the final component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Final {
    /// Follow it (stat, open with follow).
    Follow,
    /// Do not follow, except that a trailing slash does (lstat, open without follow, readlink).
    NoFollow,
    /// Never follow: the operation acts on the name itself (create, remove, rename).
    Keep,
}

/// The end of a walk.
#[derive(Debug)]
pub(crate) struct Walked {
    /// The directory holding the final name.
    pub parent: Location,
    /// The final name; `.` when the path names a directory without a final name (`/`).
    pub name: Vec<u8>,
    /// The node named, after crossing mount points; `None` if it does not exist.
    pub node: Option<Location>,
    /// The node as found in `parent`, before crossing mounts (differs from
    /// `node` exactly when the name is a mount point).
    pub entry: Option<Location>,
    /// The path (or the final symlink's target) ended with `/`.
    pub trailing_slash: bool,
}

impl Walked {
    /// Whether the final name is `.` or `..`.
    pub fn is_dot(&self) -> bool {
        self.name == b"." || self.name == b".."
    }

    /// Whether the final name is a mount point or a mount's root.
    pub fn is_mount(&self, vfs: &Vfs) -> bool {
        self.node != self.entry || self.node.is_some_and(|node| vfs.is_mount_root(node))
    }
}

/// Checks a path's length, NUL bytes and component lengths.
/// Errors: NotFound (empty), Invalid (NUL), NameTooLong.
pub(crate) fn check_path(path: &[u8]) -> Result<(), FsError> {
    if path.is_empty() {
        return Err(FsError::NotFound);
    }
    if path.contains(&0) {
        return Err(FsError::Invalid);
    }
    if path.len() > PATH_MAX {
        return Err(FsError::NameTooLong);
    }
    if path
        .split(|&byte| byte == b'/')
        .any(|name| name.len() > NAME_MAX)
    {
        return Err(FsError::NameTooLong);
    }
    Ok(())
}

/// Components of `path` in reverse order (so `pop` yields the next one).
fn components_reversed(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|&byte| byte == b'/')
        .filter(|name| !name.is_empty())
        .rev()
        .map(<[u8]>::to_vec)
        .collect()
}

struct Walker<'a> {
    walk: &'a Walk,
    /// Directories entered since `base` (confined walks only).
    stack: Vec<Location>,
    links: u32,
}

impl Vfs {
    /// Walks `path` to its final component.
    pub(crate) fn walk_path(
        &mut self,
        walk: &Walk,
        path: &[u8],
        last: Final,
    ) -> Result<Walked, FsError> {
        check_path(path)?;
        let absolute = path.first() == Some(&b'/');
        if absolute && walk.confine {
            return Err(FsError::Escape);
        }
        let mut here = if absolute { walk.root } else { walk.base };
        let mut walker = Walker {
            walk,
            stack: vec![here],
            links: 0,
        };
        let mut pending = components_reversed(path);
        let mut trailing_slash = path.last() == Some(&b'/');
        loop {
            let Some(name) = pending.pop() else {
                // Nothing named after the last directory: "/", "a/.." spliced, etc.
                self.search(walk, here)?;
                return Ok(Walked {
                    parent: here,
                    name: b".".to_vec(),
                    node: Some(here),
                    entry: Some(here),
                    trailing_slash: true,
                });
            };
            let is_final = pending.is_empty();
            self.search(walk, here)?;
            if name == b"." || name == b".." {
                let next = if name == b"." {
                    here
                } else {
                    self.dot_dot(&mut walker, here)?
                };
                if is_final {
                    return Ok(Walked {
                        parent: here,
                        name,
                        node: Some(next),
                        entry: Some(next),
                        trailing_slash,
                    });
                }
                here = next;
                continue;
            }
            let entry = match self.call(here.mount, |fs| fs.lookup(here.ino, &name)) {
                Ok(ino) => Some(Location {
                    mount: here.mount,
                    ino,
                }),
                Err(FsError::NotFound) => None,
                Err(error) => return Err(error),
            };
            let node = entry.map(|entry| self.cross(entry));
            let kind = match node {
                Some(node) => Some(self.stat(node)?.kind),
                None => None,
            };
            let follow = match last {
                Final::Follow => true,
                Final::NoFollow => trailing_slash,
                Final::Keep => false,
            };
            if is_final && !(follow && kind == Some(NodeKind::Symlink)) {
                return Ok(Walked {
                    parent: here,
                    name,
                    node,
                    entry,
                    trailing_slash,
                });
            }
            match (node, kind) {
                (Some(node), Some(NodeKind::Symlink)) => {
                    let target = self.expand_link(&mut walker, node)?;
                    if is_final {
                        trailing_slash |= target.last() == Some(&b'/');
                    }
                    pending.extend(components_reversed(&target));
                    if target.first() == Some(&b'/') {
                        here = walk.root;
                    }
                }
                (Some(node), Some(NodeKind::Directory)) => {
                    here = node;
                    if walk.confine {
                        walker.stack.push(node);
                    }
                }
                (Some(_), _) => return Err(FsError::NotDir),
                (None, _) => return Err(FsError::NotFound),
            }
        }
    }

    /// Checks that `dir` is a directory `walk.cred` may search.
    /// Errors: NotDir, Access.
    fn search(&mut self, walk: &Walk, dir: Location) -> Result<Metadata, FsError> {
        let meta = self.stat(dir)?;
        if meta.kind != NodeKind::Directory {
            return Err(FsError::NotDir);
        }
        perm::check(&meta, walk.cred, SEARCH)?;
        Ok(meta)
    }

    /// Reads a symlink met during a walk, counting it.
    /// Errors: Loop (more than [`SYMLINK_MAX`]), NotFound (empty target), Escape (absolute target when confined).
    fn expand_link(&mut self, walker: &mut Walker<'_>, link: Location) -> Result<Vec<u8>, FsError> {
        walker.links += 1;
        if walker.links > SYMLINK_MAX {
            return Err(FsError::Loop);
        }
        let target = self.call(link.mount, |fs| fs.readlink(link.ino))?;
        check_path(&target)?;
        if target.first() == Some(&b'/') && walker.walk.confine {
            return Err(FsError::Escape);
        }
        Ok(target)
    }

    /// The parent of `here` for a walk.
    /// Errors: Escape (confined walk leaving `base`), Io.
    fn dot_dot(&mut self, walker: &mut Walker<'_>, here: Location) -> Result<Location, FsError> {
        if walker.walk.confine {
            if walker.stack.len() <= 1 {
                return Err(FsError::Escape);
            }
            walker.stack.pop();
            return walker.stack.last().copied().ok_or(FsError::Escape);
        }
        self.parent_of(here, walker.walk.root)
    }

    /// The POSIX parent of `here`: itself at `root`, the covered directory's parent at a mount root.
    pub(crate) fn parent_of(
        &mut self,
        here: Location,
        root: Location,
    ) -> Result<Location, FsError> {
        let mut at = here;
        for _ in 0..=self.mounts.len() {
            if at == root {
                return Ok(at);
            }
            match self.mount_entry(at.mount)?.covers {
                Some(covered) if self.is_mount_root(at) => at = covered,
                _ => break,
            }
        }
        if at == root {
            return Ok(at);
        }
        let ino = self.call(at.mount, |fs| fs.lookup(at.ino, b".."))?;
        Ok(self.cross(Location {
            mount: at.mount,
            ino,
        }))
    }

    /// Resolves `path` to a node. With `follow`, a final symlink is followed;
    /// a trailing slash always follows one and requires a directory.
    /// Errors: NotFound, NotDir, Loop, Escape, Access, NameTooLong, Invalid, Io.
    pub fn resolve(&mut self, walk: &Walk, path: &[u8], follow: bool) -> Result<Location, FsError> {
        let walked = self.walk_path(
            walk,
            path,
            if follow {
                Final::Follow
            } else {
                Final::NoFollow
            },
        )?;
        let node = walked.node.ok_or(FsError::NotFound)?;
        if walked.trailing_slash && self.stat(node)?.kind != NodeKind::Directory {
            return Err(FsError::NotDir);
        }
        Ok(node)
    }

    /// `stat`/`lstat` of a path; `dev` is filled from the mount.
    /// Errors: as [`Vfs::resolve`].
    pub fn stat_path(
        &mut self,
        walk: &Walk,
        path: &[u8],
        follow: bool,
    ) -> Result<Metadata, FsError> {
        let at = self.resolve(walk, path, follow)?;
        self.stat(at)
    }
}
