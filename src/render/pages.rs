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
}

impl PageJob {
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
    fn job(&self, path: String, template: &'static str, title: Option<&str>) -> PageJob {
        let mut context = Context::new();
        context.insert("site", self.site);
        context.insert("page", &PageView::new(self.config, &path));
        context.insert("page_title", &title);
        PageJob {
            path,
            template,
            context,
        }
    }

    /// All pages, in a fixed order.
    pub fn all_pages(&self) -> Vec<PageJob> {
        let mut jobs = vec![
            self.index(),
            self.job("/404.html".into(), "404.html", Some("Page not found")),
        ];
        jobs.extend(self.month_pages());
        jobs.extend(self.event_pages());
        jobs.extend(self.entry_pages());
        for kind in Kind::ALL {
            jobs.extend(self.taxonomy_pages(kind));
        }
        jobs.push(self.job("/search/".into(), "search.html", Some("Search")));
        jobs
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
        let mut job = self.job("/".into(), "index.html", None);
        let inline = self.events.len() <= INDEX_EVENT_LIMIT;
        job.context.insert("axis", &density_axis(self.months));
        job.context.insert("month_links", &self.month_links());
        job.context
            .insert("months", &if inline { self.months } else { &[] });
        job.context
            .insert("undated", &if inline { self.undated } else { &[] });
        job.context.insert("undated_count", &self.undated.len());
        job.context.insert("event_count", &self.events.len());
        job.context.insert("entry_count", &self.entries.len());
        job
    }

    fn month_pages(&self) -> Vec<PageJob> {
        let mut jobs: Vec<PageJob> = self
            .months
            .iter()
            .enumerate()
            .map(|(n, month)| {
                let mut job = self.job(month.path.clone(), "month.html", Some(&month.label));
                job.context.insert("month", month);
                job.context.insert(
                    "previous",
                    &n.checked_sub(1)
                        .and_then(|p| self.months.get(p))
                        .map(|m| Link {
                            name: m.label.clone(),
                            path: m.path.clone(),
                        }),
                );
                job.context.insert(
                    "next",
                    &self.months.get(n + 1).map(|m| Link {
                        name: m.label.clone(),
                        path: m.path.clone(),
                    }),
                );
                job
            })
            .collect();
        if !self.undated.is_empty() {
            let mut job = self.job(
                "/timeline/undated/".into(),
                "undated.html",
                Some("Events without a date"),
            );
            job.context.insert("events", self.undated);
            jobs.push(job);
        }
        jobs
    }

    fn event_pages(&self) -> Vec<PageJob> {
        let link = |i: usize| {
            self.events.get(i).map(|e| Link {
                name: e.headline.to_string(),
                path: e.path.clone(),
            })
        };
        (0..self.events.len())
            .map(|i| {
                let event = &self.events[i];
                let mut job = self.job(event.path.clone(), "event.html", Some(event.headline));
                job.context.insert("event", event);
                job.context
                    .insert("previous", &i.checked_sub(1).and_then(link));
                job.context.insert("next", &link(i + 1));
                job
            })
            .collect()
    }

    fn entry_pages(&self) -> Vec<PageJob> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let mut job = self.job(entry.path.to_string(), "entry.html", Some(entry.title));
                job.context.insert("entry", entry);
                let event = self
                    .timeline
                    .event_of
                    .get(i)
                    .and_then(|&e| self.events.get(e));
                job.context.insert(
                    "event",
                    &event.map(|e| Link {
                        name: e.headline.to_string(),
                        path: e.path.clone(),
                    }),
                );
                job
            })
            .collect()
    }

    fn taxonomy_pages(&self, kind: Kind) -> Vec<PageJob> {
        let taxonomy = self.taxonomies.get(kind);
        let mut list = self.job(
            format!("/{}/", kind.folder()),
            "taxonomy.html",
            Some(kind.title()),
        );
        let terms: Vec<TermSummary> = taxonomy
            .terms
            .iter()
            .map(|t| TermSummary {
                name: &t.name,
                path: &t.path,
                count: t.events.len(),
            })
            .collect();
        list.context.insert("kind", kind.title());
        list.context.insert("terms", &terms);
        let mut jobs = vec![list];
        for term in &taxonomy.terms {
            let events: Vec<&EventView> = term.events.iter().map(|&e| &self.events[e]).collect();
            let chunks: Vec<&[&EventView]> = events.chunks(TERM_PAGE_SIZE).collect();
            let page_path = |n: usize| {
                if n == 0 {
                    term.path.clone()
                } else {
                    format!("{}page/{}/", term.path, n + 1)
                }
            };
            for (n, chunk) in chunks.iter().enumerate() {
                let mut job = self.job(page_path(n), "term.html", Some(&term.name));
                job.context.insert("kind", kind.title());
                job.context
                    .insert("kind_path", &format!("/{}/", kind.folder()));
                job.context.insert("term", &term.name);
                job.context.insert("event_count", &events.len());
                job.context.insert("events", chunk);
                let link = |i: usize| Link {
                    name: format!("Page {}", i + 1),
                    path: page_path(i),
                };
                job.context.insert("previous", &n.checked_sub(1).map(link));
                job.context
                    .insert("next", &(n + 1 < chunks.len()).then(|| link(n + 1)));
                jobs.push(job);
            }
        }
        jobs
    }
}
