//! `dateline check`: loads the site as a build would, writes nothing, and lists every problem an
//! editor can fix in one pass — front matter, duplicate URLs, unknown events, `not_with` names
//! that match nothing, internal links that lead nowhere, and the entries waiting for review —
//! one line each, with file and line.
//!
//! The loader gives up on the whole site when one file is bad; check goes on with every file
//! that does load, so a typo in one entry does not hide a broken link in another.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, ContentError, Entry, front_matter};
use crate::group::curated::{self, CuratedEvent, EVENTS_DIR};
use crate::group::{self, Timeline};
use crate::markdown::file_slug;
use crate::render::pages::TERM_PAGE_SIZE;
use crate::render::taxonomy::{Kind, Taxonomies};
use crate::{render::search, static_files, templates};

mod links;
use links::{Document, Pages, body_line, broken_links};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (where site.toml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Count entries marked `review = true` as errors rather than warnings.
    #[arg(long)]
    pub strict: bool,
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

const ERROR: &str = "error";
const WARNING: &str = "warning";

/// One line of the report: `error: <file>:<line>: <message>`.
struct Problem {
    severity: &'static str,
    file: PathBuf,
    line: Option<usize>,
    message: String,
}

impl Problem {
    fn new(severity: &'static str, file: &Path, line: Option<usize>, message: String) -> Self {
        let file = file.to_path_buf();
        Problem {
            severity,
            file,
            line,
            message,
        }
    }

    /// The loader's wording, on one line: the field first, the hint after.
    fn from_content(e: &ContentError) -> Problem {
        let field = e.field.as_ref().map(|f| format!("field `{f}`: "));
        let hint = e.hint.as_ref().map(|h| format!(" (hint: {h})"));
        let (field, hint) = (field.unwrap_or_default(), hint.unwrap_or_default());
        Problem::new(
            ERROR,
            &e.file,
            e.line,
            format!("{field}{}{hint}", e.message),
        )
    }

    fn show(&self) -> String {
        let line = self.line.map_or(String::new(), |l| format!(":{l}"));
        format!(
            "{}: {}{line}: {}",
            self.severity,
            self.file.display(),
            self.message
        )
    }
}

impl CheckArgs {
    pub fn run(&self) -> Result<()> {
        let config = SiteConfig::load(&self.root)?;
        let mut problems = Vec::new();
        let site = Checked::load(&self.root, &config, self.drafts, &mut problems);
        unknown_events(&site, &mut problems);
        not_with_misses(&site, &mut problems);
        let pages = Pages::of(&self.root, &config, &site);
        for document in site.documents() {
            broken_links(&document, &pages, &mut problems);
        }
        review_list(&site, self.strict, &mut problems);
        // Stable: problems on one line keep the order of the checks above.
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        for problem in &problems {
            println!("{}", problem.show());
        }
        let errors = problems.iter().filter(|p| p.severity == ERROR).count();
        println!(
            "{}, {} ({}, {} checked)",
            count(errors, "error", "errors"),
            count(problems.len() - errors, "warning", "warnings"),
            count(site.entries.len(), "entry", "entries"),
            count(site.timeline.events.len(), "event", "events"),
        );
        if errors > 0 {
            bail!("dateline check found {}", count(errors, "error", "errors"));
        }
        Ok(())
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What loaded, with what is needed to point at lines and to tell a typo from a reference to
/// a file that merely failed to load or is a draft.
#[derive(Default)]
struct Checked {
    root: PathBuf,
    /// Loaded entries in the loader's order, and each one's file text.
    entries: Vec<Entry>,
    texts: Vec<String>,
    curated: Vec<CuratedEvent>,
    /// Slugs of every file in `content/events/`, loaded or not.
    curated_slugs: BTreeSet<String>,
    /// Every name (slug, file name, path) an entry file answers to, drafts and broken files
    /// included: a `not_with` naming one is not a typo.
    names: HashSet<String>,
    /// Site paths of the drafts left out.
    drafts: HashSet<String>,
    /// Likely slugs of entry files that did not load: links to them cannot be judged.
    unloaded: HashSet<String>,
    timeline: Timeline,
}

impl Checked {
    fn load(root: &Path, config: &SiteConfig, drafts: bool, out: &mut Vec<Problem>) -> Checked {
        // The loaders' problems in their own words; the files that load are read again below.
        if let Err(errors) = content::load_entries(root, config.timezone, drafts) {
            out.extend(errors.0.iter().map(Problem::from_content));
        }
        let curated = curated::load(root).unwrap_or_else(|errors| {
            out.extend(errors.0.iter().map(Problem::from_content));
            Vec::new()
        });
        if let Err(e) = templates::load(root) {
            out.push(Problem::new(
                ERROR,
                Path::new("templates"),
                None,
                format!("{e:#}"),
            ));
        }
        let curated_slugs = curated_slugs(root);
        let (root, timeline) = (root.to_path_buf(), Timeline::default());
        let mut site = Checked {
            root,
            curated,
            curated_slugs,
            timeline,
            ..Checked::default()
        };
        site.read_entries(config, drafts);
        site.timeline = group::group(&site.entries, &site.curated, &config.grouping);
        site
    }

    /// Every entry file that parses, whatever the loader thought of the others.
    fn read_entries(&mut self, config: &SiteConfig, drafts: bool) {
        let files = entry_files(&self.root);
        let read = |file: &PathBuf| {
            let text = std::fs::read_to_string(self.root.join(file)).ok()?;
            let parsed = front_matter::parse(&text).ok()?;
            let (fm, body) = (parsed.front_matter, parsed.body.to_string());
            Some((Entry::new(file.clone(), fm, body, config.timezone), text))
        };
        let read: Vec<_> = files.par_iter().map(read).collect();
        let mut loaded = Vec::new();
        for (file, read) in files.iter().zip(read) {
            self.names
                .extend([file.to_string_lossy().replace('\\', "/"), stem(file)]);
            match read {
                None => _ = self.unloaded.insert(slug_of_name(&stem(file))),
                Some((entry, _)) if entry.front_matter.draft && !drafts => {
                    self.drafts.insert(entry.site_path);
                }
                Some((entry, text)) => {
                    self.names.insert(entry.slug.clone());
                    self.names.insert(entry_name(&entry.site_path).to_string());
                    loaded.push((entry, text));
                }
            }
        }
        // The loader's order (newest first, undated last), so grouping gives the same events.
        loaded.sort_by_cached_key(|(e, _)| {
            (
                e.instant.is_none(),
                std::cmp::Reverse(e.instant),
                e.site_path.clone(),
            )
        });
        (self.entries, self.texts) = loaded.into_iter().unzip();
    }

    /// The Markdown bodies whose links are checked: entries and curated events.
    fn documents(&self) -> Vec<Document<'_>> {
        let entries = (self.entries.iter().zip(&self.texts)).map(|(e, text)| Document {
            file: &e.file,
            body: &e.body,
            body_line: body_line(text, &e.body),
            page: e.site_path.clone(),
        });
        let curated = self.curated.iter().map(|c| Document {
            file: &c.file,
            body: &c.body,
            body_line: body_line(
                &std::fs::read_to_string(self.root.join(&c.file)).unwrap_or_default(),
                &c.body,
            ),
            page: format!("/events/{}/", c.slug),
        });
        entries.chain(curated).collect()
    }
}

/// The `.md` files under `content/` as the loader finds them (relative to `root`): hidden
/// files and the curated-events folder are not entries.
fn entry_files(root: &Path) -> Vec<PathBuf> {
    let walker = walkdir::WalkDir::new(root.join("content")).sort_by_file_name();
    let walker = walker.into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let events = e.depth() == 1 && e.file_type().is_dir() && name == "events";
        !(events || e.depth() > 0 && name.starts_with('.'))
    });
    let md = |e: &walkdir::DirEntry| {
        e.file_type().is_file() && e.path().extension() == Some("md".as_ref())
    };
    let relative = |e: walkdir::DirEntry| e.path().strip_prefix(root).map(Path::to_path_buf).ok();
    walker.flatten().filter(md).filter_map(relative).collect()
}

