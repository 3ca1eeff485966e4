//! The date of an entry at the precision the editor wrote it: a day, a site-local time, or an
//! exact instant with its UTC offset; read from a TOML bare date or a string in either format.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Unexpected, Visitor};

/// An entry's date as the editor wrote it, keeping its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryDate {
    Day(NaiveDate),
    /// Wall-clock time in the site's time zone.
    Local(NaiveDateTime),
    Exact(DateTime<FixedOffset>),
}

impl EntryDate {
    /// The calendar day as written (an exact time's day in its own offset).
    pub fn day(&self) -> NaiveDate {
        match self {
            EntryDate::Day(d) => *d,
            EntryDate::Local(t) => t.date(),
            EntryDate::Exact(t) => t.date_naive(),
        }
    }

    /// Whether the date falls in the years 0001 to 9999, the only ones pages, URLs, `<time>`
    /// and feeds can show (they write four-digit years). chrono reads far wider ones.
    pub fn in_shown_years(&self) -> bool {
        (1..=9999).contains(&self.day().year())
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.frac]]`
    /// and an offset (`Z`, `+03:00`, `+0300`, `+03`). The error is a sentence for the editor.
    pub fn parse(text: &str) -> Result<EntryDate, String> {
        let text = text.trim();
        // chrono's `%Y` takes any number of digits, so `20-09-28` would be the year 20 and a
        // mangled `-024-06-01` the year -24. A year has at least four digits (a sign is
        // allowed so that `+12020` gets the clearer out-of-range message).
        let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
        let year_digits = digits.bytes().take_while(u8::is_ascii_digit).count();
        if year_digits < 4 || digits.as_bytes().get(year_digits) != Some(&b'-') {
            return Err(format!("`{text}` is not a date"));
        }
        // YAML and RFC 3339 also allow a space or a lowercase `t` between date and time.
        let norm = text.replacen([' ', 't'], "T", 1);
        if let Ok(day) = NaiveDate::parse_from_str(&norm, "%Y-%m-%d") {
            return Ok(EntryDate::Day(day));
        }
        for form in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(&norm, form) {
                return Ok(EntryDate::Local(local));
            }
        }
        for form in ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z"] {
            if let Ok(exact) = DateTime::parse_from_str(&norm, form) {
                return Ok(EntryDate::Exact(exact));
            }
        }
        let date_shaped = text.len() >= 10
            && text.bytes().take(10).enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        Err(match NaiveDate::parse_and_remainder(&norm, "%Y-%m-%d") {
            Ok(_) => format!("`{text}` has a date but no valid time of day or UTC offset after it"),
            Err(_) if date_shaped => {
                format!("`{text}` is not a real calendar date (check the month and the day)")
            }
            Err(_) => format!("`{text}` is not a date"),
        })
    }
}

impl fmt::Display for EntryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            EntryDate::Local(dt) => write!(f, "{}", dt.format("%Y-%m-%dT%H:%M:%S%.f")),
            EntryDate::Exact(dt) => f.write_str(&dt.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

impl<'de> Deserialize<'de> for EntryDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

#[derive(Clone, Copy)]
struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = EntryDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2020-09-28")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<EntryDate, E> {
        EntryDate::parse(text).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EntryDate, A::Error> {
        // toml hands a bare date to serde as a private one-entry map that only its own
        // Datetime type can decode; any other map is a wrong type for `date`.
        let datetime =
            toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))
                .map_err(|_: A::Error| de::Error::invalid_type(Unexpected::Map, &self))?;
        self.visit_str(&datetime.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_date_parse() {
        let day = NaiveDate::from_ymd_opt(2020, 9, 28).unwrap();
        assert_eq!(EntryDate::parse(" 2020-09-28 "), Ok(EntryDate::Day(day)));
        let local = EntryDate::Local(day.and_hms_opt(14, 33, 0).unwrap());
        assert_eq!(EntryDate::parse("2020-09-28t14:33"), Ok(local));
        let exact = EntryDate::parse("2020-09-28T14:33+0300").map(|d| d.to_string());
        assert_eq!(exact.as_deref(), Ok("2020-09-28T14:33:00+03:00"));
        let utc = EntryDate::parse("2020-09-28 11:33:00z").map(|d| d.to_string());
        assert_eq!(utc.as_deref(), Ok("2020-09-28T11:33:00Z"));
        for bad in [
            "20-09-28",
            "-024-06-01",
            "2020",
            "+-2020-01-01",
            "２０２０-01-01",
        ] {
            assert_eq!(EntryDate::parse(bad), Err(format!("`{bad}` is not a date")));
        }
        for bad in [
            "2020-02-30",
            "2021-02-29",
            "28.09.2020",
            "",
            "2020-09-28T14:33+25:00",
        ] {
            assert!(EntryDate::parse(bad).is_err(), "{bad}");
        }
    }
}
