//! Incremental rebuilds for `watch` and `serve`: a session keeps what the last build read and
//! wrote, and a rebuild redoes only what the changed files reach. Entries are re-read only when
//! their file changed; events are regrouped (a single edit can merge or split events anywhere);
//! then every page's template values are fingerprinted, and only pages whose values or linked
//! assets changed are rendered and replaced in the output. The result is byte-identical to a
//! whole build of the same files, which the tests check.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use super::{BuildOptions, BuildReport, Memo, Site, Written, combine_content, load_config};
use crate::config::SiteConfig;
use crate::content::EntrySources;
use crate::group::{self, EntryText};
use crate::ingest::{self, IngestOptions, IngestReport};
use crate::output::{LiveOutput, OUTPUT_MARKER, Staging};
use crate::static_files::{self, StaticFiles};
use crate::templates;

/// What changed on disk since the last build, by kind of source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`: everything is reloaded.
    pub config: bool,
    /// Raw articles or their sidecars: ingest runs first.
    pub articles: bool,
    /// Entries or curated events under `content/`.
    pub content: bool,
    pub templates: bool,
    /// Files under `static/`; `stylesheets_only` when every one of them is a `.css` file.
    pub statics: bool,
    pub stylesheets_only: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !(self.config || self.articles || self.content || self.templates || self.statics)
    }

    pub fn merge(&mut self, other: &Changes) {
        let stylesheets_only = match (self.statics, other.statics) {
            (true, true) => self.stylesheets_only && other.stylesheets_only,
            (true, false) => self.stylesheets_only,
            (false, _) => other.stylesheets_only,
        };
        self.config |= other.config;
        self.articles |= other.articles;
        self.content |= other.content;
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.stylesheets_only = stylesheets_only;
    }

    /// Only stylesheets changed: an open page can swap them in without reloading.
    pub fn only_stylesheets(&self) -> bool {
        self.statics
            && self.stylesheets_only
            && !(self.config || self.articles || self.content || self.templates)
    }
}

/// The result of one rebuild.
#[derive(Debug)]
pub struct Update {
    pub report: BuildReport,
    /// The ingest run, when articles changed.
    pub ingested: Option<IngestReport>,
    /// The whole site was rebuilt and swapped in (site.toml changed, or the output had gone).
    pub whole: bool,
}

/// A built site kept in memory between rebuilds.
pub struct Session {
    options: BuildOptions,
    site: Site,
    sources: EntrySources,
    statics: StaticFiles,
    memo: Memo,
    /// Changes a failed rebuild could not apply; the next rebuild applies them too.
    pending: Changes,
    /// Grouping's per-entry analysis, by entry file, with the key it was made from.
    texts: HashMap<PathBuf, (u64, Arc<EntryText>)>,
}

impl Session {
    /// Loads the site and builds it whole into its output folder (through staging).
    pub fn start(options: &BuildOptions) -> Result<(Session, BuildReport)> {
        let config = load_config(options)?;
        let mut sources = EntrySources::default();
        let entries = sources.refresh(&options.root, config.timezone, options.include_drafts);
        let (entries, curated) = combine_content(entries, group::curated::load(&options.root))?;
        let tera = templates::load(&options.root)?;
        let mut texts = HashMap::new();
        let analysed = entry_texts(&mut texts, &entries);
        let timeline = group::group_texts(&entries, &analysed, &curated, &config.grouping);
        let site = Site::with_timeline(options, config, entries, timeline, tera);
        let statics = static_files::collect(&options.root)?;
        let mut session = Session {
            options: options.clone(),
            site,
            sources,
            statics,
            memo: Memo::default(),
            pending: Changes::default(),
            texts,
        };
        let report = session.build_whole()?;
        Ok((session, report))
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub fn config(&self) -> &SiteConfig {
        &self.site.config
    }

    /// Applies `changes` (and those of earlier failed rebuilds). On failure the output is left
    /// as it was and the changes are kept for the next call.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Update> {
        self.pending.merge(changes);
        let wanted = self.pending.clone();
        let update = self.apply(&wanted)?;
        self.pending = Changes::default();
        Ok(update)
    }

