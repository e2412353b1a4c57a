//! `cargo xtask serve [--port N] [--no-isolation]`: builds the browser
//! site and serves it on 127.0.0.1 (default port 8080).
//!
//! tiny_http keeps the server in this Rust process (no second runtime for
//! `serve`, and the browser tests reuse it in a thread). Every response
//! carries COOP/COEP (cross-origin isolation, which the future jit
//! executor's SharedArrayBuffer needs) unless `--no-isolation`; the
//! interpreter works either way, and the tests check both. The page's own
//! files (index.html, boot.js, worker.js) are read from the repository on
//! each request, so editing them needs only a reload. Responses carry an
//! ETag and answer If-None-Match with 304, so the browser's cache (and its
//! compiled-wasm cache) serves repeat visits.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use crate::{project, web};

const USAGE: &str = "usage: cargo xtask serve [--port N] [--no-isolation]";

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

impl Server {
    /// Serves `dir` on 127.0.0.1:`port` (0: any free port). With `live`,
    /// the page's own files come from the repository instead of `dir`.
    pub fn start(dir: &Path, port: u16, isolation: bool, live: bool) -> Result<Server, String> {
        let server = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or("the server has no IP address")?;
        let dir = dir.to_path_buf();
        let thread = std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let dir = dir.clone();
                std::thread::spawn(move || respond(request, &dir, isolation, live));
            }
        });
        Ok(Server { port, thread })
    }

    /// Serves until the process ends.
    pub fn join(self) {
        let _ = self.thread.join();
    }
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

fn header(name: &str, value: &str) -> tiny_http::Header {
    // Both are ASCII constants or a content type from the table above.
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("ASCII header {name}"))
}

/// A validator from the file's size and modification time.
fn etag(file: &std::fs::File) -> Option<String> {
    let meta = file.metadata().ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("\"{:x}-{:x}\"", meta.len(), modified.as_nanos()))
}

fn respond(request: tiny_http::Request, dir: &Path, isolation: bool, live: bool) {
    let file = file_for(request.url(), dir, live)
        .filter(|path| path.is_file())
        .and_then(|path| std::fs::File::open(&path).ok().map(|file| (path, file)));
    let tag = file.as_ref().and_then(|(_, file)| etag(file));
    let unchanged = tag.as_ref().is_some_and(|tag| {
        request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == tag)
    });
    let mut headers = vec![header("Cache-Control", "no-cache")];
    if let Some(tag) = &tag {
        headers.push(header("ETag", tag));
    }
    if isolation {
        headers.push(header("Cross-Origin-Opener-Policy", "same-origin"));
        headers.push(header("Cross-Origin-Embedder-Policy", "require-corp"));
        headers.push(header("Cross-Origin-Resource-Policy", "same-origin"));
    }
    let result = match file {
        Some(_) if unchanged => {
            let mut response = tiny_http::Response::empty(304);
            for header in headers {
                response.add_header(header);
            }
            request.respond(response)
        }
        Some((path, file)) => {
            // A Content-Length (never chunked): the page shows download progress.
            let mut response = tiny_http::Response::from_file(file)
                .with_chunked_threshold(usize::MAX)
                .with_header(header("Content-Type", content_type(&path)));
            for header in headers {
                response.add_header(header);
            }
            request.respond(response)
        }
        None => {
            let mut response =
                tiny_http::Response::from_string("not found\n").with_status_code(404);
            for header in headers {
                response.add_header(header);
            }
            request.respond(response)
        }
    };
    // A browser that went away mid-response is not the server's problem.
    let _ = result;
}
