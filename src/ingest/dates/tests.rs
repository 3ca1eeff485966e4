//! Tests of the parent module.
use super::*;

fn show(text: &str) -> String {
    let mut out = Vec::new();
    for f in find_dates(text) {
        let day = f.day.format(if f.year_known { "%F" } else { "--%m-%d" });
        let time = f
            .time
            .map(|t| t.format(" %T").to_string())
            .unwrap_or_default();
        let zone = match f.zone {
            Some(Zone::Utc) => " Z".to_string(),
            Some(Zone::Offset(o)) => format!(" {o}"),
            Some(Zone::Named(n)) => format!(" {n}"),
            None => String::new(),
        };
        out.push(format!(
            "{day}{time}{zone} {:?} «{}»",
            f.shape, &text[f.span]
        ));
    }
    out.join(" | ")
}

#[rustfmt::skip]
const DATES: &[(&str, &str)] = &[
    ("15:02 GMT29 October 2020", "2020-10-29 15:02:00 Z DayMonthYear «15:02 GMT29 October 2020»"),
    ("14:33, 28 September 2020 163", "2020-09-28 14:33:00 DayMonthYear «14:33, 28 September 2020»"),
    ("27 Sep, 2020 17:38", "2020-09-27 17:38:00 DayMonthYear «27 Sep, 2020 17:38»"),
    (" date 2020-09-27  icon bookmark-bicon bookmarkicon cameraicon", "2020-09-27 Iso «2020-09-27»"),
    ("MOSCOW, October 7. /TASS/.", "--10-07 MonthDay «October 7»"),
    ("October 20, 2020", "2020-10-20 MonthDayYear «October 20, 2020»"),
    ("on October 20, 2020. (Photo by Reuters)", "2020-10-20 MonthDayYear «October 20, 2020»"),
    ("2020-09-28", "2020-09-28 Iso «2020-09-28»"),
    ("2020-09-28T14:33:00+03:00", "2020-09-28 14:33:00 +03:00 Iso «2020-09-28T14:33:00+03:00»"),
    ("2020-09-28 14:33", "2020-09-28 14:33:00 Iso «2020-09-28 14:33»"),
    ("2020-09-28T11:33:00Z", "2020-09-28 11:33:00 Z Iso «2020-09-28T11:33:00Z»"),
    ("28.09.2020", "2020-09-28 Numeric «28.09.2020»"),
    ("28/09/2020", "2020-09-28 Numeric «28/09/2020»"),
    ("09/28/2020", "2020-09-28 Numeric «09/28/2020»"),
    ("05/05/2020", "2020-05-05 Numeric «05/05/2020»"),
    ("Sept. 28, 2020", "2020-09-28 MonthDayYear «Sept. 28, 2020»"),
    ("Monday, September 28, 2020 5:02 PM EDT", "2020-09-28 17:02:00 EDT MonthDayYear «Monday, September 28, 2020 5:02 PM EDT»"),
    ("28 сентября 2020", "2020-09-28 DayMonthYear «28 сентября 2020»"),
    ("Sep 28 2020", "2020-09-28 MonthDayYear «Sep 28 2020»"),
    ("2020/09/28", "2020-09-28 Iso «2020/09/28»"),
    ("September 27", "--09-27 MonthDay «September 27»"),
    ("27 September", "--09-27 DayMonth «27 September»"),
    ("since September 27, when the Armenian separatists", "--09-27 MonthDay «September 27»"),
    ("since 27 September.", "--09-27 DayMonth «27 September»"),
    ("February 29", "--02-29 MonthDay «February 29»"),
    ("Mon 28 Sep 2020 14.33 BST", "2020-09-28 14:33:00 BST DayMonthYear «Mon 28 Sep 2020 14.33 BST»"),
    ("28 September 2020, 14:00 UTC+3", "2020-09-28 14:00:00 +03:00 DayMonthYear «28 September 2020, 14:00 UTC+3»"),
    ("October 7, 2020 at 12:30 MSK.", "2020-10-07 12:30:00 MSK MonthDayYear «October 7, 2020 at 12:30 MSK»"),
    ("Updated 2:05 a.m. GMT, 1 Oct 2020", "2020-10-01 02:05:00 Z DayMonthYear «2:05 a.m. GMT, 1 Oct 2020»"),
    ("12:00 AM 1 Jan 2020", "2020-01-01 00:00:00 DayMonthYear «12:00 AM 1 Jan 2020»"),
    ("7th of October 2020", "2020-10-07 DayMonthYear «7th of October 2020»"),
    ("28 сентября 2020 года, 14:33", "2020-09-28 14:33:00 DayMonthYear «28 сентября 2020 года, 14:33»"),
    ("2020-09-28T14:33:00.123-0330", "2020-09-28 14:33:00 -03:30 Iso «2020-09-28T14:33:00.123-0330»"),
    ("October 20, 2020 – 10.25 million", "2020-10-20 MonthDayYear «October 20, 2020»"),
    ("1 Oct 2020 25:00", "2020-10-01 DayMonthYear «1 Oct 2020»"),
    ("14:33 Moscow 28 Sep", "--09-28 DayMonth «28 Sep»"),
    ("from 27 September to October 7", "--09-27 DayMonth «27 September» | --10-07 MonthDay «October 7»"),
    ("Mon, 28 Sep 2020 14:33:00 +0300", "2020-09-28 14:33:00 +03:00 DayMonthYear «Mon, 28 Sep 2020 14:33:00 +0300»"),
    ("said on Monday. 28 September", "--09-28 DayMonth «28 September»"),
    ("28.09.2020 14:33 29.09.2020", "2020-09-28 14:33:00 Numeric «28.09.2020 14:33» | 2020-09-29 Numeric «29.09.2020»"),
    // Ambiguous, impossible, or not dates at all.
    ("03/04/2020", ""), ("28/09-2020", ""), ("2020-02-30", ""), ("31 September 2020", ""),
    ("the 1992-1994 war", ""), ("since 1992", ""), ("about 5,000 troops", ""), ("874", ""),
    ("20 percent", ""), ("Minsk Group", ""), ("they may attack", ""), ("May we", ""),
    ("march on Baku", ""), ("March on Baku", ""), ("call +7 (495) 123-45-67", ""), ("1/2", ""),
    ("in May 1992", ""), ("May 1,000 people", ""), ("12020-09-28", ""), ("September 2020", ""),
    ("the 12:30 May train", ""), ("May 5:30", ""),
];

