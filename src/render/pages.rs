//! Every HTML page of the site as a job: a path, a template and its values. The orchestrator
//! renders the jobs in parallel and writes them; nothing here touches the file system.

use serde::Serialize;
use tera::Context;

use super::taxonomy::{Kind, Link, Taxonomies};
use super::timeline::{EventView, MonthView, density_axis};
use super::{EntryView, PageView, SiteView};
use crate::config::SiteConfig;
use crate::group::Timeline;

/// Up to this many events the index shows them all; beyond, it shows the density axis and the
/// months, each month on its own page, so no page grows without bound.
pub const INDEX_EVENT_LIMIT: usize = 300;
/// Events per page of an outlet, person, place or tag: a name in thousands of events gets
/// several pages rather than one endless one.
pub const TERM_PAGE_SIZE: usize = 100;

pub struct PageJob {
    /// Root-relative URL of the page (`/events/x/`, `/404.html`).
    pub path: String,
    pub template: &'static str,
    pub context: Context,
    /// Hash of everything the template will see, when asked for (incremental rebuilds).
    fingerprint: Option<Fingerprint>,
    /// False when only the fingerprint is wanted: the context is left empty.
    fill_context: bool,
}

/// What `SiteData::job` builds: the values for rendering, a fingerprint of them, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobPurpose {
    Render,
    Fingerprint,
    /// Both at once: a first build that must also remember what each page was made from.
    RenderAndFingerprint,
}

impl PageJob {
    /// Adds a value the template sees; it also goes into the fingerprint.
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(fingerprint) = &mut self.fingerprint {
            fingerprint.add(key, value);
        }
        if self.fill_context {
            self.context.insert(key, value);
        }
    }

    /// Adds a list of events: when only fingerprinting, the events' own fingerprints (by their
    /// index in `fingerprints`) stand for their values.
    fn insert_events<'e>(
        &mut self,
        key: &'static str,
        events: &[&EventView],
        indices: impl Iterator<Item = &'e usize>,
        fingerprints: &[u64],
    ) {
        match &mut self.fingerprint {
            Some(fingerprint) if !fingerprints.is_empty() => {
                let hashes: Vec<u64> = indices.map(|&i| fingerprints[i]).collect();
                fingerprint.add(key, &hashes);
            }
            Some(fingerprint) => fingerprint.add(key, events),
            None => {}
        }
        if self.fill_context {
            self.context.insert(key, events);
        }
    }

    /// The fingerprint, if one was asked for: equal fingerprints mean the template sees equal
    /// values, so (with the same templates) the page comes out the same.
    pub fn fingerprint(&self) -> Option<u64> {
        self.fingerprint.as_ref().and_then(Fingerprint::finish)
    }

    /// The file the page is written to, relative to the output folder.
    pub fn output_file(&self) -> String {
        let path = self.path.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

/// Everything the pages are made from.
pub struct SiteData<'a> {
    pub config: &'a SiteConfig,
    pub site: &'a SiteView<'a>,
    pub timeline: &'a Timeline,
    pub entries: &'a [EntryView<'a>],
    pub events: &'a [EventView<'a>],
    pub months: &'a [MonthView<'a>],
    pub undated: &'a [&'a EventView<'a>],
    pub taxonomies: &'a Taxonomies,
    /// Whether `job` fills the template context or only fingerprints it.
    pub purpose: JobPurpose,
    /// With [`JobPurpose::Fingerprint`]: each event view's own fingerprint, so pages listing
    /// events (an event appears on every term page of its outlets, people, places and tags)
    /// hash each event's values once rather than once per page. Empty otherwise.
    pub event_fingerprints: &'a [u64],
}

#[derive(Serialize)]
struct TermSummary<'a> {
    name: &'a str,
    path: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct MonthLink<'a> {
    key: &'a str,
    label: &'a str,
    path: &'a str,
    count: usize,
}

