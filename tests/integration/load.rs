//! The preview server under load: concurrent keep-alive clients fetch every page of the site
//! from `dateline serve` on loopback for a while (30 s by default; `DATELINE_LOAD_SECONDS`
//! changes it) while an editor saves entries. No request may fail, the server's memory must
//! stay flat, and at the end every served page must equal a whole build of the final files.
//! The figures (requests/s, p50/p99 latency, memory) are printed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::harness::TestSite;

const CLIENTS: usize = 8;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A keep-alive HTTP/1.1 connection that reads `Content-Length` bodies.
struct Connection {
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Connection {
    fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            reader: BufReader::new(stream),
            addr,
        })
    }

    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let length =
            length.ok_or_else(|| std::io::Error::other(format!("{path}: no Content-Length")))?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Every page of a built site as the URL path the server answers it at.
fn page_paths(output: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(output)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(output).unwrap().to_string_lossy();
            let path = match relative.strip_suffix("index.html") {
                Some(folder) => format!("/{folder}"),
                None => format!("/{relative}"),
            };
            (path, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn serve_answers_every_request_while_entries_are_edited() {
    let seconds: u64 = std::env::var("DATELINE_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let site = TestSite::fixture("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["serve", "--port", "0", "--no-ingest"])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(rest) = line.strip_prefix("Serving ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();

    // The pages to fetch: those of a whole build of the starting files.
    let start = TestSite::empty();
    crate::harness::copy_tree(site.root(), start.root());
    start
        .build(&["--no-ingest", "--base-url", &url, "--output", "out"])
        .success();
    let paths: Vec<String> = page_paths(&start.path("out")).into_keys().collect();

    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (paths, stop, failures) = (paths.clone(), stop.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut connection = Connection::open(addr).unwrap();
                let mut i = client;
                while !stop.load(Ordering::Relaxed) {
                    let path = &paths[i % paths.len()];
                    i += 7;
                    let sent = Instant::now();
                    match connection.get(path) {
                        // A page removed by an edit is a 404 the site itself would give.
                        Ok((200 | 404, _)) => latencies.push(sent.elapsed()),
                        Ok((status, _)) => {
                            eprintln!("{path}: HTTP {status}");
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            eprintln!("{path}: {e}");
                            failures.fetch_add(1, Ordering::Relaxed);
                            connection = Connection::open(addr).unwrap();
                        }
                    }
                }
                latencies
            })
        })
        .collect();

    // The editor: a save every 300 ms, alternating titles, plus a broken save now and then.
    let entry = "content/entries/2020-09-28-kremlin-statement.md";
    let original = site.read(entry);
    let mut memory = Vec::new();
    let mut saves = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        let text = if saves % 10 == 9 {
            "+++\ntitle = \"Unterminated\n".to_string()
        } else {
            original.replace(
                "Kremlin makes first statement",
                &format!("Kremlin statement, revision {saves}"),
            )
        };
        let scratch = site.path(&format!("{entry}.tmp"));
        std::fs::write(&scratch, text).unwrap();
        std::fs::rename(&scratch, site.path(entry)).unwrap();
        saves += 1;
        std::thread::sleep(Duration::from_millis(300));
        memory.push(rss_kib(pid));
    }
    let last = format!("Kremlin statement, revision {}", saves);
    let final_text = original.replace("Kremlin makes first statement", &last);
    let scratch = site.path(&format!("{entry}.tmp"));
    std::fs::write(&scratch, &final_text).unwrap();
    std::fs::rename(&scratch, site.path(entry)).unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut latencies: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let elapsed = started.elapsed();

    // Wait for the last save to be served, then compare every page with a whole build.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut check = Connection::open(addr).unwrap();
    loop {
        let (_, body) = check.get("/entries/2020-09-28-kremlin-statement/").unwrap();
        if String::from_utf8_lossy(&body).contains(&last) {
            break;
        }
        assert!(Instant::now() < deadline, "the last save was never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    let fresh = TestSite::empty();
    crate::harness::copy_tree(site.root(), fresh.root());
    fresh
        .build(&["--no-ingest", "--base-url", &url, "--output", "out"])
        .success();
    let script = "<script src=\"/__dateline/live.js\" defer></script>";
    let expected = page_paths(&fresh.path("out"));
    // The entry's page can be replaced before the rest of its rebuild: retry until settled.
    loop {
        let mut differing = Vec::new();
        for (path, expected) in &expected {
            let (status, body) = check.get(path).unwrap();
            let served = String::from_utf8_lossy(&body).replace(script, "");
            if status != 200 || served.as_bytes() != expected.as_slice() {
                differing.push(path.clone());
            }
        }
        if differing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "served pages differ from a whole build of the final files: {differing:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    latencies.sort();
    let total = latencies.len();
    let percentile = |p: f64| latencies[((total as f64 * p) as usize).min(total - 1)];
    let third = memory.len() / 3;
    let (early, late) = (
        *memory[..third.max(1)].iter().max().unwrap(),
        *memory.iter().max().unwrap(),
    );
    eprintln!(
        "serve under load: {CLIENTS} clients, {total} requests in {:.1} s = {:.0} req/s; p50 {:?}, p99 {:?}, max {:?}; {} failed; {saves} saves; server RSS {} KiB after the first third, {} KiB peak",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        percentile(0.50),
        percentile(0.99),
        latencies[total - 1],
        failures.load(Ordering::Relaxed),
        early,
        late,
    );
    assert_eq!(failures.load(Ordering::Relaxed), 0, "failed requests");
    assert!(total > 1000, "only {total} requests");
    // Flat memory: whatever the server needs after warming up, it does not keep growing.
    assert!(
        late < early + 32 * 1024,
        "server memory grew from {early} KiB to {late} KiB"
    );
    drop(server);
}
