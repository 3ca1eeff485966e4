//! People, places and direct quotes in one raw article, for grouping reports of a happening.
//!
//! Three kinds of evidence, each cheap and explainable rather than clever:
//! - a [`Gazetteer`] of known people and places, compiled by [`Matcher::new`] into one regex
//!   alternation, so [`Matcher::find`] reads each paragraph once however long the list is;
//! - two patterns for people the gazetteer lacks: a title before a name ("Kremlin spokesman
//!   Dmitry Peskov") and a name before a speech verb ("Gerardo Moloeznik said");
//! - quote marks, whose speaker comes from the attribution next to them.
//!
//! Offsets are bytes within a paragraph; `(paragraph, offset)` pairs order the whole article.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// Known people and places; [`Gazetteer::builtin`] is the shipped South Caucasus list.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gazetteer {
    #[serde(default)]
    pub people: Vec<Name>,
    #[serde(default)]
    pub places: Vec<Name>,
}

/// A canonical name and the other spellings of the same person or place.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Name {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Gazetteer {
    /// The shipped list, `gazetteer.toml`.
    pub fn builtin() -> Gazetteer {
        // Embedded at compile time and parsed by a unit test, so this fails only in an untested
        // build, and even then an empty list beats a panic in the middle of an ingest.
        toml::from_str(include_str!("gazetteer.toml")).unwrap_or_default()
    }

    /// Adds a site's entries; one with an existing canonical name contributes its aliases.
    pub fn extend(&mut self, other: Gazetteer) {
        merge(&mut self.people, other.people);
        merge(&mut self.places, other.places);
    }
}

fn merge(list: &mut Vec<Name>, more: Vec<Name>) {
    for new in more {
        match list.iter_mut().find(|old| old.name == new.name) {
            Some(old) => old.aliases.extend(new.aliases),
            None => list.push(new),
        }
    }
}

/// A direct quote and, when the text says so, who said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub speaker: Option<String>,
    pub text: String,
}

/// What [`Matcher::find`] found in one article; people and places in order of first mention.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entities {
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub quotes: Vec<Quote>,
}

/// The gazetteer compiled once per ingest run and shared by every article.
pub struct Matcher {
    /// Every spelling in one alternation. `None` without names, or if a huge site list would
    /// exceed the regex size limit: `new` has no way to report an error.
    names: Option<Regex>,
    /// Normalised spelling → what it denotes (several targets when people share a surname).
    targets: HashMap<String, Vec<Target>>,
    people: Vec<String>,
    places: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Place,
    Person,
    /// The last word of a full name: it counts only when the article names that person.
    Surname,
}

/// A kind and an index into the gazetteer's people or places.
type Target = (Kind, usize);
type Pos = (usize, usize);
/// A gazetteer match in a paragraph: start, end and what the spelling denotes.
type Hit<'m> = (usize, usize, &'m [Target]);

/// A person named in the text, and where.
struct Mention {
    at: Pos,
    end: usize,
    name: String,
}

// Capitalised words that are never part of a person's name: titles, demonyms, calendar words
// and sentence openers. They cut a title/speech candidate and may stand before a bare surname.
const NON_NAME: &str = "\
    President Prime Minister Foreign Defense Defence Deputy Vice State Secretary Spokesman \
    Spokeswoman Spokesperson Press Presidential Envoy Ambassador General Commander Mayor \
    Chancellor Chief Chairman Speaker Senator Governor Ombudsman Mr Mrs Ms Dr PM Russian \
    Armenian Azerbaijani Azeri Turkish Iranian Georgian French American Later Earlier \
    Meanwhile Also But And However Then Now When While After Before As On In At Yesterday \
    Today Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March \
    April June July August September October November December";
const DETERMINERS: &str =
    "The A An This That These Those His Her Its Our Their My Your Some Any Each Every No All";
// A candidate with one of these words is an outlet or an organisation, not a person.
const ORGS: &str = "\
    Ministry Office Committee Council Group Army Forces Kremlin Republic Union Cross Club \
    News Agency Post Times Service Department Court Government Parliament Assembly Party \
    Bank Institute University Centre Center Foundation Organization Organisation Association \
    Federation Media Network Watch Rights International Airport Police Guard Company Radio \
    Television Channel Journal Herald Tribune Gazette Daily Telegraph";
