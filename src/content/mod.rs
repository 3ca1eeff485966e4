//! Content: entries under `content/`, their front matter and dates. Loading never stops at the
//! first bad file: every problem is collected so an editor can fix them all in one pass.

pub mod entry;
pub mod entry_date;
pub mod front_matter;
pub mod provenance;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use entry::Entry;

/// Folder under `content/` reserved for curated events; everything else `.md` is an entry.
const EVENTS_DIR: &str = "events";

/// A problem with one content file, located as precisely as the parser allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every content problem found in one load, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in content:",
            if n == 1 { "" } else { "s" }
        )?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

impl ContentError {
    /// A front-matter problem in `file`, keeping the parser's line, column, field and hint.
    pub fn in_front_matter(file: &Path, e: front_matter::FrontMatterError) -> Self {
        ContentError {
            file: file.to_path_buf(),
            line: Some(e.line),
            column: e.column,
            field: e.field,
            message: e.message,
            hint: e.hint,
        }
    }

    /// A problem with the file as a whole.
    pub fn whole_file(file: &Path, message: impl Into<String>, hint: Option<&str>) -> Self {
        ContentError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: hint.map(Into::into),
        }
    }
}

/// Loads every entry of the site at `root`. Drafts are dropped unless `include_drafts`.
/// Entries come back sorted newest first (undated last), ties broken by URL, so every later
/// stage sees one order whatever order the file system listed them in.
pub fn load_entries(
    root: &Path,
    timezone: chrono_tz::Tz,
    include_drafts: bool,
) -> Result<Vec<Entry>, ContentErrors> {
    EntrySources::default().refresh(root, timezone, include_drafts)
}

/// The entry files of a site as last read, so a rebuild re-reads only the files whose size,
/// modification time or inode changed (an editor's save-by-rename gives a new inode).
#[derive(Default)]
pub struct EntrySources {
    files: BTreeMap<PathBuf, (Option<FileStamp>, Loaded)>,
    timezone: Option<chrono_tz::Tz>,
}

/// One file's entry, or what was wrong with it.
type Loaded = Result<Entry, Box<ContentError>>;

/// What tells a changed file from an unchanged one without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
    changed_ns: i64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let metadata = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let (inode, changed_ns) = {
            use std::os::unix::fs::MetadataExt;
            (
                metadata.ino(),
                metadata.ctime() * 1_000_000_000 + metadata.ctime_nsec(),
            )
        };
        #[cfg(not(unix))]
        let (inode, changed_ns) = (0, 0);
        Some(FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            inode,
            changed_ns,
        })
    }
}

impl EntrySources {
    /// Lists `content/` again, re-reads new and changed files (in parallel), forgets removed
    /// ones, and returns the entries as [`load_entries`] does.
    pub fn refresh(
        &mut self,
        root: &Path,
        timezone: chrono_tz::Tz,
        include_drafts: bool,
    ) -> Result<Vec<Entry>, ContentErrors> {
        if self.timezone != Some(timezone) {
            self.files.clear();
            self.timezone = Some(timezone);
        }
        let (files, unlisted) = entry_files(root);
        let stamped: Vec<(PathBuf, Option<FileStamp>)> = files
            .into_iter()
            .map(|relative| {
                let stamp = FileStamp::of(&root.join(&relative));
                (relative, stamp)
            })
            .collect();
        // A file that could not be stat'ed has no stamp and is read again every time.
        let stale: Vec<&(PathBuf, Option<FileStamp>)> = stamped
            .iter()
            .filter(|(file, stamp)| {
                stamp.is_none() || self.files.get(file).is_none_or(|(old, _)| old != stamp)
            })
            .collect();
        let reloaded: Vec<_> = stale
            .par_iter()
            .map(|(relative, stamp)| {
                let loaded = load_entry(root, relative, timezone);
                (relative.clone(), (stamp.clone(), loaded))
            })
            .collect();
        let listed: std::collections::BTreeSet<&PathBuf> =
            stamped.iter().map(|(file, _)| file).collect();
        self.files.retain(|file, _| listed.contains(file));
        self.files.extend(reloaded);
        match (self.entries(include_drafts), unlisted.is_empty()) {
            (entries, true) => entries,
            (entries, false) => {
                let mut errors = entries.err().map(|e| e.0).unwrap_or_default();
                errors.extend(unlisted);
                errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
                Err(ContentErrors(errors))
            }
        }
    }

