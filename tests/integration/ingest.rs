//! `dateline ingest` and the ingest step of `dateline build`: the five seed articles, saved
//! web pages, idempotence, the never-overwrite rule, hostile and broken inputs.

use std::collections::BTreeMap;

use dateline::content::front_matter::{self, FrontMatter};
use dateline::content::provenance::DateBasis;

use crate::harness::TestSite;

const SITE_TOML: &str = "title = \"Ingest test\"\nbase_url = \"https://example.org/\"\n";

/// A site holding copies of the repository's five seed articles.
fn seed_site() -> TestSite {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    for item in std::fs::read_dir(seeds).unwrap() {
        let item = item.unwrap();
        std::fs::create_dir_all(site.path("articles")).unwrap();
        std::fs::copy(item.path(), site.path("articles").join(item.file_name())).unwrap();
    }
    site
}

/// Every entry under content/entries, keyed by the raw article it came from.
fn entries_by_raw(site: &TestSite) -> BTreeMap<String, (String, FrontMatter, String)> {
    let mut found = BTreeMap::new();
    for (name, bytes) in site.tree("content/entries") {
        let text = String::from_utf8(bytes).unwrap();
        let parsed = front_matter::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let raw = parsed.front_matter.ingest.clone().expect("provenance").raw;
        let body = parsed.body.trim_start().to_string();
        found.insert(raw, (name, parsed.front_matter, body));
    }
    found
}

fn seed(
    entries: &BTreeMap<String, (String, FrontMatter, String)>,
    prefix: &str,
) -> (FrontMatter, String) {
    let (_, (_, fm, body)) = entries
        .iter()
        .find(|(raw, _)| raw.starts_with(&format!("articles/{prefix}")))
        .unwrap();
    (fm.clone(), body.clone())
}

#[test]
fn seeds_become_the_expected_entries() {
    let site = seed_site();
    site.run(&["ingest"]).success();
    let entries = entries_by_raw(&site);
    assert_eq!(entries.len(), 5);

    let (e001, body001) = seed(&entries, "001");
    assert_eq!(
        e001.title,
        "Kremlin makes first statement on situation in Nagorno-Karabakh"
    );
    assert_eq!(e001.date.unwrap().to_string(), "2020-09-28T14:33:00");
    assert_eq!(e001.date_basis, Some(DateBasis::Dateline));
    assert!(
        body001.starts_with("Kremlin considers that the situation"),
        "{body001}"
    );
    assert!(body001.contains("NEWS.ru reported earlier"));

    let (e002, body002) = seed(&entries, "002");
    assert_eq!(
        e002.title,
        "Russia backs ‘peaceful solution’ for Nagorno-Karabakh conflict after Armenia hails war"
    );
    assert_eq!(e002.outlet.as_deref(), Some("Press TV"));
    assert_eq!(e002.date.unwrap().to_string(), "2020-10-22");
    assert_eq!(e002.date_basis, Some(DateBasis::Relative));
    assert!(e002.review);
    assert!(
        body002.contains("Alongside Russia and France"),
        "last paragraph kept"
    );

    let (e003, body003) = seed(&entries, "003");
    assert_eq!(
        e003.title,
        "Russia Warns Against Third-Party Involvement in Karabakh War"
    );
    assert_eq!(e003.outlet.as_deref(), Some("MassisPost"));
    assert_eq!(e003.date, None, "no date from the Recent Posts list");
    assert_eq!(e003.date_basis, Some(DateBasis::None));
    assert!(e003.review);
    assert!(body003.contains("This is the second phone call between Putin and Pashinyan"));

    let (e004, _) = seed(&entries, "004");
    assert_eq!(
        e004.title,
        "Russia insists all military action in Nagorno-Karabakh should stop, Putin tells Armenia's Pashinyan"
    );
    assert_eq!(e004.date.unwrap().to_string(), "2020-09-27T17:38:00");

    let (e000, body000) = seed(&entries, "000");
    assert_eq!(e000.outlet.as_deref(), Some("Sputnik"));
    assert_eq!(
        e000.date, None,
        "the header clock is not the publication date"
    );
    assert_eq!(e000.date_basis, Some(DateBasis::Captured));
    assert_eq!(e000.captured.unwrap().to_string(), "2020-10-29T15:02:00Z");
    assert!(e000.review);
    assert!(
        e000.review_reasons
            .iter()
            .any(|r| r.contains("title was generated")),
        "{:?}",
        e000.review_reasons
    );
    assert_eq!(
        e000.tags,
        [
            "Russia",
            "Azerbaijan",
            "Armenia",
            "Nagorno-Karabakh conflict",
            "Nagorno-Karabakh"
        ]
    );
    assert!(
        body000.starts_with("Previously, Turkey stated"),
        "{body000}"
    );
    assert!(body000.contains("Yerevan may grant formal diplomatic recognition"));

    for prefix in ["000", "001", "002", "003"] {
        assert!(
            seed(&entries, prefix)
                .0
                .people
                .contains(&"Dmitry Peskov".to_string()),
            "{prefix}"
        );
    }
    assert!(
        e004.people.contains(&"Vladimir Putin".to_string())
            && e004.people.contains(&"Nikol Pashinyan".to_string())
    );
    for prefix in ["000", "001", "002", "003", "004"] {
        assert!(
            seed(&entries, prefix)
                .0
                .places
                .contains(&"Nagorno-Karabakh".to_string()),
            "{prefix}"
        );
    }
}

