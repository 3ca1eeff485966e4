//! `dateline init DIR`: scaffolds a new site that builds as it is.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::templates::DEFAULT_TEMPLATES;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in; it must not exist or be empty.
    pub dir: PathBuf,
    /// Also copy the default templates into `templates/` to edit them.
    #[arg(long)]
    pub templates: bool,
}

const SCAFFOLD: &[(&str, &str)] = &[
    ("site.toml", include_str!("scaffold/site.toml")),
    (
        "content/entries/2020-01-01-welcome.md",
        include_str!("scaffold/first-entry.md"),
    ),
    ("articles/.gitkeep", ""),
    (
        ".github/workflows/pages.yml",
        include_str!("scaffold/pages.yml"),
    ),
    (".gitignore", "/public/\n"),
];

impl InitArgs {
    pub fn run(&self) -> Result<()> {
        let dir = &self.dir;
        if dir.exists() {
            let mut items = std::fs::read_dir(dir)
                .with_context(|| format!("Couldn't read `{}`", dir.display()))?;
            if items.next().is_some() {
                bail!(
                    "`{}` is not empty; dateline init only creates new sites",
                    dir.display()
                );
            }
        }
        let templates = DEFAULT_TEMPLATES
            .iter()
            .filter(|_| self.templates)
            .map(|(name, source)| (format!("templates/{name}"), *source));
        let files = SCAFFOLD
            .iter()
            .map(|(p, s)| (p.to_string(), *s))
            .chain(templates);
        for (relative, contents) in files {
            create_new(&dir.join(&relative), contents)?;
        }
        println!("Created a new site in {}", dir.display());
        println!(
            "Next: cd {} && dateline build, then open public/index.html",
            dir.display()
        );
        Ok(())
    }
}

/// Writes a file that must not exist yet: init never overwrites anything.
fn create_new(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("Couldn't create `{}`", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("Couldn't create `{}`", path.display()))?;
    file.write_all(contents.as_bytes())
        .with_context(|| format!("Couldn't write `{}`", path.display()))
}
