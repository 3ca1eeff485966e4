//! What ingest records about where an entry came from and how sure it is: the date's basis,
//! the capture time, direct quotes, and the raw article's identity.

use serde::{Deserialize, Serialize};

/// How an entry's date was found. Anything but `Meta`, `Dateline` and `Sidecar` is weaker
/// evidence and comes with `review = true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// Publication metadata of a saved web page (article:published_time, JSON-LD, …).
    Meta,
    /// A dateline or date line next to the headline of the text.
    Dateline,
    /// A weekday ("on Thursday") resolved against an explicit date elsewhere in the article.
    Relative,
    /// Stated by an editor in the article's sidecar `.toml`.
    Sidecar,
    /// Only when the page was viewed or scraped is known: an upper bound, not a date.
    Captured,
    /// Nothing usable was found.
    None,
}

impl DateBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Meta => "meta",
            DateBasis::Dateline => "dateline",
            DateBasis::Relative => "relative",
            DateBasis::Sidecar => "sidecar",
            DateBasis::Captured => "captured",
            DateBasis::None => "none",
        }
    }
}

/// A direct quote found in the article, with its speaker when the text says who spoke.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub text: String,
}

/// The raw article an entry was ingested from (`[ingest]` in the front matter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Path of the raw article, relative to the site root, with `/` separators.
    pub raw: String,
    /// `sha256:<hex>` of the raw article's bytes (and its sidecar's, when there is one).
    pub raw_hash: String,
    /// Text encoding the raw article was decoded from.
    pub encoding: String,
    /// Hash of the entry file as ingest wrote it. A file whose text no longer matches was
    /// changed by an editor, and ingest leaves it alone.
    pub entry_hash: String,
}
