//! The client-side search index: `search-index.js`, read by `static/search.js`.
//!
//! Search runs entirely in the browser, so it works on any static host and when the site is
//! opened from `file://`. Browsers refuse `fetch` of local files, so the index is not a JSON
//! file but a script that assigns one global, loaded with `<script src>`:
//!
//! ```text
//! window.DATELINE_SEARCH = {"version":1,"outlets":[…],"people":[…],"places":[…],"quotes":[
//! "We are definitely against this",
//! …
//! ],"docs":[
//! {"k":"event","p":"events/x/","t":"Headline","d":"2020-09-28","o":[0],"pe":[1],"q":[0],"m":[7]},
//! {"k":"entry","p":"entries/2020-09-28-y/","t":"Title","d":"2020-09-28","o":[0],"q":[0],…}
//! ]};
//! ```
//!
//! One document per event (timeline order), then one per entry (in the order given). Keys are
//! short because the file grows with the archive: `k` kind, `p` site path without the leading
//! slash (the script prefixes the site root it reads from `<html data-root>`), `t` title, `d`
//! date, `s` summary, `o`/`pe`/`pl`/`q` indexes into the `outlets`/`people`/`places`/`quotes`
//! tables, `g` tags, and for events `m`, the document indexes of their member entries (the
//! script takes member titles from there instead of repeating them). Names and quotes are
//! stored once because they recur: the same few outlets and people appear in thousands of
//! documents, and a quote worth grouping on is printed word for word by several outlets and
//! again by their event. The name tables double as the choices of the filter menus. Entry
//! bodies are left out: they would make the index as large as the site.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::Entry;
use crate::group::Timeline;

/// Output file name, at the site root.
pub const INDEX_FILE: &str = "search-index.js";

/// What the index file assigns to; `static/search.js` reads the same name.
const PREFIX: &str = "window.DATELINE_SEARCH = ";

/// Bumped when the document shape changes, so a site's own copy of `search.js` (static files
/// can be overridden) can tell an index it does not understand.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    k: &'static str,
    p: String,
    t: &'a str,
    d: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    o: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pe: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pl: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    q: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    g: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    m: Vec<usize>,
}

/// A table of distinct names, numbered in order of first use so the output is deterministic.
#[derive(Default)]
struct Names<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn ids(&mut self, names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let mut ids = Vec::new();
        for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            let next = self.list.len();
            let id = *self.index.entry(name).or_insert(next);
            if id == next {
                self.list.push(name);
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }
}

/// The contents of `search-index.js` for the site's events and entries. `timeline` must come
/// from grouping these same `entries` (event members are indexes into them).
pub fn search_index_js(timeline: &Timeline, entries: &[Entry]) -> String {
    let mut outlets = Names::default();
    let mut people = Names::default();
    let mut places = Names::default();
    let mut quotes = Names::default();
    let first_entry_doc = timeline.events.len();
    let mut docs = Vec::with_capacity(timeline.events.len() + entries.len());

    for event in &timeline.events {
        // Defensive: an index from another entry list must not panic the build.
        let members: Vec<usize> = event
            .members
            .iter()
            .copied()
            .filter(|&i| i < entries.len())
            .collect();
        let member_outlets = members
            .iter()
            .filter_map(|&i| entries[i].front_matter.outlet.as_deref());
        // Each shared quote's versions differ by a word or two; the first is enough to find it.
        let shared = event
            .shared_quotes
            .iter()
            .filter_map(|q| q.versions.first().map(|(_, text)| text.as_str()));
        docs.push(Doc {
            k: "event",
            p: relative(&event.site_path()),
            t: &event.headline,
            d: event.date.describe(),
            s: non_empty(event.summary.as_deref()),
            o: outlets.ids(member_outlets),
            pe: people.ids(event.people.iter().map(String::as_str)),
            pl: places.ids(event.places.iter().map(String::as_str)),
            q: quotes.ids(shared),
            g: Vec::new(),
            m: members.iter().map(|i| first_entry_doc + i).collect(),
        });
    }

    for entry in entries {
        let fm = &entry.front_matter;
        docs.push(Doc {
            k: "entry",
            p: relative(&entry.site_path),
            t: &fm.title,
            d: entry.day.map_or_else(
                || "undated".to_string(),
                |d| d.format("%Y-%m-%d").to_string(),
            ),
            s: non_empty(fm.summary.as_deref()),
            o: outlets.ids(fm.outlet.as_deref()),
            pe: people.ids(fm.people.iter().map(String::as_str)),
            pl: places.ids(fm.places.iter().map(String::as_str)),
            q: quotes.ids(fm.quotes.iter().map(|q| q.text.as_str())),
            g: distinct(fm.tags.iter().map(String::as_str)),
            m: Vec::new(),
        });
    }

    // One quote and one document per line keeps the file readable and its diffs small.
    let mut json = format!(
        "{{\"version\":{FORMAT_VERSION},\"outlets\":{},\"people\":{},\"places\":{},\"quotes\":",
        to_json(&outlets.list),
        to_json(&people.list),
        to_json(&places.list),
    );
    push_lines(&mut json, quotes.list.iter().map(to_json));
    json.push_str(",\"docs\":");
    push_lines(&mut json, docs.iter().map(to_json));
    json.push('}');
    format!("{PREFIX}{};\n", script_safe(&json))
}