fn curated_slugs(root: &Path) -> BTreeSet<String> {
    let items = std::fs::read_dir(root.join(EVENTS_DIR))
        .into_iter()
        .flatten();
    let names = items.flatten().map(|i| PathBuf::from(i.file_name()));
    names
        .filter(|p| p.extension() == Some("md".as_ref()) && !stem(p).starts_with('.'))
        .map(|p| file_slug(&stem(&p)))
        .filter(|s| !s.is_empty())
        .collect()
}

fn stem(file: &Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy());
    stem.unwrap_or_default().into_owned()
}

/// `2020-09-28-kremlin` of `/entries/2020-09-28-kremlin/`.
fn entry_name(site_path: &str) -> &str {
    let name = site_path.trim_matches('/').strip_prefix("entries/");
    name.unwrap_or(site_path)
}

/// The slug a file name or entry URL segment gives, without its leading `YYYY-MM-DD-`.
fn slug_of_name(name: &str) -> String {
    let dated = name.len() > 11
        && name.bytes().take(11).enumerate().all(|(i, b)| match i {
            4 | 7 | 10 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    file_slug(if dated { &name[11..] } else { name })
}

/// 1-based line of `field` in the front matter, or of `value` from that line on.
fn field_line(text: &str, field: &str, value: Option<&str>) -> Option<usize> {
    let lines = text.lines().enumerate().skip(1);
    let front = lines.take_while(|(_, l)| !matches!(l.trim_end(), "+++" | "---"));
    let mut found = None;
    for (i, line) in front {
        let key = line.trim_start().strip_prefix(field);
        if found.is_none() && key.is_some_and(|r| r.trim_start().starts_with(['=', ':'])) {
            found = Some(i + 1);
        }
        if found.is_some() && value.is_none_or(|v| line.contains(v)) {
            return Some(i + 1);
        }
    }
    found
}

/// An entry's `event = "x"` needs a curated `content/events/x.md` or a second entry saying
/// the same: one entry forcing an event nobody shares is almost always a typo.
fn unknown_events(site: &Checked, out: &mut Vec<Problem>) {
    let forced = |e: &Entry| e.front_matter.event.as_deref().map(file_slug);
    let mut users: BTreeMap<String, usize> = BTreeMap::new();
    for slug in site.entries.iter().filter_map(forced) {
        *users.entry(slug).or_default() += 1;
    }
    let shared = users.iter().filter(|(_, n)| **n > 1).map(|(s, _)| s);
    let known: BTreeSet<&String> = site.curated_slugs.iter().chain(shared).collect();
    for (entry, text) in site.entries.iter().zip(&site.texts) {
        let (Some(raw), Some(slug)) = (&entry.front_matter.event, forced(entry)) else {
            continue;
        };
        if known.contains(&slug) {
            continue;
        }
        let line = field_line(text, "event", None);
        if slug.is_empty() {
            let message = format!(
                "`event = \"{raw}\"` gives no event slug, so it is ignored (hint: name the event \
                 with letters or digits, like its file `{EVENTS_DIR}/<slug>.md`)"
            );
            out.push(Problem::new(ERROR, &entry.file, line, message));
            continue;
        }
        let mut closest: Vec<_> = known.iter().map(|k| (distance(k, &slug), *k)).collect();
        closest.sort();
        closest.truncate(3);
        let create = format!("create `{EVENTS_DIR}/{slug}.md` to curate a new event");
        // A near miss is a typo; far ones still tell the editor what the events are called.
        let hint = match closest.as_slice() {
            [] => create,
            [(d, near), ..] if *d <= slug.chars().count() / 2 => {
                format!("did you mean `{near}`? Or {create}")
            }
            far => {
                let names: Vec<&str> = far.iter().map(|(_, k)| k.as_str()).collect();
                format!(
                    "the closest events are `{}`; or {create}",
                    names.join("`, `")
                )
            }
        };
        let message = format!(
            "`event = \"{raw}\"` names no curated event and no other entry uses it (hint: {hint})"
        );
        out.push(Problem::new(ERROR, &entry.file, line, message));
    }
}

/// Levenshtein distance in characters, for suggesting the event slug that was meant.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j].min(row[j + 1]) + 1);
            (diagonal, row[j + 1]) = (row[j + 1], next);
        }
    }
    row[b.len()]
}

