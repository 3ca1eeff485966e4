//! The bad-input corpus: `tests/bad-inputs/<NN-name>/` is a small site (or a folder of raw
//! articles) that is wrong in one way, with a `case.toml` saying what the user must see. Every
//! case runs the real binary in a temporary copy, under a bound on address space and CPU time
//! and a wall-clock deadline, and checks the exit status, the message (always naming the file),
//! that nothing panicked, that the files it must not touch are byte-identical, and what the built
//! site holds. Big inputs (50 MB, a 5 MB line, 100,000 nested tags) are generated here at run
//! time; links, named pipes, unreadable files and a full disk are made here too.
//!
//! `DATELINE_CASE=37 cargo test bad_inputs` runs the cases whose name contains `37`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::harness::copy_tree;

/// No single input may take longer than this on the wall clock.
const WALL_CLOCK: Duration = Duration::from_secs(60);
/// Address space for one run (`prlimit --as`): a runaway allocation fails instead of swapping.
const ADDRESS_SPACE: u64 = 2 << 30;
/// CPU seconds for one run (`prlimit --cpu`).
const CPU_SECONDS: u64 = 60;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    command: Vec<String>,
    exit: i32,
    /// Substrings the error output must contain, the file's name among them.
    stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    /// Files or folders that must be byte-identical after the command.
    #[serde(default)]
    preserved: Vec<String>,
    /// Commands run first (each must succeed), before `overlay/` is copied over the site.
    #[serde(default)]
    before: Vec<Vec<String>>,
    /// Generator for an input too big (or too odd) to commit; see [`setup`].
    #[serde(default)]
    setup: Option<String>,
    /// Cases needing their own test (privileges, mounts): skipped by the data-driven run.
    #[serde(default)]
    special: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// A tighter wall-clock bound than [`WALL_CLOCK`] for this case.
    #[serde(default)]
    max_seconds: Option<u64>,
    #[serde(default)]
    output_contains: Vec<Check>,
    #[serde(default)]
    output_absent: Vec<Check>,
}

/// A path relative to the site; with `text`, a file holding it (any file, for a folder).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    file: String,
    #[serde(default)]
    text: Option<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

