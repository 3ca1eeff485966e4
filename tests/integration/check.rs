//! `dateline new` (a hand-written entry that loads and builds, never over another file) and
//! `dateline check` (every problem listed at once, one line each, nothing written).

use dateline::content::front_matter;

use crate::harness::{Run, TestSite};

const SITE_TOML: &str = "title = \"Check\"\nbase_url = \"https://example.org/\"\n";

fn site() -> TestSite {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    site
}

/// An entry file: TOML front matter from `fields` (one per line) and a body.
fn entry(fields: &[&str], body: &str) -> String {
    format!("+++\n{}\n+++\n\n{body}\n", fields.join("\n"))
}

/// The report lines of a check run (problems, then the summary).
fn lines(run: &Run) -> Vec<String> {
    run.stdout().lines().map(str::to_string).collect()
}

#[track_caller]
fn assert_reported(run: &Run, line: &str) {
    let stdout = run.stdout();
    assert!(
        stdout.lines().any(|l| l.starts_with(line)),
        "no line starting with {line:?}:\n{stdout}"
    );
}

// ---- dateline new ----

#[test]
fn new_writes_an_entry_and_prints_its_path() {
    let site = site();
    let run = site.run(&[
        "new",
        "Kremlin makes first statement",
        "--date",
        "2020-09-28",
        "--outlet",
        "Sputnik",
        "--url",
        "https://sputniknews.com/x",
    ]);
    let path = "content/entries/2020-09-28-kremlin-makes-first-statement.md";
    assert_eq!(run.success().stdout().trim(), path);
    let text = site.read(path);
    let parsed = front_matter::parse(&text).expect("the new entry parses");
    let fm = &parsed.front_matter;
    assert_eq!(fm.title, "Kremlin makes first statement");
    assert_eq!(
        fm.date.map(|d| d.to_string()).as_deref(),
        Some("2020-09-28")
    );
    assert_eq!(fm.outlet.as_deref(), Some("Sputnik"));
    assert_eq!(fm.url.as_deref(), Some("https://sputniknews.com/x"));
    assert!(!fm.review);
    assert!(
        parsed.body.contains("Write the text of the report here"),
        "{text}"
    );
}

#[test]
fn new_never_overwrites_an_entry() {
    let site = site();
    let existing = entry(&["title = \"Mine\""], "An editor's text.");
    site.write("content/entries/2020-09-28-kremlin.md", &existing);
    site.run(&["new", "Kremlin", "--date", "2020-09-28"])
        .failure()
        .stderr_has("content/entries/2020-09-28-kremlin.md")
        .stderr_has("already exists");
    assert_eq!(site.read("content/entries/2020-09-28-kremlin.md"), existing);
}

#[test]
fn new_refuses_bad_dates_urls_and_headlines_without_writing() {
    let site = site();
    site.run(&["new", "Talks", "--date", "2020-02-30"])
        .failure()
        .stderr_has("`--date`")
        .stderr_has("2020-09-28T14:33:00+03:00");
    site.run(&["new", "Talks", "--date", "last Tuesday"])
        .failure()
        .stderr_has("`--date`");
    site.run(&["new", "Talks", "--url", "ftp://example.com/x"])
        .failure()
        .stderr_has("`--url`")
        .stderr_has("https://");
    site.run(&["new", "?!… --"])
        .failure()
        .stderr_has("no letters or digits");
    assert!(!site.path("content").exists(), "nothing was written");
}

#[test]
fn new_headline_with_quotes_and_backslashes_round_trips() {
    let site = site();
    let headline = r#"Peskov: "We are \ against" it's C:\new \"x\""#;
    let run = site.run(&["new", headline]);
    let path = run.success().stdout().trim().to_string();
    assert_eq!(
        path,
        "content/entries/peskov-we-are-against-it-s-c-new-x.md"
    );
    let text = site.read(&path);
    let parsed = front_matter::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.front_matter.title, headline);
    assert_eq!(parsed.front_matter.date, None);
}

