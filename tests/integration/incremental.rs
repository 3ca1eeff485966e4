//! Incremental rebuilds (`watch`, `serve`): after every kind of edit, the updated output must be
//! byte-identical to a whole build of the same files, and a small edit must rewrite few files.

use std::collections::BTreeMap;

use dateline::site::incremental::{Changes, Session};
use dateline::site::{BuildOptions, Site};

use crate::harness::TestSite;

fn options(site: &TestSite) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        ..BuildOptions::default()
    }
}

/// A whole build of the site as it is now, into `fresh/`.
fn whole_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let mut options = options(site);
    options.output = Some(site.path("fresh"));
    let _ = std::fs::remove_dir_all(site.path("fresh"));
    Site::load(&options).unwrap().build().unwrap();
    site.tree("fresh")
}

fn assert_same_as_whole_build(site: &TestSite, step: &str) {
    let live = site.tree("public");
    let fresh = whole_build(site);
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&live), names(&fresh), "after {step}: different files");
    for (name, bytes) in &fresh {
        assert!(
            live[name] == *bytes,
            "after {step}: `{name}` differs from a whole build"
        );
    }
}

fn content() -> Changes {
    Changes {
        content: true,
        ..Changes::default()
    }
}

const NEW_ENTRY: &str = r#"+++
title = "Ceasefire announced in Moscow"
date = 2020-10-10
outlet = "Reuters"
people = ["Sergei Lavrov"]
places = ["Moscow"]
+++

Foreign ministers agreed a humanitarian ceasefire after ten hours of talks in Moscow.
"#;

#[test]
fn every_kind_of_edit_matches_a_whole_build() {
    let site = TestSite::fixture("basic");
    let (mut session, first) = Session::start(&options(&site)).unwrap();
    assert!(first.written.len() > 20, "{:?}", first.written);
    assert_same_as_whole_build(&site, "the first build");

    // Editing one entry's text rewrites its page and the pages showing it, not every page.
    let entry = ENTRY;
    let text = site
        .read(entry)
        .replace("was [concerned]", "was [deeply concerned]");
    site.write(entry, &text);
    let update = session.rebuild(&content()).unwrap();
    assert!(!update.whole);
    let written = &update.report.written;
    assert!(written.contains(&"entries/2020-09-28-kremlin-statement/index.html".to_string()));
    assert!(!written.contains(&"entries/2020-09-27-phone-call/index.html".to_string()));
    assert!(!written.contains(&"style.css".to_string()));
    assert!(written.len() < first.written.len() / 2, "{written:?}");
    assert_same_as_whole_build(&site, "a body edit");

    // A new title changes the event, its outlet, people and place pages, and the index.
    let text = site.read(entry).replace(
        "Kremlin makes first statement",
        "Kremlin makes a first statement on Karabakh",
    );
    site.write(entry, &text);
    session.rebuild(&content()).unwrap();
    assert_same_as_whole_build(&site, "a title edit");

    // A new entry adds pages (a new outlet and person); deleting it removes them again.
    site.write("content/entries/ceasefire.md", NEW_ENTRY);
    let update = session.rebuild(&content()).unwrap();
    assert!(
        update
            .report
            .written
            .iter()
            .any(|f| f.starts_with("outlets/reuters/"))
    );
    assert_same_as_whole_build(&site, "adding an entry");
    site.remove("content/entries/ceasefire.md");
    let update = session.rebuild(&content()).unwrap();
    assert!(
        update
            .report
            .removed
            .iter()
            .any(|f| f.starts_with("outlets/reuters/"))
    );
    assert!(!site.path("public/outlets/reuters").exists());
    assert_same_as_whole_build(&site, "removing an entry");

    // A date change moves the entry's page to a new URL.
    let text = site
        .read(entry)
        .replace("date = 2020-09-28T14:33:00", "date = 2020-09-29T09:00:00");
    site.write(entry, &text);
    session.rebuild(&content()).unwrap();
    assert!(
        site.path("public/entries/2020-09-29-kremlin-statement/index.html")
            .exists()
    );
    assert!(
        !site
            .path("public/entries/2020-09-28-kremlin-statement")
            .exists()
    );
    assert_same_as_whole_build(&site, "a date change");

    // A curated event.
    site.write(
        "content/events/first-statement.md",
        "+++\ntitle = \"The Kremlin's first statement\"\nsummary = \"Moscow speaks.\"\n+++\n",
    );
    session.rebuild(&content()).unwrap();
    assert_same_as_whole_build(&site, "a curated event");

    // A template override re-renders every page using it.
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Nothing here</h1>{% endblock main %}",
    );
    let update = session
        .rebuild(&Changes {
            templates: true,
            ..Changes::default()
        })
        .unwrap();
    assert!(update.report.written.contains(&"404.html".to_string()));
    assert_same_as_whole_build(&site, "a template override");

    // A stylesheet: every page links it with its version, so every page follows.
    site.write("static/style.css", "body { color: navy }\n");
    let update = session
        .rebuild(&Changes {
            statics: true,
            stylesheets_only: true,
            ..Changes::default()
        })
        .unwrap();
    assert!(update.report.written.contains(&"style.css".to_string()));
    assert_same_as_whole_build(&site, "a stylesheet");

    // site.toml: everything is reloaded.
    let config = site
        .read("site.toml")
        .replace("title = ", "title = \"Renamed\"\n#");
    site.write("site.toml", &config);
    let update = session
        .rebuild(&Changes {
            config: true,
            ..Changes::default()
        })
        .unwrap();
    assert!(update.whole);
    assert_same_as_whole_build(&site, "a site.toml change");

    // Saving without changes writes nothing.
    let update = session.rebuild(&content()).unwrap();
    assert!(update.report.written.is_empty() && update.report.removed.is_empty());
}

