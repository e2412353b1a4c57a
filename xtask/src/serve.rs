//! `cargo xtask serve [--port N] [--no-isolation]`: builds the browser
//! site and serves it on 127.0.0.1 (default port 8080).
//!
//! A small HTTP/1.1 file server on std's TcpListener: a thread per
//! connection, keep-alive with an idle timeout, GET and HEAD. (It replaced
//! tiny_http 0.12, whose connection pool could leave a new connection
//! queued behind a browser's idle keep-alive connections, unanswered for
//! as long as those stayed open: a page load that hung on one file.)
//! Every response carries COOP/COEP (cross-origin isolation, which the
//! future jit executor's SharedArrayBuffer needs) unless `--no-isolation`;
//! the interpreter works either way, and the tests check both. The page's
//! own files (index.html, boot.js, worker.js) are read from the repository
//! on each request, so editing them needs only a reload. Responses carry an
//! ETag and answer If-None-Match with 304, so the browser's cache (and its
//! compiled-wasm cache) serves repeat visits.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::{project, web};

const USAGE: &str = "usage: cargo xtask serve [--port N] [--no-isolation]";
/// An idle keep-alive connection is closed after this long (browsers
/// then open a new one); a stalled write gives up after WRITE_TIMEOUT.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Limits on a request's head.
const MAX_LINE: u64 = 8192;
const MAX_HEADERS: usize = 100;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut port = 8080;
    let mut isolation = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--port" => {
                port = rest
                    .next()
                    .and_then(|value| value.parse().ok())
                    .ok_or(USAGE)?;
            }
            "--no-isolation" => isolation = false,
            _ => return Err(USAGE.into()),
        }
    }
    let site = web::build()?;
    let server = Server::start(&site.dir, port, isolation, true)?;
    eprintln!(
        "serving Wasmux ({} rootfs) on http://127.0.0.1:{}/ (Ctrl-C stops)",
        site.rootfs_kind, server.port
    );
    server.join();
    Ok(())
}

/// A static file server in a thread.
#[derive(Debug)]
pub struct Server {
    pub port: u16,
    thread: JoinHandle<()>,
}

/// What is served and how.
struct Site {
    dir: PathBuf,
    isolation: bool,
    live: bool,
}

impl Server {
    /// Serves `dir` on 127.0.0.1:`port` (0: any free port). With `live`,
    /// the page's own files come from the repository instead of `dir`.
    pub fn start(dir: &Path, port: u16, isolation: bool, live: bool) -> Result<Server, String> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
        let port = listener
            .local_addr()
            .map_err(|error| format!("the server has no address: {error}"))?
            .port();
        let site = Arc::new(Site {
            dir: dir.to_path_buf(),
            isolation,
            live,
        });
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                // A failed accept (a connection reset before it was taken,
                // too many open files) concerns that connection only.
                let Ok(stream) = stream else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                let site = Arc::clone(&site);
                std::thread::spawn(move || {
                    // A browser that went away is not the server's problem.
                    let _ = serve_connection(stream, &site);
                });
            }
        });
        Ok(Server { port, thread })
    }

    /// Serves until the process ends.
    pub fn join(self) {
        let _ = self.thread.join();
    }
}

/// Answers the requests on one connection until the client closes it,
/// asks to, goes idle for IDLE_TIMEOUT or sends something unexpected.
fn serve_connection(stream: TcpStream, site: &Site) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(&stream);
    while let Some(head) = read_head(&mut reader)? {
        respond(&stream, &head, site)?;
        if head.close {
            break;
        }
    }
    Ok(())
}

/// The parts of a request's head the server uses.
#[derive(Debug, PartialEq)]
struct Head {
    method: String,
    target: String,
    if_none_match: Option<String>,
    /// The connection ends after the response: the client asked (or spoke
    /// HTTP/1.0), or a body follows that the server does not read.
    close: bool,
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

/// One line of the head, without its CRLF; None at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    let read = reader.by_ref().take(MAX_LINE).read_line(&mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if !line.ends_with('\n') {
        return Err(invalid("request line too long or cut short"));
    }
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()))
}

