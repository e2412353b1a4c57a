//! Users and groups: /etc/passwd and /etc/group, and the `id` and `whoami`
//! tools over the kernel's ids (`wasmux-sys` getids). uutils' id and whoami
//! need libc's getpwuid family, which WASI does not have.

use std::ffi::OsString;

use crate::common::{Spec, text, usage_error};

/// The accounts of /etc/passwd and the groups of /etc/group.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Accounts {
    /// (name, uid, gid)
    pub users: Vec<(String, u32, u32)>,
    /// (name, gid, members)
    pub groups: Vec<(String, u32, Vec<String>)>,
}

impl Accounts {
    /// Parses the two files' text; malformed lines are skipped.
    pub fn parse(passwd: &str, group: &str) -> Accounts {
        let fields = |line: &str| line.split(':').map(str::to_owned).collect::<Vec<_>>();
        let users = passwd
            .lines()
            .map(fields)
            .filter_map(|f| {
                Some((
                    f.first()?.clone(),
                    f.get(2)?.parse().ok()?,
                    f.get(3)?.parse().ok()?,
                ))
            })
            .collect();
        let groups = group
            .lines()
            .map(fields)
            .filter_map(|f| {
                let members = f.get(3).map_or(Vec::new(), |list| {
                    list.split(',')
                        .filter(|m| !m.is_empty())
                        .map(str::to_owned)
                        .collect()
                });
                Some((f.first()?.clone(), f.get(2)?.parse().ok()?, members))
            })
            .collect();
        Accounts { users, groups }
    }

    /// /etc/passwd and /etc/group of the running system (empty if absent).
    pub fn load() -> Accounts {
        let read = |path| std::fs::read_to_string(path).unwrap_or_default();
        Accounts::parse(&read("/etc/passwd"), &read("/etc/group"))
    }

    pub fn user_name(&self, uid: u32) -> Option<&str> {
        self.users.iter().find(|u| u.1 == uid).map(|u| u.0.as_str())
    }

    pub fn group_name(&self, gid: u32) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.1 == gid)
            .map(|g| g.0.as_str())
    }

    /// The user called `name`: (uid, gid).
    pub fn user(&self, name: &str) -> Option<(u32, u32)> {
        self.users.iter().find(|u| u.0 == name).map(|u| (u.1, u.2))
    }

    /// `gid` first, then the groups listing `name` as a member, each once.
    pub fn groups_of(&self, name: Option<&str>, gid: u32) -> Vec<u32> {
        let mut list = vec![gid];
        for (_, group, members) in &self.groups {
            if name.is_some_and(|name| members.iter().any(|m| m == name)) && !list.contains(group) {
                list.push(*group);
            }
        }
        list
    }
}

fn with_name(id: u32, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{id}({name})"),
        None => id.to_string(),
    }
}

/// `id`'s default line: "uid=1000(user) gid=1000(user) groups=1000(user)".
pub fn id_line(
    accounts: &Accounts,
    uid: u32,
    euid: u32,
    gid: u32,
    egid: u32,
    groups: &[u32],
) -> String {
    let mut line = format!(
        "uid={} gid={}",
        with_name(uid, accounts.user_name(uid)),
        with_name(gid, accounts.group_name(gid))
    );
    if euid != uid {
        line += &format!(" euid={}", with_name(euid, accounts.user_name(euid)));
    }
    if egid != gid {
        line += &format!(" egid={}", with_name(egid, accounts.group_name(egid)));
    }
    let groups: Vec<String> = groups
        .iter()
        .map(|&g| with_name(g, accounts.group_name(g)))
        .collect();
    line + " groups=" + &groups.join(",")
}

const ID_SPEC: Spec = Spec {
    short: "ugGnr",
    long: &[
        ("user", 'u', false),
        ("group", 'g', false),
        ("groups", 'G', false),
        ("name", 'n', false),
        ("real", 'r', false),
    ],
    stop_at_operand: false,
};

