//! What grouping knows about each entry (its words, quotes, people, places and the day it
//! reports on) and the signals and score of a pair of entries.

use chrono::NaiveDate;

use super::quotes::{self, QuoteSentence};
use super::text::{TermVector, cosine};
use crate::content::Entry;
use crate::content::provenance::DateBasis;
use crate::ingest::dates::{self, Relative};

/// The features of one entry.
#[derive(Debug, Clone)]
pub struct Features {
    pub vector: TermVector,
    pub quotes: Vec<QuoteSentence>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    /// The day the reported happening took place, when known.
    pub happened: Option<NaiveDate>,
    /// An upper bound when only the capture time is known.
    pub before: Option<NaiveDate>,
}

/// The day an entry reports on: its own date, or the weekday its lead names ("said on
/// Tuesday") when that is within the week before publication.
pub fn happened(entry: &Entry) -> Option<NaiveDate> {
    let day = entry.day?;
    if entry.front_matter.date_basis == Some(DateBasis::Relative) {
        return Some(day);
    }
    let lead: String = entry
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let Some(mention) = dates::find_weekdays(&lead)
        .into_iter()
        .find(|m| m.relative == Relative::This)
    else {
        return Some(day);
    };
    let earlier = dates::resolve_weekday_before(day, &mention);
    Some(if (0..=6).contains(&(day - earlier).num_days()) {
        earlier
    } else {
        day
    })
}

/// The evidence that two entries report one happening.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals {
    /// Strongest agreement between a quote sentence of each (0 when none is shared).
    pub quote: f32,
    /// The two sentences behind `quote`.
    pub quote_pair: Option<(String, String)>,
    /// TF-IDF cosine of the whole texts.
    pub text: f32,
    pub shared_people: Vec<String>,
    pub people: f32,
    pub shared_places: Vec<String>,
    pub places: f32,
    /// Days between the happenings, when both are dated.
    pub days_apart: Option<i64>,
}

/// Weights of the score. Quotes and words carry it; people and places only add to it when the
/// words or quotes already agree, so one speaker's two statements on one day stay apart.
const QUOTE_WEIGHT: f32 = 0.5;
const TEXT_WEIGHT: f32 = 0.5;
const PEOPLE_WEIGHT: f32 = 0.15;
const PLACES_WEIGHT: f32 = 0.05;
const PENALTY_PER_DAY: f32 = 0.04;
const CONTEXT_NEEDS_TEXT: f32 = 0.1;

impl Signals {
    pub fn between(a: &Features, b: &Features) -> Signals {
        let mut best: (f32, Option<(String, String)>) = (0.0, None);
        for x in &a.quotes {
            for y in &b.quotes {
                let agreement = quotes::agreement(x, y);
                if agreement > best.0 {
                    best = (agreement, Some((x.text.clone(), y.text.clone())));
                }
            }
        }
        let (people, shared_people) = overlap(&a.people, &b.people);
        let (places, shared_places) = overlap(&a.places, &b.places);
        let days_apart = match (a.happened, b.happened) {
            (Some(x), Some(y)) => Some((x - y).num_days().abs()),
            _ => None,
        };
        Signals {
            quote: best.0,
            quote_pair: best.1,
            text: cosine(&a.vector, &b.vector),
            shared_people,
            people,
            shared_places,
            places,
            days_apart,
        }
    }

    pub fn score(&self) -> f32 {
        let context = if self.quote > 0.0 || self.text >= CONTEXT_NEEDS_TEXT {
            PEOPLE_WEIGHT * self.people + PLACES_WEIGHT * self.places
        } else {
            0.0
        };
        let penalty = PENALTY_PER_DAY * self.days_apart.unwrap_or(0) as f32;
        QUOTE_WEIGHT * self.quote + TEXT_WEIGHT * self.text + context - penalty
    }

    /// One line for `dateline events --explain`.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("score {:.2}", self.score())];
        if let Some((a, b)) = &self.quote_pair {
            parts.push(format!(
                "shared quote {:.2} (“{}” / “{}”)",
                self.quote,
                clip(a),
                clip(b)
            ));
        }
        parts.push(format!("text {:.2}", self.text));
        if !self.shared_people.is_empty() {
            parts.push(format!(
                "people {:.2} ({})",
                self.people,
                self.shared_people.join(", ")
            ));
        }
        if !self.shared_places.is_empty() {
            parts.push(format!(
                "places {:.2} ({})",
                self.places,
                self.shared_places.join(", ")
            ));
        }
        match self.days_apart {
            Some(days) => parts.push(format!("{days} day(s) apart")),
            None => parts.push("one of them undated".to_string()),
        }
        parts.join("; ")
    }
}

fn clip(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 10 {
        words.join(" ")
    } else {
        format!("{} …", words[..10].join(" "))
    }
}

/// Jaccard overlap and the shared names, in the first list's order.
fn overlap(a: &[String], b: &[String]) -> (f32, Vec<String>) {
    let shared: Vec<String> = a.iter().filter(|x| b.contains(x)).cloned().collect();
    let union = a.len() + b.len() - shared.len();
    let jaccard = if union == 0 {
        0.0
    } else {
        shared.len() as f32 / union as f32
    };
    (jaccard, shared)
}
