//! The event: one happening, with its sources (member entries), date and precision, headline,
//! people, places, the quotes more than one outlet printed, and why its members are together.

use chrono::NaiveDate;

use super::cluster::Pair;
use super::curated::CuratedEvent;
use super::quotes;
use super::signals::Features;
use crate::content::Entry;

/// How precisely an event's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// One day: every dated source agrees (or an editor set it).
    Day,
    /// The dated sources disagree: somewhere between `start` and `end`.
    Range,
    /// No source has a date.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDate {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub precision: Precision,
    /// For an undated event: the earliest capture time of its sources, an upper bound.
    pub before: Option<NaiveDate>,
}

impl EventDate {
    /// `2020-09-28`, `2020-09-27 to 2020-09-29`, `undated (before 2020-10-29)` or `undated`.
    pub fn describe(&self) -> String {
        match (self.precision, self.start, self.end, self.before) {
            (Precision::Day, Some(day), _, _) => day.format("%Y-%m-%d").to_string(),
            (Precision::Range, Some(start), Some(end), _) => {
                format!("{} to {}", start.format("%Y-%m-%d"), end.format("%Y-%m-%d"))
            }
            (_, _, _, Some(before)) => format!("undated (before {})", before.format("%Y-%m-%d")),
            _ => "undated".to_string(),
        }
    }
}

/// A quote printed by more than one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedQuote {
    pub speaker: Option<String>,
    /// (entry index, the sentence as that source printed it)
    pub versions: Vec<(usize, String)>,
}

/// A pair's part in the event, for explanations.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub a: usize,
    pub b: usize,
    pub description: String,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub slug: String,
    pub headline: String,
    pub summary: Option<String>,
    /// The curated event's Markdown body, if any.
    pub body: Option<String>,
    pub date: EventDate,
    /// Entry indexes, earliest first.
    pub members: Vec<usize>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub shared_quotes: Vec<SharedQuote>,
    /// The curated file (`content/events/<slug>.md`), when there is one.
    pub curated_file: Option<std::path::PathBuf>,
    /// True when a source is marked for review or the date is not one known day.
    pub review: bool,
    pub joined_by: Vec<Evidence>,
    pub nearest_rejected: Option<Evidence>,
}

impl Event {
    /// The root-relative URL of the event page.
    pub fn site_path(&self) -> String {
        format!("/events/{}/", self.slug)
    }
}

/// Builds an event from its members (sorted earliest first by the caller).
pub fn build(
    members: Vec<usize>,
    entries: &[Entry],
    features: &[Features],
    curated: Option<&CuratedEvent>,
    forced: Option<&str>,
) -> Event {
    let date = match curated.and_then(|c| c.date) {
        Some(day) => EventDate {
            start: Some(day),
            end: Some(day),
            precision: Precision::Day,
            before: None,
        },
        None => event_date(&members, features),
    };
    let leader = members
        .iter()
        .copied()
        .min_by_key(|&i| headline_rank(&entries[i], i));
    let headline = match (curated, leader) {
        (Some(c), _) => c.headline.clone(),
        (None, Some(i)) => entries[i].front_matter.title.clone(),
        (None, None) => String::new(),
    };
    let summary = curated
        .and_then(|c| c.summary.clone())
        .or_else(|| leader.and_then(|i| entries[i].front_matter.summary.clone()))
        .or_else(|| leader.and_then(|i| lead_sentence(&entries[i].body)));
    let slug = match (curated, forced, members.first()) {
        (Some(c), _, _) => c.slug.clone(),
        (None, Some(slug), _) => slug.to_string(),
        (None, None, Some(&first)) => entries[first]
            .site_path
            .trim_start_matches("/entries/")
            .trim_end_matches('/')
            .to_string(),
        (None, None, None) => "event".to_string(),
    };
    let review =
        date.precision != Precision::Day || members.iter().any(|&i| entries[i].front_matter.review);
    Event {
        slug,
        headline,
        summary,
        body: curated
            .map(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty()),
        people: union_of(&members, |i| &features[i].people),
        places: union_of(&members, |i| &features[i].places),
        shared_quotes: shared_quotes(&members, features),
        date,
        members,
        curated_file: curated.map(|c| c.file.clone()),
        review,
        joined_by: Vec::new(),
        nearest_rejected: None,
    }
}

