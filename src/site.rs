//! The orchestrator: loads a site (config, entries, templates) and builds it. This is the only
//! module that decides output paths and writes output.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, ContentError, ContentErrors, Entry};
use crate::group::{self, Timeline, curated::CuratedEvent};
use crate::output::{OUTPUT_MARKER, Staging};
use crate::render::pages::{PageJob, SiteData};
use crate::render::postprocess::{LinkPolicy, rewrite_page_at};
use crate::render::taxonomy::Taxonomies;
use crate::render::timeline::{self, EventView};
use crate::render::{self, EntryView, SiteView, exports, search};
use crate::{markdown, static_files, templates};

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
}

impl Site {
    pub fn load(options: &BuildOptions) -> Result<Site> {
        let root = options.root.clone();
        let mut config = SiteConfig::load(&root)?;
        if let Some(url) = &options.base_url {
            config.set_base_url(url).context("Invalid --base-url")?;
        }
        let output = match &options.output {
            Some(dir) => dir.clone(),
            None => root.join(&config.output_dir),
        };
        let (entries, curated) = load_content(&root, &config, options.include_drafts)?;
        let timeline = group::group(&entries, &curated, &config.grouping);
        let tera = templates::load(&root)?;
        Ok(Site {
            root,
            config,
            entries,
            timeline,
            tera,
            output,
            offline: options.offline,
        })
    }

    pub fn output_dir(&self) -> &Path {
        &self.output
    }

    /// Renders every page into a staging folder and swaps it in as the output.
    pub fn build(&self) -> Result<BuildReport> {
        let mut report = BuildReport {
            entries: self.entries.len(),
            output: self.output.clone(),
            ..Default::default()
        };
        let mut step = StepTimer::new();
        let staging = Staging::new(&self.output, &self.root)?;
        let mut assets = static_files::copy(&self.root, &staging)?;
        // The search index changes with the content, so it is versioned like a static asset.
        let search_index = search::search_index_js(&self.timeline, &self.entries);
        staging.write(search::INDEX_FILE, search_index.as_bytes())?;
        let version = static_files::version_of(search_index.as_bytes());
        assets.insert(format!("/{}", search::INDEX_FILE), version);
        let mut policy =
            LinkPolicy::new(&self.config.base_url, &self.config.base_path).with_assets(assets);
        policy.offline = self.offline;
        step.done("static files", &mut report);

        let bodies: Vec<String> = self
            .entries
            .par_iter()
            .map(|e| markdown::render(&e.body))
            .collect();
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
        let data = SiteData {
            config: &self.config,
            site: &site,
            timeline: &self.timeline,
            entries: &entries,
            events: &events,
            months: &months,
            undated: &undated,
            taxonomies: &taxonomies,
        };
        let mut sitemap = self.write_pages(&data, &policy, &staging)?;
        sitemap.retain(|path| path != "/404.html");
        report.pages += sitemap.len() + 1;
        step.done("pages", &mut report);

        self.write_feeds_and_exports(&site, &events, &sitemap, &staging)?;
        step.done("feed, sitemap, exports", &mut report);

        staging.commit()?;
        step.done("swap", &mut report);
        Ok(report)
    }

    /// Renders and writes every page in parallel; returns the pages' paths.
    fn write_pages(
        &self,
        data: &SiteData,
        policy: &LinkPolicy,
        staging: &Staging,
    ) -> Result<Vec<String>> {
        let results: Vec<Result<String>> = data
            .specs()
            .par_iter()
            .map(|spec| {
                let job = data.job(spec);
                let html = self.render_html(&job, policy)?;
                staging.write(&job.output_file(), html.as_bytes())?;
                Ok(job.path)
            })
            .collect();
        results.into_iter().collect()
    }

    /// Everything that is not a page: the feed, the sitemap, robots.txt, the exports, `CNAME`
    /// and the marker that tells GitHub Pages not to run Jekyll (which hides `_` files).
    fn write_feeds_and_exports(
        &self,
        site: &SiteView,
        events: &[EventView],
        sitemap: &[String],
        staging: &Staging,
    ) -> Result<()> {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("feed", &render::feed(events));
        staging.write(
            "atom.xml",
            templates::render(&self.tera, "atom.xml", &context)?.as_bytes(),
        )?;
        staging.write(
            "sitemap.xml",
            exports::sitemap_xml(&self.config, sitemap).as_bytes(),
        )?;
        staging.write("robots.txt", exports::robots_txt(&self.config).as_bytes())?;
        staging.write(
            "timeline.json",
            exports::timeline_json(&self.config, &self.timeline, &self.entries).as_bytes(),
        )?;
        staging.write(
            "events.csv",
            exports::events_csv(&self.config, &self.timeline, &self.entries).as_bytes(),
        )?;
        if let Some(cname) = &self.config.cname {
            staging.write("CNAME", format!("{cname}\n").as_bytes())?;
        }
        staging.write(OUTPUT_MARKER, b"")
    }

    fn render_html(&self, job: &PageJob, policy: &LinkPolicy) -> Result<String> {
        let (template, context, page_path) = (job.template, &job.context, job.path.as_str());
        let html = templates::render(&self.tera, template, context)?;
        rewrite_page_at(&html, policy, page_path)
            .with_context(|| format!("While post-processing `{template}`"))
    }
}

/// Entries and curated events, with the problems of both reported together.
fn load_content(
    root: &Path,
    config: &SiteConfig,
    include_drafts: bool,
) -> Result<(Vec<Entry>, Vec<CuratedEvent>)> {
    let entries = content::load_entries(root, config.timezone, include_drafts);
    let curated = group::curated::load(root);
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