/// `id [-u|-g|-G [-n] [-r]] [USER]`.
pub fn id(args: Vec<OsString>) -> i32 {
    let parsed = match ID_SPEC.parse(args.into_iter().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error("id", &message, 1),
    };
    let accounts = Accounts::load();
    let (uid, euid, gid, egid, name) = match parsed.operands.as_slice() {
        [] => {
            let ids = wasmux_sys::getids();
            let name = accounts.user_name(ids.uid).map(str::to_owned);
            (ids.uid, ids.euid, ids.gid, ids.egid, name)
        }
        [user] => match accounts.user(&text(user)) {
            Some((uid, gid)) => (uid, uid, gid, gid, Some(text(user))),
            None => {
                eprintln!("id: '{}': no such user", text(user));
                return 1;
            }
        },
        [_, extra, ..] => return usage_error("id", &format!("extra operand '{}'", text(extra)), 1),
    };
    let real = parsed.has('r');
    let groups = accounts.groups_of(name.as_deref(), gid);
    let (show_name, selected) = (
        parsed.has('n'),
        ['u', 'g', 'G'].iter().filter(|&&c| parsed.has(c)).count(),
    );
    if selected > 1 {
        eprintln!("id: cannot print \"only\" of more than one choice");
        return 1;
    }
    if selected == 0 {
        if show_name || real {
            eprintln!("id: cannot print only names or real IDs in default format");
            return 1;
        }
        println!("{}", id_line(&accounts, uid, euid, gid, egid, &groups));
        return 0;
    }
    let (kind, ids) = if parsed.has('u') {
        ("user", vec![if real { uid } else { euid }])
    } else if parsed.has('g') {
        ("group", vec![if real { gid } else { egid }])
    } else {
        ("group", groups)
    };
    let mut words = Vec::new();
    for id in ids {
        let name = if kind == "user" {
            accounts.user_name(id)
        } else {
            accounts.group_name(id)
        };
        match (show_name, name) {
            (true, Some(name)) => words.push(name.to_owned()),
            (true, None) => {
                eprintln!("id: cannot find name for {kind} ID {id}");
                words.push(id.to_string());
            }
            (false, _) => words.push(id.to_string()),
        }
    }
    println!("{}", words.join(" "));
    0
}

/// `whoami`: the name of the effective user.
pub fn whoami(args: Vec<OsString>) -> i32 {
    let spec = Spec {
        short: "",
        long: &[],
        stop_at_operand: false,
    };
    match spec.parse(args.into_iter().skip(1)) {
        Err(message) => return usage_error("whoami", &message, 1),
        Ok(parsed) if !parsed.operands.is_empty() => {
            let extra = format!("extra operand '{}'", text(&parsed.operands[0]));
            return usage_error("whoami", &extra, 1);
        }
        Ok(_) => {}
    }
    let euid = wasmux_sys::getids().euid;
    match Accounts::load().user_name(euid) {
        Some(name) => {
            println!("{name}");
            0
        }
        None => {
            eprintln!("whoami: cannot find name for user ID {euid}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str =
        "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\nbroken\n";
    const GROUP: &str = "root:x:0:\nwheel:x:10:root\nusers:x:100:user,guest\nuser:x:1000:\n";

    #[test]
    fn files_parse_and_names_resolve() {
        let accounts = Accounts::parse(PASSWD, GROUP);
        assert_eq!(accounts.users.len(), 2);
        assert_eq!(accounts.user_name(1000), Some("user"));
        assert_eq!(accounts.group_name(100), Some("users"));
        assert_eq!(accounts.user("root"), Some((0, 0)));
        assert_eq!(accounts.groups_of(Some("user"), 1000), [1000, 100]);
        assert_eq!(accounts.groups_of(Some("root"), 0), [0, 10]);
    }

    #[test]
    fn id_line_reads_like_gnu() {
        let accounts = Accounts::parse(PASSWD, GROUP);
        assert_eq!(
            id_line(&accounts, 1000, 1000, 1000, 1000, &[1000, 100]),
            "uid=1000(user) gid=1000(user) groups=1000(user),100(users)"
        );
        assert_eq!(
            id_line(&accounts, 1000, 0, 7, 7, &[7]),
            "uid=1000(user) gid=7 euid=0(root) groups=7"
        );
    }
}