/// A JSON array with one element per line.
fn push_lines(json: &mut String, items: impl Iterator<Item = String>) {
    json.push('[');
    let mut empty = true;
    for item in items {
        json.push_str(if empty { "\n" } else { ",\n" });
        json.push_str(&item);
        empty = false;
    }
    json.push_str(if empty { "]" } else { "\n]" });
}

fn to_json(value: &impl Serialize) -> String {
    // Serialising plain strings, numbers and vectors cannot fail.
    serde_json::to_string(value).expect("search index serialises")
}

/// JSON is not quite a safe script: `</script>` or `<!--` in scraped text would end or
/// confuse the script if the index is ever inlined, and U+2028/U+2029 are line terminators to
/// pre-2019 JavaScript engines. `<` and those two only occur inside JSON strings, where the
/// `\u` escapes mean the same characters.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The script prefixes the site root, which may be `/repo/` or `../../`.
fn relative(site_path: &str) -> String {
    site_path.trim_start_matches('/').to_string()
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn distinct<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for text in texts.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::Value;

    use super::*;
    use crate::content::front_matter::{EntryDate, FrontMatter};
    use crate::content::provenance::QuoteRecord;
    use crate::group::event::{Event, EventDate, Precision, SharedQuote};

    const HOSTILE: &str = "</script><script>alert(1)</script>";

    fn entry(name: &str, title: &str, outlet: &str, people: &[&str], quote: &str) -> Entry {
        let front_matter = FrontMatter {
            title: title.into(),
            date: Some(EntryDate::parse("2020-09-28").unwrap()),
            outlet: Some(outlet.into()),
            people: people.iter().map(|p| p.to_string()).collect(),
            places: vec!["Nagorno-Karabakh".into()],
            tags: vec!["statement".into()],
            quotes: vec![QuoteRecord {
                speaker: Some("Dmitry Peskov".into()),
                text: quote.into(),
            }],
            ..FrontMatter::default()
        };
        Entry::new(
            PathBuf::from(format!("content/entries/{name}.md")),
            front_matter,
            "The body is never indexed: zanzibarian.".into(),
            chrono_tz::UTC,
        )
    }

    fn event(slug: &str, headline: &str, members: Vec<usize>, people: &[&str]) -> Event {
        Event {
            slug: slug.into(),
            headline: headline.into(),
            summary: Some("Moscow calls for a ceasefire.".into()),
            body: None,
            date: EventDate {
                start: None,
                end: None,
                precision: Precision::Unknown,
                before: None,
            },
            shared_quotes: vec![SharedQuote {
                speaker: Some("Dmitry Peskov".into()),
                versions: members
                    .iter()
                    .map(|&i| (i, format!("We are against this, version {i}")))
                    .collect(),
            }],
            members,
            people: people.iter().map(|p| p.to_string()).collect(),
            places: vec!["Nagorno-Karabakh".into()],
            curated_file: None,
            review: false,
            joined_by: Vec::new(),
            nearest_rejected: None,
        }
    }

    fn site() -> (Timeline, Vec<Entry>) {
        let entries = vec![
            entry("a", "Kremlin statement", "TASS", &["Dmitry Peskov"], "We"),
            entry(
                "b",
                "Peskov on Turkey",
                "Sputnik",
                &["Dmitry Peskov", "Recep Tayyip Erdogan"],
                "We are against this",
            ),
            entry("c", HOSTILE, "TASS", &[], "Line\u{2028}para\u{2029}end"),
        ];
        let events = vec![
            event(
                "kremlin",
                "Kremlin speaks",
                vec![0, 1],
                &["Dmitry Peskov", "Recep Tayyip Erdogan"],
            ),
            event("other", "Other", vec![2], &[]),
        ];
        let timeline = Timeline {
            events,
            event_of: vec![0, 0, 1],
        };
        (timeline, entries)
    }

    /// The index as the browser sees it: the script minus its assignment, parsed as JSON.
    fn parse(js: &str) -> Value {
        let json = js
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.strip_suffix(";\n"))
            .expect("window.DATELINE_SEARCH = {…};");
        serde_json::from_str(json).expect("valid JSON")
    }

    fn names(index: &Value, table: &str, ids: &Value) -> Vec<String> {
        let ids = ids.as_array().map(Vec::as_slice).unwrap_or_default();
        ids.iter()
            .map(|id| {
                index[table][id.as_u64().unwrap() as usize]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn index_is_one_assignment_of_valid_json() {
        let (timeline, entries) = site();
        let index = parse(&search_index_js(&timeline, &entries));
        assert_eq!(index["version"], 1);
        let docs = index["docs"].as_array().unwrap();
        let kinds: Vec<&str> = docs.iter().map(|d| d["k"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["event", "event", "entry", "entry", "entry"]);
        assert_eq!(docs[0]["p"], "events/kremlin/");
        assert_eq!(docs[2]["p"], "entries/2020-09-28-a/");
        assert_eq!(docs[2]["d"], "2020-09-28");
        assert_eq!(docs[0]["d"], "undated");
        assert_eq!(docs[3]["t"], "Peskov on Turkey");
        assert_eq!(
            names(&index, "quotes", &docs[3]["q"]),
            ["We are against this"]
        );
        assert_eq!(docs[3]["g"][0], "statement");
    }

    #[test]
    fn event_lists_outlets_people_places_quotes_and_members() {
        let (timeline, entries) = site();
        let index = parse(&search_index_js(&timeline, &entries));
        let kremlin = &index["docs"][0];
        assert_eq!(kremlin["t"], "Kremlin speaks");
        assert_eq!(kremlin["s"], "Moscow calls for a ceasefire.");
        assert_eq!(names(&index, "outlets", &kremlin["o"]), ["TASS", "Sputnik"]);
        assert_eq!(
            names(&index, "people", &kremlin["pe"]),
            ["Dmitry Peskov", "Recep Tayyip Erdogan"]
        );
        assert_eq!(
            names(&index, "places", &kremlin["pl"]),
            ["Nagorno-Karabakh"]
        );
        assert_eq!(
            names(&index, "quotes", &kremlin["q"]),
            ["We are against this, version 0"]
        );
        // Member documents are the entries' own, after the two events.
        let members: Vec<u64> = kremlin["m"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_u64().unwrap())
            .collect();
        assert_eq!(members, [2, 3]);
        assert_eq!(index["docs"][3]["t"], "Peskov on Turkey");
        // A name shared by two outlets' entries is stored once.
        assert_eq!(index["outlets"], serde_json::json!(["TASS", "Sputnik"]));
    }

    #[test]
    fn hostile_text_is_escaped_for_script_context() {
        let (timeline, entries) = site();
        let js = search_index_js(&timeline, &entries);
        assert!(!js.contains('<'), "no raw `<` may reach the file");
        assert!(!js.contains('\u{2028}') && !js.contains('\u{2029}'));
        assert!(js.contains(r"\u003c/script>\u003cscript>alert(1)\u003c/script>"));
        assert!(js.contains(r"Line\u2028para\u2029end"));
        // The escapes decode back to the original text.
        let index = parse(&js);
        assert_eq!(index["docs"][4]["t"], HOSTILE);
        assert_eq!(
            names(&index, "quotes", &index["docs"][4]["q"]),
            ["Line\u{2028}para\u{2029}end"]
        );
        let quoted = entry("d", "Say \"hi\" \\ \n bye", "X", &[], "q");
        let index = parse(&search_index_js(&Timeline::default(), &[quoted]));
        assert_eq!(index["docs"][0]["t"], "Say \"hi\" \\ \n bye");
    }

    #[test]
    fn bodies_stay_out_and_output_is_deterministic() {
        let (timeline, entries) = site();
        let first = search_index_js(&timeline, &entries);
        assert_eq!(first, search_index_js(&timeline, &entries));
        assert!(!first.contains("zanzibarian"));
        // One quote and one document per line.
        assert_eq!(first.lines().count(), 1 + 5 + 1 + 5 + 1);
    }

    #[test]
    fn a_quote_printed_by_several_sources_is_stored_once() {
        let quote = "We are definitely against this";
        let entries = vec![
            entry("a", "A", "TASS", &[], quote),
            entry("b", "B", "RT", &[], quote),
        ];
        let mut kremlin = event("kremlin", "K", vec![0, 1], &[]);
        kremlin.shared_quotes[0].versions = vec![(0, quote.into()), (1, quote.into())];
        let timeline = Timeline {
            events: vec![kremlin],
            event_of: vec![0, 0],
        };
        let index = parse(&search_index_js(&timeline, &entries));
        assert_eq!(index["quotes"], serde_json::json!([quote]));
        for doc in index["docs"].as_array().unwrap() {
            assert_eq!(doc["q"], serde_json::json!([0]));
        }
    }

    #[test]
    fn empty_site_and_stray_member_indexes() {
        let index = parse(&search_index_js(&Timeline::default(), &[]));
        assert_eq!(index["docs"], serde_json::json!([]));
        assert_eq!(index["outlets"], serde_json::json!([]));
        let (timeline, _) = site();
        let index = parse(&search_index_js(&timeline, &[]));
        assert!(index["docs"][0].get("m").is_none());
        assert!(index["docs"][0].get("o").is_none());
    }
}
