//! Grouping entries into events: the seeds, small fixture sets for each rule, editors'
//! overrides, stability, and `dateline events`.

use crate::harness::TestSite;

const SITE_TOML: &str = "title = \"Grouping test\"\nbase_url = \"https://example.org/\"\n";

fn entry(
    title: &str,
    date: Option<&str>,
    outlet: &str,
    people: &[&str],
    extra: &str,
    body: &str,
) -> String {
    let date = date.map(|d| format!("date = {d}\n")).unwrap_or_default();
    let people = people
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "+++\ntitle = \"{title}\"\n{date}outlet = \"{outlet}\"\npeople = [{people}]\nplaces = [\"Nagorno-Karabakh\"]\n{extra}+++\n\n{body}\n"
    )
}

/// Parses `dateline events` output into (date, slug, sources) per event.
fn events(site: &TestSite) -> Vec<(String, String, Vec<String>)> {
    let run = site.run(&["events"]);
    run.success();
    let mut found = Vec::new();
    for block in run.stdout().split("\n\n") {
        let mut lines = block.lines();
        let Some(first) = lines.next() else { continue };
        let Some(slug) = lines.next().and_then(|l| l.trim().strip_prefix("event: ")) else {
            continue;
        };
        let sources = lines
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(|l| l.rsplit_once(" (").map_or(l, |(s, _)| s).to_string())
            .collect();
        let date = first.split("  ").next().unwrap_or_default().to_string();
        found.push((date, slug.to_string(), sources));
    }
    found
}

#[test]
fn seeds_make_four_events_in_date_order() {
    let site = TestSite::empty();
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::harness::copy_tree(&repository.join("site.toml"), &site.path("site.toml"));
    crate::harness::copy_tree(&repository.join("content"), &site.path("content"));
    let events = events(&site);
    assert_eq!(events.len(), 4, "{events:?}");
    let dates: Vec<&str> = events.iter().map(|(d, _, _)| d.as_str()).collect();
    assert_eq!(
        dates,
        [
            "2020-09-27",
            "2020-09-28",
            "2020-10-22",
            "undated (before 2020-10-29)"
        ]
    );
    let together = &events[3].2;
    assert_eq!(together.len(), 2, "{together:?}");
    assert!(
        together.iter().any(|s| s.starts_with("MassisPost:"))
            && together.iter().any(|s| s.starts_with("Sputnik:")),
        "{together:?}"
    );
    assert!(events[..3].iter().all(|(_, _, sources)| sources.len() == 1));
    let explain = site.run(&["events", "--explain"]);
    explain.success();
    assert!(
        explain.stdout().contains("shared quote 1.00"),
        "{}",
        explain.stdout()
    );
    assert!(
        explain.stdout().contains("nearest rejected"),
        "{}",
        explain.stdout()
    );
}

const CALL_A: &str = "Russian President Vladimir Putin and Armenian Prime Minister Nikol Pashinyan discussed the fighting in Nagorno-Karabakh by telephone, the Kremlin said. Putin urged an immediate ceasefire along the line of contact and offered Moscow as a venue for talks between Yerevan and Baku. The leaders agreed that the foreign ministers should meet soon.";
const CALL_B: &str = "Armenia's prime minister Nikol Pashinyan held a phone conversation with Vladimir Putin about the Karabakh fighting, Yerevan reported. The Russian leader proposed Moscow as a venue for talks and called for a ceasefire; both sides agreed their foreign ministers would meet.";
const GAS: &str = "Kremlin spokesman Dmitry Peskov said gas export prices to Europe would not change this winter. Gazprom contracts remain in force, and the pipeline maintenance schedule was agreed with European buyers months ago, he told reporters.";
const TURKEY: &str = "Kremlin spokesman Dmitry Peskov warned Turkey against sending fighters to Nagorno-Karabakh. Any military support for one side adds fuel to the fire, Peskov told reporters, urging Ankara to help bring the sides back to negotiations.";

/// A Kremlin statement on gas prices: same speaker as the Turkey warning, another subject.
fn gas_report(date: Option<&str>, extra: &str) -> String {
    entry(
        "Kremlin says gas prices will not change",
        date,
        "TASS",
        &["Dmitry Peskov"],
        extra,
        GAS,
    )
}

/// Two outlets' reports of one phone call, in different words; `b` may be undated.
trait CallReports {
    fn write_calls(&self, a_extra: &str, b_date: Option<&str>, b_extra: &str) -> &Self;
}

impl CallReports for TestSite {
    fn write_calls(&self, a_extra: &str, b_date: Option<&str>, b_extra: &str) -> &Self {
        let people_a = ["Vladimir Putin", "Nikol Pashinyan"];
        let people_b = ["Nikol Pashinyan", "Vladimir Putin"];
        self.write(
            "content/entries/a.md",
            &entry(
                "Putin and Pashinyan discuss Karabakh ceasefire by phone",
                Some("2020-10-05"),
                "TASS",
                &people_a,
                a_extra,
                CALL_A,
            ),
        )
        .write(
            "content/entries/b.md",
            &entry(
                "Pashinyan, Putin talk about Karabakh fighting",
                b_date,
                "Armenpress",
                &people_b,
                b_extra,
                CALL_B,
            ),
        )
    }
}

#[test]
fn two_outlets_one_event_different_wording() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML)
        .write_calls("", Some("2020-10-05"), "");
    let events = events(&site);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].2.len(), 2);
}

