//! One raw article analysed: its clean paragraphs and everything ingest can tell about it
//! (title, date, outlet, tags, people, places, quotes), each with the doubt that came with it.

use anyhow::Result;

use super::dating::{Dating, date_from_lines};
use super::entities::{Gazetteer, Matcher};
use super::html::HtmlArticle;
use super::lines::{Line, Role, Rules, classify, tag_items};
use super::outlets::{Outlets, builtin_profiles};
use super::sidecar::Sidecar;
use super::{dates, dating};
use crate::config::IngestConfig;
use crate::content::entry_date::EntryDate;
use crate::content::provenance::{DateBasis, QuoteRecord};

/// The outlet written when none can be found.
pub const UNKNOWN_OUTLET: &str = "unknown";

/// What ingest knows about one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub title: String,
    pub dating: Dating,
    pub outlet: String,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub paragraphs: Vec<String>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub quotes: Vec<QuoteRecord>,
    /// Why a person should check this entry; empty when nothing was guessed.
    pub review_reasons: Vec<String>,
}

impl Article {
    /// Removes the C0 control characters (other than tab and line break) a scrape, a character
    /// reference (`&#1;`), JSON-LD or a sidecar brought in: no page or feed can carry them, and
    /// the entry loader refuses them. Vertical tabs and form feeds become spaces.
    pub fn strip_control_characters(&mut self) {
        let quotes = self.quotes.iter_mut();
        let quoted = quotes.flat_map(|q| q.speaker.iter_mut().chain([&mut q.text]));
        let lists = [
            &mut self.tags,
            &mut self.paragraphs,
            &mut self.people,
            &mut self.places,
            &mut self.review_reasons,
        ];
        let singles = [&mut self.title, &mut self.outlet];
        (singles.into_iter().chain(self.url.iter_mut()))
            .chain(lists.into_iter().flatten())
            .chain(quoted)
            .filter(|s| s.contains(is_control))
            .for_each(|s| {
                let spaced = s.replace(['\u{b}', '\u{c}'], " ");
                *s = spaced.replace(is_control, "");
            });
    }
}

fn is_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n')
}

/// Everything compiled once per ingest run and shared by all articles.
pub struct Analyzer {
    rules: Rules,
    outlets: Outlets,
    matcher: Matcher,
}

impl Analyzer {
    pub fn new(config: &IngestConfig) -> Result<Analyzer> {
        let outlets = Outlets::new(builtin_profiles(), &config.outlets)?;
        let mut chrome = config.chrome_lines.clone();
        chrome.extend(outlets.chrome.iter().cloned());
        let rules = Rules::new(&chrome, &config.end_markers)?;
        let mut gazetteer = Gazetteer::builtin();
        gazetteer.extend(config.gazetteer.clone());
        Ok(Analyzer {
            rules,
            outlets,
            matcher: Matcher::new(&gazetteer),
        })
    }

    /// A plain-text scrape.
    pub fn text(&self, text: &str, sidecar: &Sidecar) -> Article {
        let lines = classify(text, &self.rules, true);
        let paragraphs = body_paragraphs(&lines);
        let headline = lines
            .iter()
            .find(|l| l.role == Role::Headline)
            .map(|l| l.text.to_string());
        let signed = self.outlets.from_signatures(&lines).map(|(name, _)| name);
        let dating = date_from_lines(&lines, sidecar.captured, false);
        self.finish(
            Found {
                headline,
                dating,
                outlet: signed,
                outlet_doubt: None,
                url: None,
                tags: tags(&lines),
                paragraphs,
            },
            sidecar,
        )
    }

