//! `dateline watch`: build, then rebuild what changed whenever a source file changes. The loop
//! is shared with `serve`, which also tells open pages to reload.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use super::ingest::print_report;
use crate::config::SiteConfig;
use crate::ingest::{IngestOptions, ingest};
use crate::site::BuildOptions;
use crate::site::incremental::{Changes, Session, Update};
use crate::watch::{Signal, SourceLayout, SourceWatcher};

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder; overrides `output_dir` in site.toml.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Base URL the site is served from; overrides site.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Do not ingest new or changed raw articles.
    #[arg(long)]
    pub no_ingest: bool,
    /// Print how long each step of each rebuild took.
    #[arg(long)]
    pub timings: bool,
}

impl WatchArgs {
    pub fn run(&self) -> Result<()> {
        let options = BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            include_drafts: self.drafts,
            offline: false,
        };
        let mut watcher = start_watcher(&options)?;
        let mut session = None;
        let mut rebuild = Rebuilder::new(options, !self.no_ingest);
        rebuild.timings = self.timings;
        rebuild.first_build(&mut session, |_| {});
        eprintln!(
            "Watching {} for changes (Ctrl-C to stop)",
            self.root.display()
        );
        rebuild.run(&mut session, &mut watcher, |_| {});
        Ok(())
    }
}

/// Watches the site's sources and makes Ctrl-C end the loop cleanly.
pub(super) fn start_watcher(options: &BuildOptions) -> Result<SourceWatcher> {
    let config = SiteConfig::load(&options.root)?;
    let output = match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&config.output_dir),
    };
    let layout = SourceLayout::new(&options.root, &config.ingest.articles_dir, &output);
    let watcher = SourceWatcher::start(layout)?;
    let stop = watcher.sender();
    // Without the handler Ctrl-C would kill the process mid-write; with it the loop finishes the
    // current rebuild (whose writes are atomic anyway) and returns.
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Signal::Stop);
    }) {
        eprintln!("warning: Ctrl-C will stop dateline abruptly: {e}");
    }
    Ok(watcher)
}

/// The outcome of one build or rebuild, for `serve` to pass on to open pages.
pub(super) enum Outcome<'a> {
    Built {
        /// Nothing in the output changed (e.g. a file saved without changes).
        unchanged: bool,
        stylesheets_only: bool,
    },
    Failed(&'a str),
}

/// Builds and rebuilds, printing what happened. A failed build never ends the loop: the last
/// good output stays in place and the next change is tried again.
pub(super) struct Rebuilder {
    options: BuildOptions,
    ingest: bool,
    pub(super) timings: bool,
}

impl Rebuilder {
    pub(super) fn new(options: BuildOptions, ingest: bool) -> Self {
        Rebuilder {
            options,
            ingest,
            timings: false,
        }
    }

    /// The first, whole build; on failure `session` stays empty and the loop retries on the
    /// next change.
    pub(super) fn first_build(
        &mut self,
        session: &mut Option<Session>,
        mut notify: impl FnMut(Outcome),
    ) {
        let started = Instant::now();
        if self.ingest {
            match SiteConfig::load(&self.options.root)
                .and_then(|config| ingest(&self.options.root, &config, &IngestOptions::default()))
            {
                Ok(report) => print_report(&report),
                Err(e) => eprintln!("error: {e:#}"),
            }
        }
        match Session::start(&self.options) {
            Ok((started_session, report)) => {
                println!(
                    "Built {} entries ({} pages) into {} in {} ms",
                    report.entries,
                    report.pages,
                    report.output.display(),
                    started.elapsed().as_millis()
                );
                *session = Some(started_session);
                notify(Outcome::Built {
                    unchanged: false,
                    stylesheets_only: false,
                });
            }
            Err(e) => {
                let message = format!("{e:#}");
                eprintln!("error: the site could not be built; fix it and save:\n{message}");
                notify(Outcome::Failed(&message));
            }
        }
    }

    /// Rebuilds on every batch of changes until Ctrl-C.
    pub(super) fn run(
        &mut self,
        session: &mut Option<Session>,
        watcher: &mut SourceWatcher,
        mut notify: impl FnMut(Outcome),
    ) {
        while let Some(changes) =
            watcher.next_changes(|trouble| eprintln!("warning: watching: {trouble}"))
        {
            let Some(current) = session.as_mut() else {
                self.first_build(session, &mut notify);
                continue;
            };
            let started = Instant::now();
            match current.rebuild(&changes) {
                Ok(update) => {
                    print_update(&update, &changes, started);
                    if self.timings {
                        for (step, took) in &update.report.steps {
                            eprintln!("{:>8.1} ms  {step}", took.as_secs_f64() * 1000.0);
                        }
                    }
                    notify(Outcome::Built {
                        unchanged: update.report.written.is_empty()
                            && update.report.removed.is_empty(),
                        stylesheets_only: changes.only_stylesheets(),
                    });
                }
                Err(e) => {
                    let message = format!("{e:#}");
                    eprintln!("error: rebuild failed; the last good site is kept:\n{message}");
                    notify(Outcome::Failed(&message));
                }
            }
        }
    }
}

fn print_update(update: &Update, changes: &Changes, started: Instant) {
    if let Some(report) = &update.ingested {
        print_report(report);
    }
    let report = &update.report;
    let took = started.elapsed().as_millis();
    if update.whole {
        println!(
            "Rebuilt the whole site ({} entries, {} pages) in {took} ms",
            report.entries, report.pages
        );
    } else if report.written.is_empty() && report.removed.is_empty() {
        if !changes.articles {
            println!("Checked in {took} ms: nothing in the output changed");
        }
    } else {
        println!(
            "Rebuilt in {took} ms: {} file{} written, {} removed",
            report.written.len(),
            if report.written.len() == 1 { "" } else { "s" },
            report.removed.len()
        );
    }
}