#[test]
fn dates_table() {
    for (input, want) in DATES {
        assert_eq!(show(input), *want, "input: {input:?}");
    }
}

#[test]
fn year_fill_and_zone_offsets() {
    let feb = &find_dates("February 29")[0];
    assert_eq!((feb.year_known, with_year(feb, 2021)), (false, None));
    assert_eq!(with_year(feb, 2024), NaiveDate::from_ymd_opt(2024, 2, 29));
    let zones = [
        (Zone::Named("IRST"), 210),
        (Zone::Named("EDT"), -240),
        (Zone::Utc, 0),
    ];
    for (zone, minutes) in zones {
        assert_eq!(zone.offset().local_minus_utc(), minutes * 60, "{zone:?}");
    }
}

#[rustfmt::skip]
const WEEKDAYS: &[(&str, &str)] = &[
    ("told reporters on Thursday", "Thu This «Thursday»"),
    ("said on Tuesday", "Tue This «Tuesday»"),
    ("last Sunday", "Sun Last «last Sunday»"),
    ("their previous phone call took place on Sunday", "Sun This «Sunday»"),
    ("Thursday's meeting", "Thu This «Thursday»"),
    ("talks next Monday, and this past Friday", "Mon Next «next Monday» | Fri Last «past Friday»"),
    ("Monday, September 28, 2020 5:02 PM EDT", ""),
    ("open Mondays", ""),
];

#[test]
fn weekdays_table() {
    for (input, want) in WEEKDAYS {
        let mut got = Vec::new();
        for w in find_weekdays(input) {
            got.push(format!(
                "{} {:?} «{}»",
                w.weekday, w.relative, &input[w.span]
            ));
        }
        assert_eq!(got.join(" | "), *want, "input: {input:?}");
    }
}

