//! Front matter parsing: `+++` TOML or `---` YAML blocks of any shape, then the entry built from
//! them. Errors are expected; a panic, or an error that points outside the file, is a bug.

#![no_main]

use std::path::{Path, PathBuf};

use dateline::content::{ContentError, Entry, front_matter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match front_matter::parse(&text) {
        Ok(parsed) => {
            assert!(!parsed.front_matter.title.trim().is_empty());
            assert!(parsed.body_line >= 3);
            for timezone in [
                chrono_tz::UTC,
                chrono_tz::Europe::Moscow,
                chrono_tz::Pacific::Kiritimati,
            ] {
                let file = PathBuf::from("content/entries/x.md");
                let entry = Entry::new(
                    file,
                    parsed.front_matter.clone(),
                    parsed.body.to_string(),
                    timezone,
                );
                assert!(entry.site_path.starts_with("/entries/") && entry.site_path.ends_with('/'));
                assert!(!entry.slug.is_empty());
            }
            if let Some(date) = parsed.front_matter.date {
                let _ = date.to_string();
            }
        }
        Err(e) => {
            // The line an error names is one of the file's (or the one after its last). YAML
            // also breaks lines at a lone `\r`, and counts its lines that way.
            let lf = text.matches('\n').count();
            let yaml = text.replace("\r\n", "\n").matches(['\r', '\n']).count();
            let lines = lf.max(yaml) + 1;
            assert!(
                e.line >= 1 && e.line <= lines,
                "line {} of {lines}: {e:?}",
                e.line
            );
            let _ = ContentError::in_front_matter(Path::new("x.md"), e).to_string();
        }
    }
});
