//! Which date an article was published on, and how we know: read from where date lines sit in
//! the page (beside the headline = a dateline; among widgets = the page's clock), from a wire
//! dateline, or from a weekday resolved against an explicit date in the story. Page chrome
//! never supplies a publication date; at most a capture time, which is only an upper bound.

use chrono::{Datelike, NaiveDate};

use super::dates::{self, FoundDate};
use super::lines::{Line, Role, is_paragraph, next_text_line, previous_text_line};
use crate::content::entry_date::EntryDate;
use crate::content::provenance::DateBasis;

/// The outcome of dating an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Dating {
    pub date: Option<EntryDate>,
    pub basis: DateBasis,
    pub captured: Option<EntryDate>,
    /// Why the date needs a person's check, when it does.
    pub doubt: Option<String>,
}

/// Dates an article from its classified lines. `headline_above` says the text starts below a
/// headline that is not among the lines (a web page's text under its `<h1>`).
pub fn date_from_lines(
    lines: &[Line],
    stated_captured: Option<EntryDate>,
    headline_above: bool,
) -> Dating {
    let (dateline, clock) = header_dates(lines, headline_above);
    let captured = stated_captured.or_else(|| clock.as_ref().map(to_entry_date));
    let anchors = explicit_dates(lines);
    let dateline = dateline.or_else(|| wire_dateline(lines));
    if let Some(found) = dateline {
        return dated_by_dateline(&found, captured, &anchors);
    }
    if let Some(dating) = relative_date(lines, &anchors, captured) {
        return dating;
    }
    match captured {
        Some(when) => Dating {
            date: None,
            basis: DateBasis::Captured,
            captured: Some(when),
            doubt: Some(format!(
                "no publication date: only when the page was viewed or saved ({when}), which is an upper bound"
            )),
        },
        None => Dating {
            date: None,
            basis: DateBasis::None,
            captured: None,
            doubt: Some("no publication date found".into()),
        },
    }
}

fn dated_by_dateline(
    found: &FoundDate,
    captured: Option<EntryDate>,
    anchors: &[NaiveDate],
) -> Dating {
    if found.year_known {
        return Dating {
            date: Some(to_entry_date(found)),
            basis: DateBasis::Dateline,
            captured,
            doubt: None,
        };
    }
    // A wire dateline ("MOSCOW, October 7") carries no year: take the latest year that does
    // not put it after the capture time, or the year of the story's own explicit dates.
    let upper = captured.map(|c| c.day());
    let year = match upper {
        Some(limit) => [limit.year(), limit.year() - 1]
            .into_iter()
            .find(|&y| dates::with_year(found, y).is_some_and(|d| d <= limit)),
        None => anchors.iter().max().map(|a| a.year()),
    };
    match year.and_then(|y| dates::with_year(found, y)) {
        Some(day) => {
            let dated = FoundDate { day, year_known: true, ..found.clone() };
            Dating {
                date: Some(to_entry_date(&dated)),
                basis: DateBasis::Dateline,
                captured,
                doubt: Some(format!("the dateline has no year; {} was inferred", day.year())),
            }
        }
        None => Dating {
            date: None,
            basis: DateBasis::None,
            captured,
            doubt: Some("the dateline has a day and month but no year, and nothing in the article gives one".into()),
        },
    }
}

/// Date lines before the first paragraph: the one next to the headline (or between it and the
/// story) is the dateline; one whose neighbour is a widget is the page's clock.
fn header_dates(lines: &[Line], headline_above: bool) -> (Option<FoundDate>, Option<FoundDate>) {
    let headline = lines.iter().position(|l| l.role == Role::Headline);
    let first_prose = lines
        .iter()
        .position(|l| l.role == Role::Body && is_paragraph(l.text))
        .unwrap_or(lines.len());
    let (mut dateline, mut clock) = (None, None);
    for i in (0..first_prose).filter(|&i| lines[i].role == Role::DateLine) {
        let Some(found) = dates::find_dates(lines[i].text).into_iter().next() else {
            continue;
        };
        let neighbours = [previous_text_line(lines, i), next_text_line(lines, i)];
        let beside_headline = neighbours
            .iter()
            .flatten()
            .any(|&j| lines[j].role == Role::Headline);
        let beside_widget = neighbours
            .iter()
            .flatten()
            .any(|&j| lines[j].role == Role::Chrome);
        let after_headline = headline_above || headline.is_some_and(|h| i > h);
        if dateline.is_none() && (beside_headline || (after_headline && !beside_widget)) {
            dateline = Some(found);
        } else if clock.is_none() && found.year_known {
            clock = Some(found);
        }
    }
    (dateline, clock)
}

/// `MOSCOW, October 7. /TASS/.` or `YEREVAN, Sept 28 (Reuters) -` opening the first paragraph.
fn wire_dateline(lines: &[Line]) -> Option<FoundDate> {
    let first = lines
        .iter()
        .find(|l| l.role == Role::Body && is_paragraph(l.text))?;
    let found = dates::find_dates(first.text).into_iter().next()?;
    let lead = first.text.get(..found.span.start)?;
    let city = lead.trim_end().strip_suffix(',')?;
    let is_city = !city.is_empty()
        && city.len() <= 40
        && city
            .chars()
            .all(|c| c.is_uppercase() || c == ' ' || c == '-' || c == '.');
    is_city.then_some(found)
}

/// Full dates the story itself mentions (captions included): the story was written after them.
fn explicit_dates(lines: &[Line]) -> Vec<NaiveDate> {
    lines
        .iter()
        .filter(|l| matches!(l.role, Role::Body | Role::Caption))
        .flat_map(|l| dates::find_dates(l.text))
        .filter(|d| d.year_known)
        .map(|d| d.day)
        .collect()
}

/// "told reporters on Thursday" after a caption dated Tuesday 20 October: Thursday 22 October.
fn relative_date(
    lines: &[Line],
    anchors: &[NaiveDate],
    captured: Option<EntryDate>,
) -> Option<Dating> {
    let limit = captured.as_ref().map(EntryDate::day);
    let anchor = anchors
        .iter()
        .filter(|a| limit.is_none_or(|l| **a <= l))
        .max()?;
    let mention = lines
        .iter()
        .filter(|l| l.role == Role::Body)
        .flat_map(|l| dates::find_weekdays(l.text))
        .next()?;
    let day = dates::resolve_weekday_after(*anchor, &mention);
    if limit.is_some_and(|l| day > l) {
        return None;
    }
    Some(Dating {
        date: Some(EntryDate::Day(day)),
        basis: DateBasis::Relative,
        captured,
        doubt: Some(format!(
            "no dateline: \"{}\" was read as {}, the first such day on or after {}, the latest date the article mentions",
            day.format("%A"),
            day.format("%A %-d %B %Y"),
            anchor.format("%-d %B %Y")
        )),
    })
}

/// Keeps the precision the text gives: a day, a local time, or an exact time with its zone.
pub fn to_entry_date(found: &FoundDate) -> EntryDate {
    match (found.time, found.zone) {
        (None, _) => EntryDate::Day(found.day),
        (Some(time), None) => EntryDate::Local(found.day.and_time(time)),
        (Some(time), Some(zone)) => {
            let offset = zone.offset();
            match found.day.and_time(time).and_local_timezone(offset).single() {
                Some(exact) => EntryDate::Exact(exact),
                None => EntryDate::Local(found.day.and_time(time)),
            }
        }
    }
}
