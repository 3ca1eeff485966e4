//! Group: entries that report the same happening become one event. Deterministic (every order
//! is fixed), explainable (each event keeps the pairs that joined it and its nearest rejected
//! candidate) and never quadratic (candidates come from an inverted index of rare words and
//! quote shingles). Editors steer it with `event = "slug"`, `not_with = [...]` and curated
//! events in `content/events/`.

pub mod cluster;
pub mod curated;
pub mod event;
pub mod quotes;
pub mod signals;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::GroupingConfig;
use crate::content::Entry;
use crate::markdown::file_slug;
use cluster::{Constraints, Pair};
use curated::CuratedEvent;
use event::{Event, Evidence};
use signals::Features;

/// The grouping result: events in timeline order, and each entry's event.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub events: Vec<Event>,
    /// `event_of[i]` is the index in `events` of entry `i`'s event.
    pub event_of: Vec<usize>,
}

/// What grouping reads from one entry's own text: its words, quote sentences and the day it
/// reports on. This is most of grouping's work and depends on nothing else, so a rebuild keeps
/// it for entries that did not change (see [`EntryText::key`]).
#[derive(Debug, Clone)]
pub struct EntryText {
    words: text::TermCounts,
    quotes: Vec<quotes::QuoteSentence>,
    happened: Option<chrono::NaiveDate>,
}

impl EntryText {
    pub fn of(entry: &Entry) -> EntryText {
        EntryText {
            words: text::term_counts(&format!("{}\n{}", entry.front_matter.title, entry.body)),
            quotes: quotes::sentences(&entry.front_matter.quotes),
            happened: signals::happened(entry),
        }
    }

    /// A hash of everything [`EntryText::of`] reads: equal keys, equal texts.
    pub fn key(entry: &Entry) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        let fm = &entry.front_matter;
        (&fm.title, &entry.body, &fm.quotes, fm.date_basis, entry.day).hash(&mut hasher);
        hasher.finish()
    }
}

/// Groups `entries` (in the loader's order) into events.
pub fn group(entries: &[Entry], curated: &[CuratedEvent], config: &GroupingConfig) -> Timeline {
    let texts: Vec<EntryText> = entries.par_iter().map(EntryText::of).collect();
    group_texts(entries, &texts, curated, config)
}

/// [`group`], with each entry's [`EntryText`] already worked out (`texts[i]` for `entries[i]`).
pub fn group_texts<T: std::borrow::Borrow<EntryText> + Sync>(
    entries: &[Entry],
    texts: &[T],
    curated: &[CuratedEvent],
    config: &GroupingConfig,
) -> Timeline {
    let (features, document_frequency) = features(entries, texts);
    let candidates = cluster::candidate_pairs(&features, &document_frequency, config.window_days);
    let pairs = cluster::score_pairs(&features, &candidates);
    let dated: Vec<bool> = features.iter().map(|f| f.happened.is_some()).collect();
    let constraints = constraints(entries);
    let clustering = cluster::cluster(
        entries.len(),
        &pairs,
        config.threshold,
        &dated,
        &constraints,
    );

    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &root) in clustering.cluster_of.iter().enumerate() {
        clusters.entry(root).or_default().push(i);
    }
    let curated_by_slug: HashMap<&str, &CuratedEvent> =
        curated.iter().map(|c| (c.slug.as_str(), c)).collect();
    let explanations = Explanations::collect(&pairs, &clustering.joined, &clustering.cluster_of);
    let mut events: Vec<Event> = Vec::new();
    let mut used_curated: BTreeSet<&str> = BTreeSet::new();
    for (_, mut members) in clusters {
        members.sort_by(|&a, &b| {
            (
                features[a].happened.is_none(),
                features[a].happened,
                &entries[a].site_path,
            )
                .cmp(&(
                    features[b].happened.is_none(),
                    features[b].happened,
                    &entries[b].site_path,
                ))
        });
        let forced = members.iter().find_map(|&i| constraints.forced[i].clone());
        let curated = forced
            .as_deref()
            .and_then(|slug| curated_by_slug.get(slug).copied());
        if let Some(c) = curated {
            used_curated.insert(c.slug.as_str());
        }
        let mut event = event::build(members, entries, &features, curated, forced.as_deref());
        explanations.apply(&mut event, &pairs, &features, &clustering.cluster_of);
        events.push(event);
    }
    for c in curated
        .iter()
        .filter(|c| !used_curated.contains(c.slug.as_str()))
    {
        events.push(event::build(Vec::new(), entries, &features, Some(c), None));
    }
    events.sort_by(|a, b| {
        (a.date.start.is_none(), a.date.start, &a.slug).cmp(&(
            b.date.start.is_none(),
            b.date.start,
            &b.slug,
        ))
    });
    let mut event_of = vec![0; entries.len()];
    for (e, event) in events.iter().enumerate() {
        for &i in &event.members {
            event_of[i] = e;
        }
    }
    Timeline { events, event_of }
}

