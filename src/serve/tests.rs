//! The server over real sockets, with a raw HTTP client: requests go out byte for byte, so
//! traversal attempts reach the server exactly as written.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use super::files::{content_type, inject_script};
use super::{ReloadKind, ServeOptions, Server};

const TIMEOUT: Duration = Duration::from_secs(5);
const TAG: &str = r#"<script src="/__dateline/live.js" defer></script>"#;
const INDEX: &str =
    "<!doctype html><html><head><title>Home</title></head><body><p>home</p></body></html>";
const NOT_FOUND: &str =
    "<!doctype html><html><head><title>Lost</title></head><body>lost</body></html>";

/// A temp folder holding the output folder `site/` and, beside it, `secret.txt`, which must
/// never be served.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let fixture = Fixture { dir };
        fixture.write("index.html", INDEX);
        fixture.write("404.html", NOT_FOUND);
        fixture.write("style.css", "body { color: black }\n");
        fixture.write("app.js", "console.log('<head></head>');\n");
        fixture.write("data.json", "{}");
        fixture.write("feed.xml", "<feed/>");
        fixture.write("table.csv", "a,b\n");
        fixture.write("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        fixture.write(
            "events/index.html",
            "<html><head></head><body>events</body></html>",
        );
        fixture.write("events/no-index/note.txt", "note");
        std::fs::write(fixture.dir.path().join("secret.txt"), "TOPSECRET").expect("write secret");
        fixture
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.site().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        std::fs::write(path, contents).expect("write file");
    }

    fn start(&self, base_path: &str) -> Server {
        Server::start(ServeOptions {
            output: self.site(),
            base_path: base_path.to_string(),
            addr: "127.0.0.1:0".parse().expect("address"),
        })
        .expect("server starts")
    }
}

struct Reply {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("write timeout");
    stream
}

/// Reads the status line and headers (names lowercased).
fn read_head(reader: &mut impl BufRead) -> (u16, BTreeMap<String, String>) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"));
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("header");
        headers.insert(name.to_ascii_lowercase(), value.trim().to_string());
    }
    (status, headers)
}

/// Sends `method target` exactly as written and reads the whole reply (the connection is
/// closed after it).
fn send(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = connect(addr);
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let mut body = Vec::new();
    reader.read_to_end(&mut body).expect("body");
    if headers
        .get("transfer-encoding")
        .is_some_and(|te| te == "chunked")
    {
        body = unchunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    send(addr, "GET", target)
}

fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..end]).expect("hex"), 16)
            .expect("chunk size");
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

/// A Server-Sent Events connection, decoding the chunked body as it arrives.
struct Events {
    reader: BufReader<TcpStream>,
    buffer: String,
}

#[derive(Debug)]
struct SseEvent {
    name: String,
    data: String,
    id: String,
}

impl Events {
    fn open(addr: SocketAddr, path: &str) -> Events {
        let mut stream = connect(addr);
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("send");
        let mut reader = BufReader::new(stream);
        let (status, headers) = read_head(&mut reader);
        assert_eq!(status, 200);
        assert!(headers["content-type"].starts_with("text/event-stream"));
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["transfer-encoding"], "chunked");
        Events {
            reader,
            buffer: String::new(),
        }
    }

    /// The next chunk of the body; `None` at the end of the stream.
    fn chunk(&mut self) -> Option<String> {
        let mut size = String::new();
        if self.reader.read_line(&mut size).expect("chunk size") == 0 {
            return None;
        }
        let size = usize::from_str_radix(size.trim(), 16).expect("hex chunk size");
        let mut chunk = vec![0; size + 2];
        self.reader.read_exact(&mut chunk).expect("chunk");
        if size == 0 {
            return None;
        }
        chunk.truncate(size);
        Some(String::from_utf8(chunk).expect("UTF-8 events"))
    }

    /// The next event, skipping keep-alive comments.
    fn next(&mut self) -> SseEvent {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    name: String::new(),
                    data: String::new(),
                    id: String::new(),
                };
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event: ") {
                        event.name = name.to_string();
                    } else if let Some(data) = line.strip_prefix("data: ") {
                        event.data = data.to_string();
                    } else if let Some(id) = line.strip_prefix("id: ") {
                        event.id = id.to_string();
                    }
                }
                if !event.name.is_empty() {
                    return event;
                }
                continue;
            }
            let chunk = self.chunk().expect("the stream ended early");
            self.buffer.push_str(&chunk);
        }
    }

    /// True when the server ends the stream.
    fn ended(&mut self) -> bool {
        loop {
            match self.chunk() {
                None => return true,
                Some(chunk) if chunk.starts_with(':') => continue,
                Some(_) => return false,
            }
        }
    }
}

