//! Failure paths: every bad input is named with file and line, all at once, without a panic.

use crate::harness::TestSite;

#[test]
fn bad_front_matter_is_reported_all_at_once_with_file_and_line() {
    let site = TestSite::fixture("basic");
    site.write("content/entries/no-delimiter.md", "title = \"x\"\n\nBody\n")
        .write(
            "content/entries/wrong-type.md",
            "+++\ntitle = \"x\"\npeople = \"Dmitry Peskov\"\n+++\n",
        )
        .write(
            "content/entries/bad-date.md",
            "+++\ntitle = \"x\"\n\ndate = \"2020-02-30\"\n+++\n",
        )
        .write(
            "content/entries/unknown-field.md",
            "---\ntitle: x\nauthor: someone\n---\n",
        );
    let run = site.build(&[]);
    run.failure()
        .stderr_has("4 problems in content")
        .stderr_has("content/entries/no-delimiter.md:1")
        .stderr_has("content/entries/wrong-type.md:3")
        .stderr_has("field `people`")
        .stderr_has("content/entries/bad-date.md:4")
        .stderr_has("field `date`")
        .stderr_has("content/entries/unknown-field.md:3")
        .stderr_has("field `author`")
        .stderr_has("hint:");
    assert!(
        !site.path("public").exists(),
        "nothing is written when the build fails"
    );
}

#[test]
fn two_entries_with_one_url_are_both_named() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/entries/other/phone-call.md",
        "+++\ntitle = \"Again\"\ndate = 2020-09-27\n+++\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("content/entries/other/phone-call.md")
        .stderr_has("content/entries/phone-call.md")
        .stderr_has("/entries/2020-09-27-phone-call/");
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = TestSite::fixture("basic");
    site.write("templates/entry.html", "<p>\n{% for x in %}\n");
    site.build(&[])
        .failure()
        .stderr_has("templates/entry.html")
        .stderr_has("2");
}

#[test]
fn config_errors_name_the_key() {
    let site = TestSite::fixture("basic");
    site.write(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://example.org/\"\nbase_ulr = \"y\"\n",
    );
    site.build(&[])
        .failure()
        .stderr_has("site.toml")
        .stderr_has("line 3")
        .stderr_has("base_ulr");
    site.write("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n");
    site.build(&[]).failure().stderr_has("absolute http(s) URL");
}

#[test]
fn missing_site_toml_says_how_to_start() {
    let site = TestSite::empty();
    site.build(&[])
        .failure()
        .stderr_has("site.toml")
        .stderr_has("dateline init");
}

#[test]
fn non_utf8_entry_is_named() {
    let site = TestSite::fixture("basic");
    std::fs::write(
        site.path("content/entries/latin1.md"),
        b"+++\ntitle = \"caf\xe9\"\n+++\n",
    )
    .unwrap();
    site.build(&[])
        .failure()
        .stderr_has("content/entries/latin1.md:2")
        .stderr_has("UTF-8");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = TestSite::fixture("basic");
    site.write("notes/thesis.txt", "years of work");
    site.build(&["--output", "notes"])
        .failure()
        .stderr_has("not written by dateline");
    assert_eq!(site.read("notes/thesis.txt"), "years of work");
}