#[test]
fn one_speaker_one_day_two_statements_stay_apart() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML)
        .write(
            "content/entries/gas.md",
            &gas_report(Some("2020-09-29"), ""),
        )
        .write(
            "content/entries/turkey.md",
            &entry(
                "Kremlin warns Turkey over Karabakh",
                Some("2020-09-29"),
                "TASS",
                &["Dmitry Peskov"],
                "",
                TURKEY,
            ),
        );
    assert_eq!(events(&site).len(), 2);
}

#[test]
fn an_undated_entry_joins_its_event_takes_its_date_and_stays_in_review() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML)
        .write_calls("", None, "review = true\n")
        .write(
            "content/entries/gas.md",
            &gas_report(Some("2020-10-05"), ""),
        );
    let events = events(&site);
    assert_eq!(events.len(), 2, "{events:?}");
    let call = events
        .iter()
        .find(|(_, _, s)| s.len() == 2)
        .expect("the undated report joined the call");
    assert_eq!(call.0, "2020-10-05");
    let stdout = site.run(&["events"]).stdout();
    assert!(
        stdout.contains("Putin and Pashinyan discuss Karabakh ceasefire by phone  [review]"),
        "{stdout}"
    );
    site.build(&[]).success();
    let index = site.read("public/index.html");
    assert!(index.contains("<time datetime=\"2020-10-05\">5 October 2020</time> · 2 sources · <span class=\"review\">needs review</span>"), "{index}");
}

#[test]
fn editors_force_curate_and_separate() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML)
        .write("content/entries/a.md", &entry("Putin and Pashinyan discuss Karabakh ceasefire by phone", Some("2020-10-05"), "TASS", &["Vladimir Putin", "Nikol Pashinyan"], "not_with = [\"b\"]\n", CALL_A))
        .write("content/entries/b.md", &entry("Pashinyan, Putin talk about Karabakh fighting", Some("2020-10-05"), "Armenpress", &["Nikol Pashinyan", "Vladimir Putin"], "", CALL_B))
        .write("content/entries/gas.md", &entry("Kremlin says gas prices will not change", Some("2020-10-05"), "TASS", &["Dmitry Peskov"], "event = \"kremlin-briefing\"\n", GAS))
        .write("content/entries/turkey.md", &entry("Kremlin warns Turkey over Karabakh", Some("2020-10-05"), "TASS", &["Dmitry Peskov"], "event = \"kremlin-briefing\"\n", TURKEY))
        .write("content/events/kremlin-briefing.md", "+++\ntitle = \"Peskov's daily briefing\"\ndate = 2020-10-04\nsummary = \"Gas prices and a warning to Turkey.\"\n+++\n\nThe spokesman took questions on two subjects.\n");
    let events = events(&site);
    assert_eq!(
        events.len(),
        3,
        "not_with keeps a and b apart; event = forces the briefing: {events:?}"
    );
    let briefing = events
        .iter()
        .find(|(_, slug, _)| slug == "kremlin-briefing")
        .expect("curated event");
    assert_eq!(briefing.0, "2020-10-04", "the curated date wins");
    assert_eq!(briefing.2.len(), 2);
    let stdout = site.run(&["events"]).stdout();
    assert!(
        stdout.contains("Peskov's daily briefing"),
        "the curated headline wins: {stdout}"
    );

    site.write(
        "content/events/bad.md",
        "+++\ntitle = \"x\"\noutlet = \"TASS\"\n+++\n",
    );
    site.run(&["events"])
        .failure()
        .stderr_has("content/events/bad.md")
        .stderr_has("`outlet` belongs to an entry");
}

#[test]
fn adding_an_unrelated_entry_changes_no_event_id() {
    let site = TestSite::empty();
    site.write("site.toml", SITE_TOML)
        .write_calls("", Some("2020-10-05"), "")
        .write(
            "content/entries/gas.md",
            &gas_report(Some("2020-09-29"), ""),
        );
    let before: Vec<String> = events(&site).into_iter().map(|(_, slug, _)| slug).collect();
    site.write("content/entries/z-new.md", &entry("Earthquake shakes northern Iran", Some("2020-10-05"), "IRNA", &[], "", "A magnitude 5.1 earthquake shook the north of Iran, seismologists said; no casualties were reported in the mountain villages."))
        .write("content/entries/0-early.md", &entry("Flood warning in Georgia", Some("2020-10-04"), "Civil.ge", &[], "", "Rivers in western Georgia rose after three days of rain, and the emergency service warned residents of the lowlands."));
    let after: Vec<String> = events(&site).into_iter().map(|(_, slug, _)| slug).collect();
    for slug in &before {
        assert!(after.contains(slug), "{slug} disappeared: {after:?}");
    }
    assert_eq!(after.len(), before.len() + 2);
}

#[test]
fn the_event_date_is_when_it_happened_not_when_it_was_published() {
    let site = TestSite::empty();
    // 30 September 2020 was a Wednesday.
    site.write("site.toml", SITE_TOML).write(
        "content/entries/w.md",
        &entry("Kremlin warns Turkey over Karabakh", Some("2020-09-30"), "MassisPost", &["Dmitry Peskov"], "", &format!("Kremlin spokesman Dmitry Peskov said on Tuesday that foreign powers should stay out of the fighting.\n\n{TURKEY}")),
    );
    let events = events(&site);
    assert_eq!(events[0].0, "2020-09-29", "{events:?}");
}
