//! Watching a site's sources: file-system events, debounced and sorted into the kinds of change
//! a rebuild cares about ([`Changes`]). Only the sources are watched (site.toml, `content/`,
//! `templates/`, `static/` and the articles folder), never the output, and editors' temporary,
//! swap and backup files are ignored, so saving through a temporary file and a rename counts
//! once, as a change of the real file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::site::incremental::Changes;

/// How long the sources must be quiet before a rebuild starts: an editor's save, or a script
/// copying many files, arrives as a burst of events that becomes one rebuild.
pub const QUIET_PERIOD: Duration = Duration::from_millis(80);

/// What the watch loop receives.
#[derive(Debug)]
pub enum Signal {
    Changed(Changes),
    /// The watcher itself reported a problem (e.g. too many watched folders).
    Trouble(String),
    /// Ctrl-C, or the caller is done.
    Stop,
}

/// Where a site's sources are, to tell what a changed path is.
#[derive(Debug, Clone)]
pub struct SourceLayout {
    root: PathBuf,
    articles: PathBuf,
    output: PathBuf,
}

/// The folders watched recursively, relative to the root (the articles folder is added).
const SOURCE_FOLDERS: &[&str] = &["content", "templates", "static"];

impl SourceLayout {
    /// `articles_dir` is relative to the root, as in site.toml; `output` is where the site is
    /// written (its events are ignored even when it sits inside a source folder's parent).
    pub fn new(root: &Path, articles_dir: &Path, output: &Path) -> Self {
        let root = absolute(root);
        SourceLayout {
            articles: root.join(articles_dir),
            output: absolute(output),
            root,
        }
    }

    fn folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = SOURCE_FOLDERS.iter().map(|f| self.root.join(f)).collect();
        folders.push(self.articles.clone());
        folders
    }

    /// What kind of source `path` is, or `None` for anything a rebuild does not read.
    pub fn classify(&self, path: &Path) -> Option<Changes> {
        let path = absolute(path);
        if path.starts_with(&self.output) || is_scratch_file(&path) {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        if relative.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') && name.len() > 1
        }) {
            return None;
        }
        let mut changes = Changes::default();
        if relative == Path::new(CONFIG_FILE) {
            changes.config = true;
        } else if path.starts_with(&self.articles) {
            changes.articles = true;
        } else if relative.starts_with("content") {
            let is_markdown = path.extension().is_some_and(|x| x == "md");
            // A folder (created, moved or removed) may hold entries too.
            let maybe_folder = path.extension().is_none();
            if !(is_markdown || maybe_folder) {
                return None;
            }
            changes.content = true;
        } else if relative.starts_with("templates") {
            changes.templates = true;
        } else if relative.starts_with("static") {
            changes.statics = true;
            changes.stylesheets_only = path.extension().is_some_and(|x| x == "css");
        } else {
            return None;
        }
        Some(changes)
    }
}

/// Editors' scratch files: Vim's swap files and its `4913` write probe, Emacs's `#autosave#`
/// and `.#lock` files, backups ending in `~`, JetBrains' safe-write files, Kate's swap files,
/// and our own temporary files. Hidden files are skipped separately.
fn is_scratch_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".crswap",
            ".kate-swp",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

/// Whether an event can mean a file's content changed. Reading a file is an event too
/// (inotify reports opens and closes), and a rebuild reads every source: counting reads would
/// make each rebuild trigger the next.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

fn absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Events carry the real path; a site reached through a symlink must compare equal.
    std::fs::canonicalize(&absolute).unwrap_or(absolute)
}

/// A running watch on a site's sources. Signals arrive on [`SourceWatcher::signals`].
pub struct SourceWatcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    layout: SourceLayout,
    watched: Vec<PathBuf>,
    sender: Sender<Signal>,
    receiver: Receiver<Signal>,
}

