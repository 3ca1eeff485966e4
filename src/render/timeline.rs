//! The timeline as templates see it: events with their sources, links and shared quotes;
//! months and days; and the density axis drawn as inline SVG (no chart library).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::EntryView;
use super::taxonomy::{Link, Taxonomies};
use crate::config::SiteConfig;
use crate::group::event::{Event, EventDate, Precision};

/// A quote as two or more outlets printed it.
#[derive(Debug, Serialize)]
pub struct SharedQuoteView {
    pub speaker: Option<Link>,
    pub versions: Vec<QuoteVersion>,
}

#[derive(Debug, Serialize)]
pub struct QuoteVersion {
    pub outlet: String,
    pub text: String,
    pub entry_path: String,
}

/// A source of an event: an entry without its text, so lists of events stay small.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub permalink: &'a str,
    pub outlet: Option<&'a str>,
    pub date: Option<&'a str>,
    pub date_display: Option<&'a str>,
    pub url: Option<&'a str>,
    pub review: bool,
}

impl<'a> SourceView<'a> {
    fn new(entry: &'a EntryView<'a>) -> Self {
        SourceView {
            title: entry.title,
            path: entry.path,
            permalink: &entry.permalink,
            outlet: entry.outlet,
            date: entry.date.as_deref(),
            date_display: entry.date_display.as_deref(),
            url: entry.url,
            review: entry.review,
        }
    }
}

/// An event as templates see it.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub slug: &'a str,
    pub path: String,
    pub permalink: String,
    /// RFC 3339: the newest source's time, else the event's day (Atom's `updated`).
    pub updated: Option<String>,
    pub headline: &'a str,
    pub summary: Option<&'a str>,
    /// The curated text, rendered.
    pub body: Option<String>,
    /// ISO day the event starts on; none when undated.
    pub date: Option<String>,
    pub date_display: String,
    pub precision: Precision,
    pub review: bool,
    pub sources: Vec<SourceView<'a>>,
    /// Distinct outlets of the sources, as badges.
    pub outlets: Vec<Link>,
    pub people: Vec<Link>,
    pub places: Vec<Link>,
    pub shared_quotes: Vec<SharedQuoteView>,
}

impl<'a> EventView<'a> {
    pub fn new(
        event: &'a Event,
        views: &'a [EntryView<'a>],
        taxonomies: &Taxonomies,
        config: &SiteConfig,
    ) -> Self {
        let entries: Vec<&EntryView> = event.members.iter().map(|&i| &views[i]).collect();
        let mut outlets: Vec<Link> = Vec::new();
        for link in entries
            .iter()
            .filter_map(|s| s.outlet.and_then(|o| taxonomies.outlets.link(o)))
        {
            if !outlets.contains(&link) {
                outlets.push(link);
            }
        }
        let shared_quotes = event
            .shared_quotes
            .iter()
            .map(|q| SharedQuoteView {
                speaker: q.speaker.as_ref().map(|s| {
                    taxonomies.people.link(s).unwrap_or(Link {
                        name: s.clone(),
                        path: String::new(),
                    })
                }),
                versions: q
                    .versions
                    .iter()
                    .map(|(i, text)| QuoteVersion {
                        outlet: views[*i].outlet.unwrap_or("unknown outlet").to_string(),
                        text: text.clone(),
                        entry_path: views[*i].path.to_string(),
                    })
                    .collect(),
            })
            .collect();
        let updated = entries
            .iter()
            .filter_map(|s| s.updated.clone())
            .max()
            .or_else(|| {
                event
                    .date
                    .start
                    .map(|d| format!("{}T00:00:00Z", d.format("%Y-%m-%d")))
            });
        EventView {
            slug: &event.slug,
            path: event.site_path(),
            permalink: config.absolute_url(&event.site_path()),
            updated,
            headline: &event.headline,
            summary: event.summary.as_deref(),
            body: event.body.as_deref().map(crate::markdown::render),
            date: event.date.start.map(|d| d.format("%Y-%m-%d").to_string()),
            date_display: describe_event_date(&event.date),
            precision: event.date.precision,
            review: event.review,
            sources: entries.into_iter().map(SourceView::new).collect(),
            outlets,
            people: taxonomies.people.links(&event.people),
            places: taxonomies.places.links(&event.places),
            shared_quotes,
        }
    }
}

pub fn describe_event_date(date: &EventDate) -> String {
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

#[derive(Debug, Serialize)]
pub struct DayView<'a> {
    /// `2020-09-28`
    pub key: String,
    /// `Monday 28 September`
    pub label: String,
    pub events: Vec<&'a EventView<'a>>,
}

/// One month of the timeline, with its own page.
#[derive(Debug, Serialize)]
pub struct MonthView<'a> {
    /// `2020-09`
    pub key: String,
    /// `September 2020`
    pub label: String,
    pub path: String,
    pub count: usize,
    pub days: Vec<DayView<'a>>,
}

/// Months (in timeline order) of the dated events, and the undated events.
pub fn months<'a>(
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
        if months.last().is_none_or(|m| m.key != key) {
            let path = format!("/timeline/{key}/");
            months.push(MonthView {
                key,
                label: day.format("%B %Y").to_string(),
                path,
                count: 0,
                days: Vec::new(),
            });
        }
        let month = months.last_mut().expect("a month was just pushed");
        month.count += 1;
        let day_key = day.format("%Y-%m-%d").to_string();
        match month.days.last_mut() {
            Some(d) if d.key == day_key => d.events.push(view),
            _ => month.days.push(DayView {
                key: day_key,
                label: day.format("%A %-d %B").to_string(),
                events: vec![view],
            }),
        }
    }
    (months, undated)
}

/// Event density per month as an SVG bar chart, every month from the first to the last (empty
/// ones too, so gaps show). The month list beside it carries the same numbers as text and the
/// links, so the figure is hidden from screen readers and holds nothing focusable.
pub fn density_axis(months: &[MonthView]) -> String {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return String::new();
    };
    let Some(mut cursor) = month_start(&first.key) else {
        return String::new();
    };
    let end = month_start(&last.key).unwrap_or(cursor);
    let mut bars: Vec<(NaiveDate, Option<&MonthView>)> = Vec::new();
    while cursor <= end && bars.len() < 1200 {
        let key = cursor.format("%Y-%m").to_string();
        bars.push((cursor, months.iter().find(|m| m.key == key)));
        cursor = cursor
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(end + chrono::Days::new(1));
    }
    let most = months.iter().map(|m| m.count).max().unwrap_or(1).max(1) as f32;
    // A bar is 10 units wide: a few months make a small chart, many are squeezed to the page.
    let (bar, gap, height) = (10.0, 2.0, 60.0);
    let width = bars.len() as f32 * (bar + gap);
    let mut svg = format!(
        "<svg class=\"axis\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">",
        height + 2.0,
        height + 2.0
    );
    for (n, (month, view)) in bars.iter().enumerate() {
        let count = view.map_or(0, |v| v.count);
        let h = if count == 0 {
            1.0
        } else {
            4.0 + (height - 4.0) * count as f32 / most
        };
        let x = n as f32 * (bar + gap);
        let rect = format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{}: {count}</title></rect>",
            height - h + 1.0,
            month.format("%B %Y")
        );
        svg.push_str(&rect);
    }
    svg.push_str("</svg>");
    svg
}

fn month_start(key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").ok()
}