// The word after a person's name that makes it a facility ("Heydar Aliyev International
// Airport"), and after a place's name that makes it a body ("OSCE Minsk Group").
const FACILITY: &str = "International Airport Street Square Avenue Boulevard Bridge Prize \
    Award Foundation Museum Stadium University Institute Park Centre Center Mosque Station";
const PLACE_ORG: &str = "Group Post Times Declaration Process Format Protocol Agreement \
    Agreements Principles group format process protocol agreement agreements accords";
const PARTICLES: &str = "bin ibn de da del van von der den du la le";
const PRONOUNS: &str = "he she He She";
// Horizontal space only: captions and credits sit on lines of their own, and a guessed name
// must not swallow the first words of the next line.
const SP: &str = r"[\p{Zs}\t]+";
/// A capitalised name word: "Peskov", "McCain", "Jean-Yves", "O’Brien", "al-Assad", "Çavuşoğlu".
const WORD: &str = concat!(
    r"(?:(?:al|el|Al|El)-)?\p{Lu}[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)?",
    r"(?:[-'’]\p{Lu}[\p{Ll}\p{M}]+)*"
);

static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    let titles = "spokesman|spokeswoman|spokesperson|press secretary|prime minister|\
        foreign minister|defen[cs]e minister|secretary of state|president|minister|ambassador|\
        general|commander|mayor|chancellor|secretary|envoy|chief|chairman|speaker|senator|\
        governor|ombudsman";
    let prefix = r"(?:(?i:kremlin|presidential|press|foreign ministry)\s+)?";
    regex(&format!(
        r"(?-u:\b){prefix}(?i:{titles}){SP}{}",
        person_pattern()
    ))
});
static SPEAKING: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = "said|told|noted|added|stressed|urged|insisted|stated|declared|announced|\
        warned|wrote";
    // Not `\b`: a name may start with a non-ASCII capital, and ASCII `\b` cannot see that.
    regex(&format!(
        r"(?:^|[^\p{{L}}\p{{N}}]){}{SP}(?:{verbs})(?-u:\b)",
        person_pattern()
    ))
});
// Attribution verbs: the person rule's list plus common reporting phrases.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = "was quoted as saying|was reported to say|was reported as saying|according to|\
        said|says|told|tells|noted|added|stressed|urged|insisted|stated|declared|announced|\
        warned|wrote|writes|explained|replied|emphasi[sz]ed|asked";
    regex(&format!(r"(?-u:\b)(?:{verbs})(?-u:\b)"))
});

fn person_pattern() -> String {
    let particle = PARTICLES.replace(' ', "|");
    format!(r"(?P<name>{WORD}(?:{SP}(?:(?:{particle}){SP}){{0,2}}{WORD}){{1,3}})")
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a constant pattern, compiled by every test")
}

impl Matcher {
    /// Compiles every spelling, plus each person's derived surname, into one regex.
    pub fn new(gazetteer: &Gazetteer) -> Matcher {
        let (people, places) = (&gazetteer.people, &gazetteer.places);
        let mut targets = HashMap::new();
        for (i, name) in places.iter().enumerate() {
            spellings(name).for_each(|s| add(&mut targets, s, (Kind::Place, i)));
        }
        for (i, name) in people.iter().enumerate() {
            spellings(name).for_each(|s| add(&mut targets, s, (Kind::Person, i)));
        }
        // Surnames go in last, so that nobody's explicit alias is demoted to a mere surname.
        for (i, name) in people.iter().enumerate() {
            for full in spellings(name) {
                let last = full.rsplit(' ').next().unwrap_or_default();
                let own = matches!(targets.get(last), Some(t) if t.contains(&(Kind::Person, i)));
                if last.len() < full.len() && last.chars().count() > 2 && !own {
                    add(&mut targets, last.to_string(), (Kind::Surname, i));
                }
            }
        }
        let mut keys: Vec<&String> = targets.keys().collect();
        // Longest first: where several spellings start at one spot the first listed wins.
        keys.sort_by_key(|k| (Reverse(k.len()), *k));
        let alternation: Vec<String> = keys.iter().map(|k| pattern(k)).collect();
        let mut builder = RegexBuilder::new(&alternation.join("|"));
        let names = builder.size_limit(1 << 28).build().ok();
        let names = names.filter(|_| !keys.is_empty());
        let canonical = |list: &[Name]| list.iter().map(|n| n.name.clone()).collect();
        let (people, places) = (canonical(people), canonical(places));
        Matcher {
            names,
            targets,
            people,
            places,
        }
    }

