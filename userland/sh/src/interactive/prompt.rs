//! PS1 and PS2: bash's backslash escapes (`\u \h \w \W \$ \n \[ \]` and
//! more), then parameter expansion as POSIX asks.

use crate::editor::render::{INVISIBLE_END, INVISIBLE_START};
use crate::expand::expand_here_doc;
use crate::shell::Shell;
use crate::syntax::parse_text;

/// What the escapes stand for, gathered by the shell.
#[derive(Debug, Default)]
pub struct PromptFacts {
    pub user: String,
    pub host: String,
    pub cwd: String,
    pub home: Option<String>,
    pub root: bool,
    pub jobs: usize,
    pub history_number: usize,
}

/// Replaces the backslash escapes of a prompt.
pub fn escapes(text: &str, facts: &PromptFacts) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        match next {
            'u' => out.push_str(&facts.user),
            'h' => out.push_str(facts.host.split('.').next().unwrap_or("")),
            'H' => out.push_str(&facts.host),
            'w' => out.push_str(&tilde(&facts.cwd, facts.home.as_deref())),
            'W' => {
                let short = tilde(&facts.cwd, facts.home.as_deref());
                let base = if short == "/" || short == "~" {
                    short.as_str()
                } else {
                    short.rsplit('/').next().unwrap_or("")
                };
                out.push_str(base);
            }
            '$' => out.push(if facts.root { '#' } else { '$' }),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'e' => out.push('\x1b'),
            's' => out.push_str("sh"),
            'v' | 'V' => out.push_str(env!("CARGO_PKG_VERSION")),
            'j' => out.push_str(&facts.jobs.to_string()),
            '!' | '#' => out.push_str(&facts.history_number.to_string()),
            '[' => out.push(INVISIBLE_START),
            ']' => out.push(INVISIBLE_END),
            '\\' => out.push('\\'),
            '0'..='7' => {
                let mut value = next.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from((value & 0xff) as u8));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// `dir` with the home directory written `~`.
fn tilde(dir: &str, home: Option<&str>) -> String {
    match home.filter(|home| !home.is_empty() && *home != "/") {
        Some(home) if dir == home => "~".to_string(),
        Some(home) => match dir.strip_prefix(home) {
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => dir.to_string(),
        },
        None => dir.to_string(),
    }
}

impl Shell {
    fn prompt_facts(&self, history_number: usize) -> PromptFacts {
        let ids = wasmux_sys::getids();
        let user = self
            .var("USER")
            .map(str::to_string)
            .unwrap_or_else(|| user_name(ids.euid).unwrap_or_else(|| ids.euid.to_string()));
        let host = self
            .var("HOSTNAME")
            .map(str::to_string)
            .or_else(|| {
                std::fs::read_to_string("/etc/hostname")
                    .ok()
                    .and_then(|text| text.lines().next().map(|line| line.trim().to_string()))
            })
            .unwrap_or_else(|| "wasmux".to_string());
        PromptFacts {
            user,
            host,
            cwd: self.var("PWD").unwrap_or("/").to_string(),
            home: self.var("HOME").map(str::to_string),
            root: ids.euid == 0,
            jobs: self.jobs.ids().len(),
            history_number,
        }
    }

    /// The prompt from variable `name` (PS1, PS2), ready to show.
    pub fn prompt(&mut self, name: &str, default: &str, history_number: usize) -> String {
        let text = self.var(name).unwrap_or(default).to_string();
        let facts = self.prompt_facts(history_number);
        let escaped = escapes(&text, &facts);
        if !escaped.contains(['$', '`']) {
            return escaped;
        }
        let status = self.status;
        let expanded = match parse_text(&escaped) {
            Ok(parts) => expand_here_doc(self, &parts).unwrap_or(escaped),
            Err(_) => escaped,
        };
        self.status = status;
        expanded
    }
}

/// The name of user `uid` in /etc/passwd.
fn user_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.get(2)?.parse::<u32>().ok()? == uid).then(|| fields[0].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> PromptFacts {
        PromptFacts {
            user: "user".into(),
            host: "box.example".into(),
            cwd: "/home/user/src/wasmux".into(),
            home: Some("/home/user".into()),
            root: false,
            jobs: 2,
            history_number: 7,
        }
    }

    #[test]
    fn escapes_name_the_user_host_and_directory() {
        let facts = facts();
        assert_eq!(
            escapes("\\u@\\h:\\w\\$ ", &facts),
            "user@box:~/src/wasmux$ "
        );
        assert_eq!(
            escapes("\\W \\H \\j \\! \\\\", &facts),
            "wasmux box.example 2 7 \\"
        );
        assert_eq!(escapes("\\[\\e[1m\\]x", &facts), "\u{1}\x1b[1m\u{2}x");
        assert_eq!(escapes("\\101\\q", &facts), "A\\q");
    }

    #[test]
    fn home_and_root_directories() {
        let mut facts = facts();
        facts.cwd = "/home/user".into();
        facts.root = true;
        assert_eq!(escapes("\\w \\W \\$", &facts), "~ ~ #");
        facts.cwd = "/home/username".into();
        assert_eq!(escapes("\\w", &facts), "/home/username");
        facts.cwd = "/".into();
        assert_eq!(escapes("\\W", &facts), "/");
    }
}
