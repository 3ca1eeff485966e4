//! The same generated entries as a Hugo site and as a Zola site, for `bench/compare.sh`.
//!
//! Each dateline entry is read back from the text `generate::entry` wrote, so the other sites
//! carry exactly its front matter values and Markdown body. Templates and configuration are
//! copied from `bench/hugo-site/` and `bench/zola-site/`; this module writes only the content.
//!
//! dateline finds events by grouping entries; Hugo and Zola cannot, so they are handed the
//! generator's own events (entries `3k`, `3k + 1`, `3k + 2` report happening `k`) as content
//! files, one per event, carrying the union of its entries' outlets, people, places and tags as
//! taxonomy terms. Month pages are content files too (`/timeline/YYYY-MM/`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// One generated entry, as read back from its dateline Markdown file.
pub struct Entry {
    /// File stem, `entry-000042`.
    pub stem: String,
    pub title: String,
    /// Local date and time as written, `2020-03-14T09:05:00` (the site's time zone).
    pub date: String,
    pub outlet: String,
    pub url: String,
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub tags: Vec<String>,
    /// (speaker, text)
    pub quotes: Vec<(String, String)>,
    pub body: String,
}

impl Entry {
    /// Reads an entry the generator wrote: TOML front matter between `+++` lines, then Markdown.
    pub fn parse(stem: &str, text: &str) -> Entry {
        let rest = text.strip_prefix("+++\n").expect("front matter opens");
        let end = rest.find("\n+++\n").expect("front matter closes");
        let table: toml::Table = toml::from_str(&rest[..end]).expect("generated front matter");
        let string = |key: &str| table[key].as_str().expect(key).to_string();
        let list = |key: &str| -> Vec<String> {
            table[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|v| v.as_str().expect(key).to_string())
                .collect()
        };
        let quotes = table
            .get("quotes")
            .and_then(|q| q.as_array())
            .map(|qs| {
                qs.iter()
                    .map(|q| {
                        (
                            q["speaker"].as_str().expect("speaker").to_string(),
                            q["text"].as_str().expect("text").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Entry {
            stem: stem.to_string(),
            title: string("title"),
            date: table["date"].as_datetime().expect("date").to_string(),
            outlet: string("outlet"),
            url: string("url"),
            people: list("people"),
            places: list("places"),
            tags: list("tags"),
            quotes,
            body: rest[end + 5..].trim_start_matches('\n').to_string(),
        }
    }

    fn day(&self) -> &str {
        &self.date[..10]
    }
}

/// One happening, reported by up to three consecutive entries.
struct Event<'a> {
    /// File stem, `event-000014`.
    stem: String,
    /// URL slug, the same as dateline's: `<date>-<first entry's file stem>`.
    slug: String,
    members: &'a [Entry],
    title: &'a str,
    summary: String,
    day: &'a str,
    /// The earliest and the latest report's date and time.
    first: &'a str,
    updated: &'a str,
    outlets: Vec<&'a str>,
    people: Vec<&'a str>,
    places: Vec<&'a str>,
    tags: Vec<&'a str>,
}

fn union<'a>(lists: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = BTreeSet::new();
    lists.filter(|v| seen.insert(*v)).collect()
}

fn events(entries: &[Entry]) -> Vec<Event<'_>> {
    entries
        .chunks(3)
        .enumerate()
        .map(|(k, members)| {
            let first = &members[0];
            // The first sentence of the first report, as dateline's summary.
            let summary = match first.body.find(". ") {
                Some(end) => first.body[..=end].to_string(),
                None => first.body.lines().next().unwrap_or_default().to_string(),
            };
            Event {
                stem: format!("event-{k:06}"),
                slug: format!("{}-{}", first.day(), first.stem),
                members,
                title: &first.title,
                summary,
                day: first.day(),
                first: members.iter().map(|e| e.date.as_str()).min().unwrap(),
                updated: members.iter().map(|e| e.date.as_str()).max().unwrap(),
                outlets: union(members.iter().map(|e| e.outlet.as_str())),
                people: union(
                    members
                        .iter()
                        .flat_map(|e| e.people.iter().map(|s| s.as_str())),
                ),
                places: union(
                    members
                        .iter()
                        .flat_map(|e| e.places.iter().map(|s| s.as_str())),
                ),
                tags: union(
                    members
                        .iter()
                        .flat_map(|e| e.tags.iter().map(|s| s.as_str())),
                ),
            }
        })
        .collect()
}

/// `YYYY-MM` of every month with an event, in order.
fn months(events: &[Event]) -> BTreeSet<String> {
    events.iter().map(|e| e.day[..7].to_string()).collect()
}

fn month_title(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .expect("month")
        .format("%B %Y")
        .to_string()
}

/// A TOML basic string.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn qs<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// Copies a template folder (`bench/hugo-site`, `bench/zola-site`) into a new site folder, and
/// dateline's stylesheet and icon into `static_dir` under it.
fn copy_skeleton(from: &Path, to: &Path, static_dir: &str) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.expect("read site skeleton");
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(item.path(), &target).expect("copy skeleton file");
        }
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    let dir = to.join(static_dir);
    std::fs::create_dir_all(&dir).expect("create static folder");
    for file in ["style.css", "favicon.svg"] {
        std::fs::copy(theme.join(file), dir.join(file)).expect("copy theme file");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn skeleton(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("bench")
        .join(name)
}

/// An entry's own values, written under `[TABLE]` (Hugo's `params`, Zola's `extra`), where the
/// generator's own keys cannot clash with each tool's reserved ones.
fn entry_values(fm: &mut String, table: &str, e: &Entry, event: &str) {
    let _ = writeln!(fm, "outlet = {}", q(&e.outlet));
    let _ = writeln!(fm, "url = {}", q(&e.url));
    let _ = writeln!(fm, "people = {}", qs(&e.people));
    let _ = writeln!(fm, "places = {}", qs(&e.places));
    let _ = writeln!(fm, "tags = {}", qs(&e.tags));
    let _ = writeln!(fm, "event = {}", q(event));
    let _ = writeln!(
        fm,
        "file = {}",
        q(&format!("content/entries/{}.md", e.stem))
    );
    for (speaker, text) in &e.quotes {
        let _ = writeln!(
            fm,
            "[[{table}.quotes]]\nspeaker = {}\ntext = {}",
            q(speaker),
            q(text)
        );
    }
}

/// Writes the entries as a Hugo site (0.111): `hugo --source DIR`.
pub fn write_hugo(dir: &Path, entries: &[Entry]) {
    copy_skeleton(&skeleton("hugo-site"), dir, "assets");
    // The icon is linked as is; only the stylesheet goes through Hugo's fingerprinting.
    std::fs::create_dir_all(dir.join("static")).expect("create static folder");
    std::fs::rename(
        dir.join("assets/favicon.svg"),
        dir.join("static/favicon.svg"),
    )
    .expect("move icon");
    let events = events(entries);
    let content = dir.join("content");
    for event in &events {
        for e in event.members {
            // Hugo reads `url`, `people`, `places` and `tags` at the top level as its own keys
            // (a page URL, taxonomy terms); an entry's values live under `params`, and only
            // events carry taxonomy terms, as on dateline's term pages.
            let mut fm = String::new();
            let _ = writeln!(fm, "+++");
            let _ = writeln!(fm, "title = {}", q(&e.title));
            let _ = writeln!(fm, "date = {}", e.date);
            let _ = writeln!(fm, "[params]");
            entry_values(&mut fm, "params", e, &event.stem);
            let _ = writeln!(fm, "+++\n");
            write(
                &content.join(format!("entries/{}.md", e.stem)),
                &(fm + &e.body),
            );
        }
        let mut fm = String::new();
        let _ = writeln!(fm, "+++");
        let _ = writeln!(fm, "title = {}", q(event.title));
        let _ = writeln!(fm, "date = {}", event.first);
        let _ = writeln!(fm, "lastmod = {}", event.updated);
        let _ = writeln!(fm, "slug = {}", q(&event.slug));
        let _ = writeln!(fm, "outlets = {}", qs(&event.outlets));
        let _ = writeln!(fm, "people = {}", qs(&event.people));
        let _ = writeln!(fm, "places = {}", qs(&event.places));
        let _ = writeln!(fm, "tags = {}", qs(&event.tags));
        let _ = writeln!(fm, "[params]");
        let _ = writeln!(fm, "lede = {}", q(&event.summary));
        let stems: Vec<&str> = event.members.iter().map(|e| e.stem.as_str()).collect();
        let _ = writeln!(fm, "entries = {}", qs(&stems));
        let _ = writeln!(fm, "+++");
        write(&content.join(format!("events/{}.md", event.stem)), &fm);
    }
    for month in months(&events) {
        write(
            &content.join(format!("timeline/{month}.md")),
            &format!(
                "+++\ntitle = {}\ndate = {month}-01\nslug = {}\n[params]\nmonth = {}\n+++\n",
                q(&month_title(&month)),
                q(&month),
                q(&month)
            ),
        );
    }
}

/// Writes the entries as a Zola site (0.19 or later): `zola --root DIR build`.
pub fn write_zola(dir: &Path, entries: &[Entry]) {
    copy_skeleton(&skeleton("zola-site"), dir, "static");
    let events = events(entries);
    let content = dir.join("content");
    // Zola has no site time zone: dates carry the corpus's offset (Europe/Moscow, +03:00 all
    // year since 2014), the same instants as dateline's local times.
    let offset = "+03:00";
    for event in &events {
        for e in event.members {
            let mut fm = String::new();
            let _ = writeln!(fm, "+++");
            let _ = writeln!(fm, "title = {}", q(&e.title));
            let _ = writeln!(fm, "date = {}{offset}", e.date);
            let _ = writeln!(fm, "slug = {}", q(&format!("{}-{}", e.day(), e.stem)));
            let _ = writeln!(fm, "[extra]");
            entry_values(&mut fm, "extra", e, &format!("events/{}.md", event.stem));
            let _ = writeln!(fm, "+++\n");
            write(
                &content.join(format!("entries/{}.md", e.stem)),
                &(fm + &e.body),
            );
        }
        let mut fm = String::new();
        let _ = writeln!(fm, "+++");
        let _ = writeln!(fm, "title = {}", q(event.title));
        let _ = writeln!(fm, "date = {}{offset}", event.first);
        let _ = writeln!(fm, "updated = {}{offset}", event.updated);
        let _ = writeln!(fm, "slug = {}", q(&event.slug));
        let _ = writeln!(fm, "description = {}", q(&event.summary));
        let _ = writeln!(fm, "[taxonomies]");
        let _ = writeln!(fm, "outlets = {}", qs(&event.outlets));
        let _ = writeln!(fm, "people = {}", qs(&event.people));
        let _ = writeln!(fm, "places = {}", qs(&event.places));
        let _ = writeln!(fm, "tags = {}", qs(&event.tags));
        let _ = writeln!(fm, "[extra]");
        let paths: Vec<String> = event
            .members
            .iter()
            .map(|e| format!("entries/{}.md", e.stem))
            .collect();
        let _ = writeln!(fm, "entries = {}", qs(&paths));
        let _ = writeln!(fm, "+++");
        write(&content.join(format!("events/{}.md", event.stem)), &fm);
    }
    for month in months(&events) {
        write(
            &content.join(format!("timeline/{month}.md")),
            &format!(
                "+++\ntitle = {}\ndate = {month}-01\nslug = {}\n+++\n",
                q(&month_title(&month)),
                q(&month),
            ),
        );
    }
}