/// The first sentence of a report's first paragraph, as a one-line summary in the source's own
/// words (Markdown escapes removed), at most about 30 words.
fn lead_sentence(body: &str) -> Option<String> {
    let paragraph = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))?;
    let mut text = String::with_capacity(paragraph.len());
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        text.push(if c == '\n' { ' ' } else { c });
    }
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let words: Vec<&str> = text[..end].split_whitespace().collect();
    match words.len() {
        0 => None,
        n if n <= 30 => Some(words.join(" ")),
        _ => Some(format!("{} …", words[..30].join(" "))),
    }
}

/// The headline comes from the best-attested source: a real title and no doubts first, then
/// the earliest.
fn headline_rank(
    entry: &Entry,
    index: usize,
) -> (bool, bool, Option<chrono::DateTime<chrono::Utc>>, usize) {
    let generated = entry
        .front_matter
        .review_reasons
        .iter()
        .any(|r| r.contains("title was generated"));
    (generated, entry.front_matter.review, entry.instant, index)
}

fn event_date(members: &[usize], features: &[Features]) -> EventDate {
    let days: Vec<NaiveDate> = members
        .iter()
        .filter_map(|&i| features[i].happened)
        .collect();
    let before = members.iter().filter_map(|&i| features[i].before).min();
    match (days.iter().min(), days.iter().max()) {
        (Some(&start), Some(&end)) => {
            let precision = if start == end {
                Precision::Day
            } else {
                Precision::Range
            };
            EventDate {
                start: Some(start),
                end: Some(end),
                precision,
                before: None,
            }
        }
        _ => EventDate {
            start: None,
            end: None,
            precision: Precision::Unknown,
            before,
        },
    }
}

/// Names in order of how many sources mention them, then of first mention.
fn union_of<'a>(members: &[usize], names: impl Fn(usize) -> &'a Vec<String>) -> Vec<String> {
    let mut counted: Vec<(String, usize, usize)> = Vec::new();
    for &i in members {
        for name in names(i) {
            match counted.iter_mut().find(|(n, _, _)| n == name) {
                Some(entry) => entry.1 += 1,
                None => {
                    let position = counted.len();
                    counted.push((name.clone(), 1, position));
                }
            }
        }
    }
    counted.sort_by(|x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)));
    counted.into_iter().map(|(name, _, _)| name).collect()
}

/// Quote sentences that two or more sources printed, each with every source's wording.
fn shared_quotes(members: &[usize], features: &[Features]) -> Vec<SharedQuote> {
    let mut shared: Vec<SharedQuote> = Vec::new();
    for (n, &a) in members.iter().enumerate() {
        for x in &features[a].quotes {
            if shared.iter().any(|s| {
                s.versions
                    .iter()
                    .any(|(i, text)| *i == a && *text == x.text)
            }) {
                continue;
            }
            let mut versions = vec![(a, x.text.clone())];
            for &b in &members[n + 1..] {
                if let Some(y) = features[b]
                    .quotes
                    .iter()
                    .find(|y| quotes::agreement(x, y) > 0.0)
                {
                    versions.push((b, y.text.clone()));
                }
            }
            if versions.len() > 1 {
                let speaker = x.speaker.clone().or_else(|| {
                    versions.iter().skip(1).find_map(|(i, t)| {
                        features[*i]
                            .quotes
                            .iter()
                            .find(|q| q.text == *t)?
                            .speaker
                            .clone()
                    })
                });
                shared.push(SharedQuote { speaker, versions });
            }
        }
    }
    shared
}

impl Evidence {
    pub fn from_pair(pair: &Pair, features: &[Features]) -> Evidence {
        let signals = super::signals::Signals::between(&features[pair.a], &features[pair.b]);
        Evidence {
            a: pair.a,
            b: pair.b,
            description: signals.describe(),
            score: pair.score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lead_sentence;

    #[test]
    fn lead_sentence_is_the_first_sentence_without_escapes() {
        let body = "\nPeskov said the \\*talks\\* would resume. Then more.\n\nSecond paragraph.";
        assert_eq!(
            lead_sentence(body).as_deref(),
            Some("Peskov said the *talks* would resume.")
        );
        assert_eq!(
            lead_sentence(&"word ".repeat(40))
                .unwrap()
                .split_whitespace()
                .count(),
            31
        );
        assert_eq!(lead_sentence("  \n\n "), None);
    }
}