/// Every case folder, sorted, with its `case.toml`.
fn cases() -> Vec<(String, Case)> {
    let mut found: Vec<(String, Case)> = fs::read_dir(corpus())
        .expect("tests/bad-inputs")
        .map(|item| item.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(path.join("case.toml"))
                .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
            let case: Case =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
            (name, case)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn case_named(wanted: &str) -> Case {
    let (_, case) = (cases().into_iter().find(|(name, _)| name == wanted))
        .unwrap_or_else(|| panic!("no case {wanted}"));
    case
}

/// A temporary copy of the case's site (without `case.toml` and `overlay/`).
fn site_of(name: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    for item in fs::read_dir(corpus().join(name)).unwrap() {
        let item = item.unwrap();
        let file_name = item.file_name();
        if file_name == "case.toml" || file_name == "overlay" {
            continue;
        }
        copy_tree(&item.path(), &site.path().join(&file_name));
    }
    site
}

/// How one bounded run ended.
struct Outcome {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Outcome {
    fn code(&self) -> String {
        use std::os::unix::process::ExitStatusExt;
        match (self.status.code(), self.status.signal()) {
            (Some(code), _) => format!("exit {code}"),
            (None, Some(signal)) => {
                format!("killed by signal {signal} (over the memory or CPU bound?)")
            }
            (None, None) => "no exit status".to_string(),
        }
    }
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `program args` in `dir` under the address-space and CPU bounds (prlimit, else the
/// shell's ulimit), killing it at `deadline`. `None` means it had to be killed: it hung.
fn run_bounded(
    dir: &Path,
    program: &[OsString],
    env: &BTreeMap<String, String>,
    deadline: Duration,
) -> Option<Outcome> {
    let mut command = if have("prlimit") {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={ADDRESS_SPACE}"))
            .arg(format!("--cpu={CPU_SECONDS}"))
            .arg("--");
        c
    } else {
        let mut c = Command::new("sh");
        let limits = format!(
            "ulimit -v {}; ulimit -t {CPU_SECONDS}; exec \"$@\"",
            ADDRESS_SPACE / 1024
        );
        c.args(["-c", &limits, "sh"]);
        c
    };
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    command
        .args(program)
        .current_dir(dir)
        .env_remove(dateline::templates::RENDER_TIMEOUT_VAR)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).unwrap())
        .stderr(fs::File::create(&err).unwrap());
    let started = Instant::now();
    let mut child = command.spawn().expect("run dateline");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap()).into_owned();
    Some(Outcome {
        status,
        stdout: read(&out),
        stderr: read(&err),
        took: started.elapsed(),
    })
}

fn dateline(args: &[String]) -> Vec<OsString> {
    let mut program = vec![OsString::from(env!("CARGO_BIN_EXE_dateline"))];
    program.extend(args.iter().map(OsString::from));
    program
}

/// Every file under `path` (or `path` itself) with its bytes, keyed by path relative to `root`;
/// links are recorded as where they point, never followed.
fn snapshot(root: &Path, path: &str) -> BTreeMap<String, Vec<u8>> {
    let start = root.join(path);
    if fs::symlink_metadata(&start).is_err() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(&start)
        .sort_by_file_name()
        .into_iter()
        .map(|item| item.unwrap())
        .filter(|item| !item.file_type().is_dir())
        .map(|item| {
            let name = item.path().strip_prefix(root).unwrap().to_string_lossy();
            let bytes = if item.file_type().is_file() {
                fs::read(item.path()).unwrap()
            } else {
                let target = fs::read_link(item.path()).unwrap_or_default();
                format!("-> {}", target.display()).into_bytes()
            };
            (name.into_owned(), bytes)
        })
        .collect()
}

/// The files a check looks at: the file, or every regular file under the folder.
fn files_under(root: &Path, path: &str) -> Vec<(String, Vec<u8>)> {
    snapshot(root, path)
        .into_iter()
        .filter(|(name, _)| root.join(name).is_file())
        .collect()
}

/// Runs one case in a copy of its folder: how long it took and what the user saw, or what
/// went wrong.
fn run_case(name: &str, case: &Case) -> Result<(Duration, String), String> {
    let site = site_of(name);
    let root = site.path();
    let deadline = case.max_seconds.map_or(WALL_CLOCK, Duration::from_secs);
    for args in &case.before {
        let Some(done) = run_bounded(root, &dateline(args), &BTreeMap::new(), WALL_CLOCK) else {
            return Err(format!("`dateline {}` (before) hung", args.join(" ")));
        };
        if !done.status.success() {
            return Err(format!(
                "`dateline {}` (before) failed:\n{}",
                args.join(" "),
                done.stderr
            ));
        }
    }
    let overlay = corpus().join(name).join("overlay");
    if overlay.is_dir() {
        copy_tree(&overlay, root);
    }
    if let Some(setup_name) = &case.setup {
        setup(setup_name, root);
    }
    let preserved: Vec<_> = (case.preserved.iter())
        .map(|path| (path, snapshot(root, path)))
        .collect();
    let Some(outcome) = run_bounded(root, &dateline(&case.command), &case.env, deadline) else {
        return Err(format!(
            "hung: `dateline {}` was killed after {} s",
            case.command.join(" "),
            deadline.as_secs()
        ));
    };
    let mut problems = check_outcome(case, &outcome);
    for (path, before) in preserved {
        if before.is_empty() {
            problems.push(format!("preserved `{path}` did not exist before the run"));
        } else if snapshot(root, path) != before {
            problems.push(format!("`{path}` changed: work was lost"));
        }
    }
    problems.extend(check_output(root, case));
    if problems.is_empty() {
        Ok((
            outcome.took,
            format!("{}{}", outcome.stderr, outcome.stdout),
        ))
    } else {
        Err(format!(
            "{}\n  ({}, {:.1} s)\n  stdout:\n{}\n  stderr:\n{}",
            problems.join("\n"),
            outcome.code(),
            outcome.took.as_secs_f64(),
            outcome.stdout,
            outcome.stderr
        ))
    }
}

/// Exit status, messages and the absence of a panic.
fn check_outcome(case: &Case, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if outcome.status.code() != Some(case.exit) {
        problems.push(format!(
            "expected exit {}, got {}",
            case.exit,
            outcome.code()
        ));
    }
    for panic in ["panicked", "RUST_BACKTRACE", "stack overflow"] {
        if outcome.stderr.contains(panic) {
            problems.push(format!("stderr shows `{panic}`"));
        }
    }
    for needle in &case.stderr {
        if !outcome.stderr.contains(needle.as_str()) {
            problems.push(format!("stderr lacks {needle:?}"));
        }
    }
    for needle in &case.stdout {
        if !outcome.stdout.contains(needle.as_str()) {
            problems.push(format!("stdout lacks {needle:?}"));
        }
    }
    problems
}

/// What the site holds afterwards.
fn check_output(root: &Path, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    for Check { file, text } in &case.output_contains {
        let files = files_under(root, file);
        match text {
            None if fs::symlink_metadata(root.join(file)).is_err() => {
                problems.push(format!("`{file}` is missing"));
            }
            None => {}
            Some(text) => {
                let has = |bytes: &Vec<u8>| String::from_utf8_lossy(bytes).contains(text.as_str());
                if !files.iter().any(|(_, bytes)| has(bytes)) {
                    problems.push(format!("no file at `{file}` holds {text:?}"));
                }
            }
        }
    }
    for Check { file, text } in &case.output_absent {
        match text {
            None if fs::symlink_metadata(root.join(file)).is_ok() => {
                problems.push(format!("`{file}` exists"));
            }
            None => {}
            Some(text) => {
                for (name, bytes) in files_under(root, file) {
                    if String::from_utf8_lossy(&bytes).contains(text.as_str()) {
                        problems.push(format!("`{name}` holds {text:?}"));
                    }
                }
            }
        }
    }
    problems
}

/// Makes what a case cannot commit: big generated inputs, links, named pipes.
fn setup(name: &str, root: &Path) {
    let write = |relative: &str, bytes: &[u8]| {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    match name {
        "fifty-mb-article" => write("articles/fifty.txt", &prose_article(50 << 20, true)),
        "five-mb-line" => write("articles/one-line.txt", &prose_article(5 << 20, false)),
        "nested-html" => {
            let n = 100_000;
            let page = format!(
                "<html><head><title>Deeply nested page about the talks</title></head><body>{}\
                 <p>The talks in Geneva resumed on Monday with both delegations and a mediator \
                 present, officials said.</p>{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            );
            write("articles/nested.html", page.as_bytes());
        }
        "nested-markdown" => {
            let n = 100_000;
            let body = format!(
                "{} deep\n\n{}\n\n{}x{}\n\n{}x{}\n",
                ">".repeat(n),
                (0..2_000)
                    .map(|i| format!("{}- item\n", "  ".repeat(i)))
                    .collect::<String>(),
                "[".repeat(n),
                "]".repeat(n),
                "<div>".repeat(n),
                "</div>".repeat(n)
            );
            let entry = format!("+++\ntitle = \"Nested\"\n+++\n\n{body}");
            write("content/entries/nested.md", entry.as_bytes());
        }
        "deep-arrays" => {
            let n = 100_000;
            let entry = format!(
                "+++\ntitle = \"Deep\"\ntags = {}{}\n+++\n",
                "[".repeat(n),
                "]".repeat(n)
            );
            write("content/entries/deep.md", entry.as_bytes());
        }
        "yaml-alias-bomb" => {
            let entry = format!(
                "---\ntitle: &t lol\nsummary: &a \"{}\"\nquotes:\n{}---\n",
                "lol".repeat(30_000),
                "  - {speaker: *t, text: *a}\n".repeat(1_000)
            );
            write("content/entries/laughs.md", entry.as_bytes());
        }
        "symlink-loop" => {
            let entries = root.join("content/entries");
            std::os::unix::fs::symlink("..", entries.join("up")).unwrap();
            std::os::unix::fs::symlink("b.md", entries.join("a.md")).unwrap();
            std::os::unix::fs::symlink("a.md", entries.join("b.md")).unwrap();
        }
        "symlinked-entry" => {
            let entries = root.join("content/entries");
            std::os::unix::fs::symlink("../../shared/shared.md", entries.join("shared.md"))
                .unwrap();
            std::os::unix::fs::symlink("nowhere.md", entries.join("gone.md")).unwrap();
        }
        "named-pipes" => {
            fs::create_dir_all(root.join("content/events")).unwrap();
            mkfifo(&root.join("content/entries/pipe.md"));
            mkfifo(&root.join("content/events/live.md"));
        }
        "sidecar-pipe" => mkfifo(&root.join("articles/a.toml")),
        other => panic!("unknown setup `{other}`"),
    }
}

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap_or_else(|e| panic!("mkfifo {}: {e}", path.display()));
}

/// A scrape of `size` bytes of varied prose under a headline, in paragraphs or as one line.
fn prose_article(size: usize, paragraphs: bool) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "delegations",
        "ceasefire",
        "Geneva",
        "talks",
        "the exchange of prisoners",
        "displaced",
        "families",
        "mediator",
        "on Tuesday",
        "spokesman",
        "statement",
        "border",
        "shelling",
        "villages",
        "humanitarian",
        "corridor",
        "observers",
        "agreement",
        "and",
        "the",
    ];
    let headline = if paragraphs {
        "A headline over fifty megabytes of text"
    } else {
        "A headline over one very long line"
    };
    let mut text = format!("{headline}\n\n").into_bytes();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut sentence = 0;
    while text.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let word = WORDS[(state % WORDS.len() as u64) as usize];
        text.extend_from_slice(word.as_bytes());
        sentence += 1;
        let end = if sentence % 12 == 0 { ". " } else { " " };
        text.extend_from_slice(end.as_bytes());
        if paragraphs && sentence % 60 == 0 {
            text.extend_from_slice(b"\n\n");
        }
    }
    text.push(b'\n');
    text
}