/// The next request's head; None when the client closed the connection.
fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let line = loop {
        match read_line(reader)? {
            None => return Ok(None),
            // Blank lines before a request line are allowed (RFC 9112 2.2).
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = line.split_ascii_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("malformed request line"));
    };
    let mut head = Head {
        method: method.to_string(),
        target: target.to_string(),
        if_none_match: None,
        close: version != "HTTP/1.1",
    };
    for _ in 0..MAX_HEADERS {
        let line = read_line(reader)?.ok_or_else(|| invalid("head cut short"))?;
        if line.is_empty() {
            return Ok(Some(head));
        }
        let (name, value) = line.split_once(':').ok_or_else(|| invalid("bad header"))?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "connection" => {
                let value = value.to_ascii_lowercase();
                if value.contains("close") {
                    head.close = true;
                } else if value.contains("keep-alive") && version == "HTTP/1.0" {
                    head.close = false;
                }
            }
            "if-none-match" => head.if_none_match = Some(value.to_string()),
            "content-length" if value != "0" => head.close = true,
            "transfer-encoding" => head.close = true,
            _ => {}
        }
    }
    Err(invalid("too many headers"))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "tar" => "application/x-tar",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The file a URL path names, or None if it tries to leave `dir`.
fn file_for(url: &str, dir: &Path, live: bool) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    if relative
        .split('/')
        .any(|part| part == ".." || part.contains('\\'))
    {
        return None;
    }
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    if live && web::PAGE_FILES.contains(&relative) {
        return Some(project::root().join(relative));
    }
    Some(dir.join(relative))
}

/// A validator from the file's size and modification time.
fn etag(meta: &std::fs::Metadata) -> Option<String> {
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("\"{:x}-{:x}\"", meta.len(), modified.as_nanos()))
}

