//! Quotes across outlets: the same words of the same speaker in two reports are the strongest
//! sign that they report one happening. Quotes are compared sentence by sentence after
//! normalising case, punctuation and quote marks, and two translations of one sentence match
//! when most of their words agree in order ("We are definitely against this" / "We are
//! categorically against that").

use crate::content::provenance::QuoteRecord;

/// One sentence of a quote, ready to compare.
#[derive(Debug, Clone)]
pub struct QuoteSentence {
    pub speaker: Option<String>,
    /// The sentence as the outlet printed it.
    pub text: String,
    pub words: Vec<String>,
}

/// Sentences shorter than this are too generic to identify a statement on their own.
const MIN_WORDS: usize = 4;
/// Share of the longer sentence's words that must appear, in order, in the other.
const MIN_AGREEMENT: f32 = 0.6;
/// Sentences this long or longer count fully; shorter ones count in proportion.
const FULL_WEIGHT_WORDS: usize = 8;

/// Lower-cased words without punctuation or quote marks of any kind.
pub fn normalise(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

pub fn sentences(quotes: &[QuoteRecord]) -> Vec<QuoteSentence> {
    let mut out = Vec::new();
    for quote in quotes {
        for sentence in split_sentences(&quote.text) {
            let words = normalise(sentence);
            if words.len() >= MIN_WORDS {
                out.push(QuoteSentence {
                    speaker: quote.speaker.clone(),
                    text: sentence.trim().to_string(),
                    words,
                });
            }
        }
    }
    out
}

fn split_sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// How strongly two quote sentences are the same statement, 0 when they are not.
pub fn agreement(a: &QuoteSentence, b: &QuoteSentence) -> f32 {
    let speakers_agree = match (&a.speaker, &b.speaker) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    if !speakers_agree {
        return 0.0;
    }
    let shorter = a.words.len().min(b.words.len());
    // Against the longer sentence: a short sentence whose few words recur inside a long,
    // different one ("We are … that") is not the same statement.
    let longer = a.words.len().max(b.words.len());
    let share = common_subsequence(&a.words, &b.words) as f32 / longer as f32;
    if share < MIN_AGREEMENT {
        return 0.0;
    }
    share * (shorter.min(FULL_WEIGHT_WORDS) as f32 / FULL_WEIGHT_WORDS as f32)
}

/// Length of the longest common subsequence of two word lists (two rows of the usual table:
/// quotes are sentences, so this stays small).
fn common_subsequence(a: &[String], b: &[String]) -> usize {
    let mut previous = vec![0usize; b.len() + 1];
    let mut current = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Keys for finding candidate pairs: hashes of each run of three words.
pub fn shingles(sentence: &QuoteSentence) -> impl Iterator<Item = u64> + '_ {
    sentence.words.windows(3).map(|w| {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        w.hash(&mut hasher);
        hasher.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(speaker: Option<&str>, text: &str) -> QuoteSentence {
        sentences(&[QuoteRecord {
            speaker: speaker.map(Into::into),
            text: text.into(),
        }])
        .remove(0)
    }

    #[test]
    fn same_words_different_marks_match_fully() {
        let a = sentence(
            Some("Dmitry Peskov"),
            "“Any statements about any military support or military activity definitely add fuel to the fire,”",
        );
        let b = sentence(
            None,
            "Any statements about any military support or military activity definitely add fuel to the fire.",
        );
        assert_eq!(agreement(&a, &b), 1.0);
    }

    #[test]
    fn near_identical_translations_match() {
        let a = sentence(None, "We are definitely against this");
        let b = sentence(None, "We are categorically against that.");
        assert!(agreement(&a, &b) > 0.0);
    }

    #[test]
    fn a_few_common_words_are_not_a_shared_quote() {
        let a = sentence(
            None,
            "We are still convinced that this problem can only have a peaceful solution",
        );
        let b = sentence(None, "We are categorically against that.");
        assert_eq!(agreement(&a, &b), 0.0);
    }

    #[test]
    fn different_statements_and_speakers_do_not() {
        let a = sentence(
            Some("Dmitry Peskov"),
            "We call on all countries to convince the sides to cease fire.",
        );
        let b = sentence(
            Some("Dmitry Peskov"),
            "The prices of gas exports will not change this winter.",
        );
        assert_eq!(agreement(&a, &b), 0.0);
        let c = sentence(
            Some("Nikol Pashinyan"),
            "We call on all countries to convince the sides to cease fire.",
        );
        assert_eq!(agreement(&a, &c), 0.0);
        assert!(
            sentences(&[QuoteRecord {
                speaker: None,
                text: "as needed.".into()
            }])
            .is_empty()
        );
    }
}