    /// People, places and quotes in one article, given as its paragraphs in reading order.
    pub fn find(&self, paragraphs: &[String]) -> Entities {
        let (mut hits, mut mentions) = (Vec::new(), Vec::new());
        for (p, text) in paragraphs.iter().enumerate() {
            let found = self.gazetteer_hits(text);
            mentions.extend(self.rule_people(p, text, &found));
            hits.extend(found.into_iter().map(|(s, e, t)| ((p, s), e, t)));
        }
        let named: HashSet<usize> = hits.iter().flat_map(|h| of(h.2, Kind::Person)).collect();
        let mut places = Vec::new();
        for (at, end, targets) in hits {
            places.extend(of(targets, Kind::Place).map(|i| (at, self.places[i].as_str())));
            // A bare surname counts once the article names its owner, and only one such owner.
            let mut owners = of(targets, Kind::Surname).filter(|i| named.contains(i));
            let sole = owners.next().filter(|_| owners.next().is_none());
            if let Some(i) = of(targets, Kind::Person).next().or(sole) {
                let name = self.people[i].clone();
                mentions.push(Mention { at, end, name });
            }
        }
        mentions.sort_by_key(|m| m.at);
        places.sort_by_key(|p| p.0);
        let spans: Vec<Vec<Span>> = paragraphs.iter().map(|p| quote_spans(p)).collect();
        let loose = |m: &&Mention| !quoted(&spans[m.at.0], m.at.1);
        let outside = mentions.iter().filter(loose).collect();
        let (spans, mentions) = (&spans, &mentions);
        let quotes = Article {
            paragraphs,
            spans,
            mentions,
            outside,
        }
        .quotes();
        let people = first_mentions(mentions.iter().map(|m| m.name.as_str()));
        let places = first_mentions(places.into_iter().map(|p| p.1));
        Entities {
            people,
            places,
            quotes,
        }
    }

    fn gazetteer_hits(&self, text: &str) -> Vec<Hit<'_>> {
        let hit = |m: regex::Match<'_>| {
            let targets = self.targets.get(&norm(m.as_str()))?;
            let next = next_word(&text[m.end()..]);
            let taken = if of(targets, Kind::Place).next().is_some() {
                listed(PLACE_ORG, next)
            } else {
                // A one-word name right after another name word belongs to someone else:
                // "Heydar Aliyev" is not Ilham Aliyev.
                let lone = !m.as_str().contains(char::is_whitespace);
                listed(FACILITY, next) || lone && after_forename(&text[..m.start()])
            };
            let taken = taken || glued(text, m.start(), m.end());
            (!taken).then_some((m.start(), m.end(), targets.as_slice()))
        };
        let matches = self.names.iter().flat_map(|names| names.find_iter(text));
        matches.filter_map(hit).collect()
    }

    /// People the gazetteer lacks, from a title before or a speech verb after their name.
    fn rule_people(&self, p: usize, text: &str, hits: &[Hit<'_>]) -> Vec<Mention> {
        let mut out = Vec::new();
        for (regex, titled) in [(&*TITLED, true), (&*SPEAKING, false)] {
            let names = regex.captures_iter(text).filter_map(|c| c.name("name"));
            for (s, end) in names.filter_map(|m| clean_name(m, titled)) {
                // A known person or place inside the candidate covers it, or vetoes it.
                let next = hits.partition_point(|h| h.1 <= s);
                let known = hits.get(next).is_some_and(|h| h.0 < end);
                if !known && !listed(FACILITY, next_word(&text[end..])) {
                    let (at, name) = ((p, s), squash(&text[s..end]));
                    out.push(Mention { at, end, name });
                }
            }
        }
        out
    }
}

