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
use crate::render::postprocess::{LinkPolicy, rewrite_page};
use crate::render::{self, EntryView, EventView, PageView, SiteView};
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
}

/// A loaded site, ready to build.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub entries: Vec<Entry>,
    pub timeline: Timeline,
    tera: tera::Tera,
    output: PathBuf,
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
        let policy = LinkPolicy::new(&self.config.base_url, &self.config.base_path);

        let bodies: Vec<String> = self
            .entries
            .par_iter()
            .map(|e| markdown::render(&e.body))
            .collect();
        let views: Vec<EntryView> = self
            .entries
            .iter()
            .zip(&bodies)
            .map(|(e, body)| EntryView::new(e, body, &self.config))
            .collect();
        step.done("markdown", &mut report);

        let site = SiteView::new(&self.config);
        let results: Vec<Result<()>> = views
            .par_iter()
            .map(|view| {
                let mut context = self.context(&site, view.path);
                context.insert("entry", view);
                let html = self.render_html("entry.html", &context, &policy)?;
                staging.write(&format!("{}index.html", view.path), html.as_bytes())
            })
            .collect();
        results.into_iter().collect::<Result<Vec<()>>>()?;
        report.pages += views.len();
        step.done("entry pages", &mut report);

        let events: Vec<EventView> = self
            .timeline
            .events
            .iter()
            .map(|e| EventView::new(e, &views))
            .collect();
        let (months, undated) = render::group_by_month(&self.timeline.events, &events);
        let mut context = self.context(&site, "/");
        context.insert("months", &months);
        context.insert("undated", &undated);
        staging.write(
            "index.html",
            self.render_html("index.html", &context, &policy)?
                .as_bytes(),
        )?;

        let context = self.context(&site, "/404.html");
        staging.write(
            "404.html",
            self.render_html("404.html", &context, &policy)?.as_bytes(),
        )?;

        let mut context = self.context(&site, "/atom.xml");
        context.insert("feed", &render::feed(&views));
        staging.write(
            "atom.xml",
            templates::render(&self.tera, "atom.xml", &context)?.as_bytes(),
        )?;
        report.pages += 2;
        step.done("index, 404, feed", &mut report);

        static_files::copy(&self.root, &staging)?;
        // GitHub Pages would otherwise run Jekyll, which hides files starting with `_`.
        staging.write(OUTPUT_MARKER, b"")?;
        step.done("static files", &mut report);

        staging.commit()?;
        step.done("swap", &mut report);
        Ok(report)
    }

    fn context(&self, site: &SiteView, path: &str) -> tera::Context {
        let mut context = tera::Context::new();
        context.insert("site", site);
        context.insert("page", &PageView::new(&self.config, path));
        context
    }

    fn render_html(
        &self,
        template: &str,
        context: &tera::Context,
        policy: &LinkPolicy,
    ) -> Result<String> {
        let html = templates::render(&self.tera, template, context)?;
        rewrite_page(&html, policy).with_context(|| format!("While post-processing `{template}`"))
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
