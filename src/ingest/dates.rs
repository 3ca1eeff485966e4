//! Dates, times and weekday mentions in scraped article text.
//!
//! `ingest` hands us one line or paragraph at a time from pages of outlets we have never seen.
//! We report exactly what is written; which date is the publication date is for the caller to
//! decide (it knows where the line sits in the page). Regexes are compiled once and run in linear
//! time. The rules are deliberately conservative: an ambiguous numeric date such as `03/04/2020`
//! is dropped rather than guessed, and a month name only counts next to a day number, so "they
//! may attack" or "march on Baku" never become dates.

use std::{cmp::Reverse, ops::Range, sync::LazyLock};

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, Offset, TimeDelta, Utc, Weekday};
use regex::{Captures, Regex};

/// A date, with any adjacent weekday name, time and zone, as written in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// When `year_known` is false the year is [`PLACEHOLDER_YEAR`]: go through [`with_year`].
    pub day: NaiveDate,
    pub year_known: bool,
    pub time: Option<NaiveTime>,
    /// Only ever set together with `time`.
    pub zone: Option<Zone>,
    /// Byte range of the date plus the weekday name, time and zone attached to it.
    pub span: Range<usize>,
    pub shape: DateShape,
}

/// Year of [`FoundDate::day`] when the text gives none; a leap year, so "February 29" survives.
pub const PLACEHOLDER_YEAR: i32 = 2000;

/// What the text says about the zone of a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// `+03:00`, `UTC+3`, `GMT+4`.
    Offset(FixedOffset),
    /// `GMT`, `UTC`, `Z`.
    Utc,
    /// An abbreviation from our fixed table, e.g. `MSK`; see [`Zone::offset`].
    Named(&'static str),
}

/// Minutes east of UTC. Abbreviations are ambiguous worldwide (AMT is also Amazon Time, BST also
/// Bangladesh); these readings fit our outlets. Fixed: the text names the zone, so no DST logic.
#[rustfmt::skip]
const NAMED_ZONES: &[(&str, i32)] = &[
    ("MSK", 180), ("AMT", 240), ("AZT", 240), ("TRT", 180), ("IRST", 210), ("EET", 120),
    ("EEST", 180), ("CET", 60), ("CEST", 120), ("BST", 60), ("EST", -300), ("EDT", -240),
    ("PST", -480), ("PDT", -420),
];

impl Zone {
    pub fn offset(&self) -> FixedOffset {
        let minutes = match self {
            Zone::Offset(o) => return *o,
            Zone::Utc => 0,
            // `Named` is only ever built from NAMED_ZONES, so this lookup cannot miss.
            Zone::Named(n) => NAMED_ZONES.iter().find(|z| z.0 == *n).map_or(0, |z| z.1),
        };
        FixedOffset::east_opt(minutes * 60).unwrap_or(Utc.fix())
    }
}

/// Which written form matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShape {
    /// Year first, digits: `2020-09-28`, `2020/09/28`, `2020.09.28`, `2020-09-28T14:33:00Z`.
    Iso,
    /// `28 September 2020`, `27 Sep, 2020`, `7th of October 2020`, `28 сентября 2020`.
    DayMonthYear,
    /// `September 28, 2020`, `Sept. 28, 2020`, `Sep 28 2020`.
    MonthDayYear,
    /// `October 7`.
    MonthDay,
    /// `27 September`.
    DayMonth,
    /// `28.09.2020`, `09/28/2020`: only when the numbers themselves settle day vs month.
    Numeric,
}

/// A weekday named in running text ("on Thursday", "last Sunday"), not as part of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekdayMention {
    pub weekday: Weekday,
    /// Includes the modifier: "last Sunday".
    pub span: Range<usize>,
    pub relative: Relative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// "on Thursday", "Thursday's talks", "this Thursday".
    This,
    /// "last / past / previous Thursday".
    Last,
    /// "next / coming Thursday".
    Next,
}

/// Spellings by month, lowercase. English ones match Capitalised or UPPER only (lowercase "may"
/// and "march" are verbs); Russian genitives also match lowercase, as Russian writes them.
#[rustfmt::skip]
const MONTHS: [&str; 12] = [
    "january jan января", "february feb февраля", "march mar марта", "april apr апреля",
    "may мая", "june jun июня", "july jul июля", "august aug августа",
    "september sept sep сентября", "october oct октября", "november nov ноября",
    "december dec декабря",
];

