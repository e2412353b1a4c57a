//! `tsh`: the test root filesystem's /sbin/init, NOT the real shell.
//!
//! The browser tests need something on the console that runs commands
//! before the base system's init and sh exist; this is it. It prints a
//! banner saying what it is, then for each line read from stdin runs the
//! pipeline it names: words split on blanks ('...' and "..." group),
//! stages split on `|`, the last stage's stdout to a file with `> FILE` or
//! `>> FILE`. Builtins: `echo`, `cd`, `pwd`, `exit [N]`, `winsize` (the
//! console's rows and columns, TIOCGWINSZ). Programs are
//! found through PATH. `tsh -c LINE` runs one line and exits with its
//! status.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, Write};

use wasmux_sys::process::{Child, Command, Stdio};
use wasmux_sys::signal::{self, SigSet, Signal};

const BANNER: &str = "Wasmux test rootfs (a stand-in until the real shell exists): \
programs in /bin, pipes with |, > and >> redirect, builtins echo cd pwd exit winsize";

/// A parsed line: stages of words, and where the last one's stdout goes.
struct Line {
    stages: Vec<Vec<String>>,
    redirect: Option<(String, bool)>,
}

fn words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    words.extend(word);
    Ok(words)
}

fn parse(text: &str) -> Result<Line, String> {
    let (text, redirect) = match text.split_once('>') {
        Some((before, after)) => {
            let (append, target) = match after.strip_prefix('>') {
                Some(rest) => (true, rest),
                None => (false, after),
            };
            let target = words(target)?;
            match target.as_slice() {
                [file] => (before, Some((file.clone(), append))),
                _ => return Err("> needs one file name".into()),
            }
        }
        None => (text, None),
    };
    let stages = text
        .split('|')
        .map(words)
        .collect::<Result<Vec<_>, _>>()?;
    if stages.len() > 1 && stages.iter().any(Vec::is_empty) {
        return Err("empty pipeline stage".into());
    }
    Ok(Line { stages, redirect })
}

fn builtin(words: &[String], out: &mut dyn Write) -> Option<io::Result<i32>> {
    let (name, args) = words.split_first()?;
    let result = match name.as_str() {
        "echo" => writeln!(out, "{}", args.join(" ")).map(|()| 0),
        "pwd" => std::env::current_dir().and_then(|dir| writeln!(out, "{}", dir.display())).map(|()| 0),
        "cd" => wasmux_sys::chdir(args.first().map_or("/", String::as_str)).map(|()| 0),
        "winsize" => wasmux_sys::termios::window_size(io::stdin())
            .and_then(|size| writeln!(out, "{} {}", size.rows, size.cols))
            .map(|()| 0),
        "exit" => {
            let _ = io::stdout().flush();
            std::process::exit(args.first().and_then(|code| code.parse().ok()).unwrap_or(0))
        }
        _ => return None,
    };
    Some(result)
}

fn open_redirect(redirect: &Option<(String, bool)>) -> io::Result<Option<File>> {
    let Some((path, append)) = redirect else {
        return Ok(None);
    };
    OpenOptions::new()
        .write(true)
        .create(true)
        .append(*append)
        .truncate(!append)
        .open(path)
        .map(Some)
}

/// Runs one line; returns its status (the last stage's).
fn run(text: &str) -> i32 {
    let line = match parse(text) {
        Ok(line) => line,
        Err(message) => {
            eprintln!("tsh: {message}");
            return 2;
        }
    };
    let mut file = match open_redirect(&line.redirect) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("tsh: {}: {error}", line.redirect.map(|r| r.0).unwrap_or_default());
            return 1;
        }
    };
    if let [only] = line.stages.as_slice() {
        let mut stdout = io::stdout();
        let out: &mut dyn Write = match &mut file {
            Some(file) => file,
            None => &mut stdout,
        };
        match builtin(only, out) {
            Some(Ok(status)) => return status,
            Some(Err(error)) => {
                eprintln!("tsh: {}: {error}", only[0]);
                return 1;
            }
            None if only.is_empty() => return 0,
            None => {}
        }
    }
    let mut children: Vec<Child> = Vec::new();
    let mut previous: Option<File> = None;
    let count = line.stages.len();
    for (index, stage) in line.stages.iter().enumerate() {
        let mut command = Command::new(&stage[0]);
        command
            .args(&stage[1..])
            .default_signals(SigSet::of(Signal::Int));
        if let Some(input) = previous.take() {
            command.stdin(input);
        }
        if index + 1 < count {
            command.stdout(Stdio::piped());
        } else if let Some(file) = file.take() {
            command.stdout(file);
        }
        match command.spawn() {
            Ok(mut child) => {
                previous = child.stdout.take();
                children.push(child);
            }
            Err(error) => {
                eprintln!("tsh: {}: {error}", stage[0]);
                previous = None;
            }
        }
    }
    drop(previous);
    let mut status = 127;
    let last = children.len();
    for (index, child) in children.iter_mut().enumerate() {
        match child.wait() {
            Ok(code) if index + 1 == last => status = code.shell_code(),
            Ok(_) => {}
            Err(error) => eprintln!("tsh: wait: {error}"),
        }
    }
    status
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, line] = args.as_slice() {
        if flag == "-c" {
            std::process::exit(run(line));
        }
    }
    // ^C is for the commands, not for init.
    let _ = signal::ignore(Signal::Int);
    println!("{BANNER}");
    let stdin = io::stdin();
    let mut line = String::new();
    loop {
        print!("$ ");
        let _ = io::stdout().flush();
        line.clear();
        match stdin.lock().read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {
                let status = run(line.trim_end_matches('\n'));
                if status != 0 {
                    println!("[status {status}]");
                }
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => println!(),
            Err(error) => {
                eprintln!("tsh: reading the console: {error}");
                break;
            }
        }
    }
}
