//! Inputs that crashed a fuzz target (`fuzz/fuzz_targets/`, run by `bench/fuzz.sh`), replayed
//! through the same public API as the target. Each input also stays in `fuzz/corpus/TARGET/`
//! as `crash-<what>`, so the fuzzers keep exercising it.

use std::path::PathBuf;

use dateline::config::IngestConfig;
use dateline::content::{Entry, front_matter};
use dateline::ingest::article::{Analyzer, Article};
use dateline::ingest::sidecar::Sidecar;
use dateline::ingest::{article_entry, entry_file};
use dateline::site::{BuildOptions, Site};

/// The site of the `build_site` target: one entry, `content/entries/x.md`, built in place.
fn build_one_entry(entry: &[u8]) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"Fuzz\"\nbase_url = \"https://example.org/repo/\"\ntimezone = \"Europe/Moscow\"\n",
    )?;
    std::fs::create_dir_all(root.join("content/entries"))?;
    std::fs::write(root.join("content/entries/x.md"), entry)?;
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        include_drafts: true,
        ..BuildOptions::default()
    };
    Site::load(&options)?.build()?;
    Ok(())
}

/// What the `ingest_text` and `ingest_html` targets do: `dateline ingest` for one article,
/// returning what it found and the entry text it would write.
fn ingest(bytes: &[u8], is_html: bool) -> (Article, String) {
    let analyzer = Analyzer::new(&IngestConfig::default()).unwrap();
    let raw_hash = entry_file::raw_hash(bytes, None);
    article_entry(
        &analyzer,
        bytes,
        is_html,
        &Sidecar::default(),
        "articles/x",
        &raw_hash,
    )
    .unwrap()
}

/// chrono reads `+262142-12-31T23:00:00Z`, but in Moscow that instant is already in 262143,
/// past chrono's last day: `Entry::new` panicked asking for its local day. Front matter now
/// refuses years outside 0001-9999, which pages, URLs and feeds can show.
const FAR_YEAR: &[u8] =
    include_bytes!("../../fuzz/corpus/front_matter/crash-year-past-chrono-limit.md");

#[test]
fn a_year_past_chrono_limits_is_a_date_error() {
    let text = std::str::from_utf8(FAR_YEAR).unwrap();
    let err = front_matter::parse(text).unwrap_err();
    assert_eq!(
        (err.line, err.field.as_deref()),
        (3, Some("date")),
        "{err:?}"
    );
    assert!(err.message.contains("0001 to 9999"), "{err:?}");
}

#[test]
fn a_year_past_chrono_limits_fails_the_build_without_a_panic() {
    let err = format!("{:#}", build_one_entry(FAR_YEAR).unwrap_err());
    assert!(
        err.contains("x.md") && err.contains("0001 to 9999"),
        "{err}"
    );
}

#[test]
fn the_last_four_digit_instant_builds_in_every_zone() {
    let text = "+++\ntitle = \"Last\"\ndate = \"9999-12-31T23:59:59-12:00\"\n+++\n\nBody.\n";
    let parsed = front_matter::parse(text).unwrap();
    // 11:59:59 UTC on 1 January 10000: the 1st in Moscow, already the 2nd at UTC+14.
    for (timezone, day) in [
        (chrono_tz::Europe::Moscow, "+10000-01-01"),
        (chrono_tz::Pacific::Kiritimati, "+10000-01-02"),
    ] {
        let file = PathBuf::from("content/entries/x.md");
        let entry = Entry::new(file, parsed.front_matter.clone(), String::new(), timezone);
        assert_eq!(entry.site_path, format!("/entries/{day}-x/"));
    }
    build_one_entry(text.as_bytes()).unwrap();
}