/// `not_with` names resolve like grouping resolves them: slug, file name or path.
fn not_with_misses(site: &Checked, out: &mut Vec<Problem>) {
    for (entry, text) in site.entries.iter().zip(&site.texts) {
        for name in &entry.front_matter.not_with {
            let name = name.trim();
            if site.names.contains(name.trim_end_matches(".md")) || site.names.contains(name) {
                continue;
            }
            let message = format!(
                "`not_with` names `{name}`, which matches no entry (hint: name the other entry \
                 by its slug, its file name or its path)"
            );
            let line = field_line(text, "not_with", Some(name));
            out.push(Problem::new(WARNING, &entry.file, line, message));
        }
    }
}

fn review_list(site: &Checked, strict: bool, out: &mut Vec<Problem>) {
    let severity = if strict { ERROR } else { WARNING };
    for (entry, text) in site.entries.iter().zip(&site.texts) {
        let fm = &entry.front_matter;
        if !fm.review {
            continue;
        }
        let reasons = match fm.review_reasons.as_slice() {
            [] => "no reason given".to_string(),
            reasons => reasons.join("; "),
        };
        let (line, message) = (
            field_line(text, "review", None),
            format!("needs review: {reasons}"),
        );
        out.push(Problem::new(severity, &entry.file, line, message));
    }
}
