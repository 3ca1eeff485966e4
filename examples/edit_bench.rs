//! Measures `dateline watch`: the time from saving one entry to its updated page being on disk.
//!
//! `edit_bench --dateline target/release/dateline --root SITE [--edits 9]`
//!
//! SITE is a generated corpus (`examples/corpus`), already built. The watcher is started,
//! then one entry at a time gets a new sentence, saved the way editors save (a temporary file
//! renamed over the entry); the clock runs from the rename until the entry's page on disk has
//! the sentence. Waiting for the watcher's "Rebuilt" line before the next edit keeps edits
//! apart. Prints each edit, then the median, and the watcher's peak memory.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Watcher {
    child: Child,
    lines: Receiver<String>,
}

impl Watcher {
    fn start(dateline: &Path, root: &Path) -> Watcher {
        let mut child = Command::new(dateline)
            .args(["watch", "--no-ingest", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dateline watch");
        let stdout = child.stdout.take().expect("stdout");
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher { child, lines }
    }

    /// Waits for a stdout line starting with `prefix`; returns it.
    fn wait_for(&self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("no `{prefix}` line from dateline watch"));
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    /// Peak resident memory so far, from /proc (Linux).
    fn peak_rss_mib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The page of a generated entry: `/entries/<date>-<file stem>/`.
fn page_of(root: &Path, entry: &Path, text: &str) -> PathBuf {
    let date = text
        .lines()
        .find_map(|l| l.strip_prefix("date = "))
        .map(|d| d[..10].to_string())
        .expect("generated entries have a date");
    let stem = entry.file_stem().unwrap().to_string_lossy();
    root.join(format!("public/entries/{date}-{stem}/index.html"))
}

fn main() {
    let mut dateline = PathBuf::from("target/release/dateline");
    let mut root = PathBuf::new();
    let mut edits = 9usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dateline" => dateline = args.next().map(PathBuf::from).expect("--dateline PATH"),
            "--root" => root = args.next().map(PathBuf::from).expect("--root DIR"),
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).expect("--edits N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join("content/entries"))
        .expect("content/entries")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no entries under {}", root.display());

    let watcher = Watcher::start(&dateline, &root);
    let started = Instant::now();
    let built = watcher.wait_for("Built");
    println!(
        "first build: {built} (process up {} ms)",
        started.elapsed().as_millis()
    );

    // Earlier runs on the same corpus left their markers; this run's must be new.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    let mut times = Vec::new();
    for edit in 0..edits {
        let entry = &entries[(edit * 997 + 13) % entries.len()];
        let text = std::fs::read_to_string(entry).expect("read entry");
        let page = page_of(&root, entry, &text);
        // One token no other entry has, so the edit changes this entry's page and not how
        // entries group (shared words between edited entries could join their events).
        let marker = format!("Qz{edit}x{nonce}");
        let scratch = entry.with_extension("md.tmp");
        std::fs::write(&scratch, format!("{text}\n{marker}\n")).expect("write scratch");
        let saved = Instant::now();
        std::fs::rename(&scratch, entry).expect("save entry");
        loop {
            if std::fs::read_to_string(&page).is_ok_and(|html| html.contains(&marker)) {
                break;
            }
            assert!(
                saved.elapsed() < Duration::from_secs(120),
                "{} never showed the edit",
                page.display()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let took = saved.elapsed();
        let rebuilt = watcher.wait_for("Rebuilt");
        println!(
            "edit {edit}: {:>7.1} ms save → page on disk  ({rebuilt})",
            took.as_secs_f64() * 1000.0
        );
        times.push(took);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "median of {edits} edits: {:.1} ms (min {:.1}, max {:.1})",
        median.as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
    if let Some(rss) = watcher.peak_rss_mib() {
        println!("watcher peak RSS: {rss} MiB");
    }
}