    fn entries(&self, include_drafts: bool) -> Result<Vec<Entry>, ContentErrors> {
        let mut errors = Vec::new();
        let mut entries = Vec::with_capacity(self.files.len());
        for (_, loaded) in self.files.values() {
            match loaded {
                Ok(entry) if entry.front_matter.draft && !include_drafts => {}
                Ok(entry) => entries.push(entry.clone()),
                Err(error) => errors.push((**error).clone()),
            }
        }
        errors.extend(duplicate_urls(&entries));
        if !errors.is_empty() {
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(ContentErrors(errors));
        }
        // Newest first, undated last (a plain `Option` order would put `None` first).
        entries.sort_by(|a, b| {
            (a.instant.is_none(), b.instant)
                .cmp(&(b.instant.is_none(), a.instant))
                .then_with(|| a.site_path.cmp(&b.site_path))
        });
        Ok(entries)
    }
}

/// The `.md` files under `content/` (relative to `root`), sorted, skipping the curated-events
/// folder and hidden files such as editors' swap files; and what could not be listed. Links are
/// not followed (one could point anywhere on the machine, or back up the tree), but a linked
/// entry or folder is reported rather than silently left out, and so is a `.md` that is no
/// regular file (reading a named pipe would wait forever).
fn entry_files(root: &Path) -> (Vec<PathBuf>, Vec<ContentError>) {
    let content = root.join("content");
    if !content.is_dir() {
        return (Vec::new(), Vec::new());
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let hidden = name.starts_with('.') && e.depth() > 0;
            let events = e.depth() == 1 && e.file_type().is_dir() && name == EVENTS_DIR;
            !hidden && !events
        });
    let relative = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let file = e.path().map_or_else(|| content.clone(), relative);
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                errors.push(ContentError::whole_file(
                    &file,
                    format!("couldn't read: {why}"),
                    Some("check the permissions of this file or folder"),
                ));
                continue;
            }
        };
        let is_md = item.path().extension().is_some_and(|x| x == "md");
        let file_type = item.file_type();
        if file_type.is_file() && is_md {
            files.push(relative(item.path()));
        } else if item.depth() > 0 && file_type.is_symlink() {
            let target = std::fs::metadata(item.path());
            if is_md || target.as_ref().is_ok_and(|m| m.is_dir()) {
                let canonical = |p: &Path| std::fs::canonicalize(p).ok();
                let up = (canonical(item.path()).zip(canonical(&content)))
                    .is_some_and(|(target, content)| content.starts_with(target));
                errors.push(ContentError::whole_file(
                    &relative(item.path()),
                    link_message(target.err(), up),
                    Some("replace the link with the file or folder itself"),
                ));
            }
        } else if is_md && !file_type.is_dir() {
            errors.push(ContentError::whole_file(
                &relative(item.path()),
                "is not a regular file (a named pipe, socket or device), so it was not read",
                Some("replace it with an ordinary Markdown file, or remove it"),
            ));
        }
    }
    (files, errors)
}

/// Why a link under `content/` was not read, worded for the link's target (`up`: a folder
/// that contains the link).
pub(crate) fn link_message(target_error: Option<std::io::Error>, up: bool) -> String {
    let target = match target_error {
        None if up => " back to a folder that contains it (a loop)".to_string(),
        None => String::new(),
        Some(e) if rustix::io::Errno::from_io_error(&e) == Some(rustix::io::Errno::LOOP) => {
            " that loops back on itself".to_string()
        }
        Some(e) if e.kind() == std::io::ErrorKind::NotFound => " to nothing".to_string(),
        Some(e) => format!(" whose target cannot be read ({e})"),
    };
    format!("is a symbolic link{target}; links under content/ are not followed, so it was not read")
}