fn of(targets: &[Target], kind: Kind) -> impl Iterator<Item = usize> + '_ {
    targets.iter().filter(move |t| t.0 == kind).map(|t| t.1)
}

fn spellings(name: &Name) -> impl Iterator<Item = String> + '_ {
    let all = std::iter::once(&name.name).chain(&name.aliases);
    all.map(|s| norm(s)).filter(|s| !s.is_empty())
}

fn add(targets: &mut HashMap<String, Vec<Target>>, key: String, target: Target) {
    let list = targets.entry(key).or_default();
    if !list.contains(&target) {
        list.push(target);
    }
}

/// One key per name however a page spaces it or which hyphen and apostrophe it uses.
fn norm(s: &str) -> String {
    let fold = |c| match c {
        '‐' | '‑' | '–' => '-',
        '’' => '\'',
        c => c,
    };
    squash(s).chars().map(fold).collect()
}

/// Collapses each run of whitespace to one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The regex for one normalised spelling, matching the same variants `norm` folds. Its word
/// boundaries are ASCII, which keeps the regex on its fast DFA over non-ASCII text; next to a
/// non-ASCII letter `glued` checks the boundary instead.
fn pattern(key: &str) -> String {
    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let mut p = String::from(if ascii(key.chars().next()) {
        r"(?-u:\b)"
    } else {
        ""
    });
    for c in key.chars() {
        match c {
            ' ' => p.push_str(r"\s+"),
            '-' => p.push_str("[-‐‑–]"),
            '\'' => p.push_str("['’]"),
            c => p.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    p + match key.chars().last() {
        Some(c) if c.is_ascii_alphanumeric() => r"(?-u:\b)",
        // After a final dot ("U.S.") `\B` still insists that no letter follows.
        Some(c) if !c.is_alphanumeric() => r"(?-u:\B)",
        _ => "",
    }
}

/// Whether a match runs into a letter or digit on either side ("Bakı" in "Bakıx").
fn glued(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (name, before, after) = (&text[start..end], &text[..start], &text[end..]);
    let left = alnum(name.chars().next()) && alnum(before.chars().next_back());
    left || alnum(name.chars().last()) && alnum(after.chars().next())
}

/// Whether `word` is one of the space-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// The word after a name, if only spaces separate them.
fn next_word(after: &str) -> &str {
    let rest = after.trim_start_matches([' ', '\t', '\u{a0}']);
    let word = rest.split(|c: char| !c.is_alphanumeric()).next();
    word.filter(|_| rest.len() < after.len())
        .unwrap_or_default()
}

/// Whether the word before a bare surname is a capitalised name word (another forename).
fn after_forename(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t', '\u{a0}']);
    let word = trimmed.split_whitespace().next_back().unwrap_or_default();
    let name = word.starts_with(char::is_uppercase) && word.chars().all(char::is_alphabetic);
    let other = listed(NON_NAME, word) || listed(DETERMINERS, word);
    trimmed.len() < before.len() && name && !other
}

/// Trims a title or speech-verb candidate to the name itself, or rejects it.
fn clean_name(found: regex::Match<'_>, titled: bool) -> Option<(usize, usize)> {
    let raw = found.as_str();
    let offset = |w: &str| found.start() + (w.as_ptr() as usize - raw.as_ptr() as usize);
    let words: Vec<(usize, &str)> = raw.split_whitespace().map(|w| (offset(w), w)).collect();
    if listed(DETERMINERS, words.first()?.1) {
        return None;
    }
    // "Secretary-General" is as much a title as "Secretary".
    let cut = |w: &(usize, &str)| w.1.split('-').any(|part| listed(NON_NAME, part));
    // After a title the name runs to the next title-like word; before a speech verb it starts
    // after the last one ("Russian Foreign Minister Sergey Lavrov said").
    let name = if titled {
        &words[..words.iter().position(cut).unwrap_or(words.len())]
    } else {
        &words[words.iter().rposition(cut).map_or(0, |i| i + 1)..]
    };
    let (first, last) = (name.first()?, name.last()?);
    let size = name.iter().filter(|w| !listed(PARTICLES, w.1)).count();
    let org = name.iter().any(|w| listed(ORGS, w.1));
    let loose = listed(PARTICLES, first.1) || listed(PARTICLES, last.1);
    ((2..=4).contains(&size) && !org && !loose).then(|| (first.0, last.0 + last.1.len()))
}

fn first_mentions<'a>(all: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    all.filter(|n| seen.insert(*n)).map(String::from).collect()
}

/// Byte offsets of a quote: its opening mark, the end of its text and the end of its closing
/// mark (the same as `end` when the paragraph ends first).
struct Span {
    open: usize,
    end: usize,
    close: usize,
}

/// Whether byte `at` lies inside one of a paragraph's spans (sorted and disjoint).
fn quoted(spans: &[Span], at: usize) -> bool {
    let i = spans.partition_point(|s| s.open <= at);
    i.checked_sub(1).is_some_and(|i| at < spans[i].close)
}

/// Top-level quoted stretches of a paragraph. Double marks pair up, and an unclosed one runs
/// to the paragraph end; single marks double as apostrophes, so they must sit at word edges
/// and an unclosed one is ignored.
fn quote_spans(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    // Whether a closer of each single kind is left: once none is, later openers skip the
    // search, which keeps a page full of stray apostrophes linear.
    let mut live = [true; 2];
    let mut open = 0;
    while let Some(c) = text[open..].chars().next() {
        let start = open + c.len_utf8();
        let (closers, kind): (&[char], Option<usize>) = match c {
            '“' | '„' => (&['”', '“'], None),
            '"' => (&['"'], None),
            '«' => (&['»'], None),
            '‘' if live[0] => (&['’'], Some(0)),
            '\'' if live[1] && opens_single(text, open) => (&['\''], Some(1)),
            _ => {
                open = start;
                continue;
            }
        };
        let mut chars = text[start..].char_indices().map(|(j, ch)| (start + j, ch));
        let found = chars
            .find(|&(j, ch)| closers.contains(&ch) && (kind.is_none() || closes_single(text, j)));
        let (end, close) = match (found, kind) {
            (Some((j, ch)), _) => (j, j + ch.len_utf8()),
            (None, None) => (text.len(), text.len()),
            (None, Some(k)) => {
                live[k] = false;
                (start, start)
            }
        };
        if close > start {
            spans.push(Span { open, end, close });
        }
        open = close;
    }
    spans
}

fn opens_single(text: &str, i: usize) -> bool {
    let prev = text[..i].chars().next_back();
    !prev.is_some_and(char::is_alphanumeric) && text[i + 1..].starts_with(char::is_alphanumeric)
}

fn closes_single(text: &str, j: usize) -> bool {
    let prev = text[..j].chars().next_back();
    let next = text[j..].chars().nth(1);
    prev.is_some_and(|c| !c.is_whitespace()) && !next.is_some_and(char::is_alphanumeric)
}

/// The text of a quote worth keeping: four words, or six inside single marks, which are as
/// often scare quotes around a phrase ('counter-offensive operation').
fn quote_text(text: &str, span: &Span) -> Option<String> {
    let mark = text[span.open..].chars().next().unwrap_or(' ');
    let spaced = squash(&text[span.open + mark.len_utf8()..span.end]);
    let text = spaced.trim_end_matches([',', ' ']);
    let wordy = |w: &&str| w.contains(char::is_alphanumeric);
    let least = if matches!(mark, '\'' | '‘') { 6 } else { 4 };
    (text.split(' ').filter(wordy).count() >= least).then(|| text.to_string())
}

/// One article's paragraphs, quote marks and people, for attributing quotes.
struct Article<'a> {
    paragraphs: &'a [String],
    spans: &'a [Vec<Span>],
    mentions: &'a [Mention],
    /// Mentions outside quote marks: the people a "he" or "she" can point back to.
    outside: Vec<&'a Mention>,
}

