//! `dateline build`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::ingest::{fail_on_problems, print_report};
use crate::config::SiteConfig;
use crate::ingest::{IngestOptions, ingest};
use crate::site::{BuildOptions, Site};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder; overrides `output_dir` in site.toml.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Base URL the site is served from (e.g. https://org.github.io/repo/); overrides site.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Link pages to each other with relative paths (folders as `…/index.html`), so the site
    /// works opened from the disk without a server.
    #[arg(long)]
    pub offline: bool,
    /// Print how long each build step took.
    #[arg(long)]
    pub timings: bool,
    /// Do not ingest new or changed raw articles first.
    #[arg(long)]
    pub no_ingest: bool,
}

impl BuildArgs {
    pub fn run(&self) -> Result<()> {
        let options = BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            include_drafts: self.drafts,
            offline: self.offline,
        };
        let started = std::time::Instant::now();
        let ingested = if self.no_ingest {
            None
        } else {
            let config = SiteConfig::load(&self.root)?;
            let report = ingest(
                &self.root,
                &config,
                &IngestOptions {
                    progress: true,
                    ..IngestOptions::default()
                },
            )?;
            print_report(&report);
            Some(report)
        };
        let loading = std::time::Instant::now();
        let site = Site::load(&options)?;
        if self.timings {
            eprintln!(
                "{:>8.1} ms  load, group and compile templates",
                loading.elapsed().as_secs_f64() * 1000.0
            );
        }
        let report = site.build()?;
        if self.timings {
            for (step, took) in &report.steps {
                eprintln!("{:>8.1} ms  {step}", took.as_secs_f64() * 1000.0);
            }
        }
        println!(
            "Built {} entries ({} pages) into {} in {} ms",
            report.entries,
            report.pages,
            report.output.display(),
            started.elapsed().as_millis()
        );
        // The site was still built from everything else; the exit status says it is incomplete.
        ingested.map_or(Ok(()), |report| fail_on_problems(&report))
    }
}
