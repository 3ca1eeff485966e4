//! `dateline events [--explain]`: the timeline as text, and why each event is what it is.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::content::Entry;
use crate::group::event::{Event, Evidence};
use crate::site::{BuildOptions, Site};

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// For each event, the pairs of sources that joined it with their scores and signals, and
    /// the nearest candidate that was kept out.
    #[arg(long)]
    pub explain: bool,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

impl EventsArgs {
    pub fn run(&self) -> Result<()> {
        let options = BuildOptions {
            root: self.root.clone(),
            include_drafts: self.drafts,
            ..BuildOptions::default()
        };
        let site = Site::load(&options)?;
        print!("{}", timeline_text(&site, self.explain));
        Ok(())
    }
}

/// The whole listing, one block per event.
pub fn timeline_text(site: &Site, explain: bool) -> String {
    let mut out = String::new();
    let threshold = site.config.grouping.threshold;
    for event in &site.timeline.events {
        let _ = writeln!(
            out,
            "{}  {}{}",
            event.date.describe(),
            event.headline,
            if event.review { "  [review]" } else { "" }
        );
        let _ = writeln!(out, "    event: {}", event.slug);
        for &i in &event.members {
            let entry = &site.entries[i];
            let outlet = entry.front_matter.outlet.as_deref().unwrap_or("unknown");
            let _ = writeln!(
                out,
                "    - {outlet}: {} ({})",
                entry.front_matter.title,
                entry.file.display()
            );
        }
        if explain {
            explain_event(&mut out, event, &site.entries, threshold);
        }
        out.push('\n');
    }
    let sources: usize = site.timeline.events.iter().map(|e| e.members.len()).sum();
    let _ = writeln!(
        out,
        "{} events from {sources} entries",
        site.timeline.events.len()
    );
    out
}

fn explain_event(out: &mut String, event: &Event, entries: &[Entry], threshold: f32) {
    if let Some(file) = &event.curated_file {
        let _ = writeln!(out, "    curated in {}", file.display());
    }
    if event.members.len() == 1 && event.joined_by.is_empty() {
        let _ = writeln!(
            out,
            "    one source: nothing scored {threshold:.2} or more with it"
        );
    }
    for evidence in &event.joined_by {
        let _ = writeln!(out, "    together: {}", pair_line(evidence, entries));
    }
    let forced: Vec<&str> = event
        .members
        .iter()
        .filter_map(|&i| entries[i].front_matter.event.as_deref())
        .collect();
    if !forced.is_empty() {
        let _ = writeln!(
            out,
            "    forced by `event = \"{}\"` in {} source(s)",
            forced[0],
            forced.len()
        );
    }
    match &event.nearest_rejected {
        Some(evidence) => {
            let why = if evidence.score < threshold {
                format!("below the threshold {threshold:.2}")
            } else {
                "kept apart by an editor's constraint or a better match".to_string()
            };
            let _ = writeln!(
                out,
                "    nearest rejected ({why}): {}",
                pair_line(evidence, entries)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "    nearest rejected: no other entry shares a rare word or a quote with it"
            );
        }
    }
}

fn pair_line(evidence: &Evidence, entries: &[Entry]) -> String {
    format!(
        "{} + {}: {}",
        entries[evidence.a].file.display(),
        entries[evidence.b].file.display(),
        evidence.description
    )
}
