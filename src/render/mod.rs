//! Render: turns loaded entries into the values templates see, and pages into HTML strings.
//! Nothing here touches the file system; `site` decides where each page goes.

pub mod exports;
pub mod pages;
pub mod postprocess;
pub mod search;
pub mod taxonomy;
pub mod timeline;

use chrono::SecondsFormat;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Entry;
use crate::content::front_matter::EntryDate;

/// Feeds carry the newest events only: readers poll them, and a feed of a whole archive
/// grows without bound.
pub const FEED_LENGTH: usize = 50;

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a SiteConfig) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
        }
    }
}

/// The page being rendered: its root-relative path and absolute URL.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub path: String,
    pub permalink: String,
}

impl PageView {
    pub fn new(config: &SiteConfig, path: &str) -> Self {
        PageView {
            path: path.to_string(),
            permalink: config.absolute_url(path),
        }
    }
}

/// An entry as templates see it.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub path: &'a str,
    pub permalink: String,
    /// ISO form for `<time datetime>`: a day, a local date-time, or RFC 3339 in the site's zone.
    pub date: Option<String>,
    /// Human form, e.g. "28 September 2020, 14:33".
    pub date_display: Option<String>,
    /// RFC 3339 UTC instant (Atom's `updated`).
    pub updated: Option<String>,
    pub outlet: Option<&'a str>,
    pub url: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub people: &'a [String],
    pub places: &'a [String],
    pub tags: &'a [String],
    pub review: bool,
    pub draft: bool,
    /// The body rendered to HTML.
    pub content: &'a str,
    /// The source file, relative to the site root.
    pub file: String,
    /// How the date is known (`dateline`, `captured`, …), when ingest recorded it.
    pub date_basis: Option<&'static str>,
    /// When the page was viewed or saved: an upper bound for the date.
    pub captured: Option<String>,
    pub review_reasons: &'a [String],
    /// The raw article it was ingested from.
    pub raw: Option<&'a str>,
    pub quotes: &'a [crate::content::provenance::QuoteRecord],
}

impl<'a> EntryView<'a> {
    pub fn new(entry: &'a Entry, content: &'a str, config: &SiteConfig) -> Self {
        let fm = &entry.front_matter;
        let (date, date_display) = match fm.date {
            Some(date) => {
                let (iso, display) = describe_date(date, config.timezone);
                (Some(iso), Some(display))
            }
            None => (None, None),
        };
        EntryView {
            title: &fm.title,
            slug: &entry.slug,
            path: &entry.site_path,
            permalink: config.absolute_url(&entry.site_path),
            date,
            date_display,
            updated: entry
                .instant
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
            outlet: fm.outlet.as_deref(),
            url: fm.url.as_deref(),
            summary: fm.summary.as_deref(),
            people: &fm.people,
            places: &fm.places,
            tags: &fm.tags,
            review: fm.review,
            draft: fm.draft,
            content,
            file: entry.file.to_string_lossy().replace('\\', "/"),
            date_basis: fm.date_basis.map(|b| b.as_str()),
            captured: fm.captured.map(|c| c.to_string()),
            review_reasons: &fm.review_reasons,
            raw: fm.ingest.as_ref().map(|i| i.raw.as_str()),
            quotes: &fm.quotes,
        }
    }
}

/// Exact instants are shown in the site's zone so one timeline reads in one clock.
fn describe_date(date: EntryDate, timezone: chrono_tz::Tz) -> (String, String) {
    match date {
        EntryDate::Day(d) => (
            d.format("%Y-%m-%d").to_string(),
            d.format("%-d %B %Y").to_string(),
        ),
        EntryDate::Local(t) => (
            t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            t.format("%-d %B %Y, %H:%M").to_string(),
        ),
        EntryDate::Exact(t) => {
            let local = t.with_timezone(&timezone);
            (
                local.to_rfc3339_opts(SecondsFormat::Secs, true),
                local.format("%-d %B %Y, %H:%M").to_string(),
            )
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    pub updated: String,
    pub events: Vec<&'a timeline::EventView<'a>>,
}

/// The feed's newest dated events. `updated` comes from the content, never the clock, so
/// rebuilding the same site gives the same feed.
pub fn feed<'a>(events: &'a [timeline::EventView<'a>]) -> FeedView<'a> {
    let mut dated: Vec<&timeline::EventView> =
        events.iter().filter(|v| v.updated.is_some()).collect();
    dated.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.slug.cmp(b.slug)));
    dated.truncate(FEED_LENGTH);
    let updated = dated
        .iter()
        .filter_map(|v| v.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    FeedView {
        updated,
        events: dated,
    }
}
