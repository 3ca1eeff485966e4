//! Sidecars: an optional `NAME.toml` beside `NAME.txt`/`NAME.html` in which an editor states
//! what the raw article cannot tell (its URL, outlet, date or title). Stated values win.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use serde::Deserialize;

use crate::config::describe_toml_error;
use crate::content::entry_date::EntryDate;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<EntryDate>,
    pub title: Option<String>,
    /// When the page was saved, if known: an upper bound for the date.
    pub captured: Option<EntryDate>,
}

/// The sidecar path for an article: same folder, same stem, `.toml`.
pub fn path_for(article: &Path) -> PathBuf {
    article.with_extension("toml")
}

/// Reads the sidecar's text and parses it; errors name the line and field.
pub fn parse(text: &str) -> Result<Sidecar> {
    toml::from_str(text).map_err(|e| {
        anyhow!(
            "{} (valid keys: url, outlet, date, title, captured)",
            describe_toml_error(text, &e)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_errors() {
        let s =
            parse("url = \"https://x.test/a\"\noutlet = \"TASS\"\ndate = 2020-10-07\n").unwrap();
        assert_eq!(s.outlet.as_deref(), Some("TASS"));
        assert_eq!(s.date.map(|d| d.to_string()).as_deref(), Some("2020-10-07"));
        let err = parse("outlet = \"TASS\"\nauthor = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("author"), "{err}");
        assert!(parse("date = \"yesterday\"\n").is_err());
    }
}
