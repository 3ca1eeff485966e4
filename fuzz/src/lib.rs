//! What the ingest targets share: one article through the same steps `dateline ingest` takes
//! (decode, extract, analyse, render the entry), then the entry read back as a build reads it.

use std::sync::LazyLock;

use dateline::config::IngestConfig;
use dateline::content::front_matter;
use dateline::ingest::article::Analyzer;
use dateline::ingest::sidecar::Sidecar;
use dateline::ingest::{decode, entry_file, html};

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new(&IngestConfig::default()).expect("built-in ingest rules"));

/// Ingests `bytes` as `articles/x.txt` (or `x.html`). Refusals (empty, binary, no text) are
/// fine; an entry that ingest writes but the build then cannot read is a bug.
pub fn ingest(bytes: &[u8], is_html: bool) {
    let Ok(decoded) = decode::decode(bytes, is_html) else {
        return;
    };
    let article = if is_html {
        let Ok(page) = html::extract(&decoded.text) else {
            return;
        };
        ANALYZER.html(&page, &Sidecar::default())
    } else {
        ANALYZER.text(&decoded.text, &Sidecar::default())
    };
    if article.paragraphs.is_empty() {
        return;
    }
    let raw = if is_html {
        "articles/x.html"
    } else {
        "articles/x.txt"
    };
    let raw_hash = entry_file::raw_hash(bytes, None);
    let Ok(entry) = entry_file::render(&article, raw, &raw_hash, decoded.encoding) else {
        return;
    };
    let parsed = match front_matter::parse(&entry) {
        Ok(parsed) => parsed,
        Err(e) => panic!("ingest wrote an entry the build cannot read: {e:?}\n{entry}"),
    };
    assert_eq!(parsed.front_matter.title, article.title);
    assert_eq!(parsed.front_matter.date, article.dating.date);
}
