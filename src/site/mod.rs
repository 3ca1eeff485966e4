//! The orchestrator: loads a site (config, entries, templates) and builds it. This is the only
//! module that decides output paths and writes output. A whole build goes through a staging
//! folder swapped in at the end; [`incremental`] reuses the same steps to update a built site
//! in place, rewriting only the files whose content changed.

pub mod incremental;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, ContentError, ContentErrors, Entry};
use crate::group::{self, Timeline, curated::CuratedEvent};
use crate::output::{OUTPUT_MARKER, OutputSink, Staging};
use crate::render::pages::{self, JobPurpose, PageJob, PageSpec, SiteData};
use crate::render::postprocess::{LinkPolicy, rewrite_page_tracking_assets};
use crate::render::taxonomy::Taxonomies;
use crate::render::timeline::{self, EventView};
use crate::render::{self, EntryView, SiteView, exports, search};
use crate::static_files::{self, StaticFiles};
use crate::{markdown, templates};

/// What the command line can change about a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// Page-relative links, so the output works opened from the disk.
    pub offline: bool,
}

/// A loaded site, ready to build.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub entries: Vec<Entry>,
    pub timeline: Timeline,
    tera: tera::Tera,
    output: PathBuf,
    offline: bool,
}

/// What a build did, for the summary line and benchmarks.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub entries: usize,
    pub pages: usize,
    pub output: PathBuf,
    pub steps: Vec<(&'static str, Duration)>,
    /// Output files written (all of them for a whole build; the changed ones for an update).
    pub written: Vec<String>,
    /// Output files removed because the site no longer has them.
    pub removed: Vec<String>,
}

/// What the previous build wrote, so the next one can skip what did not change. Kept by a
/// running `watch` or `serve`; a plain build has none.
#[derive(Debug, Default)]
struct Memo {
    /// Output file → what it was made from.
    files: HashMap<String, Written>,
    /// Rendered Markdown bodies by entry file, with the hash of the Markdown they came from.
    bodies: HashMap<PathBuf, (u64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    /// A page: the fingerprint of its template values, and the versions of the assets it
    /// linked to (a page's `?v=` must follow its assets).
    Page {
        fingerprint: u64,
        assets: Vec<(String, String)>,
    },
    /// Any other file: the hash of its bytes.
    File(u64),
}

impl Site {
    pub fn load(options: &BuildOptions) -> Result<Site> {
        let config = load_config(options)?;
        let (entries, curated) = load_content(&options.root, &config, options.include_drafts)?;
        let tera = templates::load(&options.root)?;
        Ok(Site::assemble(options, config, entries, &curated, tera))
    }

    fn assemble(
        options: &BuildOptions,
        config: SiteConfig,
        entries: Vec<Entry>,
        curated: &[CuratedEvent],
        tera: tera::Tera,
    ) -> Site {
        let timeline = group::group(&entries, curated, &config.grouping);
        Site::with_timeline(options, config, entries, timeline, tera)
    }

    fn with_timeline(
        options: &BuildOptions,
        config: SiteConfig,
        entries: Vec<Entry>,
        timeline: Timeline,
        tera: tera::Tera,
    ) -> Site {
        let output = match &options.output {
            Some(dir) => dir.clone(),
            None => options.root.join(&config.output_dir),
        };
        Site {
            root: options.root.clone(),
            config,
            entries,
            timeline,
            tera,
            output,
            offline: options.offline,
        }
    }

    pub fn output_dir(&self) -> &Path {
        &self.output
    }

    /// Renders every page into a staging folder and swaps it in as the output.
    pub fn build(&self) -> Result<BuildReport> {
        let staging = Staging::new(&self.output, &self.root)?;
        let statics = static_files::collect(&self.root)?;
        let report = self.write_site(&staging, &statics, None, false)?;
        staging.commit()?;
        Ok(report)
    }

