//! Render: turns loaded entries into the values templates see, and pages into HTML strings.
//! Nothing here touches the file system; `site` decides where each page goes.

pub mod postprocess;

use chrono::{Datelike, SecondsFormat};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Entry;
use crate::content::front_matter::EntryDate;
use crate::group::event::{Event, EventDate, Precision};

/// Feeds carry the newest entries only: readers poll them, and a feed of a whole archive
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

/// An event as templates see it.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub slug: &'a str,
    pub headline: &'a str,
    pub summary: Option<&'a str>,
    /// ISO day the event starts on, for `<time datetime>`; none when undated.
    pub date: Option<String>,
    /// "28 September 2020", "27–29 September 2020", "Date unknown (before 29 October 2020)".
    pub date_display: String,
    pub precision: Precision,
    pub review: bool,
    pub sources: Vec<&'a EntryView<'a>>,
    pub people: &'a [String],
    pub places: &'a [String],
}

impl<'a> EventView<'a> {
    pub fn new(event: &'a Event, views: &'a [EntryView<'a>]) -> Self {
        EventView {
            slug: &event.slug,
            headline: &event.headline,
            summary: event.summary.as_deref(),
            date: event.date.start.map(|d| d.format("%Y-%m-%d").to_string()),
            date_display: describe_event_date(&event.date),
            precision: event.date.precision,
            review: event.review,
            sources: event.members.iter().map(|&i| &views[i]).collect(),
            people: &event.people,
            places: &event.places,
        }
    }
}

fn describe_event_date(date: &EventDate) -> String {
    match (date.precision, date.start, date.end, date.before) {
        (Precision::Day, Some(day), _, _) => day.format("%-d %B %Y").to_string(),
        (Precision::Range, Some(start), Some(end), _) => {
            format!(
                "between {} and {} (sources differ)",
                start.format("%-d %B %Y"),
                end.format("%-d %B %Y")
            )
        }
        (_, _, _, Some(before)) => format!("Date unknown (before {})", before.format("%-d %B %Y")),
        _ => "Date unknown".to_string(),
    }
}

/// One month of the timeline index.
#[derive(Debug, Serialize)]
pub struct MonthView<'a> {
    /// `2020-09`
    pub key: String,
    /// `September 2020`
    pub label: String,
    pub events: Vec<&'a EventView<'a>>,
}

/// Groups events (already in timeline order) by the month they start in; undated events are
/// returned separately.
pub fn group_by_month<'a>(
    events: &'a [Event],
    views: &'a [EventView<'a>],
) -> (Vec<MonthView<'a>>, Vec<&'a EventView<'a>>) {
    let mut months: Vec<MonthView<'a>> = Vec::new();
    let mut undated = Vec::new();
    for (event, view) in events.iter().zip(views) {
        let Some(day) = event.date.start else {
            undated.push(view);
            continue;
        };
        let key = format!("{:04}-{:02}", day.year(), day.month());
        match months.last_mut() {
            Some(month) if month.key == key => month.events.push(view),
            _ => months.push(MonthView {
                key,
                label: day.format("%B %Y").to_string(),
                events: vec![view],
            }),
        }
    }
    (months, undated)
}

#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    pub updated: String,
    pub entries: Vec<&'a EntryView<'a>>,
}

/// The feed's newest dated entries. `updated` comes from the content, never the clock, so
/// rebuilding the same site gives the same feed.
pub fn feed<'a>(views: &'a [EntryView<'a>]) -> FeedView<'a> {
    let entries: Vec<&EntryView> = views
        .iter()
        .filter(|v| v.updated.is_some())
        .take(FEED_LENGTH)
        .collect();
    let updated = entries
        .first()
        .and_then(|v| v.updated.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    FeedView { updated, entries }
}