fn load_entry(
    root: &Path,
    relative: &Path,
    timezone: chrono_tz::Tz,
) -> Result<Entry, Box<ContentError>> {
    let bytes = std::fs::read(root.join(relative)).map_err(|e| {
        ContentError::whole_file(relative, format!("couldn't read the file: {e}"), None)
    })?;
    // Text never holds NUL bytes; a picture or archive saved with a `.md` name does.
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(Box::new(ContentError::whole_file(
            relative,
            format!(
                "looks like a binary file (a NUL byte at offset {offset}), not a Markdown entry"
            ),
            Some("move it out of content/, or restore the entry from a backup"),
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ContentError {
            line: Some(line),
            ..ContentError::whole_file(
                relative,
                format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
                Some("save the file as UTF-8"),
            )
        }
    })?;
    let parsed =
        front_matter::parse(&text).map_err(|e| ContentError::in_front_matter(relative, e))?;
    Ok(Entry::new(
        relative.to_path_buf(),
        parsed.front_matter,
        parsed.body.to_string(),
        timezone,
    ))
}

/// Two entries that would be written to the same URL: both files are named, since either may be
/// the one to rename.
fn duplicate_urls(entries: &[Entry]) -> Vec<ContentError> {
    let mut by_url: BTreeMap<String, Vec<&Path>> = BTreeMap::new();
    for entry in entries {
        by_url
            .entry(entry.site_path.clone())
            .or_default()
            .push(&entry.file);
    }
    let mut errors = Vec::new();
    for (url, mut files) in by_url.into_iter().filter(|(_, files)| files.len() > 1) {
        files.sort();
        for (i, file) in files.iter().enumerate() {
            let others: Vec<String> = files
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, f)| format!("`{}`", f.display()))
                .collect();
            errors.push(ContentError::whole_file(
                file,
                format!("has the same URL `{url}` as {}", others.join(", ")),
                Some("give one of them a different `slug = \"...\"` or file name"),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_and_pipes_under_content_are_reported_not_skipped() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let entries = root.path().join("content/entries");
        std::fs::create_dir_all(&entries).unwrap();
        std::fs::write(entries.join("ok.md"), "+++\ntitle = \"Fine\"\n+++\n").unwrap();
        std::fs::write(
            root.path().join("elsewhere.md"),
            "+++\ntitle = \"E\"\n+++\n",
        )
        .unwrap();
        symlink("../../elsewhere.md", entries.join("linked.md")).unwrap();
        symlink("..", entries.join("up")).unwrap();
        symlink("b.md", entries.join("a.md")).unwrap();
        symlink("a.md", entries.join("b.md")).unwrap();
        symlink("gone.md", entries.join("dangling.md")).unwrap();
        symlink("../../elsewhere.md", entries.join("not-an-entry.txt")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            entries.join("pipe.md"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let errors = load_entries(root.path(), chrono_tz::UTC, false).unwrap_err();
        let shown: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
        let has = |file: &str, words: &str| {
            shown
                .iter()
                .any(|s| s.starts_with(&format!("content/entries/{file}:")) && s.contains(words))
        };
        assert!(has("linked.md", "is a symbolic link;"), "{shown:#?}");
        assert!(has("up", "(a loop)"), "{shown:#?}");
        assert!(has("a.md", "loops back on itself"), "{shown:#?}");
        assert!(has("dangling.md", "link to nothing"), "{shown:#?}");
        assert!(has("pipe.md", "not a regular file"), "{shown:#?}");
        assert_eq!(shown.len(), 6, "{shown:#?}");
    }

    #[test]
    fn a_binary_file_named_md_is_called_binary() {
        let root = tempfile::tempdir().unwrap();
        let entries = root.path().join("content/entries");
        std::fs::create_dir_all(&entries).unwrap();
        std::fs::write(entries.join("photo.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
        let errors = load_entries(root.path(), chrono_tz::UTC, false).unwrap_err();
        let shown = errors.0[0].to_string();
        assert!(
            shown.starts_with(
                "content/entries/photo.md: looks like a binary file (a NUL byte at offset 8)"
            ),
            "{shown}"
        );
    }
}
