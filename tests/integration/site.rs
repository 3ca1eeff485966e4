//! The timeline site: the example site's pages, a crawler that follows every internal link of
//! every output file at `/` and under `/repo/`, the feed, the exports, and inert scraped text.

use std::collections::BTreeMap;

use crate::harness::{TestSite, links};

/// A copy of the repository's example site.
fn example_site() -> TestSite {
    let site = TestSite::empty();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.toml", "articles", "content"] {
        crate::harness::copy_tree(&repository.join(part), &site.path(part));
    }
    site
}

/// Every URL-looking value in a file: href/src attributes, XML `<loc>`/`<id>`, and quoted
/// strings that look like site URLs in JS/JSON/CSV.
fn urls_in(name: &str, text: &str) -> Vec<String> {
    let mut found = links(text);
    for (open, close) in [("<loc>", "</loc>"), ("<id>", "</id>")] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            rest = &rest[start + open.len()..];
            if let Some(end) = rest.find(close) {
                found.push(rest[..end].to_string());
            }
        }
    }
    if name.ends_with(".json")
        || name.ends_with(".csv")
        || name.ends_with(".js")
        || name.ends_with(".txt")
    {
        for token in text.split(|c: char| c == '"' || c.is_whitespace() || c == ',' || c == ';') {
            if token.starts_with("http://") || token.starts_with("https://") {
                found.push(token.trim_end_matches(['\\', ')']).to_string());
            }
        }
    }
    found
}