    fn apply(&mut self, changes: &Changes) -> Result<Update> {
        if changes.config {
            let ingested = if changes.articles {
                let config = load_config(&self.options)?;
                Some(ingest_articles(&self.options, &config)?)
            } else {
                None
            };
            let (session, report) = Session::start(&self.options)?;
            *self = session;
            return Ok(Update {
                report,
                ingested,
                whole: true,
            });
        }
        let ingested = if changes.articles {
            Some(ingest_articles(&self.options, &self.site.config)?)
        } else {
            None
        };
        let mut timer = std::time::Instant::now();
        let mut steps = Vec::new();
        let root = &self.options.root;
        let config = &self.site.config;
        let entries = self
            .sources
            .refresh(root, config.timezone, self.options.include_drafts);
        let (entries, curated) = combine_content(entries, group::curated::load(root))?;
        let tera = if changes.templates {
            Some(templates::load(root)?)
        } else {
            None
        };
        if changes.statics {
            self.statics = static_files::collect(root)?;
        }
        steps.push(("read changed sources", timer.elapsed()));
        timer = std::time::Instant::now();
        let tera = tera.unwrap_or_else(|| std::mem::take(&mut self.site.tera));
        if changes.templates {
            // Fingerprints cover template values, not templates: every page is redone.
            self.memo
                .files
                .retain(|_, written| !matches!(written, Written::Page { .. }));
        }
        let texts = entry_texts(&mut self.texts, &entries);
        let timeline = group::group_texts(&entries, &texts, &curated, &self.site.config.grouping);
        self.site = Site::with_timeline(
            &self.options,
            self.site.config.clone(),
            entries,
            timeline,
            tera,
        );
        steps.push(("group", timer.elapsed()));
        // No build has been committed since the last failure, or someone removed or replaced
        // the output folder: updating it file by file would leave a partial site.
        if self.memo.files.is_empty() || !self.site.output.join(OUTPUT_MARKER).is_file() {
            let report = self.build_whole()?;
            return Ok(Update {
                report,
                ingested,
                whole: true,
            });
        }
        let live = LiveOutput::new(&self.site.output);
        let mut report = self
            .site
            .write_site(&live, &self.statics, Some(&mut self.memo), true)?;
        for file in &report.removed {
            live.remove(file)?;
        }
        steps.append(&mut report.steps);
        report.steps = steps;
        Ok(Update {
            report,
            ingested,
            whole: false,
        })
    }

    /// A whole build through staging that also fills the memo for the next rebuild.
    fn build_whole(&mut self) -> Result<BuildReport> {
        let mut memo = Memo::default();
        let staging = Staging::new(&self.site.output, &self.site.root)?;
        let report = self
            .site
            .write_site(&staging, &self.statics, Some(&mut memo), false)?;
        staging.commit()?;
        // Only a committed build may describe the output.
        self.memo = memo;
        Ok(report)
    }
}

/// Ingests new and changed articles; their entries are picked up by the content refresh.
fn ingest_articles(options: &BuildOptions, config: &SiteConfig) -> Result<IngestReport> {
    ingest::ingest(&options.root, config, &IngestOptions::default())
}

/// Grouping's analysis of each entry, reusing the cached one when the entry's text did not
/// change; the cache is left holding exactly the current entries.
fn entry_texts(
    cache: &mut HashMap<PathBuf, (u64, Arc<EntryText>)>,
    entries: &[crate::content::Entry],
) -> Vec<Arc<EntryText>> {
    let old = &*cache;
    let texts: Vec<(u64, Arc<EntryText>)> = entries
        .par_iter()
        .map(|entry| {
            let key = EntryText::key(entry);
            match old.get(&entry.file) {
                Some((k, text)) if *k == key => (key, Arc::clone(text)),
                _ => (key, Arc::new(EntryText::of(entry))),
            }
        })
        .collect();
    *cache = entries
        .iter()
        .zip(&texts)
        .map(|(entry, text)| (entry.file.clone(), text.clone()))
        .collect();
    texts.into_iter().map(|(_, text)| text).collect()
}