    /// Writes the site through `sink`. Without a memo every file is rendered; with one, only
    /// the files whose inputs changed since the memo's build, and the memo then describes the
    /// new output (files of the previous output that are gone are listed in `removed`). With
    /// `defer`, files are held in memory and written only once everything has succeeded, so a
    /// failure writes nothing; without, each is written as it is made (into staging).
    fn write_site(
        &self,
        sink: &dyn OutputSink,
        statics: &StaticFiles,
        mut memo: Option<&mut Memo>,
        defer: bool,
    ) -> Result<BuildReport> {
        let mut report = BuildReport {
            entries: self.entries.len(),
            output: self.output.clone(),
            ..Default::default()
        };
        let mut step = StepTimer::new();
        let mut files = FileSet::new(sink, defer);

        let mut assets = static_files::versions(statics);
        for (path, bytes) in statics {
            files.put(path, bytes.clone(), memo.as_deref())?;
        }
        // The search index changes with the content, so it is versioned like a static asset.
        let search_index = search::search_index_js(&self.timeline, &self.entries);
        let version = static_files::version_of(search_index.as_bytes());
        assets.insert(format!("/{}", search::INDEX_FILE), version);
        files.put(
            search::INDEX_FILE,
            search_index.into_bytes(),
            memo.as_deref(),
        )?;
        let mut policy =
            LinkPolicy::new(&self.config.base_url, &self.config.base_path).with_assets(assets);
        policy.offline = self.offline;
        step.done("static files", &mut report);

        let bodies = self.render_bodies(memo.as_deref_mut());
        let entries: Vec<EntryView> = self
            .entries
            .iter()
            .zip(&bodies)
            .map(|(e, body)| EntryView::new(e, body, &self.config))
            .collect();
        let taxonomies = Taxonomies::build(&self.timeline, &self.entries);
        let events: Vec<EventView> = self
            .timeline
            .events
            .iter()
            .map(|e| EventView::new(e, &entries, &taxonomies, &self.config))
            .collect();
        let (months, undated) = timeline::months(&self.timeline.events, &events);
        step.done("markdown and views", &mut report);

        let site = SiteView::new(&self.config);
        let event_fingerprints: Vec<u64> = match memo {
            Some(_) => events.par_iter().map(pages::event_fingerprint).collect(),
            None => Vec::new(),
        };
        let data = SiteData {
            config: &self.config,
            site: &site,
            timeline: &self.timeline,
            entries: &entries,
            events: &events,
            months: &months,
            undated: &undated,
            taxonomies: &taxonomies,
            purpose: JobPurpose::Render,
            event_fingerprints: &[],
        };
        let mut sitemap = self.write_pages(
            &data,
            &event_fingerprints,
            &policy,
            &mut files,
            memo.as_deref(),
        )?;
        sitemap.retain(|path| path != "/404.html");
        report.pages += sitemap.len() + 1;
        step.done("pages", &mut report);

        self.write_feeds_and_exports(&site, &events, &sitemap, &mut files, memo.as_deref())?;
        step.done("feed, sitemap, exports", &mut report);

        let (written, records) = files.finish()?;
        report.written = written;
        if let Some(memo) = memo {
            report.removed = memo
                .files
                .keys()
                .filter(|file| !records.contains_key(*file))
                .cloned()
                .collect();
            report.removed.sort();
            memo.files = records;
        }
        step.done("write", &mut report);
        Ok(report)
    }

    /// Every entry's body as HTML, in entry order, reusing the memo's renderings of bodies that
    /// did not change.
    fn render_bodies(&self, memo: Option<&mut Memo>) -> Vec<String> {
        let Some(memo) = memo else {
            return self
                .entries
                .par_iter()
                .map(|e| markdown::render(&e.body))
                .collect();
        };
        let bodies: Vec<(u64, String)> = self
            .entries
            .par_iter()
            .map(|e| {
                let hash = hash_of(&e.body);
                match memo.bodies.get(&e.file) {
                    Some((h, html)) if *h == hash => (hash, html.clone()),
                    _ => (hash, markdown::render(&e.body)),
                }
            })
            .collect();
        memo.bodies = self
            .entries
            .iter()
            .zip(&bodies)
            .map(|(e, body)| (e.file.clone(), body.clone()))
            .collect();
        bodies.into_iter().map(|(_, html)| html).collect()
    }

