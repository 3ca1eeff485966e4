//! The command line: one `XxxArgs` struct with a `run` method per command.

mod build;
mod events;
mod ingest;
mod init;

use clap::{Parser, Subcommand};

pub use build::BuildArgs;
pub use events::EventsArgs;
pub use ingest::IngestArgs;
pub use init::InitArgs;

/// dateline: a static timeline-website generator for dated, sourced reporting.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest new or changed raw articles, then build the site into the output folder.
    Build(BuildArgs),
    /// Print the timeline as text: events with their dates and sources (--explain: why).
    Events(EventsArgs),
    /// Turn raw articles (articles/*.txt, *.html) into entries under content/entries/.
    Ingest(IngestArgs),
    /// Create a new site in DIR: site.toml, content/, articles/ and a GitHub Pages workflow.
    Init(InitArgs),
}

impl Cli {
    pub fn run(&self) -> anyhow::Result<()> {
        match &self.command {
            Command::Build(args) => args.run(),
            Command::Events(args) => args.run(),
            Command::Ingest(args) => args.run(),
            Command::Init(args) => args.run(),
        }
    }
}