#[test]
fn a_failed_rebuild_keeps_the_output_and_is_retried() {
    let site = TestSite::fixture("basic");
    let (mut session, _) = Session::start(&options(&site)).unwrap();
    let before = site.tree("public");

    site.write("content/entries/broken.md", "+++\ntitle = \"Broken\n");
    let error = session.rebuild(&content()).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("content/entries/broken.md:1"), "{message}");
    assert_eq!(site.tree("public"), before, "a failed rebuild wrote output");

    // A broken template: the error names it, nothing is written, and the template change is
    // remembered, so fixing a different file later still applies it once it compiles.
    site.remove("content/entries/broken.md");
    site.write("templates/404.html", "{% if %}");
    let templates = Changes {
        templates: true,
        ..Changes::default()
    };
    let message = format!("{:#}", session.rebuild(&templates).unwrap_err());
    assert!(message.contains("templates/404.html"), "{message}");
    assert_eq!(site.tree("public"), before);
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Gone</h1>{% endblock main %}",
    );
    session.rebuild(&content()).unwrap();
    assert!(site.read("public/404.html").contains("<h1>Gone</h1>"));
    assert_same_as_whole_build(&site, "fixing the template");
}

#[test]
fn a_removed_output_folder_is_rebuilt_whole() {
    let site = TestSite::fixture("basic");
    let (mut session, _) = Session::start(&options(&site)).unwrap();
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let update = session.rebuild(&content()).unwrap();
    assert!(update.whole);
    assert_same_as_whole_build(&site, "removing the output");
}

/// The `watch` command end to end: saves through a temporary file and a rename (as editors
/// do) are picked up, a broken save leaves the output alone, and Ctrl-C ends it cleanly.
#[test]
fn watch_follows_saves_and_survives_bad_ones() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let site = TestSite::fixture("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["watch", "--no-ingest"])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // What it prints on both streams, in one channel.
    let (send, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = send.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = out.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    let wait_line = |needle: &str| loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("watch never printed `{needle}`"));
        if line.contains(needle) {
            break;
        }
    };
    wait_line("Watching");
    let page = "public/entries/2020-09-28-kremlin-statement/index.html";
    let wait_page = |needle: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !std::fs::read_to_string(site.path(page)).is_ok_and(|p| p.contains(needle)) {
            assert!(
                Instant::now() < deadline,
                "the page never showed `{needle}`"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let save = |text: &str| {
        let scratch = site.path(&format!("{ENTRY}.tmp"));
        std::fs::write(&scratch, text).unwrap();
        std::fs::rename(&scratch, site.path(ENTRY)).unwrap();
    };
    // Editors' scratch files alone change nothing in the output.
    site.write("content/entries/.phone-call.md.swp", "binary swap data");
    site.write("content/entries/4913", "");
    let original = site.read(ENTRY);
    save(&original.replace("first statement", "renamed statement"));
    wait_page("renamed statement");
    // The entry's page may be written before the other changed files: wait for the end.
    wait_line("Rebuilt in");

    let before = site.tree("public");
    save("+++\ntitle = \"Unterminated\n");
    wait_line("kremlin-statement.md");
    let after = site.tree("public");
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|f| before.get(*f) != after.get(*f))
        .collect();
    assert!(changed.is_empty(), "a failed rebuild changed {changed:?}");
    save(&original.replace("first statement", "fixed statement"));
    wait_page("fixed statement");

    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "watch did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

const ENTRY: &str = "content/entries/2020-09-28-kremlin-statement.md";

#[test]
fn a_new_article_is_ingested_and_built() {
    let site = TestSite::fixture("basic");
    let (mut session, _) = Session::start(&options(&site)).unwrap();
    site.write(
        "articles/wire.txt",
        "Ceasefire talks resume in Moscow\n\nMOSCOW, October 9, 2020 — Foreign ministers of Armenia and Azerbaijan met in Moscow for talks on a humanitarian ceasefire, the Russian foreign ministry said.\n",
    );
    let update = session
        .rebuild(&Changes {
            articles: true,
            ..Changes::default()
        })
        .unwrap();
    let ingested = update.ingested.expect("ingest ran");
    assert_eq!(ingested.created.len(), 1, "{ingested:?}");
    assert!(
        site.path("content/entries")
            .read_dir()
            .unwrap()
            .flatten()
            .any(|e| e
                .file_name()
                .to_string_lossy()
                .contains("ceasefire-talks-resume"))
    );
    assert!(
        update
            .report
            .written
            .iter()
            .any(|f| f.starts_with("entries/2020-10-09-ceasefire-talks-resume")),
        "{:?}",
        update.report.written
    );
    assert_same_as_whole_build(&site, "ingesting an article");
}
