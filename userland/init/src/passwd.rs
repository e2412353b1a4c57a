//! /etc/passwd: `name:password:uid:gid:gecos:home:shell`, one account a
//! line, as on Linux. Init reads it for the console session's user.

/// One account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
}

impl Account {
    /// The account used when /etc/passwd has none for a uid.
    pub fn fallback(uid: u32) -> Account {
        let (name, home) = if uid == 0 {
            ("root".to_string(), "/root".to_string())
        } else {
            (uid.to_string(), "/".to_string())
        };
        Account {
            name,
            uid,
            gid: uid,
            home,
            shell: DEFAULT_SHELL.to_string(),
        }
    }
}

/// The shell of an account whose shell field is empty.
pub const DEFAULT_SHELL: &str = "/bin/sh";

/// The accounts of a passwd file; malformed lines are skipped.
pub fn parse(text: &str) -> Vec<Account> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Account> {
    if line.trim_start().starts_with('#') {
        return None;
    }
    let fields: Vec<&str> = line.split(':').collect();
    let [name, _password, uid, gid, _gecos, home, shell] = fields.as_slice() else {
        return None;
    };
    if name.is_empty() {
        return None;
    }
    Some(Account {
        name: (*name).to_string(),
        uid: uid.parse().ok()?,
        gid: gid.parse().ok()?,
        home: if home.is_empty() { "/" } else { home }.to_string(),
        shell: if shell.is_empty() {
            DEFAULT_SHELL
        } else {
            shell
        }
        .to_string(),
    })
}

/// The first account with `uid`, or [`Account::fallback`].
pub fn by_uid(accounts: &[Account], uid: u32) -> Account {
    accounts
        .iter()
        .find(|account| account.uid == uid)
        .cloned()
        .unwrap_or_else(|| Account::fallback(uid))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
                          # a comment\n\
                          broken line\n\
                          user:x:1000:1000:Wasmux user:/home/user:\n";

    #[test]
    fn accounts_are_read_and_bad_lines_skipped() {
        let accounts = parse(PASSWD);
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].home, "/root");
        assert_eq!(accounts[1].name, "user");
        assert_eq!(
            accounts[1].shell, DEFAULT_SHELL,
            "an empty shell is /bin/sh"
        );
    }

    #[test]
    fn lookup_by_uid_falls_back() {
        let accounts = parse(PASSWD);
        assert_eq!(by_uid(&accounts, 1000).home, "/home/user");
        assert_eq!(by_uid(&[], 0).name, "root");
        assert_eq!(by_uid(&accounts, 42).home, "/");
    }
}