/// Clock time; the empty `tend` group marks where it stops, before any zone.
const TIME: &str = r"(?P<h>\d{1,2})(?P<sep>[:.])(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?:\s*(?P<ap>[aApP])\.?\s?[mM]\b\.?)?(?P<tend>)";
/// Zone: a capital-letter run checked against our tables in code (the regex crate has no
/// look-ahead, and "15:02 GMT29 October" glues the zone to the day), or a bare numeric offset.
const ZONE: &str = r"(?:(?P<zsp>\s?)(?P<zn>[A-Z]{1,5})(?P<zo>[+−-]\d{1,2}(?::?\d{2})?)?|\s?(?P<zo2>[+−-]\d{2}:?\d{2}))?";

/// Date forms: `{D}` day (ordinal suffix allowed), `{M}` month name, `{Y}` four-digit year.
#[rustfmt::skip]
const DATE_FORMS: [(DateShape, &str); 6] = [
    (DateShape::Iso, r"(?P<y>\d{4})(?P<s1>[-/.])(?P<mn>\d{1,2})(?P<s2>[-/.])(?P<d>\d{1,2})"),
    (DateShape::Numeric, r"(?P<a>\d{1,2})(?P<s1>[-/.])(?P<b>\d{1,2})(?P<s2>[-/.])(?P<y>\d{4})"),
    (DateShape::DayMonthYear, r"{D}\s+(?:of\s+)?{M}\.?,?\s+{Y}(?:\s*(?:г\.|года\b))?"),
    (DateShape::MonthDayYear, r"\b{M}\.?\s+{D}(?:,\s*|\s+){Y}"),
    (DateShape::MonthDay, r"\b{M}\.?\s+{D}\b"),
    // No trailing `\.?` here: in "since 27 September." the period ends the sentence.
    (DateShape::DayMonth, r"{D}\s+(?:of\s+)?{M}"),
];

/// A weekday name right before a date belongs to it ("Mon, 28 Sep"); a period is allowed only
/// after abbreviations, so in "said on Monday. 28 September" the two stay apart.
const WEEKDAY_BEFORE_RE: &str = r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?),?\s*$";
const WEEKDAY_RE: &str = r"(?i)\b(?:(?P<rel>last|next|this|past|coming|previous)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b";
/// Units up to weeks only; Russian forms too, since we ingest Russian outlets.
const AGO_RE: &str = concat!(
    r"(?i)\b(?:(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple\s+of)",
    r"\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\s+ago",
    r"|yesterday|just\s+now|\d+\s*(?:сек|мин|час|дн|день|недел)\w*\s+назад|вчера|только\s+что)\b",
);

fn re(pattern: &str) -> Regex {
    // `\d` is Unicode-aware in the regex crate; only ASCII digits parse as numbers.
    Regex::new(&pattern.replace(r"\d", "[0-9]")).expect("static pattern")
}

static DATES: LazyLock<Vec<(DateShape, Regex)>> = LazyLock::new(|| {
    let mut names = Vec::new();
    for n in MONTHS.iter().flat_map(|m| m.split(' ')) {
        let mut chars = n.chars();
        let first: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .collect();
        names.extend([first + chars.as_str(), n.to_uppercase()]);
        if !n.is_ascii() {
            names.push(n.to_string());
        }
    }
    names.sort_by_key(|s| Reverse(s.len()));
    let month = format!(r"(?P<mon>{})\b", names.join("|"));
    let fill = |p: &str| {
        let p = p.replace("{D}", r"(?P<d>\d{1,2})(?:st|nd|rd|th)?");
        p.replace("{Y}", r"(?P<y>\d{4})").replace("{M}", &month)
    };
    DATE_FORMS
        .iter()
        .map(|&(shape, p)| (shape, re(&fill(p))))
        .collect()
});
static TIME_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(?:T|\s*[,|@–—-]?\s*(?:at\s+)?){TIME}{ZONE}")));
static TIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"{TIME}{ZONE}[\s,|]*$")));
static WEEKDAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| re(WEEKDAY_BEFORE_RE));
static WEEKDAYS: LazyLock<Regex> = LazyLock::new(|| re(WEEKDAY_RE));
static AGO: LazyLock<Regex> = LazyLock::new(|| re(AGO_RE));

/// All dates in `text`, in order and non-overlapping.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let mut found: Vec<FoundDate> = Vec::new();
    for (shape, re) in DATES.iter() {
        for c in re.captures_iter(text) {
            found.extend(build(*shape, &c, text));
        }
    }
    // Leftmost wins; at the same start the longer form ("October 20, 2020" over "October 20").
    found.sort_by_key(|f| (f.span.start, Reverse(f.span.end)));
    let mut picked: Vec<FoundDate> = Vec::new();
    for f in found {
        if picked.last().is_none_or(|p| f.span.start >= p.span.end) {
            picked.push(f);
        }
    }
    // Times and weekdays attach afterwards, each within the gap to its neighbours, so a "14:33"
    // between two dates is claimed once and spans stay disjoint.
    let mut lo = 0;
    for i in 0..picked.len() {
        let hi = picked.get(i + 1).map_or(text.len(), |n| n.span.start);
        attach(text, &mut picked[i], lo, hi);
        lo = picked[i].span.end;
    }
    picked
}

