//! Mode-bit permission checks.
//!
//! Classic Unix rules: uid 0 passes every check; otherwise the owner bits
//! apply to the owner, the group bits to members of the group (one gid per
//! credential: there are no supplementary groups), the other bits to everyone
//! else. The sticky bit on a directory restricts removal and renaming of its
//! entries to their owner, the directory's owner and root.

use crate::{Cred, FsError, Metadata, SetAttr};

pub(crate) const READ: u32 = 4;
pub(crate) const WRITE: u32 = 2;
pub(crate) const SEARCH: u32 = 1;

const STICKY: u32 = 0o1000;
const SETGID: u32 = 0o2000;

/// Whether `cred` has every bit of `want` on `meta`.
pub(crate) fn allowed(meta: &Metadata, cred: Cred, want: u32) -> bool {
    if cred.uid == 0 {
        return true;
    }
    let bits = if cred.uid == meta.uid {
        meta.mode >> 6
    } else if cred.gid == meta.gid {
        meta.mode >> 3
    } else {
        meta.mode
    };
    bits & 7 & want == want
}

/// Errors: Access when a bit of `want` is missing.
pub(crate) fn check(meta: &Metadata, cred: Cred, want: u32) -> Result<(), FsError> {
    if allowed(meta, cred, want) {
        Ok(())
    } else {
        Err(FsError::Access)
    }
}

/// May `cred` remove or rename away `victim` from `dir` (write and search on
/// `dir` already checked)? Errors: Perm under the sticky-bit rule.
pub(crate) fn check_sticky(dir: &Metadata, victim: &Metadata, cred: Cred) -> Result<(), FsError> {
    if dir.mode & STICKY == 0 || cred.uid == 0 || cred.uid == dir.uid || cred.uid == victim.uid {
        Ok(())
    } else {
        Err(FsError::Perm)
    }
}

/// The group a node created in `dir` gets, and whether a new directory
/// inherits the set-group-id bit (BSD group semantics under setgid dirs).
pub(crate) fn new_node_group(dir: &Metadata, cred: Cred) -> (u32, u32) {
    if dir.mode & SETGID != 0 {
        (dir.gid, SETGID)
    } else {
        (cred.gid, 0)
    }
}

/// May `cred` apply `changes` to `meta` (write permission for size, ownership for the rest)?
/// Errors: Perm (not the owner, or chown by non-root), Access (size without write permission).
pub(crate) fn check_set_attr(
    meta: &Metadata,
    cred: Cred,
    changes: &SetAttr,
) -> Result<(), FsError> {
    if cred.uid == 0 {
        return Ok(());
    }
    let owner = cred.uid == meta.uid;
    if changes.size.is_some() {
        check(meta, cred, WRITE)?;
    }
    if changes.mode.is_some() && !owner {
        return Err(FsError::Perm);
    }
    if changes.uid.is_some_and(|uid| uid != meta.uid) {
        return Err(FsError::Perm);
    }
    if changes
        .gid
        .is_some_and(|gid| gid != meta.gid && !(owner && gid == cred.gid))
    {
        return Err(FsError::Perm);
    }
    if (changes.atime.is_some() || changes.mtime.is_some()) && !owner {
        // Setting times to "now" only needs write permission; explicit times
        // need ownership. The VFS cannot tell the two apart, so it accepts
        // writers, and the WASI layer decides which case it is.
        check(meta, cred, WRITE).map_err(|_| FsError::Perm)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InodeId, NodeKind};

    fn meta(mode: u32, uid: u32, gid: u32) -> Metadata {
        Metadata {
            dev: 1,
            ino: InodeId(2),
            kind: NodeKind::Regular,
            mode,
            nlink: 1,
            uid,
            gid,
            size: 0,
            rdev: 0,
            atime: 0,
            mtime: 0,
            ctime: 0,
        }
    }

    #[test]
    fn owner_group_and_other_bits_apply_in_that_order() {
        let file = meta(0o640, 10, 20);
        assert!(allowed(&file, Cred { uid: 10, gid: 99 }, READ | WRITE));
        assert!(allowed(&file, Cred { uid: 11, gid: 20 }, READ));
        assert!(!allowed(&file, Cred { uid: 11, gid: 20 }, WRITE));
        assert!(!allowed(&file, Cred { uid: 11, gid: 21 }, READ));
        assert!(allowed(&file, Cred::ROOT, READ | WRITE | SEARCH));
    }

    #[test]
    fn owner_bits_win_even_when_group_bits_are_wider() {
        let file = meta(0o070, 10, 20);
        assert!(!allowed(&file, Cred { uid: 10, gid: 20 }, READ));
    }

    #[test]
    fn sticky_directory_protects_other_users_entries() {
        let dir = meta(0o1777, 0, 0);
        let file = meta(0o644, 10, 10);
        assert_eq!(
            check_sticky(&dir, &file, Cred { uid: 11, gid: 11 }),
            Err(FsError::Perm)
        );
        assert_eq!(check_sticky(&dir, &file, Cred { uid: 10, gid: 10 }), Ok(()));
    }

    #[test]
    fn only_root_changes_owner() {
        let file = meta(0o644, 10, 10);
        let chown = SetAttr {
            uid: Some(11),
            ..SetAttr::default()
        };
        assert_eq!(
            check_set_attr(&file, Cred { uid: 10, gid: 10 }, &chown),
            Err(FsError::Perm)
        );
        assert_eq!(check_set_attr(&file, Cred::ROOT, &chown), Ok(()));
    }
}
