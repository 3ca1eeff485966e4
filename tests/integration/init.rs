//! `dateline init`.

use crate::harness::TestSite;

#[test]
fn init_scaffolds_a_site_that_builds() {
    let site = TestSite::empty();
    site.run(&["init", "news"]).success();
    for file in [
        "site.toml",
        "content/entries/2020-01-01-welcome.md",
        "articles/.gitkeep",
        ".github/workflows/pages.yml",
    ] {
        assert!(site.path(&format!("news/{file}")).exists(), "{file}");
    }
    assert!(!site.path("news/templates").exists());
    let workflow = site.read("news/.github/workflows/pages.yml");
    assert!(
        workflow.contains("actions/upload-pages-artifact")
            && workflow.contains("actions/deploy-pages")
    );
    site.run(&["build", "--root", "news"]).success();
    assert!(
        site.read("news/public/index.html")
            .contains("Welcome to your timeline")
    );
}

#[test]
fn init_with_templates_copies_the_defaults() {
    let site = TestSite::empty();
    site.run(&["init", "news", "--templates"]).success();
    let base = site.read("news/templates/base.html");
    assert!(base.contains("{% block main %}"));
    site.run(&["build", "--root", "news"]).success();
}

#[test]
fn init_never_overwrites() {
    let site = TestSite::empty();
    site.write("news/site.toml", "mine");
    site.run(&["init", "news"])
        .failure()
        .stderr_has("not empty");
    assert_eq!(site.read("news/site.toml"), "mine");
}
