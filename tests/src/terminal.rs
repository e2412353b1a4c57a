//! Interactive sessions on a pseudo-terminal: a command started through
//! tests/support/pty_bridge.py (Python's pty module: a real terminal, no
//! native dependency), typed at with [`Terminal::send`] and read with
//! [`Terminal::expect`], as `expect(1)` does.
//!
//! What the command shows is kept whole (escape sequences and `\r`
//! included); `expect` looks for text after what earlier calls consumed.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::locate;

/// A command running on a terminal of its own.
#[derive(Debug)]
pub struct Terminal {
    child: Child,
    input: Option<ChildStdin>,
    output: Arc<Mutex<Vec<u8>>>,
    /// How much of `output` earlier expectations consumed.
    seen: usize,
}

impl Terminal {
    /// Starts `argv` on a `rows` x `cols` terminal.
    pub fn spawn(argv: &[String], rows: u16, cols: u16) -> std::io::Result<Terminal> {
        let bridge = locate::repo_root().join("tests/support/pty_bridge.py");
        let mut child = Command::new("python3")
            .arg(bridge)
            .arg(rows.to_string())
            .arg(cols.to_string())
            .args(argv)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let output = Arc::new(Mutex::new(Vec::new()));
        if let Some(mut pipe) = child.stdout.take() {
            let sink = output.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(count) = pipe.read(&mut chunk) {
                    if count == 0 {
                        break;
                    }
                    if let Ok(mut all) = sink.lock() {
                        all.extend_from_slice(&chunk[..count]);
                    }
                }
            });
        }
        Ok(Terminal {
            input: child.stdin.take(),
            child,
            output,
            seen: 0,
        })
    }

    /// Types `bytes` (control characters and escape sequences included).
    pub fn send(&mut self, bytes: &[u8]) {
        if let Some(input) = self.input.as_mut() {
            let _ = input.write_all(bytes);
            let _ = input.flush();
        }
    }

    /// Everything shown so far, lossily decoded.
    pub fn transcript(&self) -> String {
        let all = self
            .output
            .lock()
            .map(|all| all.clone())
            .unwrap_or_default();
        String::from_utf8_lossy(&all).into_owned()
    }

    /// Waits until `text` appears after what earlier calls consumed; returns
    /// the output up to and including it, and consumes that. Err with the
    /// whole transcript when `limit` passes first.
    pub fn expect(&mut self, text: &str, limit: Duration) -> Result<String, String> {
        let deadline = Instant::now() + limit;
        loop {
            {
                let all = self.output.lock().map_err(|error| error.to_string())?;
                let fresh = all.get(self.seen..).unwrap_or_default();
                if let Some(at) = find(fresh, text.as_bytes()) {
                    let end = at + text.len();
                    let matched = String::from_utf8_lossy(&fresh[..end]).into_owned();
                    self.seen += end;
                    return Ok(matched);
                }
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "{text:?} did not appear within {limit:?}; the terminal showed:\n{}",
                    self.transcript()
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the command to end; its exit status, or None at `limit`
    /// (the command is killed then).
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        drop(self.input.take());
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