/// `found`'s month and day in `year`; `None` when that day does not exist (Feb 29).
pub fn with_year(found: &FoundDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, found.day.month(), found.day.day())
}

/// Weekday names in running text; "Monday" in "Monday, September 28, 2020" belongs to the date.
pub fn find_weekdays(text: &str) -> Vec<WeekdayMention> {
    // Both lists are in text order, so one forward cursor over the dates keeps this linear.
    let mut dates = find_dates(text).into_iter().peekable();
    let mut out = Vec::new();
    for c in WEEKDAYS.captures_iter(text) {
        let (Some(all), Ok(weekday)) = (c.get(0), c["wd"].parse::<Weekday>()) else {
            continue;
        };
        while dates.next_if(|d| d.span.end <= all.start()).is_some() {}
        if dates.peek().is_some_and(|d| d.span.start < all.end()) {
            continue;
        }
        let rel = c.name("rel").map(|r| r.as_str().to_ascii_lowercase());
        let relative = match rel.as_deref() {
            Some("last" | "past" | "previous") => Relative::Last,
            Some("next" | "coming") => Relative::Next,
            _ => Relative::This,
        };
        let span = all.range();
        out.push(WeekdayMention {
            weekday,
            span,
            relative,
        });
    }
    out
}

/// Resolves against a lower bound on the writing date (e.g. a caption date earlier in the
/// story): `This` = first such weekday on or after `anchor`, `Next` = first strictly after,
/// `Last` = latest strictly before.
pub fn resolve_weekday_after(anchor: NaiveDate, mention: &WeekdayMention) -> NaiveDate {
    let (wd, rel) = (mention.weekday, mention.relative);
    step(anchor, wd, rel != Relative::Last, rel != Relative::This)
}

/// Resolves against the publication date: `This` = latest such weekday on or before `published`,
/// `Last` = latest strictly before (so on a Thursday "last Thursday" is a week before "Thursday";
/// on other days they agree), `Next` looks ahead: first strictly after.
pub fn resolve_weekday_before(published: NaiveDate, mention: &WeekdayMention) -> NaiveDate {
    let (wd, rel) = (mention.weekday, mention.relative);
    step(published, wd, rel == Relative::Next, rel != Relative::This)
}

/// Listing chrome such as "27 mins ago", "yesterday", "just now". Only units up to weeks count:
/// "30 years ago" or "3 months ago" is history told by the article, not a page timestamp.
pub fn relative_ago(text: &str) -> bool {
    AGO.is_match(text)
}

/// The nearest `wd` from `d` in one direction; `strict` skips `d` itself. Saturates at chrono's
/// date limits instead of panicking.
fn step(d: NaiveDate, wd: Weekday, forward: bool, strict: bool) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    let n = if forward { ahead } else { (7 - ahead) % 7 };
    let n = i64::from(if strict && n == 0 { 7 } else { n });
    let delta = TimeDelta::days(if forward { n } else { -n });
    d.checked_add_signed(delta).unwrap_or(d)
}

fn build(shape: DateShape, c: &Captures, text: &str) -> Option<FoundDate> {
    let num = |k| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    // "28/09-2020" is no date; the regex crate has no back-references to say so.
    if c.name("s1").map(|m| m.as_str()) != c.name("s2").map(|m| m.as_str()) {
        return None;
    }
    let (month, day) = match (shape, c.name("mon")) {
        (DateShape::Iso, _) => (num("mn")?, num("d")?),
        (DateShape::Numeric, _) => match (num("a")?, num("b")?) {
            (a, b) if a == b || a > 12 => (b, a),
            (a, b) if b > 12 => (a, b),
            _ => return None, // 03/04/2020: never guessed
        },
        (_, mon) => {
            let name = mon?.as_str().to_lowercase();
            let spelled = |m: &&str| m.split(' ').any(|n| n == name);
            (MONTHS.iter().position(spelled)? as u32 + 1, num("d")?)
        }
    };
    let year = c.name("y").and_then(|m| m.as_str().parse().ok());
    let day = NaiveDate::from_ymd_opt(year.unwrap_or(PLACEHOLDER_YEAR), month, day)?;
    let span = c.get(0)?.range();
    // Pieces of longer number runs ("1992-1994-05", "12020-09-28") or of times ("12:30 May") are
    // not dates; a trailing ",000" or ":30" matters only when the match ends in the day.
    let after = &['.', '/', '-', ',', ':'][..if shape == DateShape::MonthDay { 5 } else { 3 }];
    if continues(text[..span.start].chars().rev(), &['.', '/', '-', ':'])
        || continues(text[span.end..].chars(), after)
    {
        return None;
    }
    let year_known = year.is_some();
    Some(FoundDate {
        day,
        year_known,
        time: None,
        zone: None,
        span,
        shape,
    })
}