fn error_message(event: &SseEvent) -> String {
    let json: serde_json::Value = serde_json::from_str(&event.data).expect("JSON data");
    json["message"].as_str().expect("message").to_string()
}

#[test]
fn serves_files_with_their_types() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for (path, expected) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/table.csv", "text/csv; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/index.html", "text/html; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), expected, "{path}");
        assert_eq!(reply.header("cache-control"), "no-store", "{path}");
    }
    let css = get(addr, "/style.css?v=abc");
    assert_eq!(css.text(), "body { color: black }\n");
    server.shutdown();
}

#[test]
fn folders_serve_index_and_redirect_without_slash() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let root = get(addr, "/");
    assert_eq!(root.status, 200);
    assert!(root.text().contains("<p>home</p>"));

    let events = get(addr, "/events/");
    assert_eq!(events.status, 200);
    assert!(events.text().contains("events"));

    let redirect = get(addr, "/events?page=2");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), "/events/?page=2");
    assert_eq!(redirect.header("cache-control"), "no-store");

    // No protocol-relative redirect out of a doubled slash.
    let doubled = get(addr, "//events");
    assert_eq!(doubled.status, 308);
    assert_eq!(doubled.header("location"), "/events/");

    // A folder without index.html, and a file asked for as a folder.
    assert_eq!(get(addr, "/events/no-index/").status, 404);
    assert_eq!(get(addr, "/style.css/").status, 404);
    server.shutdown();
}

#[test]
fn base_path_redirects_root_and_refuses_outside() {
    let fixture = Fixture::new();
    let server = fixture.start("/repo");
    let addr = server.local_addr();
    assert_eq!(server.url(), format!("http://{addr}/repo/"));

    let root = get(addr, "/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location"), "/repo/");

    let bare = get(addr, "/repo");
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), "/repo/");

    let home = get(addr, "/repo/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<p>home</p>"));
    assert!(
        home.text()
            .contains(r#"<script src="/repo/__dateline/live.js" defer></script></head>"#)
    );
    assert_eq!(get(addr, "/repo/style.css").status, 200);
    assert_eq!(get(addr, "/repo/__dateline/live.js").status, 200);

    assert_eq!(get(addr, "/other").status, 404);
    assert_eq!(get(addr, "/repository/").status, 404);
    assert_eq!(get(addr, "/style.css").status, 404);
    assert_eq!(get(addr, "/__dateline/live.js").status, 404);
    server.shutdown();
}

#[test]
fn url_without_base_path() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    assert_eq!(
        server.url(),
        format!("http://127.0.0.1:{}/", server.local_addr().port())
    );
    server.shutdown();
}

#[test]
fn script_is_injected_into_html_only() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let page = get(addr, "/index.html");
    let expected = INDEX.replace("</head>", &format!("{TAG}</head>"));
    assert_eq!(page.text(), expected);
    assert_eq!(page.header("content-length"), expected.len().to_string());
    assert_eq!(page.body.len(), expected.len());

    for path in ["/style.css", "/app.js"] {
        let reply = get(addr, path);
        assert!(!reply.text().contains("__dateline"), "{path}");
        let on_disk = std::fs::read(fixture.site().join(&path[1..])).expect("read");
        assert_eq!(reply.body, on_disk, "{path}");
        assert_eq!(reply.header("content-length"), on_disk.len().to_string());
    }

    let head = send(addr, "HEAD", "/index.html");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), expected.len().to_string());
    assert!(head.body.is_empty());
    server.shutdown();
}

#[test]
fn injection_falls_back_to_body_then_document_end() {
    assert_eq!(
        inject_script(
            b"<html><head><title>t</title></head><body>x</body></html>",
            TAG
        )
        .map(String::from_utf8),
        Some(Ok(format!(
            "<html><head><title>t</title>{TAG}</head><body>x</body></html>"
        )))
    );
    assert_eq!(
        inject_script(b"<html><body><p>x</p></body></html>", TAG).map(String::from_utf8),
        Some(Ok(format!("<html><body><p>x</p>{TAG}</body></html>")))
    );
    assert_eq!(
        inject_script(b"<p>fragment</p>", TAG).map(String::from_utf8),
        Some(Ok(format!("<p>fragment</p>{TAG}")))
    );
    // A head without an end tag: the script goes to the end of the body, once.
    assert_eq!(
        inject_script(b"<head><title>t</title><body>x</body>", TAG).map(String::from_utf8),
        Some(Ok(format!("<head><title>t</title><body>x{TAG}</body>")))
    );
    // Markup inside a script is not a head.
    let tricky = b"<head><script>var s = '</head>';</script></head><body></body>";
    let out = String::from_utf8(inject_script(tricky, TAG).expect("rewrites")).expect("UTF-8");
    assert_eq!(out.matches(TAG).count(), 1);
    assert!(out.contains(&format!("{TAG}</head><body>")));
}

