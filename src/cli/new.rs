//! `dateline new "Headline"`: starts an entry by hand, for a report that was never a scrape.
//! The front matter is serialised by the toml crate, so any headline (quotes, backslashes,
//! non-Latin scripts) comes out as valid TOML, and the file is never written over another.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use crate::config::CONFIG_FILE;
use crate::content::entry_date::EntryDate;
use crate::ingest::entry_file::write_new;
use crate::markdown::slug;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The entry's headline; its slug names the file.
    pub headline: String,
    /// When the report was published: 2020-09-28, 2020-09-28T14:33 (site-local time) or
    /// 2020-09-28T14:33:00+03:00.
    #[arg(long)]
    pub date: Option<String>,
    /// The outlet that published the report.
    #[arg(long)]
    pub outlet: Option<String>,
    /// The report's original address (http or https).
    #[arg(long)]
    pub url: Option<String>,
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// The fields a new entry starts with, in the order an editor reads them.
#[derive(Serialize)]
struct NewFrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    review: bool,
}

const PLACEHOLDER: &str = "Write the text of the report here, in Markdown, in place of this \
     paragraph.";

const DATE_FORMS: &str = "write it as 2020-09-28, 2020-09-28T14:33 (site-local time), \
     2020-09-28T14:33:00+03:00 or 2020-09-28T11:33:00Z";

impl NewArgs {
    pub fn run(&self) -> Result<()> {
        if !self.root.join(CONFIG_FILE).is_file() {
            bail!(
                "`{}` has no {CONFIG_FILE}; run dateline new in a site folder or pass --root \
                 (`dateline init DIR` creates a site)",
                self.root.display()
            );
        }
        // A headline is one line; a newline in it would also let toml write a multi-line string.
        let title = self
            .headline
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name_slug = slug(&title);
        if name_slug.is_empty() {
            bail!(
                "the headline `{}` has no letters or digits to name the file with; give a \
                 headline with words",
                self.headline
            );
        }
        let date = self.date.as_deref().map(parse_date).transpose()?;
        let url = self.url.as_deref().map(check_url).transpose()?;
        let name = match date {
            Some(date) => format!("{}-{name_slug}.md", date.day().format("%Y-%m-%d")),
            None => format!("{name_slug}.md"),
        };
        let path = self.root.join("content/entries").join(name);
        let shown = path.strip_prefix(".").unwrap_or(&path).to_path_buf();
        // Refused before writing, with a clearer message than the write's own failure;
        // `write_new` still refuses should the file appear in between.
        if path.exists() {
            bail!(
                "`{}` already exists; dateline new never overwrites an entry (edit that \
                 file, or give a different headline)",
                shown.display()
            );
        }
        let front_matter = NewFrontMatter {
            title: &title,
            date: date.map(to_toml_datetime).transpose()?,
            outlet: self
                .outlet
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty()),
            url,
            review: false,
        };
        write_new(&path, &entry_text(&front_matter)?)?;
        println!("{}", shown.display());
        Ok(())
    }
}

fn parse_date(text: &str) -> Result<EntryDate> {
    EntryDate::parse(text).map_err(|e| anyhow::anyhow!("`--date`: {e}; {DATE_FORMS}"))
}

/// Only addresses a reader can follow from the entry page are accepted.
fn check_url(url: &str) -> Result<&str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !url.contains(' ') => Ok(url),
        _ => bail!(
            "`--url` must be an http:// or https:// address such as https://example.com/story, not `{url}`"
        ),
    }
}

/// The date as a TOML date-time, so it is written bare (`date = 2020-09-28`) like ingest does.
fn to_toml_datetime(date: EntryDate) -> Result<toml::value::Datetime> {
    date.to_string()
        .parse()
        .with_context(|| format!("Couldn't write the date `{date}` as TOML"))
}

fn entry_text(front_matter: &NewFrontMatter) -> Result<String> {
    let toml = toml::to_string(front_matter).context("Couldn't serialise the front matter")?;
    Ok(format!("+++\n{toml}+++\n\n{PLACEHOLDER}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter;

    #[test]
    fn hostile_headline_round_trips() {
        let title = r#"He said "no" \ twice \" and +++ left"#;
        let date = parse_date("2020-09-28T14:33:00+03:00").unwrap();
        let text = entry_text(&NewFrontMatter {
            title,
            date: Some(to_toml_datetime(date).unwrap()),
            outlet: Some("TASS \"wire\""),
            url: Some("https://tass.com/x"),
            review: false,
        })
        .unwrap();
        let parsed = front_matter::parse(&text).unwrap();
        assert_eq!(parsed.front_matter.title, title);
        assert_eq!(parsed.front_matter.date, Some(date));
        assert_eq!(parsed.front_matter.outlet.as_deref(), Some("TASS \"wire\""));
        assert!(!parsed.front_matter.review);
        assert!(parsed.body.contains("Write the text"), "{text}");
    }

    #[test]
    fn urls_must_be_http() {
        assert!(check_url("https://example.com/x").is_ok());
        assert!(check_url("HTTP://example.com").is_ok());
        for bad in [
            "ftp://x",
            "example.com",
            "javascript:alert(1)",
            "https://",
            "http:///x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
