//! `dateline ingest [PATHS…]`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use crate::config::SiteConfig;
use crate::ingest::{IngestOptions, IngestReport, ingest};

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Articles or folders to ingest (default: the site's articles folder).
    pub paths: Vec<PathBuf>,
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Re-analyse articles whose entries are up to date. Entries changed by an editor are
    /// still never overwritten.
    #[arg(long)]
    pub force: bool,
}

impl IngestArgs {
    pub fn run(&self) -> Result<()> {
        let config = SiteConfig::load(&self.root)?;
        let options = IngestOptions {
            paths: self.paths.clone(),
            force: self.force,
            progress: true,
        };
        let report = ingest(&self.root, &config, &options)?;
        print_report(&report);
        fail_on_problems(&report)
    }
}

/// The summary on stdout; every warning and problem on stderr, each naming its file.
pub fn print_report(report: &IngestReport) {
    if report.is_empty() {
        return;
    }
    println!("{}", report.summary());
    for path in report.created.iter().chain(&report.updated) {
        println!("  wrote {}", path.display());
    }
    for (article, entry) in &report.kept_edited {
        eprintln!(
            "warning: {} changed, but {} was edited by hand, so it was left alone (re-ingest it by deleting the entry, or copy the changes over yourself)",
            article.display(),
            entry.display()
        );
    }
    for problem in &report.problems {
        eprintln!("error: {problem}");
    }
}

pub fn fail_on_problems(report: &IngestReport) -> Result<()> {
    match report.problems.len() {
        0 => Ok(()),
        1 => bail!("1 article could not be ingested (see above); the others were"),
        n => bail!("{n} articles could not be ingested (see above); the others were"),
    }
}