#[test]
fn missing_files_get_the_404_page() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();

    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
    let expected = NOT_FOUND.replace("</head>", &format!("{TAG}</head>"));
    assert_eq!(missing.text(), expected);
    assert_eq!(missing.header("content-length"), expected.len().to_string());

    std::fs::remove_file(fixture.site().join("404.html")).expect("remove 404.html");
    let plain = get(addr, "/no-such-file.css");
    assert_eq!(plain.status, 404);
    assert!(plain.header("content-type").starts_with("text/plain"));
    server.shutdown();
}

#[test]
fn traversal_is_refused() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for (target, expected) in [
        ("/../secret.txt", 400),
        ("/../etc/passwd", 400),
        ("/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/..%2fsecret.txt", 400),
        ("/..%2fsecret", 400),
        ("/a/..%5c..%5csecret", 400),
        ("/a/..%5c..%5csecret.txt", 400),
        ("/%5c..%5csecret.txt", 400),
        ("/%00", 400),
        ("/index.html%00.css", 400),
        ("/C:/Windows/win.ini", 400),
        ("/./index.html", 400),
        ("/%ff", 400),
        ("//etc/passwd", 404),
        ("/etc/passwd", 404),
    ] {
        let reply = get(addr, target);
        assert_eq!(reply.status, expected, "{target}");
        let text = reply.text();
        assert!(!text.contains("TOPSECRET"), "{target}");
        assert!(!text.contains("root:"), "{target}");
    }
    server.shutdown();
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folder_are_refused() {
    let fixture = Fixture::new();
    let outside = fixture.dir.path().join("secret.txt");
    std::os::unix::fs::symlink(&outside, fixture.site().join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(fixture.dir.path(), fixture.site().join("up")).expect("symlink");
    // Links that stay inside are fine.
    std::os::unix::fs::symlink(
        fixture.site().join("style.css"),
        fixture.site().join("alias.css"),
    )
    .expect("symlink");
    let server = fixture.start("");
    let addr = server.local_addr();
    for target in ["/leak.txt", "/up/secret.txt", "/up/"] {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("TOPSECRET"), "{target}");
    }
    assert_eq!(get(addr, "/alias.css").status, 200);
    server.shutdown();
}

#[test]
fn only_get_and_head_are_allowed() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = send(addr, method, "/index.html");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), "GET, HEAD");
    }
    assert_eq!(send(addr, "POST", "/__dateline/live").status, 405);
    server.shutdown();
}

#[test]
fn client_script_is_served() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let reply = get(server.local_addr(), "/__dateline/live.js");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(reply.header("cache-control"), "no-store");
    let script = reply.text();
    assert_eq!(script, super::LIVE_JS);
    assert!(script.contains("EventSource"));
    assert!(script.contains("textContent"));
    assert!(!script.contains("innerHTML"));
    server.shutdown();
}

#[test]
fn live_events_follow_the_builds() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let live = server.live();
    assert_eq!(live.error(), None);

    let mut first = Events::open(addr, "/__dateline/live");
    assert_eq!(first.next().name, "ok");

    let message = "content/x.md:3: bad date";
    live.failed(message);
    assert_eq!(live.error().as_deref(), Some(message));
    let error = first.next();
    assert_eq!(error.name, "error");
    assert_eq!(error_message(&error), message);

    // A page opened while the build is failing learns it first.
    let mut second = Events::open(addr, "/__dateline/live");
    let state = second.next();
    assert_eq!(state.name, "error");
    assert_eq!(error_message(&state), message);

    live.rebuilt(ReloadKind::Page);
    assert_eq!(live.error(), None);
    for events in [&mut first, &mut second] {
        let reload = events.next();
        assert_eq!(reload.name, "reload");
        let ok = events.next();
        assert_eq!(ok.name, "ok");
        assert_eq!(ok.id, reload.id);
    }
    let mut third = Events::open(addr, "/__dateline/live");
    assert_eq!(third.next().name, "ok");

    live.rebuilt(ReloadKind::Stylesheets);
    for events in [&mut first, &mut second, &mut third] {
        assert_eq!(events.next().name, "css");
        assert_eq!(events.next().name, "ok");
    }
    server.shutdown();
}

