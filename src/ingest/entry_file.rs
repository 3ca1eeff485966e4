//! Entry files as ingest writes them: the text (TOML front matter + Markdown body), the hash
//! that tells an untouched file from an edited one, and writes that never clobber.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::article::Article;
use crate::content::provenance::{DateBasis, Provenance, QuoteRecord};

/// Front matter in the order an editor reads it; tables (`quotes`, `ingest`) come last as TOML
/// requires.
#[derive(Serialize)]
struct GeneratedFrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    date_basis: DateBasis,
    #[serde(skip_serializing_if = "Option::is_none")]
    captured: Option<toml::value::Datetime>,
    outlet: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    people: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    places: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    review: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    review_reasons: &'a [String],
    #[serde(skip_serializing_if = "<[QuoteRecord]>::is_empty")]
    quotes: &'a [QuoteRecord],
    ingest: Provenance,
}

/// The entry text for `article`, with its own hash recorded in `[ingest] entry_hash`.
pub fn render(article: &Article, raw: &str, raw_hash: &str, encoding: &str) -> Result<String> {
    // Analysis keeps only dates TOML can write (`Dating::without_unshowable_years`); one that
    // slipped through must fail loudly, not leave the entry silently undated.
    let to_toml = |d: &Option<crate::content::entry_date::EntryDate>| -> Result<_> {
        d.map(|d| d.to_string().parse::<toml::value::Datetime>())
            .transpose()
            .context("Couldn't write the article's date as a TOML date")
    };
    let front_matter = GeneratedFrontMatter {
        title: &article.title,
        date: to_toml(&article.dating.date)?,
        date_basis: article.dating.basis,
        captured: to_toml(&article.dating.captured)?,
        outlet: &article.outlet,
        url: article.url.as_deref(),
        people: &article.people,
        places: &article.places,
        tags: &article.tags,
        review: !article.review_reasons.is_empty(),
        review_reasons: &article.review_reasons,
        quotes: &article.quotes,
        ingest: Provenance {
            raw: raw.to_string(),
            raw_hash: raw_hash.to_string(),
            encoding: encoding.to_string(),
            entry_hash: String::new(),
        },
    };
    let toml =
        toml::to_string(&front_matter).context("Couldn't serialise the entry's front matter")?;
    let body: Vec<String> = article
        .paragraphs
        .iter()
        .map(|p| escape_markdown(p))
        .collect();
    let mut entry = format!("+++\n{toml}+++\n\n{}\n", body.join("\n\n"));
    let line = hash_line(&entry)
        .filter(|line| entry[line.clone()] == *EMPTY_HASH_LINE)
        .context("the entry's front matter does not end with its `entry_hash` line")?;
    let hash = short_hash(entry.as_bytes());
    entry.replace_range(line, &format!("entry_hash = \"{hash}\""));
    Ok(entry)
}

const EMPTY_HASH_LINE: &str = "entry_hash = \"\"";

/// Where the `entry_hash` line is: the last line of the front matter, because `[ingest]` is the
/// last table ingest writes and `entry_hash` its last key. It is found by position, never by
/// searching, since scraped text in the title, quotes or body may itself read `entry_hash = ""`.
/// The front matter ends where the build's reader ends it: the first `+++` line after line 1.
fn hash_line(text: &str) -> Option<std::ops::Range<usize>> {
    let mut lines = text.split_inclusive('\n');
    let mut start = lines
        .next()
        .filter(|first| first.trim_end() == "+++")?
        .len();
    let mut previous = None;
    for line in lines {
        if line.trim_end() == "+++" {
            return previous;
        }
        let content = line.trim_end_matches(['\n', '\r']);
        previous = Some(start..start + content.len());
        start += line.len();
    }
    None
}

/// Whether `text` is exactly what ingest wrote, i.e. no editor has changed it since.
pub fn is_untouched(text: &str, recorded_hash: &str) -> bool {
    let Some(line) = hash_line(text) else {
        return false;
    };
    if text[line.clone()] != format!("entry_hash = \"{recorded_hash}\"") {
        return false;
    }
    let mut unhashed = text.to_string();
    unhashed.replace_range(line, EMPTY_HASH_LINE);
    short_hash(unhashed.as_bytes()) == recorded_hash
}

/// `sha256:<hex>` of the article and its sidecar.
pub fn raw_hash(article: &[u8], sidecar: Option<&[u8]>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(article);
    if let Some(sidecar) = sidecar {
        hasher.update(b"\0sidecar\0");
        hasher.update(sidecar);
    }
    format!("sha256:{}", crate::hash::hex(&hasher.finalize()))
}

fn short_hash(bytes: &[u8]) -> String {
    crate::hash::short_sha256(bytes, 8)
}