#[test]
fn new_entry_builds_and_checks_clean() {
    let site = site();
    site.run(&[
        "new",
        "Talks resume in Geneva",
        "--date",
        "2020-10-01T09:30",
    ])
    .success();
    site.run(&["check"]).success();
    site.build(&["--no-ingest"]).success();
    let page = site.read("public/entries/2020-10-01-talks-resume-in-geneva/index.html");
    assert!(page.contains("Talks resume in Geneva"), "{page}");
}

// ---- dateline check ----

#[test]
fn clean_site_passes_and_nothing_is_written() {
    let site = site();
    site.write(
        "content/entries/2020-09-28-statement.md",
        &entry(&["title = \"Statement\"", "date = 2020-09-28"], "Text."),
    );
    let before = site.tree("");
    let run = site.run(&["check"]);
    run.success();
    assert_eq!(
        lines(&run),
        ["0 errors, 0 warnings (1 entry, 1 event checked)"]
    );
    assert!(!site.path("public").exists(), "check writes no output");
    assert_eq!(site.tree(""), before, "check changes no file");
}

#[test]
fn front_matter_errors_are_listed_with_file_and_line() {
    let site = site();
    site.write(
        "content/entries/bad.md",
        "+++\ntitle = \"x\"\npeople = \"Dmitry Peskov\"\n+++\n",
    );
    site.write("content/entries/open.md", "+++\ntitle = \"y\"\n");
    let run = site.run(&["check"]);
    run.failure()
        .stderr_has("Error: dateline check found 2 errors");
    assert_reported(
        &run,
        "error: content/entries/bad.md:3: field `people`: `people` must be",
    );
    assert_reported(&run, "error: content/entries/open.md:1: ");
    assert!(!site.path("public").exists());
}

#[test]
fn an_event_no_one_else_names_is_an_error_with_the_closest_slugs() {
    let site = site();
    site.write(
        "content/events/peskov-warns-turkey.md",
        &entry(&["title = \"Peskov warns Turkey\""], ""),
    );
    let forced = |event: &str| entry(&["title = \"x\"", &format!("event = \"{event}\"")], "");
    site.write("content/entries/typo.md", &forced("peskov-warn-turkey"))
        .write("content/entries/curated.md", &forced("peskov-warns-turkey"))
        .write("content/entries/shared-1.md", &forced("talks"))
        .write("content/entries/shared-2.md", &forced("talks"));
    let run = site.run(&["check"]);
    run.failure();
    assert_reported(
        &run,
        "error: content/entries/typo.md:3: `event = \"peskov-warn-turkey\"` names no curated event",
    );
    assert!(
        run.stdout()
            .contains("did you mean `peskov-warns-turkey`? Or create")
    );
    assert_eq!(
        run.stdout().matches("error:").count(),
        1,
        "{}",
        run.stdout()
    );
}

#[test]
fn not_with_naming_no_entry_is_a_warning() {
    let site = site();
    site.write(
        "content/entries/a.md",
        &entry(
            &[
                "title = \"A\"",
                "not_with = [\n  \"b.md\",\n  \"ghost\",\n]",
            ],
            "",
        ),
    )
    .write("content/entries/b.md", &entry(&["title = \"B\""], ""));
    let run = site.run(&["check"]);
    run.success();
    assert_reported(
        &run,
        "warning: content/entries/a.md:5: `not_with` names `ghost`",
    );
    assert_eq!(lines(&run).len(), 2, "{}", run.stdout());
    assert!(run.stdout().contains("0 errors, 1 warning (2 entries"));
}

#[test]
fn duplicate_urls_name_both_files() {
    let site = site();
    let text = entry(&["title = \"Call\"", "date = 2020-09-27"], "");
    site.write("content/entries/phone-call.md", &text)
        .write("content/entries/other/phone-call.md", &text);
    let run = site.run(&["check"]);
    run.failure();
    for file in [
        "content/entries/other/phone-call.md",
        "content/entries/phone-call.md",
    ] {
        assert_reported(
            &run,
            &format!("error: {file}: has the same URL `/entries/2020-09-27-phone-call/`"),
        );
    }
}