/// Whether a number run goes on in this direction: a digit, or a separator and a digit.
fn continues(mut chars: impl Iterator<Item = char>, seps: &[char]) -> bool {
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if seps.contains(&c) => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Extends `f` by a following time (else a preceding one) and a preceding weekday name, staying
/// inside `lo..hi`.
fn attach(text: &str, f: &mut FoundDate, lo: usize, hi: usize) {
    if let Some((time, zone, len)) = time_after(&text[f.span.end..hi]) {
        (f.time, f.zone, f.span.end) = (Some(time), zone, f.span.end + len);
    }
    let w = window(text, lo, f.span.start);
    if let Some(m) = WEEKDAY_BEFORE.find(&text[w..f.span.start]) {
        f.span.start = w + m.start();
    }
    if f.time.is_none() {
        if let Some((time, zone, at)) = time_before(text, lo, f.span.start) {
            (f.time, f.zone, f.span.start) = (Some(time), zone, at);
        }
    }
}

/// Start of a short look-behind window, so end-anchored searches stay linear overall.
fn window(text: &str, lo: usize, end: usize) -> usize {
    let mut w = end.saturating_sub(48).max(lo);
    while !text.is_char_boundary(w) {
        w += 1;
    }
    w
}

fn time_after(s: &str) -> Option<(NaiveTime, Option<Zone>, usize)> {
    let c = TIME_AFTER.captures(s)?;
    let tend = c.name("tend")?.end();
    let (time, zone) = timed(&c).filter(|_| !continues(s[tend..].chars(), &['.', ':']))?;
    Some((time, zone, if zone.is_some() { c[0].len() } else { tend }))
}

fn time_before(text: &str, lo: usize, end: usize) -> Option<(NaiveTime, Option<Zone>, usize)> {
    let w = window(text, lo, end);
    let c = TIME_BEFORE.captures(&text[w..end])?;
    let at = w + c.get(0)?.start();
    let (time, zone) = timed(&c)?;
    // An unknown capital word between time and date ("14:33 XYZ 28 Sep") breaks the link.
    let stray = zone.is_none() && (c.name("zn").is_some() || c.name("zo2").is_some());
    (!stray && !continues(text[..at].chars().rev(), &[':', '.'])).then_some((time, zone, at))
}

/// Clock and zone of a TIME+ZONE match. A dotted "14.33" needs a zone or am/pm to vouch for it;
/// otherwise it is usually a figure ("October 20, 2020 – 10.25 million").
fn timed(c: &Captures) -> Option<(NaiveTime, Option<Zone>)> {
    let n = |k| c.name(k).map_or(Some(0), |m| m.as_str().parse().ok());
    let (h, m, s) = (n("h")?, n("m")?, n("s")?);
    let h = match c.name("ap").map(|m| m.as_str()) {
        None => h,
        Some(_) if !(1..=12).contains(&h) => return None,
        Some("a" | "A") => h % 12,
        Some(_) => h % 12 + 12,
    };
    let zone = zone_of(c);
    if &c["sep"] == "." && zone.is_none() && c.name("ap").is_none() {
        return None;
    }
    Some((NaiveTime::from_hms_opt(h, m, s)?, zone))
}

fn zone_of(c: &Captures) -> Option<Zone> {
    if let Some(o) = c.name("zo2") {
        return offset(o.as_str()).map(Zone::Offset);
    }
    let name = c.name("zn")?.as_str();
    let glued = c.name("zsp").is_none_or(|m| m.is_empty());
    let known = NAMED_ZONES.iter().find(|z| z.0 == name);
    match (name, c.name("zo")) {
        ("UTC" | "GMT", Some(o)) => offset(o.as_str()).map(Zone::Offset),
        ("UTC" | "GMT", None) => Some(Zone::Utc),
        ("Z", None) if glued => Some(Zone::Utc), // ISO "…:00Z"; a spaced "Z" is just a letter
        (_, None) => known.map(|z| Zone::Named(z.0)),
        _ => None,
    }
}

/// "+3", "+03:00", "-0500", "+3:30"; the sign is always present.
fn offset(s: &str) -> Option<FixedOffset> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = digits.split_at(digits.len().saturating_sub(2).min(2));
    let (h, m) = if h.is_empty() { (m, "0") } else { (h, m) };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let sign = if s.starts_with('+') { 1 } else { -1 };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).filter(|_| m < 60)
}

#[cfg(test)]
mod tests;