    /// Renders the pages (all of them, or with a memo the changed ones) in parallel; returns
    /// every page's path, for the sitemap.
    fn write_pages(
        &self,
        data: &SiteData,
        event_fingerprints: &[u64],
        policy: &LinkPolicy,
        files: &mut FileSet,
        memo: Option<&Memo>,
    ) -> Result<Vec<String>> {
        let fingerprints = SiteData {
            purpose: JobPurpose::Fingerprint,
            event_fingerprints,
            ..*data
        };
        let (sink, defer) = (files.sink, files.defer);
        let results: Vec<Result<Page>> = data
            .specs()
            .par_iter()
            .map(|spec| {
                let mut page = match memo {
                    Some(memo) => {
                        self.render_if_changed(spec, data, &fingerprints, policy, memo)?
                    }
                    None => {
                        let job = data.job(spec);
                        let (html, _) = self.render_html(&job, policy)?;
                        Page {
                            file: job.output_file(),
                            path: job.path,
                            html: Some(html),
                            record: None,
                            written: false,
                        }
                    }
                };
                if !defer && let Some(html) = page.html.take() {
                    sink.write(&page.file, html.as_bytes())?;
                    page.written = true;
                }
                Ok(page)
            })
            .collect();
        let mut paths = Vec::with_capacity(results.len());
        for result in results {
            let page = result?;
            paths.push(page.path.clone());
            files.add_page(page);
        }
        Ok(paths)
    }

    /// With a memo: renders the page only when its values or its assets changed.
    fn render_if_changed(
        &self,
        spec: &PageSpec,
        data: &SiteData,
        fingerprints: &SiteData,
        policy: &LinkPolicy,
        memo: &Memo,
    ) -> Result<Page> {
        if memo.files.is_empty() {
            // Nothing to compare with: render, fingerprinting on the way.
            let both = SiteData {
                purpose: JobPurpose::RenderAndFingerprint,
                ..*fingerprints
            };
            let job = both.job(spec);
            let fingerprint = job.fingerprint();
            return self.render_page(job, fingerprint, policy);
        }
        let probe = fingerprints.job(spec);
        let file = probe.output_file();
        let fingerprint = probe.fingerprint();
        if let (
            Some(fingerprint),
            Some(Written::Page {
                fingerprint: old,
                assets,
            }),
        ) = (fingerprint, memo.files.get(&file))
            && fingerprint == *old
            && assets
                .iter()
                .all(|(path, version)| policy.assets.get(path) == Some(version))
        {
            let record = Written::Page {
                fingerprint,
                assets: assets.clone(),
            };
            return Ok(Page {
                path: probe.path,
                file,
                html: None,
                record: Some(record),
                written: false,
            });
        }
        self.render_page(data.job(spec), fingerprint, policy)
    }

    fn render_page(
        &self,
        job: PageJob,
        fingerprint: Option<u64>,
        policy: &LinkPolicy,
    ) -> Result<Page> {
        let file = job.output_file();
        let (html, used) = self.render_html(&job, policy)?;
        let assets = used
            .into_iter()
            .filter_map(|path| policy.assets.get(&path).map(|v| (path, v.clone())))
            .collect();
        // A page whose values could not be fingerprinted never matches its record (the probe
        // has no fingerprint to compare), so it is rendered again every time.
        let record = Written::Page {
            fingerprint: fingerprint.unwrap_or_default(),
            assets,
        };
        Ok(Page {
            path: job.path,
            file,
            html: Some(html),
            record: Some(record),
            written: false,
        })
    }

    /// Everything that is not a page: the feed, the sitemap, robots.txt, the exports, `CNAME`
    /// and the marker that tells GitHub Pages not to run Jekyll (which hides `_` files).
    fn write_feeds_and_exports(
        &self,
        site: &SiteView,
        events: &[EventView],
        sitemap: &[String],
        files: &mut FileSet,
        memo: Option<&Memo>,
    ) -> Result<()> {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("feed", &render::feed(events));
        let feed = templates::render(&self.tera, "atom.xml", &context)?;
        files.put("atom.xml", feed.into_bytes(), memo)?;
        let sitemap = exports::sitemap_xml(&self.config, sitemap);
        files.put("sitemap.xml", sitemap.into_bytes(), memo)?;
        files.put(
            "robots.txt",
            exports::robots_txt(&self.config).into_bytes(),
            memo,
        )?;
        let json = exports::timeline_json(&self.config, &self.timeline, &self.entries);
        files.put("timeline.json", json.into_bytes(), memo)?;
        let csv = exports::events_csv(&self.config, &self.timeline, &self.entries);
        files.put("events.csv", csv.into_bytes(), memo)?;
        if let Some(cname) = &self.config.cname {
            files.put("CNAME", format!("{cname}\n").into_bytes(), memo)?;
        }
        files.put(OUTPUT_MARKER, Vec::new(), memo)
    }