/// Not a crash in dateline but in the target's check that an error names a line of the file:
/// YAML also ends a line at a lone `\r`, so its line numbers count those too (line 61 of a file
/// with 14 `\n`). The check now counts lines as YAML does. The fuzzer's input also held NULs,
/// which are now refused (on line 2) before YAML reads the block, so the case is also written
/// out plainly: an error after lone carriage returns.
#[test]
fn a_yaml_error_after_lone_carriage_returns_names_a_yaml_line() {
    let yaml_lines = |text: &str| text.replace("\r\n", "\n").matches(['\r', '\n']).count() + 1;
    let bytes = include_bytes!("../../fuzz/corpus/front_matter/crash-yaml-lone-cr-line-count.md");
    let found = String::from_utf8_lossy(bytes);
    let written = "---\ntitle: a\r\r\r\r\rdate: [2020\n---\n\nBody.\n";
    for text in [&*found, written] {
        let err = front_matter::parse(text).unwrap_err();
        assert!(err.line >= 1 && err.line <= yaml_lines(text), "{err:?}");
    }
    let err = front_matter::parse(written).unwrap_err();
    assert!(err.line > written.matches('\n').count(), "{err:?}");
}

/// A scrape with no headline gets a title made from its first sentence; a paragraph opening
/// with ". " made that sentence ".", and the title empty once its final period was dropped.
/// Ingest wrote `title = ""`, which the next build refused.
#[test]
fn an_article_opening_with_a_period_gets_a_title() {
    let text = include_bytes!("../../fuzz/corpus/ingest_text/crash-empty-generated-title.txt");
    let page = include_bytes!("../../fuzz/corpus/ingest_html/crash-empty-generated-title.html");
    for (bytes, is_html) in [(&text[..], false), (&page[..], true)] {
        let (article, entry) = ingest(bytes, is_html);
        assert!(!article.title.trim().is_empty(), "{entry}");
        let parsed = front_matter::parse(&entry).unwrap();
        assert_eq!(parsed.front_matter.title, article.title);
    }
}

/// A form feed in a scrape's headline line, and a NUL in a UTF-16 page's only text, reached the
/// title: the entry loader refuses control characters, so ingest wrote entries the next build
/// rejected. The fuzz harness had its own copy of the ingest steps and missed the stripping
/// `dateline ingest` does; both now call `ingest::article_entry`.
#[test]
fn control_characters_never_reach_an_ingested_title() {
    let text =
        include_bytes!("../../fuzz/corpus/ingest_text/crash-control-characters-in-title.txt");
    let page =
        include_bytes!("../../fuzz/corpus/ingest_html/crash-control-characters-in-title.html");
    for (bytes, is_html) in [(&text[..], false), (&page[..], true)] {
        let (article, entry) = ingest(bytes, is_html);
        assert!(!article.title.contains(|c: char| c < ' '), "{entry}");
        let parsed = front_matter::parse(&entry).unwrap();
        assert_eq!(parsed.front_matter.title, article.title);
    }
}
/// A mangled page with `<time datetime="-024-06-01">`: chrono read the year as -24, ingest
/// kept it as the published date, TOML cannot write a year before 0001, and the entry came out
/// with no date yet `date_basis = "meta"`: undated without saying why. A year now needs four
/// digits, and a date outside 0001-9999 from any source is dropped with a reason
/// (`Dating::without_unshowable_years`).
#[test]
fn a_three_digit_negative_year_is_not_a_date() {
    let page =
        include_bytes!("../../fuzz/corpus/ingest_html/crash-year-before-0001-in-metadata.html");
    let (article, entry) = ingest(page, true);
    assert_eq!(article.dating.date, None);
    let parsed = front_matter::parse(&entry).unwrap();
    assert_eq!(parsed.front_matter.date, None);
    assert!(entry.contains("date_basis = \"none\""), "{entry}");
    assert!(entry.contains("review = true"), "{entry}");
}

/// A page whose headline holds the text `entry_hash = ""`: ingest put the entry's hash in the
/// first place that text appeared, which was the title, so the title changed and the real
/// `entry_hash` stayed empty (and the next ingest took the entry for one an editor had changed).
/// The hash line is now found by position, as the last line of the front matter.
#[test]
fn scraped_text_reading_like_the_hash_line_keeps_the_title() {
    let page = include_bytes!("../../fuzz/corpus/ingest_html/crash-hash-line-in-title.html");
    let (article, entry) = ingest(page, true);
    assert!(article.title.contains("entry_hash = \"\""), "{entry}");
    let parsed = front_matter::parse(&entry).unwrap();
    assert_eq!(parsed.front_matter.title, article.title);
    let recorded = parsed.front_matter.ingest.unwrap().entry_hash;
    assert_eq!(recorded.len(), 16, "{entry}");
    assert!(entry_file::is_untouched(&entry, &recorded), "{entry}");
}