impl<'a> SiteData<'a> {
    fn page(&self, path: String, template: &'static str, title: Option<&str>) -> PageJob {
        let mut job = PageJob {
            fingerprint: (self.purpose != JobPurpose::Render)
                .then(|| Fingerprint::new(template, &path)),
            fill_context: self.purpose != JobPurpose::Fingerprint,
            path,
            template,
            context: Context::new(),
        };
        job.insert("site", self.site);
        let page = PageView::new(self.config, &job.path);
        job.insert("page", &page);
        job.insert("page_title", &title);
        job
    }

    /// Every page of the site, in a fixed order. Specs are small; each page's values are built
    /// only when it is rendered, so memory does not grow with the number of pages.
    pub fn specs(&self) -> Vec<PageSpec> {
        let mut specs = vec![PageSpec::Index, PageSpec::NotFound, PageSpec::Search];
        specs.extend((0..self.months.len()).map(PageSpec::Month));
        if !self.undated.is_empty() {
            specs.push(PageSpec::Undated);
        }
        specs.extend((0..self.events.len()).map(PageSpec::Event));
        specs.extend((0..self.entries.len()).map(PageSpec::Entry));
        for kind in Kind::ALL {
            specs.push(PageSpec::Taxonomy(kind));
            for (t, term) in self.taxonomies.get(kind).terms.iter().enumerate() {
                let pages = term.events.len().div_ceil(TERM_PAGE_SIZE).max(1);
                specs.extend((0..pages).map(|page| PageSpec::Term {
                    kind,
                    term: t,
                    page,
                }));
            }
        }
        specs
    }

    /// The page for `spec`, with its values.
    pub fn job(&self, spec: &PageSpec) -> PageJob {
        match *spec {
            PageSpec::Index => self.index(),
            PageSpec::NotFound => self.page("/404.html".into(), "404.html", Some("Page not found")),
            PageSpec::Search => self.page("/search/".into(), "search.html", Some("Search")),
            PageSpec::Month(n) => self.month(n),
            PageSpec::Undated => {
                let mut job = self.page(
                    "/timeline/undated/".into(),
                    "undated.html",
                    Some("Events without a date"),
                );
                job.insert("events", self.undated);
                job
            }
            PageSpec::Event(i) => self.event(i),
            PageSpec::Entry(i) => self.entry(i),
            PageSpec::Taxonomy(kind) => self.taxonomy(kind),
            PageSpec::Term { kind, term, page } => self.term(kind, term, page),
        }
    }