impl Article<'_> {
    fn quotes(&self) -> Vec<Quote> {
        let mut out = Vec::new();
        for (p, (text, spans)) in self.paragraphs.iter().zip(self.spans).enumerate() {
            // The end and speaker of the paragraph's previous quote.
            let mut prev: (usize, Option<String>) = (0, None);
            for (k, span) in spans.iter().enumerate() {
                let stop = spans.get(k + 1).map_or(text.len(), |next| next.open);
                let Some(text) = quote_text(text, span) else {
                    continue;
                };
                // An organisation may speak only mid-sentence: after `"…." ` capitalised words
                // more likely start a new sentence than name a speaker.
                let org = !text.ends_with(['.', '!', '?', '…']);
                let speaker = self
                    .after(p, span, stop, org)
                    .or_else(|| self.before(p, span, prev.0))
                    .or_else(|| self.continued(p, span, &prev));
                prev = (span.close, speaker.clone());
                out.push(Quote { speaker, text });
            }
        }
        out
    }

    /// `"…," he said` / `"…," Peskov told` / `"…," said Peskov` / `"…," the Kremlin noted`.
    fn after(&self, p: usize, span: &Span, stop: usize, org: bool) -> Option<String> {
        let window = &self.paragraphs[p][span.close..stop];
        let cut = window.find(['.', '!', '?', ';', '\n']);
        let window = &window[..cut.unwrap_or(window.len())];
        let verb = VERB.find(window)?;
        // "according to X" names a source, and only a person source counts as the speaker.
        let org = org && verb.as_str() != "according to";
        let (lead, rest) = (&window[..verb.start()], &window[verb.end()..]);
        if !lead.contains(char::is_alphanumeric) {
            let end = verb.end() + rest.find(',').unwrap_or(rest.len());
            return self.resolve(p, span.close + verb.end(), span.close + end, org);
        }
        // A long run before the verb is a sentence of its own, not an attribution.
        let short = lead.split_whitespace().count() <= 8;
        short.then(|| self.resolve(p, span.close, span.close + verb.start(), org))?
    }

    /// `Peskov said that Moscow is "…"`: the subject of the first speech verb in the quote's
    /// sentence. Only a person: an organisation speaks only as the subject after a quote.
    fn before(&self, p: usize, span: &Span, floor: usize) -> Option<String> {
        let head = &self.paragraphs[p][floor..span.open];
        let mut stops = head.match_indices(['.', '!', '?']).map(|(i, _)| i + 1);
        let sentence = stops.rfind(|&i| head[i..].starts_with(char::is_whitespace));
        let from = sentence.unwrap_or(0);
        let verb = VERB.find(&head[from..])?;
        let short = head[from..from + verb.start()].split_whitespace().count() <= 8;
        short.then(|| self.resolve(p, floor + from, floor + from + verb.start(), false))?
    }

    /// A later quote without attribution of its own continues the paragraph's previous speaker
    /// (`"…," Peskov said. "We are against that."`) unless someone else is named in between.
    fn continued(&self, p: usize, span: &Span, prev: &(usize, Option<String>)) -> Option<String> {
        let who = prev.1.as_ref()?;
        let mut between = self.named(p, prev.0, span.open);
        between.all(|m| &m.name == who).then(|| who.clone())
    }

    /// The people named in bytes `lo..hi` of paragraph `p`.
    fn named(&self, p: usize, lo: usize, hi: usize) -> impl Iterator<Item = &Mention> {
        let from = self.mentions.partition_point(|m| m.at < (p, lo));
        let rest = &self.mentions[from..];
        rest.iter().take_while(move |m| m.at < (p, hi))
    }

    /// The speaker named by bytes `lo..hi` of paragraph `p`: a person named there, he or she,
    /// or, if `org`, whatever short capitalised subject stands there.
    fn resolve(&self, p: usize, lo: usize, hi: usize, org: bool) -> Option<String> {
        let words = self.paragraphs[p][lo..hi].trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(m) = self.named(p, lo, hi).filter(|m| m.end <= hi).last() {
            return Some(m.name.clone());
        }
        if words.split_whitespace().any(|w| listed(PRONOUNS, w)) {
            // He or she: the person most recently named outside quote marks.
            let before = self.outside.partition_point(|m| m.at < (p, lo));
            return before.checked_sub(1).map(|i| self.outside[i].name.clone());
        }
        let body = words.trim_start_matches("the ").trim_start_matches("The ");
        let size = body.split_whitespace().count();
        (org && body.starts_with(char::is_uppercase) && size <= 5).then(|| body.to_string())
    }
}

#[cfg(test)]
mod tests;
