//! The command line: one `XxxArgs` struct with a `run` method per command.

mod build;
mod init;

use clap::{Parser, Subcommand};

pub use build::BuildArgs;
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
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Create a new site in DIR: site.toml, content/, articles/ and a GitHub Pages workflow.
    Init(InitArgs),
}

impl Cli {
    pub fn run(&self) -> anyhow::Result<()> {
        match &self.command {
            Command::Build(args) => args.run(),
            Command::Init(args) => args.run(),
        }
    }
}
