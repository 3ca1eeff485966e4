//! `dateline serve` as an editor uses it: the real binary on a free port, spoken to over raw
//! HTTP (so traversal attempts reach the server exactly as written), with edits made on disk
//! while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::harness::TestSite;

/// How long any single expected thing may take before the test fails (a bound, not a timing).
const PATIENCE: Duration = Duration::from_secs(30);

struct Serve {
    child: Child,
    url: String,
    addr: SocketAddr,
    stderr: Receiver<String>,
}

impl Serve {
    fn start(site: &TestSite, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(["serve", "--port", "0", "--no-ingest"])
            .args(extra)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dateline serve");
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (lines, stdout_lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let (errors, stderr_lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = errors.send(line);
            }
        });
        let url = loop {
            let line = stdout_lines
                .recv_timeout(PATIENCE)
                .expect("serve printed no `Serving` line");
            if let Some(rest) = line.strip_prefix("Serving ") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        let host = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        Serve {
            child,
            addr: host.parse().expect("address in the URL"),
            url,
            stderr: stderr_lines,
        }
    }

    /// Waits until the terminal shows a line containing `needle`.
    fn stderr_shows(&self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stderr.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("serve never printed `{needle}` on stderr");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

/// One raw HTTP/1.1 request; `target` is sent exactly as given.
fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

/// A Server-Sent Events connection to the live-reload endpoint.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(addr: SocketAddr, path: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("read SSE head");
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Events { reader }
    }

    /// The next event's name and data, skipping keep-alive comments. The stream may be
    /// chunked; chunk-size lines are not `event:`/`data:` lines, so they are skipped too.
    fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.reader.read_line(&mut line).expect("read SSE");
            assert!(n > 0, "the live-reload stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_string();
            } else if let Some(value) = line.strip_prefix("data:") {
                data.push_str(value.trim_start());
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }

    /// Reads events until one named `name`; returns its data.
    fn wait_for(&mut self, name: &str) -> String {
        loop {
            let (event, data) = self.next();
            if event == name {
                return data;
            }
        }
    }
}

const ENTRY: &str = "content/entries/2020-09-28-kremlin-statement.md";
const ENTRY_PAGE: &str = "/entries/2020-09-28-kremlin-statement/";

#[test]
fn edits_reload_open_pages_and_bad_edits_show_an_overlay() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site, &[]);
    assert!(serve.url.starts_with("http://127.0.0.1:"), "{}", serve.url);

    let page = get(serve.addr, ENTRY_PAGE);
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(page.body.contains("Kremlin makes first statement"));
    assert!(
        page.body.contains("/__dateline/live.js"),
        "no live-reload script"
    );
    // Absolute links point at the preview, not at the published site.
    assert!(page.body.contains(&serve.url), "{}", serve.url);
    // The files on disk are a normal build: the script is added only in responses.
    assert!(
        !site.path("public").exists(),
        "serve wrote into the site's output folder"
    );

    let mut events = Events::connect(serve.addr, "/__dateline/live");
    assert_eq!(events.next().0, "ok");

    // An edit: open pages are told to reload, and the page has the new title.
    let text = site.read(ENTRY).replace(
        "Kremlin makes first statement",
        "Kremlin makes a second statement",
    );
    site.write(ENTRY, &text);
    events.wait_for("reload");
    let page = get(serve.addr, ENTRY_PAGE);
    assert!(page.body.contains("Kremlin makes a second statement"));

    // A broken edit: the error reaches open pages and the terminal, the last good page is
    // still served, and a page opened now gets the error first.
    site.write(ENTRY, "+++\ntitle = \"Unterminated\n");
    let error = events.wait_for("error");
    assert!(
        error.contains("2020-09-28-kremlin-statement.md:"),
        "{error}"
    );
    serve.stderr_shows("2020-09-28-kremlin-statement.md");
    let page = get(serve.addr, ENTRY_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Kremlin makes a second statement"));
    let mut late = Events::connect(serve.addr, "/__dateline/live");
    let (first, data) = late.next();
    assert_eq!(first, "error");
    assert!(data.contains("kremlin-statement.md"), "{data}");

    // The fix clears the overlay and reloads.
    site.write(ENTRY, &text.replace("second statement", "third statement"));
    events.wait_for("reload");
    let page = get(serve.addr, ENTRY_PAGE);
    assert!(page.body.contains("Kremlin makes a third statement"));
    let mut after = Events::connect(serve.addr, "/__dateline/live");
    assert_eq!(after.next().0, "ok");

    // A stylesheet change asks pages to swap their stylesheets instead of reloading.
    site.write("static/style.css", "body { color: navy }\n");
    events.wait_for("css");
    let css = get(serve.addr, "/style.css");
    assert!(css.body.contains("navy"));
    assert!(
        css.head.to_ascii_lowercase().contains("text/css"),
        "{}",
        css.head
    );
}

#[test]
fn only_the_output_folder_is_served() {
    let site = TestSite::fixture("basic");
    site.write("secret.txt", "the editor's private notes");
    let serve = Serve::start(&site, &[]);
    for attempt in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/entries/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%00",
        "//etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let response = get(serve.addr, attempt);
        assert!(
            matches!(response.status, 400 | 404),
            "{attempt}: {}",
            response.head
        );
        assert!(!response.body.contains("private notes"), "{attempt}");
        assert!(!response.body.contains("root:"), "{attempt}");
    }
    assert_eq!(request(serve.addr, "POST", "/").status, 405);
}

#[test]
fn listens_on_loopback_by_default() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site, &[]);
    assert!(serve.addr.ip().is_loopback(), "{}", serve.addr);
    // If this machine has another address, the server must not answer on it.
    let outward = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified());
    if let Some(ip) = outward {
        let other = SocketAddr::new(ip, serve.addr.port());
        assert!(
            TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
            "the preview answered on {other}"
        );
    }
}

#[test]
fn a_base_path_is_served_under_its_prefix() {
    let site = TestSite::fixture("basic");
    let config = site
        .read("site.toml")
        .replace("https://example.org/", "https://example.org/repo/");
    site.write("site.toml", &config);
    let serve = Serve::start(&site, &[]);
    assert!(serve.url.ends_with("/repo/"), "{}", serve.url);
    let index = get(serve.addr, "/repo/");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("/repo/__dateline/live.js"));
    assert!(index.body.contains("href=\"/repo/events/"));
    let root = get(serve.addr, "/");
    assert!(
        matches!(root.status, 301 | 302 | 307 | 308),
        "{}",
        root.head
    );
    assert!(root.head.contains("/repo/"));
    let mut events = Events::connect(serve.addr, "/repo/__dateline/live");
    assert_eq!(events.next().0, "ok");
    let missing = get(serve.addr, "/repo/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("/repo/__dateline/live.js"));
}

#[test]
fn a_site_that_does_not_build_is_served_once_fixed() {
    let site = TestSite::fixture("basic");
    site.write("content/entries/broken.md", "+++\ndate = 2020-02-30\n+++\n");
    let serve = Serve::start(&site, &[]);
    serve.stderr_shows("broken.md");
    let mut events = Events::connect(serve.addr, "/__dateline/live");
    let (first, data) = events.next();
    assert_eq!(first, "error");
    assert!(data.contains("broken.md"), "{data}");
    site.remove("content/entries/broken.md");
    events.wait_for("reload");
    assert_eq!(get(serve.addr, "/").status, 200);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = TestSite::fixture("basic");
    let mut serve = Serve::start(&site, &[]);
    let status = Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(TcpStream::connect(serve.addr).is_err());
}
