//! Machine-readable exports: `timeline.json` for TimelineJS3, `events.csv` for spreadsheets
//! and analysis, and `sitemap.xml` / `robots.txt` for crawlers.
//!
//! Every function is pure (data in, text out) so `site` decides where the files go, and every
//! output depends only on the content, never on the clock or on hash-map order, so the same
//! input gives byte-identical files. Entry titles, outlets and summaries start life as scraped
//! text, so each format escapes them for the way its reader interprets them: HTML inside
//! TimelineJS's JSON, RFC 4180 quoting plus formula neutralising in the CSV, XML in the sitemap.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::Entry;
use crate::group::Timeline;
use crate::group::event::{Event, Precision};

/// A TimelineJS3 timeline (<https://timeline.knightlab.com/docs/json-format.html>).
#[derive(Serialize)]
struct TimelineJs {
    title: Slide,
    events: Vec<Slide>,
}

/// A TimelineJS slide. The title slide has no dates; every event slide has a `start_date`.
#[derive(Serialize)]
struct Slide {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<SlideDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<SlideDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: SlideText,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
}

/// The documented date form: each part a string of digits, month and day not zero-padded.
#[derive(Serialize)]
struct SlideDate {
    year: String,
    month: String,
    day: String,
}

/// Both fields are inserted into the page as HTML by TimelineJS.
#[derive(Serialize)]
struct SlideText {
    headline: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    text: String,
}

/// `timeline.json` in TimelineJS3's JSON format: a title slide with the site's title and
/// description, then one slide per event in timeline order.
///
/// Events whose date is unknown are left out, because TimelineJS requires a `start_date` on
/// every event slide; they are still in `events.csv` and on the site.
pub fn timeline_json(config: &SiteConfig, timeline: &Timeline, entries: &[Entry]) -> String {
    let title = Slide {
        start_date: None,
        end_date: None,
        display_date: None,
        text: SlideText {
            headline: escape_markup(&config.title),
            text: escape_markup(&config.description),
        },
        group: None,
        unique_id: None,
    };
    let events = timeline
        .events
        .iter()
        .filter_map(|event| event_slide(config, event, entries))
        .collect();
    let mut json = serde_json::to_string_pretty(&TimelineJs { title, events })
        .expect("plain structs of strings always serialise");
    json.push('\n');
    json
}

/// The slide of a dated event, `None` for an undated one.
fn event_slide(config: &SiteConfig, event: &Event, entries: &[Entry]) -> Option<Slide> {
    let start = event.date.start?;
    let range = match (event.date.precision, event.date.end) {
        (Precision::Range, Some(end)) if end != start => Some(end),
        _ => None,
    };
    Some(Slide {
        start_date: Some(slide_date(start)),
        end_date: range.map(slide_date),
        display_date: range.map(|end| describe_range(start, end)),
        text: SlideText {
            headline: escape_markup(&event.headline),
            text: event_html(config, event, entries),
        },
        // TimelineJS writes group labels into the page as HTML too.
        group: event.places.first().map(|place| escape_markup(place)),
        unique_id: Some(event.slug.clone()),
    })
}

fn slide_date(day: NaiveDate) -> SlideDate {
    SlideDate {
        year: day.year().to_string(),
        month: day.month().to_string(),
        day: day.day().to_string(),
    }
}

/// "27–29 September 2020", "30 September – 2 October 2020", "30 December 2020 – 2 January 2021":
/// the shared month and year are written once, as people write ranges.
fn describe_range(start: NaiveDate, end: NaiveDate) -> String {
    let last = end.format("%-d %B %Y");
    if start.year() != end.year() {
        format!("{} – {last}", start.format("%-d %B %Y"))
    } else if start.month() != end.month() {
        format!("{} – {last}", start.format("%-d %B"))
    } else {
        format!("{}–{last}", start.day())
    }
}

/// The slide body: the summary, then the sources as "outlet — title" links to the entry pages.
/// Links are absolute because the JSON is read by pages outside the site's post-processing.
fn event_html(config: &SiteConfig, event: &Event, entries: &[Entry]) -> String {
    let mut html = String::new();
    if let Some(summary) = event.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = write!(html, "<p>{}</p>", escape_markup(summary));
    }
    if event.members.is_empty() {
        return html;
    }
    html.push_str("<p>Sources:</p><ul>");
    for entry in event.members.iter().map(|&i| &entries[i]) {
        let outlet = entry
            .front_matter
            .outlet
            .as_deref()
            .unwrap_or("unknown outlet");
        let _ = write!(
            html,
            "<li>{} — <a href=\"{}\">{}</a></li>",
            escape_markup(outlet),
            escape_markup(&config.absolute_url(&entry.site_path)),
            escape_markup(&entry.front_matter.title),
        );
    }
    html.push_str("</ul>");
    html
}

