//! Taxonomies: outlets, people, places and tags, each term with a page listing its events.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::content::Entry;
use crate::group::Timeline;
use crate::markdown::slug;

/// The kinds of term pages, with their URL folder and headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    Outlets,
    People,
    Places,
    Tags,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Outlets, Kind::People, Kind::Places, Kind::Tags];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Outlets => "outlets",
            Kind::People => "people",
            Kind::Places => "places",
            Kind::Tags => "tags",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::Outlets => "Outlets",
            Kind::People => "People",
            Kind::Places => "Places",
            Kind::Tags => "Tags",
        }
    }
}

/// A name with the page it links to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub name: String,
    pub path: String,
}

/// One term: its page and the events (indexes into the timeline) it appears in.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub events: Vec<usize>,
}

/// All terms of one kind, sorted by name, with a lookup from name to term.
#[derive(Debug, Default)]
pub struct Taxonomy {
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
}

impl Taxonomy {
    fn build(kind: Kind, names_per_event: Vec<Vec<String>>) -> Taxonomy {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (event, names) in names_per_event.into_iter().enumerate() {
            for name in names {
                let events = by_name.entry(name).or_default();
                if events.last() != Some(&event) {
                    events.push(event);
                }
            }
        }
        let mut taxonomy = Taxonomy::default();
        let mut used: HashMap<String, usize> = HashMap::new();
        for (name, events) in by_name {
            let base = Some(slug(&name))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "term".to_string());
            // Two names can share a slug ("Al-Monitor" / "Al Monitor"): number the later ones.
            let count = used.entry(base.clone()).or_insert(0);
            *count += 1;
            let term_slug = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
            let path = format!("/{}/{term_slug}/", kind.folder());
            taxonomy.index.insert(name.clone(), taxonomy.terms.len());
            taxonomy.terms.push(Term {
                name,
                slug: term_slug,
                path,
                events,
            });
        }
        taxonomy
    }

    pub fn link(&self, name: &str) -> Option<Link> {
        let term = &self.terms[*self.index.get(name)?];
        Some(Link {
            name: term.name.clone(),
            path: term.path.clone(),
        })
    }

    pub fn links(&self, names: &[String]) -> Vec<Link> {
        names.iter().filter_map(|n| self.link(n)).collect()
    }
}

/// The four taxonomies of a timeline.
#[derive(Debug, Default)]
pub struct Taxonomies {
    pub outlets: Taxonomy,
    pub people: Taxonomy,
    pub places: Taxonomy,
    pub tags: Taxonomy,
}

impl Taxonomies {
    pub fn build(timeline: &Timeline, entries: &[Entry]) -> Taxonomies {
        let from_members = |pick: &dyn Fn(&Entry) -> Vec<String>| -> Vec<Vec<String>> {
            timeline
                .events
                .iter()
                .map(|e| e.members.iter().flat_map(|&i| pick(&entries[i])).collect())
                .collect()
        };
        Taxonomies {
            outlets: Taxonomy::build(
                Kind::Outlets,
                from_members(&|e: &Entry| e.front_matter.outlet.iter().cloned().collect()),
            ),
            people: Taxonomy::build(
                Kind::People,
                timeline.events.iter().map(|e| e.people.clone()).collect(),
            ),
            places: Taxonomy::build(
                Kind::Places,
                timeline.events.iter().map(|e| e.places.clone()).collect(),
            ),
            tags: Taxonomy::build(
                Kind::Tags,
                from_members(&|e: &Entry| e.front_matter.tags.clone()),
            ),
        }
    }

    pub fn get(&self, kind: Kind) -> &Taxonomy {
        match kind {
            Kind::Outlets => &self.outlets,
            Kind::People => &self.people,
            Kind::Places => &self.places,
            Kind::Tags => &self.tags,
        }
    }
}