    /// A saved web page, already reduced to its metadata and text blocks.
    pub fn html(&self, page: &HtmlArticle, sidecar: &Sidecar) -> Article {
        let text = page.paragraphs.join("\n\n");
        let lines = classify(&text, &self.rules, false);
        let paragraphs = body_paragraphs(&lines);
        let site_name = page
            .site_name
            .as_deref()
            .map(|n| self.outlets.by_name(n).unwrap_or(n).to_string());
        let url = page.canonical_url.clone();
        let outlet = site_name
            .or_else(|| {
                url.as_deref()
                    .and_then(|u| self.outlets.by_url(u))
                    .map(str::to_string)
            })
            .or_else(|| self.outlets.from_signatures(&lines).map(|(name, _)| name));
        let suffix = title_suffix(page);
        let outlet_doubt = (outlet.is_none() && suffix.is_some())
            .then(|| "the outlet was read from the end of the page title".to_string());
        let outlet = outlet.or_else(|| {
            suffix.map(|name| {
                self.outlets
                    .by_name(&name)
                    .map_or(name.clone(), str::to_string)
            })
        });
        let headline = [&page.og_title, &page.title_tag, &page.h1]
            .into_iter()
            .flatten()
            .map(|t| strip_outlet_suffix(t, outlet.as_deref()))
            .find(|t| !t.is_empty());
        let dating = match meta_date(page) {
            Some(date) => Dating {
                date: Some(date),
                basis: DateBasis::Meta,
                captured: sidecar.captured,
                doubt: None,
            },
            None => date_from_lines(&lines, sidecar.captured, true),
        };
        self.finish(
            Found {
                headline,
                dating,
                outlet,
                outlet_doubt,
                url,
                tags: tags(&lines),
                paragraphs,
            },
            sidecar,
        )
    }

    /// Applies the sidecar (stated values win), finds people, places and quotes, and lists what
    /// a person should check.
    fn finish(&self, found: Found, sidecar: &Sidecar) -> Article {
        let mut reasons = Vec::new();
        let title = match (&sidecar.title, found.headline) {
            (Some(stated), _) => stated.clone(),
            (None, Some(headline)) => headline,
            (None, None) => {
                reasons.push(
                    "the scrape has no headline; the title was generated from the text".to_string(),
                );
                generated_title(&found.paragraphs)
            }
        };
        let dating = match sidecar.date {
            Some(date) => Dating {
                date: Some(date),
                basis: DateBasis::Sidecar,
                captured: sidecar.captured,
                doubt: None,
            },
            None => found.dating,
        };
        reasons.extend(dating.doubt.clone());
        if sidecar.outlet.is_none() {
            reasons.extend(found.outlet_doubt.clone());
        }
        let outlet = sidecar.outlet.clone().or(found.outlet).unwrap_or_else(|| {
            reasons.push(
                "no outlet found (no site metadata, known URL or signature in the text)"
                    .to_string(),
            );
            UNKNOWN_OUTLET.to_string()
        });
        let mut text = vec![title.clone()];
        text.extend(found.paragraphs.iter().cloned());
        let entities = self.matcher.find(&text);
        let quotes = entities
            .quotes
            .into_iter()
            .map(|q| QuoteRecord {
                speaker: q.speaker,
                text: q.text,
            })
            .collect();
        Article {
            title,
            dating,
            outlet,
            url: sidecar.url.clone().or(found.url),
            tags: found.tags,
            paragraphs: found.paragraphs,
            people: entities.people,
            places: entities.places,
            quotes,
            review_reasons: reasons,
        }
    }
}

/// What the format-specific readers found, before the sidecar and the entity pass.
struct Found {
    headline: Option<String>,
    dating: Dating,
    outlet: Option<String>,
    /// Why the outlet found is uncertain, when it is.
    outlet_doubt: Option<String>,
    url: Option<String>,
    tags: Vec<String>,
    paragraphs: Vec<String>,
}