#[test]
fn event_ids_count_rebuilds() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let live = server.live();
    let mut events = Events::open(addr, "/__dateline/live");
    let start = events.next().id;
    live.failed("broken");
    assert_eq!(events.next().id, start, "a failure is not a rebuild");
    live.rebuilt(ReloadKind::Page);
    let after = events.next().id;
    assert_ne!(after, start);
    let (server_a, _) = start.rsplit_once('.').expect("id");
    let (server_b, _) = after.rsplit_once('.').expect("id");
    assert_eq!(server_a, server_b);
    server.shutdown();
}

#[test]
fn live_events_work_under_a_base_path() {
    let fixture = Fixture::new();
    let server = fixture.start("/repo");
    let mut events = Events::open(server.local_addr(), "/repo/__dateline/live");
    assert_eq!(events.next().name, "ok");
    server.live().rebuilt(ReloadKind::Stylesheets);
    assert_eq!(events.next().name, "css");
    server.shutdown();
}

#[test]
fn live_handle_is_usable_from_plain_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<super::LiveHandle>();

    let fixture = Fixture::new();
    let server = fixture.start("");
    let mut events = Events::open(server.local_addr(), "/__dateline/live");
    assert_eq!(events.next().name, "ok");
    let live = server.live();
    std::thread::spawn(move || live.failed("from the watcher"))
        .join()
        .expect("thread");
    assert_eq!(error_message(&events.next()), "from the watcher");
    server.shutdown();
}

#[test]
fn shutdown_closes_live_connections() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    let mut events = Events::open(addr, "/__dateline/live");
    assert_eq!(events.next().name, "ok");
    server.shutdown();
    assert!(events.ended());
    assert!(TcpStream::connect_timeout(&addr, TIMEOUT).is_err());
}

#[test]
fn head_of_the_live_stream_has_no_body() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let reply = send(server.local_addr(), "HEAD", "/__dateline/live");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/event-stream");
    assert!(reply.body.is_empty());
    server.shutdown();
}

#[test]
fn bind_errors_name_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("address");
    let fixture = Fixture::new();
    let error = Server::start(ServeOptions {
        output: fixture.site(),
        base_path: String::new(),
        addr,
    })
    .err()
    .expect("the port is taken");
    assert!(
        format!("{error:#}").contains(&addr.to_string()),
        "{error:#}"
    );
}

#[test]
fn the_output_folder_is_resolved_per_request() {
    let fixture = Fixture::new();
    let server = fixture.start("");
    let addr = server.local_addr();
    assert!(get(addr, "/").text().contains("<p>home</p>"));

    // What the builder does: a new folder, swapped in whole.
    let next = fixture.dir.path().join("next");
    std::fs::create_dir(&next).expect("create");
    std::fs::write(
        next.join("index.html"),
        "<html><head></head><body>second</body></html>",
    )
    .expect("write");
    let old = fixture.dir.path().join("old");
    std::fs::rename(fixture.site(), &old).expect("rename");
    std::fs::rename(&next, fixture.site()).expect("rename");

    let reply = get(addr, "/");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("second"));
    server.shutdown();
}

#[test]
fn serving_never_writes_to_the_output() {
    fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path()).expect("read");
                files.insert(entry.path().to_path_buf(), bytes);
            }
        }
        files
    }
    let fixture = Fixture::new();
    let before = snapshot(fixture.dir.path());
    let server = fixture.start("");
    let addr = server.local_addr();
    for target in [
        "/",
        "/index.html",
        "/events/",
        "/missing",
        "/style.css",
        "/../secret.txt",
    ] {
        get(addr, target);
    }
    let live = server.live();
    live.failed("broken");
    live.rebuilt(ReloadKind::Page);
    server.shutdown();
    assert_eq!(snapshot(fixture.dir.path()), before);
}

#[test]
fn content_types() {
    for (file, expected) in [
        ("a.html", "text/html; charset=utf-8"),
        ("a.HTM", "text/html; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.json", "application/json"),
        ("a.xml", "application/xml"),
        ("a.csv", "text/csv; charset=utf-8"),
        ("a.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.woff2", "font/woff2"),
        ("a.txt", "text/plain; charset=utf-8"),
        ("CNAME", "application/octet-stream"),
    ] {
        assert_eq!(content_type(Path::new(file)), expected, "{file}");
    }
}