/// Follows every internal URL of every file in `public/` and returns how many it checked.
fn crawl(site: &TestSite, base_url: &str, base_path: &str) -> usize {
    let tree: BTreeMap<String, Vec<u8>> = site.tree("public");
    let mut checked = 0;
    for (name, bytes) in &tree {
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            continue;
        };
        for url in urls_in(name, &text) {
            let path = if let Some(rest) = url.strip_prefix(base_url) {
                rest.to_string()
            } else if url.starts_with("http")
                || url.starts_with("//")
                || url.starts_with('#')
                || url.starts_with("mailto:")
            {
                continue;
            } else {
                let prefix = format!("{base_path}/");
                url.strip_prefix(&prefix)
                    .unwrap_or_else(|| panic!("{name}: {url} lacks the base path {prefix}"))
                    .to_string()
            };
            let path = path.split(['#', '?']).next().unwrap_or_default();
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(
                tree.contains_key(&file),
                "{name}: {url} points nowhere ({file})"
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_internal_link_resolves_at_the_root_and_under_a_path() {
    let site = example_site();
    site.build(&[]).success();
    let at_root = crawl(&site, "https://example.org/", "");
    site.build(&["--base-url", "https://org.github.io/repo/"])
        .success();
    let under_path = crawl(&site, "https://org.github.io/repo/", "/repo");
    assert!(
        at_root > 200 && under_path == at_root,
        "{at_root} / {under_path}"
    );
}

#[test]
fn the_example_site_has_the_expected_pages() {
    let site = example_site();
    site.build(&[]).success();
    let tree = site.tree("public");
    for file in [
        "index.html",
        "404.html",
        ".nojekyll",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "timeline.json",
        "events.csv",
        "search-index.js",
        "search.js",
        "style.css",
        "search/index.html",
        "outlets/index.html",
        "outlets/sputnik/index.html",
        "outlets/massispost/index.html",
        "people/dmitry-peskov/index.html",
        "places/nagorno-karabakh/index.html",
        "tags/index.html",
        "timeline/2020-09/index.html",
        "timeline/2020-10/index.html",
        "timeline/undated/index.html",
        "events/russia-warns-against-third-party-involvement-in-karabakh-war/index.html",
    ] {
        assert!(
            tree.contains_key(file),
            "{file} missing; have {:?}",
            tree.keys().collect::<Vec<_>>()
        );
    }
    let events = tree.keys().filter(|k| k.starts_with("events/")).count();
    assert_eq!(events, 4);
    let event = site.read(
        "public/events/russia-warns-against-third-party-involvement-in-karabakh-war/index.html",
    );
    assert!(
        event.contains("The same words in several outlets"),
        "{event}"
    );
    assert!(
        event.contains("Any statements about any military support"),
        "{event}"
    );
    assert!(
        event.contains(r#"href="/people/dmitry-peskov/""#),
        "{event}"
    );
    let index = site.read("public/index.html");
    assert!(index.contains("<svg class=\"axis\""), "{index}");
    assert!(
        index.contains(r#"href="/style.css?v="#),
        "assets are versioned: {index}"
    );
    let entry = site.read(
        "public/entries/2020-10-22-russia-backs-peaceful-solution-for-nagorno-karabakh/index.html",
    );
    assert!(
        entry.contains("how it is known: relative") && entry.contains("Needs review"),
        "{entry}"
    );
}

#[test]
fn feed_and_exports_match_the_events() {
    let site = example_site();
    site.build(&[]).success();
    let feed_text = site.read("public/atom.xml");
    let feed = roxmltree::Document::parse(&feed_text).expect("atom.xml is well-formed XML");
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let root = feed.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "{feed_text}");
    for required in ["id", "title", "updated"] {
        assert!(
            root.children().any(|c| c.has_tag_name((ATOM, required))),
            "feed lacks {required}"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 3, "the three dated events: {feed_text}");
    for entry in &entries {
        for required in ["id", "title", "updated", "link"] {
            assert!(
                entry.children().any(|c| c.has_tag_name((ATOM, required))),
                "an entry lacks {required}"
            );
        }
        let updated = entry
            .children()
            .find(|c| c.has_tag_name((ATOM, "updated")))
            .and_then(|u| u.text())
            .unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(updated).is_ok(),
            "{updated}"
        );
    }
    let sitemap_text = site.read("public/sitemap.xml");
    let sitemap =
        roxmltree::Document::parse(&sitemap_text).expect("sitemap.xml is well-formed XML");
    assert!(
        sitemap
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .count()
            > 40
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("public/timeline.json")).unwrap();
    let slides = json["events"].as_array().unwrap();
    assert_eq!(
        slides.len(),
        3,
        "TimelineJS needs a date: the undated event is left out"
    );
    assert!(
        slides
            .iter()
            .all(|e| e["start_date"]["year"] == "2020" && e["unique_id"].is_string())
    );
    let headline = slides[0]["text"]["headline"].as_str().unwrap();
    assert!(
        headline.starts_with("Russia insists all military action"),
        "{headline}"
    );
    let csv = site.read("public/events.csv");
    assert_eq!(csv.lines().count(), 5, "a header and four events:\n{csv}");
    assert!(
        csv.contains("russia-warns-against-third-party-involvement-in-karabakh-war"),
        "{csv}"
    );
}

#[test]
fn scraped_script_and_handlers_come_out_inert() {
    let site = TestSite::empty();
    site.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\n",
    );
    site.write(
        "articles/hostile.txt",
        "Hostile <script>alert(1)</script> headline here\n\n12 March 2021\n\nThe page said <img src=x onerror=alert(1)> and linked [here](javascript:alert(1)) while the ceasefire held.\n",
    );
    site.build(&[]).success();
    for (name, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".html") || name.ends_with(".xml") {
            assert!(!text.contains("<script>alert"), "{name}");
            assert!(!text.contains("<img src=x"), "{name}");
            assert!(!text.contains("href=\"javascript:"), "{name}");
        }
        if name.ends_with(".js") && name != "search.js" {
            assert!(!text.contains("</script>"), "{name}");
        }
    }
}

#[test]
fn an_offline_build_links_every_page_relatively() {
    let site = example_site();
    site.build(&["--offline"]).success();
    let tree = site.tree("public");
    let mut checked = 0;
    for (name, bytes) in tree.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(html.contains("data-offline=\"true\""), "{name}");
        for url in links(&html) {
            if url.starts_with("http") || url.starts_with('#') {
                continue;
            }
            assert!(
                !url.starts_with('/'),
                "{name}: {url} is root-relative, which breaks file://"
            );
            let mut parts: Vec<&str> = name.split('/').collect();
            parts.pop();
            for part in url.split(['?', '#']).next().unwrap().split('/') {
                match part {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    other => parts.push(other),
                }
            }
            let file = parts.join("/");
            assert!(
                tree.contains_key(&file),
                "{name}: {url} points nowhere ({file})"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn a_custom_domain_is_written_to_cname() {
    let site = TestSite::fixture("basic");
    assert!(
        site.build(&[]).success().output.status.success() && !site.path("public/CNAME").exists()
    );
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}cname = \"timeline.example.org\"\n"),
    );
    site.build(&[]).success();
    assert_eq!(site.read("public/CNAME"), "timeline.example.org\n");
}
