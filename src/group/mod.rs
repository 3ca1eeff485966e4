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

/// Groups `entries` (in the loader's order) into events.
pub fn group(entries: &[Entry], curated: &[CuratedEvent], config: &GroupingConfig) -> Timeline {
    let (features, document_frequency) = features(entries);
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
        explain(
            &mut event,
            &pairs,
            &clustering.joined,
            &clustering.cluster_of,
        );
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

fn features(entries: &[Entry]) -> (Vec<Features>, Vec<u32>) {
    let words: Vec<Vec<String>> = entries
        .par_iter()
        .map(|e| text::content_words(&format!("{}\n{}", e.front_matter.title, e.body)))
        .collect();
    let vocabulary = text::Vocabulary::build(&words);
    let features = entries
        .par_iter()
        .zip(words.par_iter())
        .map(|(entry, words)| Features {
            vector: vocabulary.vector(words),
            quotes: quotes::sentences(&entry.front_matter.quotes),
            people: entry.front_matter.people.clone(),
            places: entry.front_matter.places.clone(),
            happened: signals::happened(entry),
            before: entry.front_matter.captured.map(|c| c.day()),
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

/// Records the pairs that joined the event and the best pair that reached outside it.
fn explain(event: &mut Event, pairs: &[Pair], joined: &[usize], cluster_of: &[usize]) {
    let Some(&first) = event.members.first() else {
        return;
    };
    let root = cluster_of[first];
    event.joined_by = joined
        .iter()
        .map(|&p| &pairs[p])
        .filter(|p| cluster_of[p.a] == root)
        .map(Evidence::from_pair)
        .collect();
    event.nearest_rejected = pairs
        .iter()
        .filter(|p| (cluster_of[p.a] == root) != (cluster_of[p.b] == root))
        .max_by(|x, y| {
            x.score
                .total_cmp(&y.score)
                .then((y.a, y.b).cmp(&(x.a, x.b)))
        })
        .map(Evidence::from_pair);
}