#[test]
fn no_boilerplate_line_survives_in_any_body() {
    let site = seed_site();
    site.run(&["ingest"]).success();
    let boilerplate = [
        "Listen Live",
        "Get short URL",
        "SHARE THIS ARTICLE",
        "icon bookmark",
        "© Sputnik",
        "/facebook.com",
        "(Photo by",
        "FILE PHOTO",
        "Community standards",
        "Published by",
        "Recent Posts",
        "alternate addresses",
        "27 mins ago",
        "Press TV News Roku",
        "www.presstv.co.uk",
        "News   /",
        "GMT29",
        "A T-64 tank",
        "Ibrahim Hashimov",
        "General mobilization in Armenia",
        "Natalie Qasabian",
        "Russia, Azerbaijan, Azerbaijan",
    ];
    for (raw, (name, _, body)) in entries_by_raw(&site) {
        for line in boilerplate {
            assert!(
                !body.contains(line),
                "{name} (from {raw}) still has {line:?}:\n{body}"
            );
        }
        assert!(
            !body
                .lines()
                .any(|l| l.trim() == "Share" || l.trim() == "MassisPost" || l.trim() == "163"),
            "{name}:\n{body}"
        );
    }
}

#[test]
fn reingesting_changes_nothing() {
    let site = seed_site();
    site.run(&["ingest"]).success();
    let before = site.tree("content");
    let run = site.run(&["ingest"]);
    run.success();
    assert!(
        run.stdout().contains("0 new, 0 updated, 5 unchanged"),
        "{}",
        run.stdout()
    );
    let run = site.run(&["ingest", "--force"]);
    run.success();
    assert!(
        run.stdout().contains("0 new, 0 updated, 5 unchanged"),
        "{}",
        run.stdout()
    );
    assert_eq!(before, site.tree("content"));
}

#[test]
fn an_edited_entry_is_never_overwritten() {
    let site = seed_site();
    site.run(&["ingest"]).success();
    let entries = entries_by_raw(&site);
    let (name, _, _) = &entries["articles/001_b49ea12d4c6a61aa.txt"];
    let entry = format!("content/entries/{name}");
    let edited = site
        .read(&entry)
        .replace("Kremlin considers", "The Kremlin considers");
    site.write(&entry, &edited);
    let article = "articles/001_b49ea12d4c6a61aa.txt";
    site.write(
        article,
        &site
            .read(article)
            .replace("serious concern", "grave concern"),
    );
    let run = site.run(&["ingest"]);
    run.success()
        .stderr_has("was edited by hand")
        .stderr_has(name);
    assert_eq!(site.read(&entry), edited);
    assert_eq!(
        entries_by_raw(&site).len(),
        5,
        "no duplicate entry was written"
    );
}

#[test]
fn an_untouched_entry_follows_its_article() {
    let site = seed_site();
    site.run(&["ingest"]).success();
    let article = "articles/004_5656936dd5975890.txt";
    site.write(
        article,
        &site
            .read(article)
            .replace("Russia is concerned", "Russia is deeply concerned"),
    );
    let run = site.run(&["ingest"]);
    run.success();
    assert!(
        run.stdout().contains("0 new, 1 updated, 4 unchanged"),
        "{}",
        run.stdout()
    );
    let (_, _, body) = &entries_by_raw(&site)["articles/004_5656936dd5975890.txt"];
    assert!(body.contains("Russia is deeply concerned"));
}

