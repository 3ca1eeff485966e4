//! The entry: one dated, sourced report, as loaded from a Markdown file under `content/`.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::front_matter::{EntryDate, FrontMatter};
use crate::markdown::{file_slug, slug};

/// A loaded entry. Paths and URLs are derived here once, so later stages never recompute them.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, relative to the site root (for messages and provenance).
    pub file: PathBuf,
    pub slug: String,
    pub front_matter: FrontMatter,
    /// The Markdown body.
    pub body: String,
    /// The date's instant in UTC, for ordering; `None` for undated entries.
    pub instant: Option<DateTime<Utc>>,
    /// The local calendar day in the site's time zone.
    pub day: Option<NaiveDate>,
    /// The root-relative URL of the entry page: `/entries/<date>-<slug>/`, or
    /// `/entries/<slug>/` when the entry has no date yet.
    pub site_path: String,
}

impl Entry {
    pub fn new(file: PathBuf, front_matter: FrontMatter, body: String, timezone: Tz) -> Self {
        let slug = entry_slug(&file, &front_matter);
        let (instant, day) = match front_matter.date {
            Some(date) => {
                let instant = instant_of(date, timezone);
                let day = match date {
                    EntryDate::Day(d) => d,
                    EntryDate::Local(t) => t.date(),
                    EntryDate::Exact(t) => t.with_timezone(&timezone).date_naive(),
                };
                (Some(instant), Some(day))
            }
            None => (None, None),
        };
        let site_path = match day {
            Some(day) => format!("/entries/{}-{}/", day.format("%Y-%m-%d"), slug),
            None => format!("/entries/{slug}/"),
        };
        Entry {
            file,
            slug,
            front_matter,
            body,
            instant,
            day,
            site_path,
        }
    }

    pub fn title(&self) -> &str {
        &self.front_matter.title
    }
}

/// The slug comes from `slug =` when the editor set one, else from the file name; a leading
/// `YYYY-MM-DD-` is dropped because the URL adds the date itself.
fn entry_slug(file: &std::path::Path, front_matter: &FrontMatter) -> String {
    let from_field = front_matter
        .slug
        .as_deref()
        .map(slug)
        .filter(|s| !s.is_empty());
    from_field.unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let without_date = strip_date_prefix(&stem);
        let from_name = file_slug(without_date);
        let name = if from_name.is_empty() {
            slug(&front_matter.title)
        } else {
            from_name
        };
        if name.is_empty() {
            "entry".to_string()
        } else {
            name
        }
    })
}

fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let looks_dated = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    if looks_dated { &stem[11..] } else { stem }
}

/// A day starts at local midnight in the site's zone; a local time is read in that zone. At a
/// DST gap the earliest valid instant is used rather than failing.
fn instant_of(date: EntryDate, timezone: Tz) -> DateTime<Utc> {
    let local = match date {
        EntryDate::Exact(t) => return t.with_timezone(&Utc),
        EntryDate::Day(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default(),
        EntryDate::Local(t) => t,
    };
    match timezone.from_local_datetime(&local).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => Utc.from_utc_datetime(&local),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(file: &str, title: &str, date: Option<&str>, slug_field: Option<&str>) -> Entry {
        let front_matter = FrontMatter {
            title: title.into(),
            date: date.map(|d| EntryDate::parse(d).unwrap()),
            slug: slug_field.map(Into::into),
            ..FrontMatter::default()
        };
        Entry::new(
            PathBuf::from(file),
            front_matter,
            String::new(),
            chrono_tz::Asia::Yerevan,
        )
    }

    #[test]
    fn url_carries_local_day_and_slug() {
        let e = entry(
            "content/entries/2020-09-28-kremlin-statement.md",
            "T",
            Some("2020-09-28"),
            None,
        );
        assert_eq!(e.site_path, "/entries/2020-09-28-kremlin-statement/");
        let e = entry(
            "content/entries/x.md",
            "T",
            Some("2020-09-27T22:30:00Z"),
            Some("Late night!"),
        );
        // 22:30 UTC is already the 28th in Yerevan (+04:00).
        assert_eq!(e.site_path, "/entries/2020-09-28-late-night/");
    }

    #[test]
    fn undated_and_unsluggable_names() {
        let e = entry("content/entries/---.md", "Peskov on Turkey", None, None);
        assert_eq!(e.site_path, "/entries/peskov-on-turkey/");
        let e = entry("content/entries/../../etc.md", "x", None, Some("../../x"));
        assert_eq!(e.site_path, "/entries/x/");
        let e = entry("content/entries/!!.md", "¿?", None, None);
        assert_eq!(e.site_path, "/entries/entry/");
    }

    #[test]
    fn day_means_local_midnight() {
        let e = entry("a.md", "T", Some("2020-09-28"), None);
        assert_eq!(e.instant.unwrap().to_rfc3339(), "2020-09-27T20:00:00+00:00");
    }
}
