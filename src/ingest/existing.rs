//! The entries ingest wrote earlier, found by the raw article they record, so a re-run knows
//! which entry belongs to which article and whether an editor has changed it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;

use super::article::Article;
use super::entry_file::is_untouched;
use crate::content::front_matter;
use crate::markdown::slug;

/// An entry file that records a raw article.
#[derive(Debug)]
pub struct Existing {
    pub path: PathBuf,
    pub raw_hash: String,
    /// True when the file is exactly as ingest wrote it.
    pub untouched: bool,
    pub current: String,
}

#[derive(Debug, Default)]
pub struct ExistingEntries {
    by_raw: HashMap<String, Existing>,
    names: BTreeSet<String>,
}

/// `raw = "articles/x.txt"` in a file whose front matter no longer parses: the entry still
/// belongs to that article (and is treated as edited), so no duplicate is written.
static RAW_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*raw\s*[=:]\s*["']?([^"'\n]+)["']?\s*$"#).expect("valid regex")
});

impl ExistingEntries {
    /// Reads every `.md` file under `entries_dir`.
    pub fn scan(entries_dir: &Path) -> Result<ExistingEntries> {
        let mut found = ExistingEntries::default();
        if !entries_dir.is_dir() {
            return Ok(found);
        }
        for item in walkdir::WalkDir::new(entries_dir).sort_by_file_name() {
            let Ok(item) = item else { continue };
            if !item.file_type().is_file() {
                continue;
            }
            if item.depth() == 1 {
                found
                    .names
                    .insert(item.file_name().to_string_lossy().into_owned());
            }
            if item.path().extension().is_none_or(|x| x != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(item.path()) else {
                continue;
            };
            if let Some((raw, existing)) = recorded_article(item.path(), text) {
                found.by_raw.entry(raw).or_insert(existing);
            }
        }
        Ok(found)
    }

    pub fn get(&self, raw: &str) -> Option<&Existing> {
        self.by_raw.get(raw)
    }

    /// File names already used in the entries folder.
    pub fn file_names(&self) -> BTreeSet<String> {
        self.names.clone()
    }
}

fn recorded_article(path: &Path, text: String) -> Option<(String, Existing)> {
    match front_matter::parse(&text) {
        Ok(parsed) => {
            let provenance = parsed.front_matter.ingest?;
            let untouched = is_untouched(&text, &provenance.entry_hash);
            let existing = Existing {
                path: path.to_path_buf(),
                raw_hash: provenance.raw_hash,
                untouched,
                current: text,
            };
            Some((provenance.raw, existing))
        }
        Err(_) => {
            let raw = RAW_LINE
                .captures(&text)?
                .get(1)?
                .as_str()
                .trim()
                .to_string();
            Some((
                raw,
                Existing {
                    path: path.to_path_buf(),
                    raw_hash: String::new(),
                    untouched: false,
                    current: text,
                },
            ))
        }
    }
}

/// `2020-09-28-kremlin-makes-first-statement.md`, or `<slug>.md` while undated, with `-2`, `-3`
/// … when the name is taken. The slug cannot contain a path separator or `..`.
pub fn unique_name(article: &Article, taken: &BTreeSet<String>) -> String {
    let title_slug = slug(&article.title);
    let title_slug = if title_slug.is_empty() {
        "entry".to_string()
    } else {
        title_slug
    };
    let stem = match article.dating.date.map(|d| d.day()) {
        Some(day) => format!("{}-{title_slug}", day.format("%Y-%m-%d")),
        None => title_slug,
    };
    let mut name = format!("{stem}.md");
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{stem}-{n}.md");
        n += 1;
    }
    name
}
