//! Happy paths: output tree, pages, base paths, overrides, determinism, atomicity.

use crate::harness::{TestSite, links};

/// Snapshots of pages should not change when a stylesheet does: asset versions are masked.
fn without_asset_versions(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("?v=") {
        out.push_str(&rest[..i + 3]);
        rest = rest[i + 3..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        out.push_str("VERSION");
    }
    out.push_str(rest);
    out
}

#[test]
fn basic_site_has_the_expected_tree() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let files: Vec<String> = site.tree("public").into_keys().collect();
    insta::assert_snapshot!(files.join("\n"));
}

#[test]
fn index_lists_events_in_date_order_grouped_by_month() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let index = site.read("public/index.html");
    let call = index.find("Putin and Pashinyan hold a phone call").unwrap();
    let kremlin = index.find("Kremlin makes first statement").unwrap();
    let undated = index.find("An undated report").unwrap();
    assert!(call < kremlin && kremlin < undated, "order wrong:\n{index}");
    assert!(
        index
            .contains(r#"<h2 id="m-2020-09"><a href="/timeline/2020-09/">September 2020</a></h2>"#),
        "{index}"
    );
    assert!(
        !index.contains("Unfinished draft"),
        "drafts are left out by default"
    );
    insta::assert_snapshot!(without_asset_versions(&index));
}

#[test]
fn entry_page_renders_markdown_with_unique_heading_ids() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let page = site.read("public/entries/2020-09-28-kremlin-statement/index.html");
    assert!(
        page.contains(r#"<h2 id="reaction">"#) && page.contains(r#"<h2 id="reaction-1">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<time datetime="2020-09-28T14:33:00">28 September 2020, 14:33</time>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="https://tass.com/politics/1" rel="noopener noreferrer""#),
        "{page}"
    );
    insta::assert_snapshot!(without_asset_versions(&page));
}

#[test]
fn yaml_front_matter_and_source_alias() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let page = site.read("public/entries/2020-09-27-phone-call/index.html");
    assert!(page.contains(r#"<span class="outlet">RT</span>"#), "{page}");
    assert!(page.contains("Vladimir Putin, Nikol Pashinyan"), "{page}");
}

#[test]
fn scraped_markup_comes_out_inert() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let page = site.read("public/entries/undated-report/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<b>with markup</b>"), "{page}");
    assert!(!page.contains("javascript:"), "{page}");
    assert!(page.contains("&lt;b&gt;with markup&lt;/b&gt;"), "{page}");
}

#[test]
fn drafts_flag_includes_drafts() {
    let site = TestSite::fixture("basic");
    site.build(&["--drafts"]).success();
    assert!(
        site.path("public/entries/2020-10-01-draft/index.html")
            .exists()
    );
}

#[test]
fn base_url_with_a_path_prefixes_every_internal_link() {
    let site = TestSite::fixture("basic");
    site.build(&["--base-url", "https://org.github.io/repo/"])
        .success();
    let tree = site.tree("public");
    let mut checked = 0;
    for (name, bytes) in &tree {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        for link in links(&html) {
            if link.starts_with("https://org.github.io/repo/") {
                continue;
            }
            if link.starts_with("http") || link.starts_with('#') {
                continue;
            }
            let path = link
                .strip_prefix("/repo/")
                .unwrap_or_else(|| panic!("{name}: link {link} lacks the base path"));
            let path = path.split(['#', '?']).next().unwrap();
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(tree.contains_key(&target), "{name}: {link} points nowhere");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
    let feed = site.read("public/atom.xml");
    assert!(feed.contains(r#"<link rel="self" type="application/atom+xml" href="https://org.github.io/repo/atom.xml"/>"#), "{feed}");
    assert!(
        feed.contains("<id>https://org.github.io/repo/events/2020-09-28-kremlin-statement/</id>"),
        "{feed}"
    );
    let index = site.read("public/index.html");
    assert!(
        index.contains(r#"href="/repo/atom.xml""#) && index.contains(r#"href="/repo/style.css?v="#),
        "{index}"
    );
    let not_found = site.read("public/404.html");
    assert!(not_found.contains(r#"href="/repo/""#), "{not_found}");
}

#[test]
fn site_without_templates_uses_embedded_defaults() {
    let site = TestSite::fixture("basic");
    assert!(!site.path("templates").exists() && !site.path("static/style.css").exists());
    site.build(&[]).success();
    assert!(
        site.read("public/style.css")
            .contains("prefers-color-scheme: dark")
    );
    assert!(site.path("public/.nojekyll").exists());
    assert!(site.read("public/404.html").contains("Page not found"));
}

#[test]
fn site_templates_and_static_files_override_defaults() {
    let site = TestSite::fixture("basic");
    site.write("templates/entry.html", "{% extends \"base.html\" %}{% block main %}<p>CUSTOM {{ entry.title }}</p>{% endblock main %}")
        .write("static/style.css", "body { color: red }");
    site.build(&[]).success();
    let page = site.read("public/entries/2020-09-27-phone-call/index.html");
    assert!(
        page.contains("<p>CUSTOM Putin and Pashinyan hold a phone call</p>"),
        "{page}"
    );
    assert!(
        page.contains("· Basic fixture</title>"),
        "the default base.html still wraps it: {page}"
    );
    assert_eq!(site.read("public/style.css"), "body { color: red }");
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let first = site.tree("public");
    site.build(&["--output", "again"]).success();
    assert_eq!(first, site.tree("again"));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build(&[]).success();
    let before = site.tree("public");
    site.write(
        "content/entries/broken.md",
        "+++\ntitle = \"x\"\ndate = \"2020-02-30\"\n+++\n",
    );
    site.build(&[]).failure();
    assert_eq!(before, site.tree("public"));
    site.remove("content/entries/broken.md");
    site.write("templates/index.html", "{{ missing_variable.field }}");
    site.build(&[]).failure().stderr_has("index.html");
    assert_eq!(before, site.tree("public"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn example_site_in_the_repository_builds_and_its_entries_are_current() {
    let site = TestSite::empty();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.toml", "articles", "content"] {
        crate::harness::copy_tree(&repository.join(part), &site.path(part));
    }
    let run = site.build(&[]);
    run.success();
    // The committed entries are exactly what ingest makes of the committed articles.
    assert!(
        run.stdout().contains("0 new, 0 updated, 5 unchanged"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("Built 5 entries"), "{}", run.stdout());
    assert!(site.path("public/index.html").exists());
}
