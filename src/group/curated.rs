//! Curated events: `content/events/<slug>.md`, in which an editor states an event's headline,
//! date, summary and text. Curated values win over computed ones.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::front_matter;
use crate::content::{ContentError, ContentErrors};
use crate::markdown::file_slug;

/// Where curated events live, relative to the site root.
pub const EVENTS_DIR: &str = "content/events";

#[derive(Debug, Clone)]
pub struct CuratedEvent {
    pub slug: String,
    pub file: PathBuf,
    pub headline: String,
    pub date: Option<NaiveDate>,
    pub summary: Option<String>,
    pub body: String,
}

/// Reads every curated event; all problems are reported together.
pub fn load(root: &Path) -> Result<Vec<CuratedEvent>, ContentErrors> {
    let dir = root.join(EVENTS_DIR);
    let Ok(items) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = items
        .flatten()
        .map(|i| i.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    for path in files {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match load_one(&path, &relative) {
            Ok(event) => events.push(event),
            Err(error) => errors.push(*error),
        }
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(ContentErrors(errors))
    }
}

fn load_one(path: &Path, relative: &Path) -> Result<CuratedEvent, Box<ContentError>> {
    let whole_file = |message: String, hint: Option<&str>| {
        Box::new(ContentError::whole_file(relative, message, hint))
    };
    // Reading a named pipe would wait forever; a link is not followed, as for entries.
    let kind = std::fs::symlink_metadata(path).map(|m| m.file_type());
    if kind.as_ref().is_ok_and(|k| k.is_symlink()) {
        let message = crate::content::link_message(std::fs::metadata(path).err(), false);
        return Err(whole_file(
            message,
            Some("replace the link with the file itself"),
        ));
    }
    if kind.is_ok_and(|k| !k.is_file()) {
        return Err(whole_file(
            "is not a regular file (a folder, named pipe, socket or device), so it was not read"
                .into(),
            Some("replace it with an ordinary Markdown file, or remove it"),
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| whole_file(format!("couldn't read the file: {e}"), None))?;
    let parsed = front_matter::parse(&text)
        .map_err(|e| Box::new(ContentError::in_front_matter(relative, e)))?;
    let fm = parsed.front_matter;
    let entry_only = [
        ("outlet", fm.outlet.is_some()),
        ("url", fm.url.is_some()),
        ("event", fm.event.is_some()),
        ("not_with", !fm.not_with.is_empty()),
        ("quotes", !fm.quotes.is_empty()),
        ("ingest", fm.ingest.is_some()),
        ("captured", fm.captured.is_some()),
    ];
    if let Some((field, _)) = entry_only.iter().find(|(_, set)| *set) {
        let mut error = whole_file(
            format!("`{field}` belongs to an entry, not to a curated event"),
            Some(
                "a curated event takes title, date, summary and text; its sources are the entries with `event = \"<this file's name>\"`",
            ),
        );
        error.field = Some(field.to_string());
        return Err(error);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = file_slug(&stem);
    if slug.is_empty() {
        return Err(whole_file(
            "the file name gives no usable event slug".into(),
            Some("name the file with letters or digits, e.g. `peskov-warns-turkey.md`"),
        ));
    }
    Ok(CuratedEvent {
        slug,
        file: relative.to_path_buf(),
        headline: fm.title,
        date: fm.date.map(|d| d.day()),
        summary: fm.summary,
        body: parsed.body.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_pipe_or_link_among_curated_events_is_reported_without_waiting() {
        let root = tempfile::tempdir().unwrap();
        let events = root.path().join(EVENTS_DIR);
        std::fs::create_dir_all(&events).unwrap();
        std::fs::write(events.join("talks.md"), "+++\ntitle = \"Talks\"\n+++\n").unwrap();
        std::os::unix::fs::symlink("talks.md", events.join("linked.md")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            events.join("live.md"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let errors = load(root.path()).unwrap_err().0;
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:#?}");
        assert!(shown[0].starts_with("content/events/linked.md: is a symbolic link"));
        assert!(shown[1].starts_with("content/events/live.md: is not a regular file"));
    }
}