impl SourceWatcher {
    pub fn start(layout: SourceLayout) -> Result<SourceWatcher> {
        let (sender, receiver) = channel();
        let handler_layout = layout.clone();
        let handler_sender = sender.clone();
        let debouncer = new_debouncer(QUIET_PERIOD, None, move |result: DebounceEventResult| {
            let signal = match result {
                Ok(events) => {
                    let mut changes = Changes::default();
                    let writes = events.iter().filter(|e| changes_content(&e.kind));
                    for path in writes.flat_map(|e| e.paths.iter()) {
                        if let Some(change) = handler_layout.classify(path) {
                            changes.merge(&change);
                        }
                    }
                    if changes.is_empty() {
                        return;
                    }
                    Signal::Changed(changes)
                }
                Err(errors) => Signal::Trouble(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = handler_sender.send(signal);
        })
        .context("Couldn't start watching the site's files")?;
        let mut watcher = SourceWatcher {
            debouncer,
            layout,
            watched: Vec::new(),
            sender,
            receiver,
        };
        // The root itself, not recursively: site.toml, and source folders being created.
        let root = watcher.layout.root.clone();
        watcher
            .debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("Couldn't watch `{}`", root.display()))?;
        watcher.watch_new_folders()?;
        Ok(watcher)
    }

    /// Starts watching source folders that exist now and were not watched yet (a `templates/`
    /// created after the watch began). Returns whether any was added.
    pub fn watch_new_folders(&mut self) -> Result<bool> {
        let mut added = false;
        for folder in self.layout.folders() {
            if folder.is_dir() && !self.watched.contains(&folder) {
                self.debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .with_context(|| format!("Couldn't watch `{}`", folder.display()))?;
                self.watched.push(folder);
                added = true;
            }
        }
        Ok(added)
    }

    /// A sender for the same channel, e.g. for a Ctrl-C handler to send [`Signal::Stop`].
    pub fn sender(&self) -> Sender<Signal> {
        self.sender.clone()
    }

    /// Waits for the next batch of changes, merging everything already queued behind it into
    /// one. Watcher problems are passed to `trouble`. `None` means stop.
    pub fn next_changes(&mut self, mut trouble: impl FnMut(&str)) -> Option<Changes> {
        loop {
            let mut changes = Changes::default();
            let mut stop = false;
            let first = self.receiver.recv().ok()?;
            for signal in std::iter::once(first).chain(self.receiver.try_iter()) {
                match signal {
                    Signal::Changed(more) => changes.merge(&more),
                    Signal::Trouble(message) => trouble(&message),
                    Signal::Stop => stop = true,
                }
            }
            if stop {
                return None;
            }
            if let Ok(true) = self.watch_new_folders() {
                // Files moved in together with a new folder produced no events of their own.
                changes.content = true;
                changes.templates = true;
                changes.statics = true;
                changes.stylesheets_only = false;
                changes.articles = true;
            }
            if !changes.is_empty() {
                return Some(changes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> (tempfile::TempDir, SourceLayout) {
        let dir = tempfile::tempdir().unwrap();
        let layout = SourceLayout::new(
            dir.path(),
            Path::new("articles"),
            &dir.path().join("public"),
        );
        (dir, layout)
    }

    #[test]
    fn sources_are_told_apart() {
        let (dir, layout) = layout();
        let kind = |p: &str| layout.classify(&dir.path().join(p));
        assert!(kind("site.toml").unwrap().config);
        assert!(kind("content/entries/a.md").unwrap().content);
        assert!(kind("content/events/war.md").unwrap().content);
        assert!(kind("content/entries").unwrap().content);
        assert!(kind("templates/event.html").unwrap().templates);
        assert!(kind("articles/001.txt").unwrap().articles);
        assert!(kind("articles/001.toml").unwrap().articles);
        let css = kind("static/style.css").unwrap();
        assert!(css.statics && css.stylesheets_only && css.only_stylesheets());
        let logo = kind("static/logo.png").unwrap();
        assert!(logo.statics && !logo.stylesheets_only);
    }

    #[test]
    fn output_and_unrelated_files_are_ignored() {
        let (dir, layout) = layout();
        let kind = |p: &str| layout.classify(&dir.path().join(p));
        for ignored in [
            "public/index.html",
            "public/entries/x/index.html",
            "README.md",
            "content/entries/notes.txt",
            ".git/index",
            "target/debug/dateline",
            "/etc/passwd",
        ] {
            assert_eq!(kind(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn editor_scratch_files_are_ignored() {
        let (dir, layout) = layout();
        let kind = |p: &str| layout.classify(&dir.path().join(p));
        for scratch in [
            "content/entries/.a.md.swp",
            "content/entries/a.md~",
            "content/entries/4913",
            "content/entries/#a.md#",
            "content/entries/.#a.md",
            "content/entries/a.md.tmp",
            "content/entries/a.md___jb_tmp___",
            "content/entries/.dateline-x1y2",
            "templates/.base.html.kate-swp",
            "static/.style.css.swp",
        ] {
            assert_eq!(kind(scratch), None, "{scratch}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, RemoveKind, RenameMode};
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Remove(RemoveKind::File)));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
    }

    #[test]
    fn changes_merge_keeps_stylesheets_only_honest() {
        let css = Changes {
            statics: true,
            stylesheets_only: true,
            ..Changes::default()
        };
        let image = Changes {
            statics: true,
            ..Changes::default()
        };
        let entry = Changes {
            content: true,
            ..Changes::default()
        };
        let mut merged = css.clone();
        merged.merge(&css);
        assert!(merged.only_stylesheets());
        merged.merge(&image);
        assert!(!merged.only_stylesheets());
        let mut merged = css.clone();
        merged.merge(&entry);
        assert!(!merged.only_stylesheets() && merged.content);
        let mut merged = entry;
        merged.merge(&css);
        assert!(merged.stylesheets_only && !merged.only_stylesheets());
    }
}
