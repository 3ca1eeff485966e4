//! Ingest: raw articles (`articles/*.txt|*.html`) → dated Markdown entries
//! (`content/entries/*.md`). Articles are analysed in parallel; entries are written one by one
//! in a fixed order, atomically, and never over a file an editor has changed.

pub mod article;
pub mod dates;
pub mod dating;
pub mod decode;
pub mod entities;
pub mod entry_file;
mod existing;
pub mod html;
pub mod lines;
pub mod outlets;
pub mod sidecar;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::SiteConfig;
use article::{Analyzer, Article};
use existing::{Existing, ExistingEntries};

/// Where ingested entries go, relative to the site root.
pub const ENTRIES_DIR: &str = "content/entries";

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Articles or folders to ingest; empty means the site's articles folder.
    pub paths: Vec<PathBuf>,
    /// Re-analyse articles whose entry is up to date (untouched entries are rewritten if the
    /// result differs; edited ones are still left alone).
    pub force: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// What happened to each article, for the summary and for tests.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: usize,
    /// (article, entry): the article changed but an editor had changed the entry.
    pub kept_edited: Vec<(PathBuf, PathBuf)>,
    /// One line per article that could not be ingested, naming the file.
    pub problems: Vec<String>,
}

impl IngestReport {
    /// True when there were no articles at all.
    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
            && self.updated.is_empty()
            && self.unchanged == 0
            && self.kept_edited.is_empty()
            && self.problems.is_empty()
    }

    pub fn summary(&self) -> String {
        format!(
            "Ingest: {} new, {} updated, {} unchanged, {} kept (edited by hand), {} skipped",
            self.created.len(),
            self.updated.len(),
            self.unchanged,
            self.kept_edited.len(),
            self.problems.len()
        )
    }
}

/// An article's result before anything is written.
enum Analysis {
    UpToDate,
    Ready {
        raw: String,
        article: Box<Article>,
        text: String,
        raw_hash: String,
    },
    Failed(String),
}

/// Ingests the site's articles (or `options.paths`).
pub fn ingest(root: &Path, config: &SiteConfig, options: &IngestOptions) -> Result<IngestReport> {
    let articles = article_files(root, config, &options.paths)?;
    let existing = ExistingEntries::scan(&root.join(ENTRIES_DIR))?;
    let analyzer = Analyzer::new(&config.ingest)?;
    let progress = progress_bar(options.progress, articles.len());
    let analyses: Vec<Analysis> = articles
        .par_iter()
        .map(|relative| {
            let result = analyse(root, relative, config, &analyzer, &existing, options.force);
            progress.inc(1);
            result.unwrap_or_else(|e| Analysis::Failed(format!("{}: {e:#}", relative.display())))
        })
        .collect();
    progress.finish_and_clear();
    let mut report = IngestReport::default();
    let mut taken = existing.file_names();
    for analysis in analyses {
        match analysis {
            Analysis::UpToDate => report.unchanged += 1,
            Analysis::Failed(problem) => report.problems.push(problem),
            Analysis::Ready {
                raw,
                article,
                text,
                raw_hash,
            } => {
                write_entry(
                    root,
                    &raw,
                    &article,
                    &text,
                    &raw_hash,
                    &existing,
                    &mut taken,
                    &mut report,
                )?;
            }
        }
    }
    Ok(report)
}

fn analyse(
    root: &Path,
    relative: &Path,
    config: &SiteConfig,
    analyzer: &Analyzer,
    existing: &ExistingEntries,
    force: bool,
) -> Result<Analysis> {
    let path = root.join(relative);
    let size = std::fs::metadata(&path)
        .context("couldn't read the file")?
        .len();
    decode::check_size(size, config.ingest.max_article_bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = std::fs::read(&path).context("couldn't read the file")?;
    let sidecar_path = sidecar::path_for(&path);
    // Reading a named pipe would wait forever.
    if std::fs::metadata(&sidecar_path).is_ok_and(|m| !m.is_file()) {
        anyhow::bail!(
            "its sidecar `{}` is not a regular file (a folder, named pipe, socket or device); \
             replace it with a TOML file or remove it",
            sidecar_path.display()
        );
    }
    let sidecar_bytes = match std::fs::read(&sidecar_path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| {
                format!("couldn't read the sidecar `{}`", sidecar_path.display())
            });
        }
    };
    let raw = relative.to_string_lossy().replace('\\', "/");
    let raw_hash = entry_file::raw_hash(&bytes, sidecar_bytes.as_deref());
    if !force && existing.get(&raw).is_some_and(|e| e.raw_hash == raw_hash) {
        return Ok(Analysis::UpToDate);
    }
    let sidecar = match &sidecar_bytes {
        Some(bytes) => {
            let text = String::from_utf8_lossy(bytes);
            sidecar::parse(&text)
                .with_context(|| format!("in its sidecar `{}`", sidecar_path.display()))?
        }
        None => sidecar::Sidecar::default(),
    };
    let is_html = relative
        .extension()
        .is_some_and(|x| x == "html" || x == "htm");
    let decoded = decode::decode(&bytes, is_html).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut article = if is_html {
        analyzer.html(&html::extract(&decoded.text)?, &sidecar)
    } else {
        analyzer.text(&decoded.text, &sidecar)
    };
    article.strip_control_characters();
    let encoding = match decoded.mixed {
        Some(legacy) => {
            article.review_reasons.push(format!(
                "the article mixes encodings: most of it is UTF-8, and the rest was read as \
                 {legacy}; check the text"
            ));
            format!("{} and {legacy}", decoded.encoding)
        }
        None => decoded.encoding.to_string(),
    };
    if article.paragraphs.is_empty() && is_html {
        anyhow::bail!(
            "no article text found: the page holds only scripts, navigation or other page \
             furniture; nothing was written"
        );
    }
    if article.paragraphs.is_empty() {
        anyhow::bail!(
            "no article text found (every line looked like page furniture); nothing was written"
        );
    }
    let text = entry_file::render(&article, &raw, &raw_hash, &encoding)?;
    Ok(Analysis::Ready {
        raw,
        article: Box::new(article),
        text,
        raw_hash,
    })
}

