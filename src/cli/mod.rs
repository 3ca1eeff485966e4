//! The command line: one `XxxArgs` struct with a `run` method per command.

mod build;
mod check;
mod events;
mod ingest;
mod init;
mod new;
mod serve;
mod watch;

use clap::{Parser, Subcommand};

pub use build::BuildArgs;
pub use check::CheckArgs;
pub use events::EventsArgs;
pub use ingest::IngestArgs;
pub use init::InitArgs;
pub use new::NewArgs;
pub use serve::ServeArgs;
pub use watch::WatchArgs;

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
    /// Load the site without writing anything and list every problem (--strict: review too).
    Check(CheckArgs),
    /// Print the timeline as text: events with their dates and sources (--explain: why).
    Events(EventsArgs),
    /// Turn raw articles (articles/*.txt, *.html) into entries under content/entries/.
    Ingest(IngestArgs),
    /// Create a new site in DIR: site.toml, content/, articles/ and a GitHub Pages workflow.
    Init(InitArgs),
    /// Start a new entry under content/entries/ from a headline (never overwrites a file).
    New(NewArgs),
    /// Build, serve the site on this machine, and reload open pages after every change.
    Serve(ServeArgs),
    /// Build, then rebuild what changed whenever a source file is saved.
    Watch(WatchArgs),
}

impl Cli {
    pub fn run(&self) -> anyhow::Result<()> {
        match &self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Events(args) => args.run(),
            Command::Ingest(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Watch(args) => args.run(),
        }
    }
}
