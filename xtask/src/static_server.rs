//! A small static file server for the built app (`dist/`): correct MIME types (wasm streaming needs
//! `application/wasm`), the single-page-app fallback to `index.html` for route paths, and the
//! framing policy: embed routes may be framed by any site, the full app by none.
//!
//! Kept rather than a crate's or Python's server because of those per-path headers: the framing
//! policy README's "Embedding" section asks hosts to send, per route, must hold where the suite,
//! the benchmarks and `cargo xtask serve` load the site, and generic servers send one set of
//! headers for every path (and no single-page-app fallback).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// Serves `root` on `listener` until the process ends, one thread per connection.
pub fn serve(listener: TcpListener, root: PathBuf) {
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        std::thread::spawn(move || {
            // A client that hangs up mid-response is not our problem to report.
            let _ = handle(stream, &root);
        });
    }
}

/// Starts serving `root` on 127.0.0.1:`port` (0 picks a free port) in a background thread and
/// returns the port.
pub fn spawn(root: PathBuf, port: u16) -> Result<u16, String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let port = listener
        .local_addr()
        .map_err(|error| format!("reading the listen address: {error}"))?
        .port();
    std::thread::spawn(move || serve(listener, root));
    Ok(port)
}

fn handle(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes what we serve.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            "",
            b"method not allowed",
            method,
        );
    }
    match resolve(root, target) {
        Some(file) => match std::fs::read(&file) {
            Ok(body) => {
                let framing = if mime_type(&file).starts_with("text/html") {
                    framing_headers(target)
                } else {
                    ""
                };
                respond(&mut stream, "200 OK", mime_type(&file), framing, &body, method)
            }
            Err(_) => respond(&mut stream, "404 Not Found", "text/plain", "", b"not found", method),
        },
        None => respond(&mut stream, "404 Not Found", "text/plain", "", b"not found", method),
    }
}

/// Maps a request path to a file under `root`: existing files as they are, extension-less paths
/// (app routes) to `index.html`, anything escaping the root to nothing.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let candidate = root.join(relative);
    if candidate.is_file() {
        return Some(candidate);
    }
    if relative.extension().is_none() {
        return Some(root.join("index.html"));
    }
    None
}

/// Who may frame the page at `target`: anyone for `/embed/...`, nobody for the full app
/// (the same headers README's "Embedding" section asks other hosts to send).
fn framing_headers(target: &str) -> &'static str {
    if target.starts_with("/embed/") {
        "Content-Security-Policy: frame-ancestors *\r\n"
    } else {
        "Content-Security-Policy: frame-ancestors 'none'\r\nX-Frame-Options: DENY\r\n"
    }
}

fn mime_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    extra_headers: &str,
    body: &[u8],
    method: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra_headers}\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_fall_back_to_the_app_and_nothing_escapes_the_root() {
        let root = std::env::temp_dir().join(format!("taoscope-static-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("index.html"), "app").unwrap();
        std::fs::write(root.join("app.wasm"), "wasm").unwrap();

        assert_eq!(resolve(&root, "/app.wasm"), Some(root.join("app.wasm")));
        assert_eq!(resolve(&root, "/subnets/3?sort=price"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/missing.js"), None);
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(mime_type(Path::new("x.wasm")), "application/wasm");
        assert!(framing_headers("/embed/subnets/emissions?theme=dark").contains("frame-ancestors *"));
        assert!(framing_headers("/subnets").contains("frame-ancestors 'none'"));
        std::fs::remove_dir_all(root).unwrap();
    }
}