#[allow(clippy::too_many_arguments)]
fn write_entry(
    root: &Path,
    raw: &str,
    article: &Article,
    text: &str,
    raw_hash: &str,
    existing: &ExistingEntries,
    taken: &mut std::collections::BTreeSet<String>,
    report: &mut IngestReport,
) -> Result<()> {
    match existing.get(raw) {
        None => {
            let name = existing::unique_name(article, taken);
            let path = root.join(ENTRIES_DIR).join(&name);
            entry_file::write_new(&path, text)?;
            taken.insert(name);
            report.created.push(path);
        }
        Some(Existing {
            path,
            untouched: true,
            current,
            ..
        }) => {
            if current == text {
                report.unchanged += 1;
            } else {
                entry_file::replace(path, text)?;
                report.updated.push(path.clone());
            }
        }
        Some(Existing {
            path,
            raw_hash: recorded,
            ..
        }) => {
            if recorded != raw_hash {
                report.kept_edited.push((PathBuf::from(raw), path.clone()));
            } else {
                report.unchanged += 1;
            }
        }
    }
    Ok(())
}

/// The raw articles to ingest, relative to the root, sorted: `.txt`, `.html` and `.htm` files,
/// skipping hidden files (editors' swap files) and sidecars.
fn article_files(root: &Path, config: &SiteConfig, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![root.join(&config.ingest.articles_dir)]
    } else {
        paths.iter().map(|p| root.join(p)).collect()
    };
    let mut files = Vec::new();
    for start in roots {
        if !start.exists() {
            if paths.is_empty() {
                continue;
            }
            anyhow::bail!("`{}` does not exist", start.display());
        }
        let walker = walkdir::WalkDir::new(&start)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for item in walker {
            let item = item.with_context(|| format!("Couldn't list `{}`", start.display()))?;
            let is_article = item
                .path()
                .extension()
                .is_some_and(|x| x == "txt" || x == "html" || x == "htm");
            if item.file_type().is_file() && is_article {
                let relative = item.path().strip_prefix(root).unwrap_or(item.path());
                files.push(relative.to_path_buf());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn progress_bar(wanted: bool, len: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || len < 50 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} articles ({eta})")
    {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_sidecar_that_is_a_pipe_is_a_problem_not_a_wait() {
        let root = tempfile::tempdir().unwrap();
        let site = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        std::fs::write(root.path().join("site.toml"), site).unwrap();
        std::fs::create_dir(root.path().join("articles")).unwrap();
        let article = "A headline long enough to be one\n\nThe first paragraph of this \
                       report is long enough to be read as prose.\n";
        std::fs::write(root.path().join("articles/a.txt"), article).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            root.path().join("articles/a.toml"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let config = SiteConfig::load(root.path()).unwrap();
        let report = ingest(root.path(), &config, &IngestOptions::default()).unwrap();
        assert_eq!(report.problems.len(), 1, "{report:?}");
        assert!(report.problems[0].contains("articles/a.toml` is not a regular file"));
    }

    #[test]
    fn a_page_of_scripts_says_so() {
        let root = tempfile::tempdir().unwrap();
        let site = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        std::fs::write(root.path().join("site.toml"), site).unwrap();
        std::fs::create_dir(root.path().join("articles")).unwrap();
        let page = "<html><head><script>var a = 1;</script></head><body><script>go()</script>";
        std::fs::write(root.path().join("articles/app.html"), page).unwrap();
        let config = SiteConfig::load(root.path()).unwrap();
        let report = ingest(root.path(), &config, &IngestOptions::default()).unwrap();
        assert!(
            report.problems[0].contains("the page holds only scripts"),
            "{report:?}"
        );
    }

    #[test]
    fn control_characters_never_reach_an_entry() {
        let root = tempfile::tempdir().unwrap();
        let site = "title = \"T\"\nbase_url = \"https://example.org/\"\n";
        std::fs::write(root.path().join("site.toml"), site).unwrap();
        std::fs::create_dir(root.path().join("articles")).unwrap();
        let prose = "The first paragraph of this report is long enough to be read as prose. ";
        let article = format!(
            "A headline \u{1}with a bell\u{7} in it\n\n{}\u{b}end\n",
            prose.repeat(5)
        );
        std::fs::write(root.path().join("articles/a.txt"), article).unwrap();
        let page = "<html><head><title>Page &#1;title here today</title></head><body>\
                    <p>A paragraph of the page that is long enough to be read as prose &#27;.</p>\
                    </body></html>";
        std::fs::write(root.path().join("articles/b.html"), page).unwrap();
        let config = SiteConfig::load(root.path()).unwrap();
        let report = ingest(root.path(), &config, &IngestOptions::default()).unwrap();
        assert_eq!(report.created.len(), 2, "{report:?}");
        for path in &report.created {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(!text.contains("\\u00"), "{text}");
            let parsed = crate::content::front_matter::parse(&text).unwrap();
            assert!(
                parsed.front_matter.title.contains("title")
                    || parsed.front_matter.title.contains("bell")
            );
        }
    }
}