fn respond(stream: &TcpStream, head: &Head, site: &Site) -> io::Result<()> {
    let mut out = BufWriter::new(stream);
    let get = head.method == "GET";
    let file = if get || head.method == "HEAD" {
        file_for(&head.target, &site.dir, site.live)
            .filter(|path| path.is_file())
            .and_then(|path| {
                let file = std::fs::File::open(&path).ok()?;
                let meta = file.metadata().ok()?;
                Some((path, file, meta))
            })
    } else {
        None
    };
    let tag = file.as_ref().and_then(|(_, _, meta)| etag(meta));
    let unchanged = tag.is_some() && head.if_none_match == tag;
    let status = match &file {
        _ if !get && head.method != "HEAD" => "405 Method Not Allowed",
        Some(_) if unchanged => "304 Not Modified",
        Some(_) => "200 OK",
        None => "404 Not Found",
    };
    write!(out, "HTTP/1.1 {status}\r\nCache-Control: no-cache\r\n")?;
    let connection = if head.close { "close" } else { "keep-alive" };
    write!(out, "Connection: {connection}\r\n")?;
    if let Some(tag) = &tag {
        write!(out, "ETag: {tag}\r\n")?;
    }
    if site.isolation {
        out.write_all(
            b"Cross-Origin-Opener-Policy: same-origin\r\n\
              Cross-Origin-Embedder-Policy: require-corp\r\n\
              Cross-Origin-Resource-Policy: same-origin\r\n",
        )?;
    }
    match file {
        Some(_) if unchanged => out.write_all(b"\r\n")?,
        Some((path, file, meta)) => {
            // A Content-Length (never chunked): the page shows download progress.
            let kind = content_type(&path);
            write!(out, "Content-Type: {kind}\r\n")?;
            write!(out, "Content-Length: {}\r\n\r\n", meta.len())?;
            if get {
                let sent = io::copy(&mut file.take(meta.len()), &mut out)?;
                if sent != meta.len() {
                    // The file shrank while being sent: the length is a lie.
                    return Err(invalid("file changed while being sent"));
                }
            }
        }
        None => {
            let body: &[u8] = if status.starts_with("405") {
                b"only GET and HEAD\n"
            } else {
                b"not found\n"
            };
            write!(out, "Content-Type: text/plain; charset=utf-8\r\n")?;
            write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
            if head.method != "HEAD" {
                out.write_all(body)?;
            }
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn head(text: &str) -> io::Result<Option<Head>> {
        read_head(&mut Cursor::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn keep_alive_is_http_1_1s_default_and_close_ends_it() {
        let open = head("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").unwrap().unwrap();
        assert_eq!((open.method.as_str(), open.target.as_str()), ("GET", "/a"));
        assert!(!open.close);
        assert!(
            head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
                .unwrap()
                .unwrap()
                .close
        );
        assert!(head("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap().close);
        assert!(
            !head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                .unwrap()
                .unwrap()
                .close
        );
        // A body the server does not read: the connection cannot go on.
        assert!(
            head("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
                .unwrap()
                .unwrap()
                .close
        );
    }

    #[test]
    fn a_closed_connection_ends_and_garbage_is_refused() {
        assert_eq!(head("").unwrap(), None);
        assert!(head("GET\r\n\r\n").is_err());
        assert!(head("GET / HTTP/1.1\r\nno colon\r\n\r\n").is_err());
        assert!(head("GET / HTTP/1.1\r\nHost: x\r\n").is_err());
        assert!(head(&format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000))).is_err());
    }

    /// Sends a request and reads its response: status, head, body.
    fn exchange(stream: &mut TcpStream, request: &str) -> (String, String, Vec<u8>) {
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            assert!(reader.read_line(&mut head).unwrap() > 0, "closed: {head}");
        }
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("Content-Length: "))
            .map_or(0, |n| n.parse().unwrap());
        let mut body = vec![
            0;
            if request.starts_with("HEAD") {
                0
            } else {
                length
            }
        ];
        reader.read_exact(&mut body).unwrap();
        let status = head.lines().next().unwrap().to_string();
        (status, head, body)
    }

    fn site(name: &str) -> (PathBuf, Server) {
        let dir = std::env::temp_dir().join(format!("wasmux-serve-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("boot.js"), "export {};").unwrap();
        let server = Server::start(&dir, 0, true, false).unwrap();
        (dir, server)
    }

    #[test]
    fn every_connection_is_answered_while_others_stay_open() {
        // A browser opens several connections at once and keeps them;
        // tiny_http 0.12 could leave one of them queued, never answered.
        let (_dir, server) = site("open");
        let mut streams: Vec<TcpStream> = (0..16)
            .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
            .collect();
        for stream in &mut streams {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let (status, head, body) = exchange(stream, "GET /boot.js HTTP/1.1\r\n\r\n");
            assert_eq!(status, "HTTP/1.1 200 OK");
            assert!(head.contains("Connection: keep-alive\r\n"));
            assert!(head.contains("Content-Type: text/javascript"));
            assert!(head.contains("Cross-Origin-Embedder-Policy: require-corp\r\n"));
            assert_eq!(body, b"export {};");
        }
        // The same connections serve more requests.
        for stream in &mut streams {
            let (status, _, body) = exchange(stream, "GET / HTTP/1.1\r\n\r\n");
            assert_eq!(
                (status.as_str(), body.as_slice()),
                ("HTTP/1.1 200 OK", &b"<p>hi</p>"[..])
            );
        }
    }

    #[test]
    fn etags_missing_files_head_and_close() {
        let (_dir, server) = site("etags");
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let (_, head, _) = exchange(&mut stream, "GET /boot.js HTTP/1.1\r\n\r\n");
        let tag = head
            .lines()
            .find_map(|line| line.strip_prefix("ETag: "))
            .unwrap();
        let request = format!("GET /boot.js HTTP/1.1\r\nIf-None-Match: {tag}\r\n\r\n");
        let (status, _, body) = exchange(&mut stream, &request);
        assert_eq!(
            (status.as_str(), body.len()),
            ("HTTP/1.1 304 Not Modified", 0)
        );
        let (status, _, _) = exchange(&mut stream, "GET /nothing HTTP/1.1\r\n\r\n");
        assert_eq!(status, "HTTP/1.1 404 Not Found");
        let (status, _, _) = exchange(&mut stream, "GET /../etc/passwd HTTP/1.1\r\n\r\n");
        assert_eq!(status, "HTTP/1.1 404 Not Found");
        let (status, head, _) = exchange(&mut stream, "HEAD / HTTP/1.1\r\n\r\n");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(head.contains("Content-Length: 9\r\n"));
        let (status, head, _) =
            exchange(&mut stream, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(head.contains("Connection: close\r\n"));
        assert_eq!(stream.read(&mut [0; 1]).unwrap(), 0, "the server closed it");
    }
}