    fn render_html(&self, job: &PageJob, policy: &LinkPolicy) -> Result<(String, Vec<String>)> {
        let (template, context, page_path) = (job.template, &job.context, job.path.as_str());
        let html = templates::render(&self.tera, template, context)?;
        rewrite_page_tracking_assets(&html, policy, page_path)
            .with_context(|| format!("While post-processing `{template}`"))
    }
}

/// One page of a build.
struct Page {
    /// Root-relative URL.
    path: String,
    /// Output file, relative to the output folder.
    file: String,
    /// Rendered and not yet written; `None` once written or when unchanged.
    html: Option<String>,
    /// What the page was made from (builds with a memo only).
    record: Option<Written>,
    /// Whether it was written during this build.
    written: bool,
}

/// The output files of one build: written at once (a whole build into staging) or held until
/// the end (an update of the live output, which must not be left half-changed by a failure).
struct FileSet<'a> {
    sink: &'a dyn OutputSink,
    defer: bool,
    pending: BTreeMap<String, Vec<u8>>,
    records: HashMap<String, Written>,
    written: BTreeSet<String>,
}

impl<'a> FileSet<'a> {
    fn new(sink: &'a dyn OutputSink, defer: bool) -> Self {
        FileSet {
            sink,
            defer,
            pending: BTreeMap::new(),
            records: HashMap::new(),
            written: BTreeSet::new(),
        }
    }

    /// A non-page file: written (or queued) unless the memo says it already has these bytes.
    fn put(&mut self, file: &str, bytes: Vec<u8>, memo: Option<&Memo>) -> Result<()> {
        let record = Written::File(hash_of(&bytes));
        if memo.is_some_and(|m| m.files.get(file) == Some(&record)) {
            self.keep(file.to_string(), record);
            return Ok(());
        }
        if self.defer {
            self.defer(file.to_string(), bytes, record);
            return Ok(());
        }
        self.sink.write(file, &bytes)?;
        self.written.insert(file.to_string());
        self.records.insert(file.to_string(), record);
        Ok(())
    }

    fn keep(&mut self, file: String, record: Written) {
        self.records.insert(file, record);
    }

    fn defer(&mut self, file: String, bytes: Vec<u8>, record: Written) {
        self.records.insert(file.clone(), record);
        self.pending.insert(file, bytes);
    }

    fn add_page(&mut self, page: Page) {
        if let Some(record) = page.record {
            self.records.insert(page.file.clone(), record);
        }
        if let Some(html) = page.html {
            self.pending.insert(page.file, html.into_bytes());
        } else if page.written {
            self.written.insert(page.file);
        }
    }

    /// Writes what was held back; returns the files written, sorted, and the new records.
    fn finish(mut self) -> Result<(Vec<String>, HashMap<String, Written>)> {
        let pending = std::mem::take(&mut self.pending);
        let results: Vec<Result<String>> = pending
            .into_par_iter()
            .map(|(file, bytes)| self.sink.write(&file, &bytes).map(|()| file))
            .collect();
        for result in results {
            self.written.insert(result?);
        }
        Ok((self.written.into_iter().collect(), self.records))
    }
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// site.toml with the command line's overrides applied.
fn load_config(options: &BuildOptions) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).context("Invalid --base-url")?;
    }
    Ok(config)
}

/// Entries and curated events, with the problems of both reported together.
fn load_content(
    root: &Path,
    config: &SiteConfig,
    include_drafts: bool,
) -> Result<(Vec<Entry>, Vec<CuratedEvent>)> {
    let entries = content::load_entries(root, config.timezone, include_drafts);
    combine_content(entries, group::curated::load(root))
}

fn combine_content(
    entries: Result<Vec<Entry>, ContentErrors>,
    curated: Result<Vec<CuratedEvent>, ContentErrors>,
) -> Result<(Vec<Entry>, Vec<CuratedEvent>)> {
    match (entries, curated) {
        (Ok(entries), Ok(curated)) => Ok((entries, curated)),
        (entries, curated) => {
            let mut errors: Vec<ContentError> = Vec::new();
            errors.extend(entries.err().map(|e| e.0).unwrap_or_default());
            errors.extend(curated.err().map(|e| e.0).unwrap_or_default());
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(ContentErrors(errors).into())
        }
    }
}

struct StepTimer(Instant);

impl StepTimer {
    fn new() -> Self {
        StepTimer(Instant::now())
    }
    fn done(&mut self, name: &'static str, report: &mut BuildReport) {
        report.steps.push((name, self.0.elapsed()));
        self.0 = Instant::now();
    }
}