#[test]
fn broken_internal_links_are_errors_and_good_ones_are_not() {
    let site = site();
    site.write("static/img/map.png", "png")
        .write(
            "content/events/talks.md",
            &entry(&["title = \"Talks\""], "[back](/)"),
        )
        .write(
            "content/entries/2020-09-27-call.md",
            &entry(
                &["title = \"Call\"", "date = 2020-09-27", "outlet = \"RT\""],
                "Text.",
            ),
        );
    let good = "[e](/entries/2020-09-27-call/) [r](../2020-09-27-call/#x) [ev](/events/talks/) \
        [o](/outlets/rt/) [m](/timeline/2020-09/) [s](/search/) [css](/style.css) \
        [feed](/atom.xml) [x](https://example.com/nope/) [a](#top) ![map](/img/map.png) \
        [pct](/outlets/%72%74/) [bare](/search) [ix](/events/talks/index.html) [m](mailto:a@b.org)";
    let body =
        format!("{good}\n\nSee [this](/entries/2020-09-01-call/).\n\n![gone](../../img/gone.png)");
    site.write(
        "content/entries/2020-09-28-links.md",
        &entry(&["title = \"Links\"", "date = 2020-09-28"], &body),
    );
    let run = site.run(&["check"]);
    run.failure();
    let file = "content/entries/2020-09-28-links.md";
    assert_reported(
        &run,
        &format!("error: {file}:8: link to `/entries/2020-09-01-call/` leads nowhere"),
    );
    assert!(
        run.stdout()
            .contains("did you mean `/entries/2020-09-27-call/`?")
    );
    assert_reported(
        &run,
        &format!("error: {file}:10: image to `../../img/gone.png` leads nowhere"),
    );
    assert!(run.stdout().contains("resolves to `/img/gone.png`"));
    assert!(
        run.stdout().contains("2 errors, 0 warnings"),
        "{}",
        run.stdout()
    );
}

#[test]
fn entries_for_review_are_warnings_and_errors_when_strict() {
    let site = site();
    let fields = [
        "title = \"Undated\"",
        "review = true",
        "review_reasons = [\"no publication date found\", \"no outlet found\"]",
    ];
    site.write("content/entries/undated.md", &entry(&fields, ""));
    let expected =
        "content/entries/undated.md:3: needs review: no publication date found; no outlet found";
    let run = site.run(&["check"]);
    run.success();
    assert_reported(&run, &format!("warning: {expected}"));
    let strict = site.run(&["check", "--strict"]);
    strict.failure().stderr_has("found 1 error");
    assert_reported(&strict, &format!("error: {expected}"));
}

#[test]
fn several_problems_are_all_listed_sorted_by_file_and_line() {
    let site = site();
    site.write(
        "content/entries/a.md",
        "+++\ntitle = \"A\"\ndate = \"2020-02-30\"\n+++\n",
    )
    .write(
        "content/entries/b.md",
        &entry(
            &["title = \"B\"", "event = \"nowhere\"", "review = true"],
            "[x](/events/nope/)",
        ),
    )
    .write(
        "content/entries/c.md",
        &entry(&["title = \"C\"", "not_with = [\"zzz\"]"], ""),
    )
    .write(
        "content/entries/d.md",
        &entry(&["title = \"D\"", "draft = true"], ""),
    );
    let run = site.run(&["check"]);
    run.failure();
    let prefixes: Vec<String> = lines(&run)
        .iter()
        .map(|l| l.split(": ").take(2).collect::<Vec<_>>().join(": "))
        .collect();
    assert_eq!(
        prefixes,
        [
            "error: content/entries/a.md:3",
            "error: content/entries/b.md:3",
            "warning: content/entries/b.md:4",
            "error: content/entries/b.md:7",
            "warning: content/entries/c.md:3",
            "3 errors, 2 warnings (2 entries, 2 events checked)",
        ]
    );
}