#[test]
fn hostile_titles_stay_inside_content() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    let paragraph =
        "The first paragraph of this report is long enough to be read as prose by the ingest step.";
    site.write(
        "articles/a.txt",
        &format!("../../../../tmp/escaped headline goes here\n\n{paragraph}\n"),
    );
    site.write(
        "articles/b.txt",
        &format!("{} end\n\n{paragraph}\n", "Very long headline ".repeat(12)),
    );
    site.write(
        "articles/c.txt",
        &format!("/etc/passwd \\ C:\\Windows\\x headline\n\n{paragraph}\n"),
    );
    site.run(&["ingest"]).success();
    let names: Vec<String> = site.tree("content/entries").into_keys().collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for name in &names {
        assert!(
            !name.contains('/') && !name.contains('\\') && !name.contains(".."),
            "{name}"
        );
        assert!(name.len() < 200, "{name}");
    }
    site.build(&["--no-ingest"]).success();
}

#[test]
fn broken_inputs_are_named_and_the_rest_still_ingests() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    site.write("articles/good.txt", "A perfectly good headline here\n\nThe first paragraph of this report is long enough to be read as prose.\n");
    site.write("articles/empty.txt", "");
    std::fs::write(
        site.path("articles/binary.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .unwrap();
    let big = std::fs::File::create(site.path("articles/huge.txt")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    site.write("articles/bad-sidecar.txt", "A headline for a bad sidecar\n\nThe first paragraph of this report is long enough to be read as prose.\n");
    site.write(
        "articles/bad-sidecar.toml",
        "outlet = \"TASS\"\nauthor = \"x\"\n",
    );
    let run = site.run(&["ingest"]);
    run.failure()
        .stderr_has("articles/empty.txt")
        .stderr_has("empty")
        .stderr_has("articles/binary.txt")
        .stderr_has("binary")
        .stderr_has("articles/huge.txt")
        .stderr_has("MB")
        .stderr_has("articles/bad-sidecar.toml")
        .stderr_has("author")
        .stderr_has("4 articles could not be ingested");
    assert!(run.stdout().contains("1 new"), "{}", run.stdout());
    assert_eq!(site.tree("content/entries").len(), 1);
}

#[test]
fn build_ingests_first_and_still_builds_when_an_article_is_bad() {
    let site = seed_site();
    site.write("articles/empty.txt", "");
    let run = site.build(&[]);
    run.failure().stderr_has("articles/empty.txt");
    assert!(run.stdout().contains("Built 5 entries"), "{}", run.stdout());
    assert!(site.path("public/index.html").exists());
}

/// A site whose articles are the saved web pages in `tests/fixtures/ingest-html/`.
fn html_site() -> TestSite {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML);
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest-html");
    for item in std::fs::read_dir(fixtures).unwrap() {
        let path = item.unwrap().path();
        if path.extension().is_some_and(|x| x == "html") {
            crate::harness::copy_tree(
                &path,
                &site.path(&format!(
                    "articles/{}",
                    path.file_name().unwrap().to_string_lossy()
                )),
            );
        }
    }
    site
}

#[test]
fn saved_web_pages_become_entries() {
    let site = html_site();
    site.run(&["ingest"]).success();
    let entries = entries_by_raw(&site);
    assert_eq!(entries.len(), 5);

    let (meta, body) = seed(&entries, "meta-dates");
    assert_eq!(
        meta.title,
        "Harbour bridge to close for six months of repairs"
    );
    assert_eq!(meta.date.unwrap().to_string(), "2020-09-28T14:33:00+03:00");
    assert_eq!(meta.date_basis, Some(DateBasis::Meta));
    assert_eq!(meta.outlet.as_deref(), Some("The Coastal Herald"));
    assert_eq!(
        meta.url.as_deref(),
        Some("https://coastalherald.example/news/harbour-bridge-closure")
    );
    assert!(!meta.review, "{:?}", meta.review_reasons);
    assert!(body.contains("The harbour bridge will close to all traffic"));
    for noise in [
        "cookies",
        "Most read",
        "Subscribe",
        "rights reserved",
        "Tweet",
    ] {
        assert!(!body.contains(noise), "{noise} in {body}");
    }

    let (jsonld, _) = seed(&entries, "jsonld-graph");
    assert_eq!(jsonld.title, "Flood defences finished a year early");
    assert_eq!(jsonld.date_basis, Some(DateBasis::Meta));
    assert_eq!(
        jsonld.date.unwrap().to_string(),
        "2019-05-14T06:30:00+01:00"
    );
    assert_eq!(jsonld.outlet.as_deref(), Some("Valley Gazette"));

    let (bare, _) = seed(&entries, "bare");
    assert_eq!(bare.title, "Mill workers vote to end strike");
    assert_eq!(bare.outlet.as_deref(), Some("Northern Clarion"));
    assert_eq!(
        bare.date, None,
        "no metadata and no dateline: no date is invented"
    );
    assert!(bare.review);
    assert!(
        bare.review_reasons.iter().any(|r| r.contains("page title")),
        "{:?}",
        bare.review_reasons
    );

    let (time, _) = seed(&entries, "time-header");
    assert_eq!(time.title, "Council approves new library");
    assert_eq!(time.date.unwrap().to_string(), "2021-03-04T09:15:00Z");

    let (russian, body) = seed(&entries, "cp1251");
    assert_eq!(russian.title, "В Самаре открыли новый мост через Волгу");
    assert_eq!(russian.ingest.as_ref().unwrap().encoding, "windows-1251");
    assert!(
        body.contains("В субботу в Самаре открыли движение"),
        "{body}"
    );
}

#[test]
fn a_sidecar_states_what_the_article_cannot() {
    let site = seed_site();
    site.write(
        "articles/003_3de8e0a82d2249ce.toml",
        "url = \"https://www.massispost.com/2020/09/x\"\ndate = 2020-09-29\n",
    );
    site.run(&["ingest"]).success();
    let (e003, _) = seed(&entries_by_raw(&site), "003");
    assert_eq!(e003.date.unwrap().to_string(), "2020-09-29");
    assert_eq!(e003.date_basis, Some(DateBasis::Sidecar));
    assert_eq!(
        e003.url.as_deref(),
        Some("https://www.massispost.com/2020/09/x")
    );
    assert!(!e003.review, "{:?}", e003.review_reasons);
}

#[test]
fn site_toml_extends_rules_outlets_and_gazetteer() {
    let site = TestSite::empty();
    site.write(
        "site.toml",
        &format!(
            "{SITE_TOML}\n[ingest]\nchrome_lines = [\"download our app.*\"]\n\n[[ingest.outlets]]\nname = \"Caucasus Wire\"\nsignatures = [\"^— caucasus wire$\"]\n\n[ingest.gazetteer]\npeople = [{{ name = \"Anna Example\", aliases = [\"Ms Example\"] }}]\n"
        ),
    );
    site.write(
        "articles/wire.txt",
        "Mediator arrives in the region for talks\n\n12 March 2021\n\nThe mediator met Ms Example in Stepanakert on the first day of a visit meant to restart the talks.\n\nDownload our app for the latest\n\nBoth sides said they would keep the ceasefire while the talks went on this week.\n\n— Caucasus Wire\n",
    );
    site.run(&["ingest"]).success();
    let (name, fm, body) = entries_by_raw(&site).into_values().next().unwrap();
    assert_eq!(fm.outlet.as_deref(), Some("Caucasus Wire"), "{name}");
    assert!(
        fm.people.contains(&"Anna Example".to_string()),
        "{:?}",
        fm.people
    );
    assert!(
        fm.places.contains(&"Stepanakert".to_string()),
        "{:?}",
        fm.places
    );
    assert!(!body.contains("Download our app"), "{body}");
    assert_eq!(fm.date.unwrap().to_string(), "2021-03-12");

    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[ingest]\nchrome_lines = [\"(broken\"]\n"),
    );
    site.run(&["ingest"]).failure().stderr_has("chrome_lines");
    site.write(
        "site.toml",
        &format!("{SITE_TOML}\n[ingest]\narticle_dir = \"x\"\n"),
    );
    site.run(&["ingest"])
        .failure()
        .stderr_has("site.toml")
        .stderr_has("article_dir");
}