/// The CSV header; one row per event follows.
const CSV_HEADER: [&str; 11] = [
    "event_id",
    "event_date",
    "date_precision",
    "end_date",
    "headline",
    "actors",
    "places",
    "sources",
    "source_count",
    "urls",
    "review",
];

/// `events.csv`: one row per event in timeline order, undated events included (last, with an
/// empty `event_date`). `end_date` is set only for a range; `sources` are the distinct outlets
/// of the member entries and `source_count` the number of member entries; lists are joined
/// with "; ". RFC 4180: CRLF after every record, fields with a comma, quote, CR or LF quoted.
/// Fields that a spreadsheet would run as a formula get a leading apostrophe.
///
/// `_config` is unused today; it keeps the exports' signatures alike for the caller.
pub fn events_csv(_config: &SiteConfig, timeline: &Timeline, entries: &[Entry]) -> String {
    let mut csv = String::new();
    push_record(&mut csv, CSV_HEADER.iter().copied());
    for event in &timeline.events {
        let row = csv_row(event, entries);
        push_record(&mut csv, row.iter().map(String::as_str));
    }
    csv
}

fn csv_row(event: &Event, entries: &[Entry]) -> [String; 11] {
    let iso = |day: Option<NaiveDate>| {
        day.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let (precision, end) = match event.date.precision {
        Precision::Day => ("day", None),
        Precision::Range => ("range", event.date.end),
        Precision::Unknown => ("unknown", None),
    };
    let members: Vec<&Entry> = event.members.iter().map(|&i| &entries[i]).collect();
    let mut outlets: Vec<&str> = Vec::new();
    for outlet in members
        .iter()
        .filter_map(|e| e.front_matter.outlet.as_deref())
    {
        if !outlets.contains(&outlet) {
            outlets.push(outlet);
        }
    }
    let urls: Vec<&str> = members
        .iter()
        .filter_map(|e| e.front_matter.url.as_deref())
        .collect();
    [
        event.slug.clone(),
        iso(event.date.start),
        precision.to_string(),
        iso(end),
        event.headline.clone(),
        event.people.join("; "),
        event.places.join("; "),
        outlets.join("; "),
        members.len().to_string(),
        urls.join("; "),
        event.review.to_string(),
    ]
}

fn push_record<'a>(csv: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (n, field) in fields.enumerate() {
        if n > 0 {
            csv.push(',');
        }
        csv.push_str(&csv_field(field));
    }
    csv.push_str("\r\n");
}

/// One CSV field. A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (or a tab or CR
/// before one) as a formula, and scraped titles are attacker-controlled, so such fields get a
/// leading apostrophe (OWASP's advice). Quoting comes after, so the apostrophe is inside it.
fn csv_field(value: &str) -> String {
    let neutralised = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if neutralised.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutralised.replace('"', "\"\""))
    } else {
        neutralised
    }
}

/// `sitemap.xml` (sitemaps.org 0.9) listing `site_paths` (root-relative, e.g. `/events/x/`) as
/// absolute URLs, sorted and without duplicates. Non-ASCII and other characters a URL may not
/// carry are percent-encoded in the path, as the protocol asks, then the URL is XML-escaped.
/// There is no `<lastmod>`: paths alone carry no content date, and the clock would break
/// reproducible builds. The protocol caps one file at 50,000 URLs; this writes one file.
pub fn sitemap_xml(config: &SiteConfig, site_paths: &[String]) -> String {
    let mut urls: Vec<String> = site_paths
        .iter()
        .map(|path| encode_url_path(&config.absolute_url(path)))
        .collect();
    urls.sort();
    urls.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in &urls {
        let _ = writeln!(xml, "  <url><loc>{}</loc></url>", escape_markup(url));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Percent-encodes the bytes of the path part that are not printable ASCII. The scheme and
/// host are left alone: an international host needs punycode, not percent-encoding.
fn encode_url_path(url: &str) -> String {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[host_start..]
        .find('/')
        .map_or(url.len(), |i| host_start + i);
    let (origin, path) = url.split_at(path_start);
    let mut encoded = String::with_capacity(url.len());
    encoded.push_str(origin);
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// `robots.txt` allowing everything and naming the sitemap. Crawlers only read `/robots.txt`
/// at a host's root, so on a sub-path site (`https://org.github.io/repo/`) the file is
/// harmless but unread; the sitemap can still be submitted to search engines directly.
pub fn robots_txt(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        config.absolute_url("/sitemap.xml")
    )
}

/// Escapes text for HTML and XML, attribute values included.
fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests;