#[test]
fn every_bad_input_gives_a_clear_message_and_loses_nothing() {
    let only = std::env::var("DATELINE_CASE").unwrap_or_default();
    let all = cases();
    assert!(all.len() >= 30, "the corpus has {} cases", all.len());
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, case) in &all {
        assert!(!case.description.is_empty(), "{name}: no description");
        assert!(
            case.exit == 0 || !case.stderr.is_empty(),
            "{name}: a failing case must say which message it expects"
        );
        if case.special.is_some() || !name.contains(&only) {
            continue;
        }
        ran += 1;
        match run_case(name, case) {
            Ok((took, said)) => {
                eprintln!("{name}: ok ({:.1} s)", took.as_secs_f64());
                for line in said.lines().filter(|l| !l.trim().is_empty()).take(8) {
                    eprintln!("    {line}");
                }
            }
            Err(problem) => failures.push(format!("{name}: {problem}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran > 0 || !only.is_empty(), "no case ran");
}

/// Whether `path` can be read by a process started through `wrapper`.
fn readable_through(wrapper: &[&str], path: &Path) -> bool {
    let (program, rest) = match wrapper.split_first() {
        Some((program, rest)) => (*program, rest),
        None => ("cat", &[][..]),
    };
    let mut command = Command::new(program);
    command.args(rest);
    if !wrapper.is_empty() {
        command.arg("cat");
    }
    command
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn unreadable_files_are_named() {
    let case = case_named("44-unreadable-files");
    let site = site_of("44-unreadable-files");
    let root = site.path();
    use std::os::unix::fs::PermissionsExt;
    let locked = [
        "content/entries/locked.md",
        "articles/locked.txt",
        "content/private",
    ];
    let chmod = |mode: u32| {
        for path in locked {
            fs::set_permissions(root.join(path), fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    chmod(0o000);
    // Root reads anything; without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH it obeys chmod.
    let drop_caps = [
        "setpriv",
        "--bounding-set=-dac_override,-dac_read_search",
        "--",
    ];
    let probe = root.join("content/entries/locked.md");
    let wrapper: &[&str] = if !readable_through(&[], &probe) {
        &[]
    } else if have("setpriv") && !readable_through(&drop_caps, &probe) {
        &drop_caps
    } else {
        chmod(0o755);
        eprintln!(
            "skipped: this process reads files whatever their mode (root), and setpriv cannot \
             drop the capabilities that allow it here"
        );
        return;
    };
    let mut program: Vec<OsString> = wrapper.iter().map(OsString::from).collect();
    program.extend(dateline(&case.command));
    let outcome = run_bounded(root, &program, &BTreeMap::new(), WALL_CLOCK);
    chmod(0o755);
    let outcome = outcome.expect("unreadable files: dateline hung");
    let problems = check_outcome(&case, &outcome);
    eprintln!(
        "44-unreadable-files ({}):\n{}",
        outcome.code(),
        outcome.stderr
    );
    assert!(
        problems.is_empty(),
        "{}\n{}\n{}",
        problems.join("\n"),
        outcome.code(),
        outcome.stderr
    );
}

/// The entry that overflows the disk: a few MB of text.
fn big_entry(root: &Path) {
    let text = format!(
        "+++\ntitle = \"Big\"\ndate = 2020-10-12\n+++\n\n{}\n",
        "A long report. ".repeat(200_000)
    );
    fs::write(root.join("content/entries/big.md"), text).unwrap();
}

/// A full disk under the output: a 1 MiB tmpfs in a private mount namespace (root, and a
/// kernel that allows it), holding the output of a first build; then a second build whose
/// site no longer fits. Its message must name the page, and the first output must survive.
#[test]
fn a_full_disk_keeps_the_previous_output() {
    let case = case_named("45-full-disk");
    let site = site_of("45-full-disk");
    let root = site.path();
    let bin = env!("CARGO_BIN_EXE_dateline");
    // First build into the tmpfs, wait for the test to add the big entry (at most 60 s), then
    // the build that cannot fit; copies of the output before and after are kept outside it.
    let script = format!(
        r#"set -e
mkdir out
mount -t tmpfs -o size=1m tmpfs out 2>/dev/null || exit 99
'{bin}' build --no-ingest --output out/public >/dev/null
cp -a out/public before
touch ready
i=0
while [ ! -e go ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
set +e
'{bin}' {} --output out/public >run.stdout 2>run.stderr
echo $? >run.status
cp -a out/public after
ls -A out >out.list
"#,
        case.command.join(" ")
    );
    let mut child = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let started = Instant::now();
    let mounted = match &mut child {
        Ok(child) => loop {
            if root.join("ready").exists() {
                break true;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > WALL_CLOCK {
                let _ = child.kill();
                break false;
            }
            std::thread::sleep(Duration::from_millis(20));
        },
        Err(_) => false,
    };
    if mounted {
        big_entry(root);
        fs::File::create(root.join("go")).unwrap().flush().unwrap();
        let child = child.unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = fs::read_to_string(root.join("run.stderr")).unwrap();
        let status = fs::read_to_string(root.join("run.status")).unwrap();
        eprintln!("45-full-disk, tmpfs (exit {}):\n{stderr}", status.trim());
        assert_eq!(status.trim(), case.exit.to_string(), "{stderr}");
        for needle in &case.stderr {
            assert!(
                stderr.contains(needle.as_str()),
                "stderr lacks {needle:?}:\n{stderr}"
            );
        }
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            snapshot(root, "after").len(),
            snapshot(root, "before").len()
        );
        let strip = |tree: BTreeMap<String, Vec<u8>>, prefix: &str| -> BTreeMap<String, Vec<u8>> {
            let strip = |k: String| k.trim_start_matches(prefix).to_string();
            tree.into_iter().map(|(k, v)| (strip(k), v)).collect()
        };
        assert!(
            strip(snapshot(root, "after"), "after") == strip(snapshot(root, "before"), "before"),
            "the previous output changed"
        );
        let left = fs::read_to_string(root.join("out.list")).unwrap();
        assert_eq!(left.trim(), "public", "staging left behind: {left}");
    } else {
        eprintln!(
            "a tmpfs cannot be mounted here: the full disk is simulated by a file-size limit"
        );
    }
    full_disk_by_file_size_limit(&case);
}

/// The same without privileges: a 1 MiB file-size limit (SIGXFSZ ignored, so writes fail
/// with EFBIG as they would with ENOSPC) on the second build.
fn full_disk_by_file_size_limit(case: &Case) {
    let site = site_of("45-full-disk");
    let root = site.path();
    let first = run_bounded(
        root,
        &dateline(&["build".into(), "--no-ingest".into()]),
        &BTreeMap::new(),
        WALL_CLOCK,
    )
    .expect("first build hung");
    assert!(first.status.success(), "{}", first.stderr);
    let before = snapshot(root, "public");
    big_entry(root);
    let mut program: Vec<OsString> = [
        "sh",
        "-c",
        "trap '' XFSZ; exec prlimit --fsize=1048576 -- \"$@\"",
        "sh",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    program.extend(dateline(&case.command));
    if !have("prlimit") {
        eprintln!("skipped the file-size limit: prlimit is missing");
        return;
    }
    let outcome = run_bounded(root, &program, &BTreeMap::new(), WALL_CLOCK).expect("hung");
    let mut problems = check_outcome(case, &outcome);
    eprintln!(
        "45-full-disk, file-size limit ({}):\n{}",
        outcome.code(),
        outcome.stderr
    );
    if !outcome.stderr.contains("File too large") {
        problems.push("stderr lacks the reason `File too large`".into());
    }
    if snapshot(root, "public") != before {
        problems.push("the previous output changed".into());
    }
    let left: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    if !left.is_empty() {
        problems.push(format!("staging left behind: {left:?}"));
    }
    assert!(
        problems.is_empty(),
        "{}\n{}",
        problems.join("\n"),
        outcome.stderr
    );
}
