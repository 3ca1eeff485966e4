//! A whole build of a one-entry site: the input is `content/entries/x.md` of a fixed, valid site
//! in a temporary folder, built into that folder. Errors (a bad entry) are fine; panics are not.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use dateline::site::{BuildOptions, Site};
use libfuzzer_sys::fuzz_target;

const SITE_TOML: &str = "title = \"Fuzz\"\nbase_url = \"https://example.org/repo/\"\n\
    timezone = \"Europe/Moscow\"\n";

static SITE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("site.toml"), SITE_TOML).expect("site.toml");
    std::fs::create_dir_all(dir.path().join("content/entries")).expect("content folder");
    dir
});

fuzz_target!(|data: &[u8]| {
    let root: &Path = SITE.path();
    std::fs::write(root.join("content/entries/x.md"), data).expect("write the entry");
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        include_drafts: true,
        ..BuildOptions::default()
    };
    if let Ok(site) = Site::load(&options) {
        let _ = site.build();
    }
});