/// Scraped prose keeps its characters: Markdown syntax in it is escaped so it shows as
/// written instead of becoming emphasis, links, headings or HTML.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A paragraph starting like a list item, numbered item or heading underline is a block.
    let starts_block = out.starts_with("- ")
        || out.starts_with("+ ")
        || out.starts_with('=')
        || out.starts_with("---")
        || out.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty()
                && n.len() <= 9
                && n.bytes().all(|b| b.is_ascii_digit())
                && (rest.is_empty() || rest.starts_with(' '))
        });
    if starts_block {
        format!("\\{out}")
    } else {
        out
    }
}

/// Writes a new entry file; fails rather than replace a file that appeared meanwhile.
pub fn write_new(path: &Path, text: &str) -> Result<()> {
    let file = staged(path, text)?;
    file.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("Couldn't create `{}`", path.display()))?;
    Ok(())
}

/// Replaces an entry file ingest wrote and nobody has edited, in one rename.
pub fn replace(path: &Path, text: &str) -> Result<()> {
    let file = staged(path, text)?;
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("Couldn't replace `{}`", path.display()))?;
    Ok(())
}

/// The text in a temporary file beside `path`, flushed to disk: a crash leaves either the old
/// entry or the new one, never half of one.
fn staged(path: &Path, text: &str) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("Couldn't create `{}`", dir.display()))?;
    let mut file = tempfile::Builder::new()
        .prefix(".ingest-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("Couldn't create a temporary file in `{}`", dir.display()))?;
    // Temporary files are created private; an entry must be readable like any file the
    // editor writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("Couldn't write `{}`", path.display()))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_in_scraped_text_is_escaped() {
        assert_eq!(
            escape_markdown("a *b* [c](d) <script>"),
            r"a \*b\* \[c\](d) \<script\>"
        );
        assert_eq!(escape_markdown("1. Not a list"), r"\1. Not a list");
        assert_eq!(escape_markdown("- dash"), r"\- dash");
        assert_eq!(escape_markdown("1,000 people"), "1,000 people");
        let html = crate::markdown::render(&escape_markdown("# not a heading *x* <b>y</b> `z`"));
        assert_eq!(
            html,
            "<p># not a heading *x* &lt;b&gt;y&lt;/b&gt; `z`</p>\n"
        );
    }

    #[test]
    fn hash_tells_untouched_from_edited() {
        let text = format!("+++\ntitle = \"x\"\n[ingest]\n{EMPTY_HASH_LINE}\n+++\nbody\n");
        let hash = short_hash(text.as_bytes());
        let written = text.replacen(EMPTY_HASH_LINE, &format!("entry_hash = \"{hash}\""), 1);
        assert!(is_untouched(&written, &hash));
        assert!(!is_untouched(
            &written.replace("body", "edited body"),
            &hash
        ));
        assert!(!is_untouched(&written, "0000"));
    }

    #[test]
    fn scraped_text_reading_like_the_hash_line_is_left_alone() {
        // A headline, quote or paragraph may hold `entry_hash = ""`; the hash goes on the last
        // line of the front matter only, and the check reads it there.
        let mut article = Article {
            title: "Leak: entry_hash = \"\" and entry_hash = \"abc\"".to_string(),
            dating: crate::ingest::dating::Dating {
                date: None,
                basis: DateBasis::None,
                captured: None,
                doubt: None,
            },
            outlet: "unknown".to_string(),
            url: None,
            tags: Vec::new(),
            paragraphs: vec!["entry_hash = \"\"".to_string()],
            people: Vec::new(),
            places: Vec::new(),
            quotes: Vec::new(),
            review_reasons: Vec::new(),
        };
        let entry = render(&article, "articles/x.txt", "sha256:0", "utf-8").unwrap();
        let parsed = crate::content::front_matter::parse(&entry).unwrap();
        assert_eq!(parsed.front_matter.title, article.title);
        let line = hash_line(&entry).unwrap();
        let recorded = entry[line]
            .trim_start_matches("entry_hash = \"")
            .trim_end_matches('"');
        assert_eq!(recorded.len(), 16, "{entry}");
        assert!(is_untouched(&entry, recorded), "{entry}");
        assert!(!is_untouched(
            &entry.replacen("Leak", "Leaked", 1),
            recorded
        ));

        article.title = "Plain".to_string();
        let crlf = render(&article, "articles/x.txt", "sha256:0", "utf-8")
            .unwrap()
            .replace('\n', "\r\n");
        let line = hash_line(&crlf).unwrap();
        assert!(crlf[line.clone()].starts_with("entry_hash = \""));
        assert!(!crlf[line].ends_with('\r'));
        assert_eq!(hash_line("no front matter\n"), None);
        assert_eq!(hash_line("+++\ntitle = \"x\"\n"), None);
    }
}
