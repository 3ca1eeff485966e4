//! The server over real sockets, with a raw HTTP client: requests go out byte for byte, so
//! traversal attempts reach the server exactly as written. This file is the client and the
//! fixture; `files.rs` tests serving files, `live.rs` the live-reload stream.

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

mod files;
mod live;
