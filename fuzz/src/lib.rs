//! What the ingest targets share: one article through `ingest::article_entry`, the steps
//! `dateline ingest` takes (decode, extract, analyse, strip control characters, render), then
//! the entry read back as a build reads it.

use std::sync::LazyLock;

use dateline::config::IngestConfig;
use dateline::content::front_matter;
use dateline::ingest::article::Analyzer;
use dateline::ingest::sidecar::Sidecar;
use dateline::ingest::{article_entry, entry_file};

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new(&IngestConfig::default()).expect("built-in ingest rules"));

/// Ingests `bytes` as `articles/x.txt` (or `x.html`). Refusals (empty, binary, no text) are
/// fine; an entry that ingest writes but the build then cannot read is a bug.
pub fn ingest(bytes: &[u8], is_html: bool) {
    let raw = if is_html {
        "articles/x.html"
    } else {
        "articles/x.txt"
    };
    let raw_hash = entry_file::raw_hash(bytes, None);
    let Ok((article, entry)) = article_entry(
        &ANALYZER,
        bytes,
        is_html,
        &Sidecar::default(),
        raw,
        &raw_hash,
    ) else {
        return;
    };
    let parsed = match front_matter::parse(&entry) {
        Ok(parsed) => parsed,
        Err(e) => panic!("ingest wrote an entry the build cannot read: {e:?}\n{entry}"),
    };
    assert_eq!(parsed.front_matter.title, article.title);
    assert_eq!(parsed.front_matter.date, article.dating.date);
}
