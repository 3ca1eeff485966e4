use std::path::PathBuf;

use serde_json::Value;

use super::*;
use crate::config::GroupingConfig;
use crate::content::front_matter::{EntryDate, FrontMatter};

fn config() -> SiteConfig {
    SiteConfig::parse(
        "title = \"Karabakh & Russia\"\ndescription = \"Who said <what>\"\n\
         base_url = \"https://org.github.io/repo/\"\n",
    )
    .unwrap()
}

fn entry(file: &str, title: &str, date: Option<&str>, rest: FrontMatter) -> Entry {
    let front_matter = FrontMatter {
        title: title.into(),
        date: date.map(|d| EntryDate::parse(d).unwrap()),
        ..rest
    };
    Entry::new(
        PathBuf::from(file),
        front_matter,
        String::new(),
        chrono_tz::UTC,
    )
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A two-source event over a range of days, a hostile single-source event, and an undated one.
fn fixture() -> (Vec<Entry>, Timeline) {
    let entries = vec![
        entry(
            "content/entries/talks-a.md",
            "Talks in Moscow, \"first\" round",
            Some("2020-09-27"),
            FrontMatter {
                outlet: Some("TASS".into()),
                url: Some("https://tass.test/a?x=1&y=2".into()),
                summary: Some("Ministers <b>met</b>.".into()),
                people: strings(&["Sergey Lavrov", "Dmitry Peskov"]),
                places: strings(&["Moscow", "Baku"]),
                event: Some("talks".into()),
                ..FrontMatter::default()
            },
        ),
        entry(
            "content/entries/talks-b.md",
            "Second round",
            Some("2020-09-29"),
            FrontMatter {
                outlet: Some("Sputnik".into()),
                event: Some("talks".into()),
                review: true,
                ..FrontMatter::default()
            },
        ),
        entry(
            "content/entries/hostile.md",
            "<script>alert(1)</script>",
            Some("2020-10-01"),
            FrontMatter {
                outlet: Some("TASS".into()),
                ..FrontMatter::default()
            },
        ),
        entry(
            "content/entries/formula.md",
            "=HYPERLINK(\"x\")",
            None,
            FrontMatter {
                outlet: Some("@unknown".into()),
                url: Some("https://x.test/f".into()),
                ..FrontMatter::default()
            },
        ),
    ];
    let timeline = crate::group::group(&entries, &[], &GroupingConfig::default());
    (entries, timeline)
}

#[test]
fn timeline_json_follows_timelinejs_format() {
    let (entries, timeline) = fixture();
    let json = timeline_json(&config(), &timeline, &entries);
    assert_eq!(json, timeline_json(&config(), &timeline, &entries));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["title"]["text"]["headline"], "Karabakh &amp; Russia");
    assert_eq!(v["title"]["text"]["text"], "Who said &lt;what&gt;");
    assert!(v["title"].get("start_date").is_none());

    let events = v["events"].as_array().unwrap();
    let ids: Vec<&str> = events
        .iter()
        .map(|e| e["unique_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["talks", "2020-10-01-hostile"],
        "undated event left out"
    );

    let talks = &events[0];
    let day = |d: &str| serde_json::json!({"year": "2020", "month": "9", "day": d});
    assert_eq!(talks["start_date"], day("27"));
    assert_eq!(talks["end_date"], day("29"));
    assert_eq!(talks["display_date"], "27–29 September 2020");
    assert_eq!(talks["group"], "Moscow");
    assert_eq!(
        talks["text"]["headline"],
        "Talks in Moscow, &quot;first&quot; round"
    );
    let text = talks["text"]["text"].as_str().unwrap();
    assert!(text.starts_with("<p>Ministers &lt;b&gt;met&lt;/b&gt;.</p><p>Sources:</p><ul>"));
    assert!(text.contains(
        "<li>TASS — <a href=\"https://org.github.io/repo/entries/2020-09-27-talks-a/\">\
         Talks in Moscow, &quot;first&quot; round</a></li>"
    ));
    assert!(text.contains("<li>Sputnik — <a href="), "{text}");
}

#[test]
fn timeline_json_escapes_hostile_titles() {
    let (entries, timeline) = fixture();
    let json = timeline_json(&config(), &timeline, &entries);
    assert!(!json.contains("<script"), "{json}");
    let v: Value = serde_json::from_str(&json).unwrap();
    let hostile = &v["events"][1];
    assert_eq!(
        hostile["text"]["headline"],
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    );
    assert!(hostile.get("end_date").is_none() && hostile.get("display_date").is_none());
    assert!(hostile.get("group").is_none(), "no place, no group");
}

#[test]
fn events_csv_has_every_event_quoted_and_neutralised() {
    let (entries, timeline) = fixture();
    let csv = events_csv(&config(), &timeline, &entries);
    let records: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    assert_eq!(
        records,
        [
            "event_id,event_date,date_precision,end_date,headline,actors,places,sources,\
             source_count,urls,review",
            "talks,2020-09-27,range,2020-09-29,\"Talks in Moscow, \"\"first\"\" round\",\
             Sergey Lavrov; Dmitry Peskov,Moscow; Baku,TASS; Sputnik,2,\
             https://tass.test/a?x=1&y=2,true",
            "2020-10-01-hostile,2020-10-01,day,,<script>alert(1)</script>,,,TASS,1,,false",
            "formula,,unknown,,\"'=HYPERLINK(\"\"x\"\")\",,,'@unknown,1,https://x.test/f,true",
        ]
    );
}

#[test]
fn csv_fields() {
    let cases = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"no\"", "\"say \"\"no\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("-1+1", "'-1+1"),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("=1,2", "\"'=1,2\""),
        ("a=1", "a=1"),
    ];
    for (value, field) in cases {
        assert_eq!(csv_field(value), field, "{value:?}");
    }
}

#[test]
fn sitemap_is_absolute_sorted_unique_and_escaped() {
    let paths = strings(&[
        "/events/x/",
        "/",
        "/events/x/",
        "/tags/a&b/",
        "/entries/café/",
    ]);
    assert_eq!(
        sitemap_xml(&config(), &paths),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         \x20 <url><loc>https://org.github.io/repo/</loc></url>\n\
         \x20 <url><loc>https://org.github.io/repo/entries/caf%C3%A9/</loc></url>\n\
         \x20 <url><loc>https://org.github.io/repo/events/x/</loc></url>\n\
         \x20 <url><loc>https://org.github.io/repo/tags/a&amp;b/</loc></url>\n\
         </urlset>\n"
    );
    let empty = sitemap_xml(&config(), &[]);
    assert!(empty.ends_with("sitemap/0.9\">\n</urlset>\n"), "{empty}");
}

#[test]
fn robots_names_the_absolute_sitemap() {
    assert_eq!(
        robots_txt(&config()),
        "User-agent: *\nAllow: /\nSitemap: https://org.github.io/repo/sitemap.xml\n"
    );
}

#[test]
fn ranges_write_shared_parts_once() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        describe_range(d("2020-09-30"), d("2020-10-02")),
        "30 September – 2 October 2020"
    );
    assert_eq!(
        describe_range(d("2020-12-30"), d("2021-01-02")),
        "30 December 2020 – 2 January 2021"
    );
}