    fn month_links(&self) -> Vec<MonthLink<'_>> {
        self.months
            .iter()
            .map(|m| MonthLink {
                key: &m.key,
                label: &m.label,
                path: &m.path,
                count: m.count,
            })
            .collect()
    }

    fn index(&self) -> PageJob {
        let mut job = self.page("/".into(), "index.html", None);
        let inline = self.events.len() <= INDEX_EVENT_LIMIT;
        job.insert("axis", &density_axis(self.months));
        job.insert("month_links", &self.month_links());
        job.insert("months", &if inline { self.months } else { &[] });
        job.insert("undated", &if inline { self.undated } else { &[] });
        job.insert("undated_count", &self.undated.len());
        job.insert("event_count", &self.events.len());
        job.insert("entry_count", &self.entries.len());
        job
    }

    fn month(&self, n: usize) -> PageJob {
        let month = &self.months[n];
        let link = |m: &MonthView| Link {
            name: m.label.clone(),
            path: m.path.clone(),
        };
        let mut job = self.page(month.path.clone(), "month.html", Some(&month.label));
        job.insert("month", month);
        job.insert(
            "previous",
            &n.checked_sub(1).and_then(|p| self.months.get(p)).map(link),
        );
        job.insert("next", &self.months.get(n + 1).map(link));
        job
    }

    fn event(&self, i: usize) -> PageJob {
        let link = |i: usize| {
            self.events.get(i).map(|e| Link {
                name: e.headline.to_string(),
                path: e.path.clone(),
            })
        };
        let event = &self.events[i];
        let mut job = self.page(event.path.clone(), "event.html", Some(event.headline));
        job.insert("event", event);
        job.insert("previous", &i.checked_sub(1).and_then(link));
        job.insert("next", &link(i + 1));
        job
    }

    fn entry(&self, i: usize) -> PageJob {
        let entry = &self.entries[i];
        let mut job = self.page(entry.path.to_string(), "entry.html", Some(entry.title));
        job.insert("entry", entry);
        let event = self
            .timeline
            .event_of
            .get(i)
            .and_then(|&e| self.events.get(e));
        job.insert(
            "event",
            &event.map(|e| Link {
                name: e.headline.to_string(),
                path: e.path.clone(),
            }),
        );
        job
    }

    fn taxonomy(&self, kind: Kind) -> PageJob {
        let mut job = self.page(
            format!("/{}/", kind.folder()),
            "taxonomy.html",
            Some(kind.title()),
        );
        let terms: Vec<TermSummary> = self
            .taxonomies
            .get(kind)
            .terms
            .iter()
            .map(|t| TermSummary {
                name: &t.name,
                path: &t.path,
                count: t.events.len(),
            })
            .collect();
        job.insert("kind", kind.title());
        job.insert("terms", &terms);
        job
    }

    fn term(&self, kind: Kind, t: usize, page: usize) -> PageJob {
        let term = &self.taxonomies.get(kind).terms[t];
        let page_path = |n: usize| {
            if n == 0 {
                term.path.clone()
            } else {
                format!("{}page/{}/", term.path, n + 1)
            }
        };
        let pages = term.events.len().div_ceil(TERM_PAGE_SIZE).max(1);
        let events: Vec<&EventView> = term
            .events
            .iter()
            .skip(page * TERM_PAGE_SIZE)
            .take(TERM_PAGE_SIZE)
            .map(|&e| &self.events[e])
            .collect();
        let mut job = self.page(page_path(page), "term.html", Some(&term.name));
        job.insert("kind", kind.title());
        job.insert("kind_path", &format!("/{}/", kind.folder()));
        job.insert("term", &term.name);
        job.insert("event_count", &term.events.len());
        let shown = term
            .events
            .iter()
            .skip(page * TERM_PAGE_SIZE)
            .take(TERM_PAGE_SIZE);
        job.insert_events("events", &events, shown, self.event_fingerprints);
        let link = |n: usize| Link {
            name: format!("Page {}", n + 1),
            path: page_path(n),
        };
        job.insert("previous", &page.checked_sub(1).map(link));
        job.insert("next", &(page + 1 < pages).then(|| link(page + 1)));
        job
    }
}

/// Which page: small enough to list every page of a large site up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSpec {
    Index,
    NotFound,
    Search,
    Month(usize),
    Undated,
    Event(usize),
    Entry(usize),
    Taxonomy(Kind),
    Term {
        kind: Kind,
        term: usize,
        page: usize,
    },
}

/// A hash of a page's template values, fed by serializing each value as JSON into the hasher,
/// so no copy of the values is made. Only compared within one running process.
struct Fingerprint {
    hasher: HashWriter,
    /// A value that could not be serialized: the page is always treated as changed.
    failed: bool,
}

struct HashWriter(std::collections::hash_map::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(&mut self.0, bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Fingerprint {
    fn new(template: &str, path: &str) -> Self {
        let mut fingerprint = Fingerprint {
            hasher: HashWriter(Default::default()),
            failed: false,
        };
        fingerprint.add("template", template);
        fingerprint.add("path", path);
        fingerprint
    }

    fn add<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use std::hash::Hasher;
        self.hasher.0.write(key.as_bytes());
        self.hasher.0.write_u8(0xff);
        if serde_json::to_writer(&mut self.hasher, value).is_err() {
            self.failed = true;
        }
        self.hasher.0.write_u8(0xfe);
    }

    fn finish(&self) -> Option<u64> {
        (!self.failed).then(|| std::hash::Hasher::finish(&self.hasher.0))
    }
}

/// The fingerprint of one event view's values, for [`SiteData::event_fingerprints`].
pub fn event_fingerprint(event: &EventView) -> u64 {
    let mut fingerprint = Fingerprint::new("event", "");
    fingerprint.add("event", event);
    // An event that cannot be serialized never matches: its pages are always redone.
    fingerprint.finish().unwrap_or_else(|| {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    })
}