fn features<T: std::borrow::Borrow<EntryText> + Sync>(
    entries: &[Entry],
    texts: &[T],
) -> (Vec<Features>, Vec<u32>) {
    let words: Vec<&text::TermCounts> = texts.iter().map(|t| &t.borrow().words).collect();
    let vocabulary = text::Vocabulary::build(&words);
    let features = entries
        .par_iter()
        .zip(texts.par_iter())
        .map(|(entry, text)| {
            let text = text.borrow();
            Features {
                vector: vocabulary.vector(&text.words),
                quotes: text.quotes.clone(),
                people: entry.front_matter.people.clone(),
                places: entry.front_matter.places.clone(),
                happened: text.happened,
                before: entry.front_matter.captured.map(|c| c.day()),
            }
        })
        .collect();
    (features, vocabulary.document_frequency)
}

/// Editors' `event = "slug"` and `not_with = [...]`, the latter resolved by entry slug, file
/// name or path, and made symmetric.
fn constraints(entries: &[Entry]) -> Constraints {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = entry.file.to_string_lossy().replace('\\', "/");
        let stem = entry
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for name in [
            entry.slug.clone(),
            stem,
            path,
            entry
                .site_path
                .trim_matches('/')
                .trim_start_matches("entries/")
                .to_string(),
        ] {
            by_name.entry(name).or_insert(i);
        }
    }
    let mut apart = vec![BTreeSet::new(); entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        for name in &entry.front_matter.not_with {
            let key = name.trim().trim_end_matches(".md");
            if let Some(&j) = by_name.get(key).or_else(|| by_name.get(name.trim())) {
                apart[i].insert(j);
                apart[j].insert(i);
            }
        }
    }
    let forced = entries
        .iter()
        .map(|e| {
            e.front_matter
                .event
                .as_deref()
                .map(file_slug)
                .filter(|s| !s.is_empty())
        })
        .collect();
    Constraints { forced, apart }
}

/// For every cluster, the pairs that joined it and the best pair reaching outside it, found in
/// one pass over the pairs (per-event scans would make grouping quadratic).
struct Explanations {
    joined: HashMap<usize, Vec<usize>>,
    nearest_rejected: HashMap<usize, usize>,
}

impl Explanations {
    fn collect(pairs: &[Pair], joined: &[usize], cluster_of: &[usize]) -> Explanations {
        let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
        for &p in joined {
            by_root.entry(cluster_of[pairs[p].a]).or_default().push(p);
        }
        let mut nearest: HashMap<usize, usize> = HashMap::new();
        let better = |p: usize, q: usize| {
            (pairs[p].score, std::cmp::Reverse((pairs[p].a, pairs[p].b)))
                > (pairs[q].score, std::cmp::Reverse((pairs[q].a, pairs[q].b)))
        };
        for (p, pair) in pairs.iter().enumerate() {
            let (ra, rb) = (cluster_of[pair.a], cluster_of[pair.b]);
            if ra == rb {
                continue;
            }
            for root in [ra, rb] {
                match nearest.get(&root) {
                    Some(&q) if !better(p, q) => {}
                    _ => {
                        nearest.insert(root, p);
                    }
                }
            }
        }
        Explanations {
            joined: by_root,
            nearest_rejected: nearest,
        }
    }

    fn apply(
        &self,
        event: &mut Event,
        pairs: &[Pair],
        features: &[Features],
        cluster_of: &[usize],
    ) {
        let Some(&first) = event.members.first() else {
            return;
        };
        let root = cluster_of[first];
        let joined = self
            .joined
            .get(&root)
            .map(Vec::as_slice)
            .unwrap_or_default();
        event.joined_by = joined
            .iter()
            .map(|&p| Evidence::from_pair(&pairs[p], features))
            .collect();
        event.nearest_rejected = self
            .nearest_rejected
            .get(&root)
            .map(|&p| Evidence::from_pair(&pairs[p], features));
    }
}