type Resolve = fn(NaiveDate, &WeekdayMention) -> NaiveDate;
const AFTER: Resolve = resolve_weekday_after;
const BEFORE: Resolve = resolve_weekday_before;

/// (anchor, mention, resolver, expected); 2020-10-20 is a Tuesday, 2020-09-30 a Wednesday.
#[rustfmt::skip]
const RESOLVE: &[(&str, &str, Resolve, &str)] = &[
    ("2020-10-20", "on Thursday", AFTER, "2020-10-22"), ("2020-10-20", "on Tuesday", AFTER, "2020-10-20"),
    ("2020-10-20", "next Tuesday", AFTER, "2020-10-27"), ("2020-10-20", "last Sunday", AFTER, "2020-10-18"),
    ("2020-09-30", "on Tuesday", BEFORE, "2020-09-29"), ("2020-09-30", "on Wednesday", BEFORE, "2020-09-30"),
    ("2020-09-30", "last Wednesday", BEFORE, "2020-09-23"), ("2020-09-30", "last Tuesday", BEFORE, "2020-09-29"),
    ("2020-09-30", "next Thursday", BEFORE, "2020-10-01"),
];

#[test]
fn weekday_resolution() {
    for &(anchor, text, resolve, want) in RESOLVE {
        let got = resolve(anchor.parse().unwrap(), &find_weekdays(text)[0]);
        assert_eq!(got.to_string(), want, "{anchor} {text:?}");
    }
}

#[rustfmt::skip]
const AGO: &[(&str, bool)] = &[
    ("27 mins ago", true), ("1 day ago", true), ("2 hours ago", true), ("yesterday", true),
    ("Just now", true), ("an hour ago", true), ("5m ago", true), ("3 weeks ago", true),
    ("5 минут назад", true), ("вчера", true), ("ago", false), ("years ago the war", false),
    ("30 years ago", false), ("two decades ago", false), ("3 months ago", false), ("agony", false),
    ("October 7, 2020", false),
];

#[test]
fn relative_ago_table() {
    for &(text, want) in AGO {
        assert_eq!(relative_ago(text), want, "{text:?}");
    }
}

/// Generated junk (multibyte included) plus every char-boundary cut of the table inputs:
/// nothing may panic; spans must be ordered, disjoint, non-empty and on char boundaries.
#[test]
fn never_panics() {
    #[rustfmt::skip]
    const BITS: &[&str] = &[
        "15:02", " GMT", "29", " October ", "2020", "-", "09", "/", ".", ",", " ", "сентября", "🙂",
        "é", "T", "+03:00", "Z", "May", "Monday", "last ", " ago", " mins", "\u{a0}", "12", "3", ":",
        " PM", "UTC+3", " года", "st", "−", "٢٠٢٠", "Sept.", "Sunday's", "7", "12:", "MSK", "a.m.",
    ];
    let mut inputs: Vec<String> = Vec::new();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize % n
    };
    for _ in 0..400 {
        inputs.push((0..=next(16)).map(|_| BITS[next(BITS.len())]).collect());
    }
    for (t, _) in DATES.iter().chain(WEEKDAYS) {
        for (i, _) in t.char_indices() {
            inputs.extend([t[..i].to_string(), t[i..].to_string()]);
        }
    }
    for s in &inputs {
        let mut end = 0;
        for f in find_dates(s) {
            assert!(f.span.start >= end && f.span.start < f.span.end, "{s:?}");
            assert!(s.get(f.span.clone()).is_some(), "{s:?}");
            end = f.span.end;
        }
        for w in find_weekdays(s) {
            assert!(s.get(w.span.clone()).is_some(), "{s:?}");
            for d in [NaiveDate::MIN, NaiveDate::MAX] {
                for r in [resolve_weekday_after(d, &w), resolve_weekday_before(d, &w)] {
                    assert!((r - d).num_days().abs() <= 7);
                }
            }
        }
        relative_ago(s);
    }
}
