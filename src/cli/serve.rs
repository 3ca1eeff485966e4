//! `dateline serve`: build, serve the output on loopback, rebuild on every change and tell open
//! pages to reload (or show the build error over the last good page).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::watch::{Outcome, Rebuilder, start_watcher};
use crate::config::SiteConfig;
use crate::serve::{ReloadKind, ServeOptions, Server};
use crate::site::BuildOptions;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default is this machine only; anything else shows your
    /// unpublished site to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub interface: IpAddr,
    /// Open the site in the default browser once it is built.
    #[arg(long)]
    pub open: bool,
    /// Build into this folder instead of a temporary one (it is not removed on exit).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include entries marked `draft = true` (as an editor previewing usually wants).
    #[arg(long)]
    pub drafts: bool,
    /// Do not ingest new or changed raw articles.
    #[arg(long)]
    pub no_ingest: bool,
}

impl ServeArgs {
    pub fn run(&self) -> Result<()> {
        let config = SiteConfig::load(&self.root)?;
        // The preview never writes into the site's real output folder: its pages carry the
        // local address in absolute links, which must not be published by accident.
        let scratch = match &self.output {
            Some(_) => None,
            None => Some(
                tempfile::Builder::new()
                    .prefix("dateline-serve-")
                    .tempdir()
                    .context("Couldn't create a folder for the preview")?,
            ),
        };
        let output = match (&self.output, &scratch) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dir)) => dir.path().join("site"),
            (None, None) => unreachable!("a scratch folder exists when no output is given"),
        };
        if !self.interface.is_loopback() {
            eprintln!(
                "warning: listening on {}: anyone who can reach this machine can see the preview",
                self.interface
            );
        }
        let server = Server::start(ServeOptions {
            output: output.clone(),
            base_path: config.base_path.clone(),
            addr: SocketAddr::new(self.interface, self.port),
        })?;
        let url = server.url();
        let options = BuildOptions {
            root: self.root.clone(),
            output: Some(output),
            base_url: Some(url.clone()),
            include_drafts: self.drafts,
            offline: false,
        };
        let mut watcher = start_watcher(&options)?;
        let live = server.live();
        let notify = |outcome: Outcome| match outcome {
            Outcome::Built {
                unchanged: true, ..
            } => {}
            Outcome::Built {
                stylesheets_only, ..
            } => live.rebuilt(if stylesheets_only {
                ReloadKind::Stylesheets
            } else {
                ReloadKind::Page
            }),
            Outcome::Failed(message) => live.failed(message),
        };
        let mut rebuild = Rebuilder::new(options, !self.no_ingest);
        let mut session = None;
        rebuild.first_build(&mut session, notify);
        println!("Serving {url} (Ctrl-C to stop)");
        if self.open
            && let Err(e) = opener::open_browser(&url)
        {
            eprintln!("warning: couldn't open a browser: {e}");
        }
        rebuild.run(&mut session, &mut watcher, notify);
        server.shutdown();
        drop(scratch);
        Ok(())
    }
}
