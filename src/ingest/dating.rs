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

impl Dating {
    /// Drops a date or capture time outside the years 0001 to 9999 (a typo, or a page's
    /// metadata such as `-0024-06-01`), which no entry can carry, saying why in `reasons`:
    /// the entry is then undated and marked for review rather than dated wrongly.
    pub fn without_unshowable_years(mut self, reasons: &mut Vec<String>) -> Dating {
        if let Some(captured) = self.captured.filter(|c| !c.in_shown_years()) {
            reasons.push(format!(
                "the capture time `{captured}` is outside the years 0001 to 9999 and was dropped"
            ));
            self.captured = None;
        }
        if let Some(date) = self.date.filter(|d| !d.in_shown_years()) {
            reasons.push(format!(
                "the date `{date}` (found as date_basis = \"{}\") is outside the years 0001 to \
                 9999 and was dropped; date the entry by hand",
                self.basis.as_str()
            ));
            self.date = None;
            self.basis = if self.captured.is_some() {
                DateBasis::Captured
            } else {
                DateBasis::None
            };
        }
        if self.basis == DateBasis::Captured && self.captured.is_none() {
            self.basis = DateBasis::None;
        }
        self
    }
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
    let updated_only = dateline
        .as_ref()
        .is_some_and(|(_, text)| UPDATED.is_match(text));
    let dateline = dateline
        .map(|(found, _)| found)
        .or_else(|| wire_dateline(lines));
    if let Some(found) = dateline {
        let mut dating = dated_by_dateline(&found, captured, &anchors);
        if updated_only && dating.doubt.is_none() {
            dating.doubt = Some("the date line gives when the article was updated; it may first have been published earlier".into());
        }
        return dating;
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
/// "Updated 1 October", "Last modified": the date of a revision, not of the first publication.
static UPDATED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(updated|modified|edited|revised)\b").expect("valid regex")
});

fn header_dates<'a>(
    lines: &[Line<'a>],
    headline_above: bool,
) -> (Option<(FoundDate, &'a str)>, Option<FoundDate>) {
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
            dateline = Some((found, lines[i].text));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::lines::{Rules, classify};

    const PROSE: &str = "The defence ministry said on Thursday that its forces had taken control of several villages.";

    fn dating(text: &str) -> Dating {
        let rules = Rules::new(&[], &[]).unwrap();
        date_from_lines(&classify(text, &rules, true), None, false)
    }

    #[test]
    fn a_date_beside_the_headline_is_the_dateline() {
        let d = dating(&format!(
            "Forces take control of villages\n\n1 October 2020, 09:15\n\n{PROSE}\n"
        ));
        assert_eq!(
            (d.basis, d.date.map(|x| x.to_string())),
            (DateBasis::Dateline, Some("2020-10-01T09:15:00".into()))
        );
        assert_eq!(d.doubt, None);
    }

    #[test]
    fn an_updated_date_is_kept_with_a_doubt() {
        let d = dating(&format!(
            "Forces take control of villages\n\nUpdated 1 October 2020, 09:15 GMT+4\n\n{PROSE}\n"
        ));
        assert_eq!(d.basis, DateBasis::Dateline);
        assert!(d.doubt.unwrap().contains("updated"));
    }

    #[test]
    fn a_clock_among_widgets_is_only_a_capture_time() {
        let d = dating(&format!(
            "15:02 GMT29 October 2020\nListen Live\n\n{PROSE}\n"
        ));
        assert_eq!((d.basis, d.date), (DateBasis::Captured, None));
        assert_eq!(
            d.captured.map(|c| c.to_string()),
            Some("2020-10-29T15:02:00Z".into())
        );
    }

    #[test]
    fn a_weekday_is_resolved_after_the_latest_explicit_date() {
        let d = dating(&format!(
            "Forces take control of villages\n\nTroops on the road on October 20, 2020. (Photo by AFP)\n\n{PROSE}\n"
        ));
        assert_eq!(
            (d.basis, d.date.map(|x| x.to_string())),
            (DateBasis::Relative, Some("2020-10-22".into()))
        );
    }

    #[test]
    fn a_wire_dateline_without_a_year_takes_it_from_the_capture_time() {
        let rules = Rules::new(&[], &[]).unwrap();
        let text = format!("Kremlin ready to host talks\n\nMOSCOW, October 7. /TASS/. {PROSE}\n");
        let captured = EntryDate::parse("2020-10-29").ok();
        let d = date_from_lines(&classify(&text, &rules, true), captured, false);
        assert_eq!(d.date.map(|x| x.to_string()), Some("2020-10-07".into()));
        assert!(d.doubt.unwrap().contains("2020 was inferred"));
    }

    #[test]
    fn dates_outside_the_shown_years_are_dropped_with_a_reason() {
        let far = EntryDate::parse("-0024-06-01").unwrap();
        let seen = EntryDate::parse("2021-03-05T10:00:00Z").unwrap();
        let mut reasons = Vec::new();
        let kept = Dating {
            date: Some(far),
            basis: DateBasis::Meta,
            captured: Some(seen),
            doubt: None,
        }
        .without_unshowable_years(&mut reasons);
        assert_eq!(
            (kept.date, kept.basis, kept.captured),
            (None, DateBasis::Captured, Some(seen))
        );
        assert!(
            reasons[0].contains("`-0024-06-01`") && reasons[0].contains("\"meta\""),
            "{reasons:?}"
        );

        let mut reasons = Vec::new();
        let kept = Dating {
            date: None,
            basis: DateBasis::Captured,
            captured: Some(EntryDate::parse("+10000-01-01").unwrap()),
            doubt: None,
        }
        .without_unshowable_years(&mut reasons);
        assert_eq!((kept.captured, kept.basis), (None, DateBasis::None));
        assert_eq!(reasons.len(), 1);

        let mut reasons = Vec::new();
        let fine = Dating {
            date: Some(seen),
            basis: DateBasis::Dateline,
            captured: None,
            doubt: None,
        };
        assert_eq!(fine.clone().without_unshowable_years(&mut reasons), fine);
        assert!(reasons.is_empty());
    }
}
