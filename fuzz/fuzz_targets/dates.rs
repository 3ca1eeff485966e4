//! Dates in running text (`ingest::dates`), the dateline logic that picks the publication date
//! from classified lines (`ingest::dating`), and the front-matter date parser (`EntryDate`).

#![no_main]

use std::sync::LazyLock;

use chrono::NaiveDate;
use dateline::content::entry_date::EntryDate;
use dateline::ingest::dates;
use dateline::ingest::dating::{date_from_lines, to_entry_date};
use dateline::ingest::lines::{Rules, classify};
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules::new(&[], &[]).expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let found = dates::find_dates(&text);
    let mut end = 0;
    for f in &found {
        assert!(f.span.start >= end && f.span.start < f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        assert!(f.time.is_some() || f.zone.is_none());
        end = f.span.end;
        let _ = to_entry_date(f).to_string();
        let _ = dates::with_year(f, 2021);
    }
    let weekdays = dates::find_weekdays(&text);
    let limits = [NaiveDate::MIN, NaiveDate::MAX];
    let anchors = found.iter().map(|f| f.day).chain(limits);
    for anchor in anchors {
        for w in &weekdays {
            assert!(text.is_char_boundary(w.span.start) && text.is_char_boundary(w.span.end));
            let _ = dates::resolve_weekday_after(anchor, w);
            let _ = dates::resolve_weekday_before(anchor, w);
        }
    }
    let _ = dates::relative_ago(&text);

    // The first line doubles as a front-matter date (and as the capture time below): what
    // parses must print as text that parses back to the same date.
    let first = text.lines().next().unwrap_or_default();
    let captured = EntryDate::parse(first).ok();
    for candidate in [first, &*text] {
        if let Ok(date) = EntryDate::parse(candidate) {
            let shown = date.to_string();
            assert_eq!(EntryDate::parse(&shown), Ok(date), "{shown}");
            let _ = date.day();
        }
    }

    let lines = classify(&text, &RULES, data.first().is_some_and(|b| b & 1 == 0));
    let dating = date_from_lines(&lines, captured, data.last().is_some_and(|b| b & 1 == 0));
    if let Some(date) = dating.date {
        let _ = date.to_string();
    }
});