/// The article's paragraphs. A line that does not end a sentence followed by one starting in
/// lower case is a hard-wrapped paragraph and is joined back.
fn body_paragraphs(lines: &[Line]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut previous_was_body = false;
    for l in lines {
        if l.role != Role::Body {
            previous_was_body = false;
            continue;
        }
        let continues = previous_was_body && l.text.chars().next().is_some_and(char::is_lowercase);
        match paragraphs.last_mut() {
            Some(last) if continues && !last.ends_with(['.', '!', '?', '"', '”']) => {
                last.push(' ');
                last.push_str(l.text);
            }
            _ => paragraphs.push(collapse_spaces(l.text)),
        }
        previous_was_body = true;
    }
    paragraphs
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tags(lines: &[Line]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for items in lines
        .iter()
        .filter(|l| l.role == Role::Tags)
        .filter_map(|l| tag_items(l.text))
    {
        for item in items {
            if !tags.contains(&item) {
                tags.push(item);
            }
        }
    }
    tags
}

/// A headline-length title from the first sentence that names someone doing something, else
/// the first sentence: the reader sees what the report says, flagged for review.
fn generated_title(paragraphs: &[String]) -> String {
    let sentences: Vec<&str> = paragraphs
        .iter()
        .take(4)
        .filter_map(|p| first_sentence(p))
        .collect();
    let with_actor = sentences.iter().find(|s| {
        let words: Vec<&str> = s.split_whitespace().collect();
        words
            .windows(2)
            .skip(1)
            .any(|w| starts_upper(w[0]) && starts_upper(w[1]))
    });
    let Some(sentence) = with_actor.or(sentences.first()) else {
        return "Untitled report".to_string();
    };
    shorten(sentence)
}

fn first_sentence(paragraph: &str) -> Option<&str> {
    let end = paragraph.find(". ").map_or(paragraph.len(), |i| i + 1);
    let sentence = paragraph.get(..end)?.trim();
    (!sentence.is_empty()).then_some(sentence)
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// At most 16 words: cut at the first clause break after the sixth word when there is one.
fn shorten(sentence: &str) -> String {
    let sentence = sentence.trim_end_matches('.');
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= 16 {
        return sentence.to_string();
    }
    let clause_end = words
        .iter()
        .enumerate()
        .skip(5)
        .take(11)
        .find(|(_, w)| w.ends_with(',') || w.ends_with(';'));
    match clause_end {
        Some((i, _)) => words[..=i]
            .join(" ")
            .trim_end_matches([',', ';'])
            .to_string(),
        None => format!("{}…", words[..16].join(" ")),
    }
}

/// `<title>` often reads "Headline | Outlet" or "Headline - Outlet".
fn strip_outlet_suffix(title: &str, outlet: Option<&str>) -> String {
    let title = collapse_spaces(title);
    for separator in [" | ", " - ", " — ", " – ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let names_outlet = outlet.is_some_and(|o| {
                tail.eq_ignore_ascii_case(o) || tail.to_lowercase().contains(&o.to_lowercase())
            });
            if names_outlet && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title
}

/// `<title>` reads `<h1>` + " | Northern Clarion": the rest is the site's name.
fn title_suffix(page: &HtmlArticle) -> Option<String> {
    let (tag, h1) = (
        collapse_spaces(page.title_tag.as_deref()?),
        collapse_spaces(page.h1.as_deref()?),
    );
    let rest = tag.strip_prefix(&h1)?.trim_start();
    let name = ["|", "-", "—", "–", "::", "·"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?
        .trim();
    (1..=6)
        .contains(&name.split_whitespace().count())
        .then(|| name.to_string())
}

/// The first publication date in the page's metadata that parses.
fn meta_date(page: &HtmlArticle) -> Option<EntryDate> {
    page.published.iter().find_map(|(_, raw)| {
        EntryDate::parse(raw).ok().or_else(|| {
            chrono::DateTime::parse_from_rfc3339(raw.trim())
                .ok()
                .map(EntryDate::Exact)
                .or_else(|| {
                    dates::find_dates(raw)
                        .into_iter()
                        .find(|d| d.year_known)
                        .map(|d| dating::to_entry_date(&d))
                })
        })
    })
}
