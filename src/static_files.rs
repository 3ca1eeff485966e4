//! Static assets: the default theme's files compiled into the binary, overridden file by file by
//! the site's own `static/` folder, written to the output root. Each asset's content hash is
//! returned so pages can link `style.css?v=<hash>` and browsers never keep a stale copy.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

/// The default theme's assets, as (output path, bytes).
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("favicon.svg", include_bytes!("../static/favicon.svg")),
    ("search.js", include_bytes!("../static/search.js")),
];

/// Root-relative asset path (`/style.css`) → short content hash.
pub type AssetVersions = BTreeMap<String, String>;

/// The site's static files: output path (`style.css`) → bytes.
pub type StaticFiles = BTreeMap<String, Vec<u8>>;

/// Reads the defaults, then every regular file under `root/static/` (hidden files skipped),
/// so a site file with the same path wins.
pub fn collect(root: &Path) -> Result<StaticFiles> {
    let mut assets: StaticFiles = DEFAULT_STATIC
        .iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    let dir = root.join("static");
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for item in walker {
            let item = item.with_context(|| format!("Couldn't list `{}`", dir.display()))?;
            // Symlinks are not followed: a link could point anywhere on the machine.
            if !item.file_type().is_file() {
                continue;
            }
            let relative = item.path().strip_prefix(&dir).unwrap_or(item.path());
            let bytes = std::fs::read(item.path())
                .with_context(|| format!("Couldn't read `{}`", item.path().display()))?;
            assets.insert(relative.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    Ok(assets)
}

/// Each file's root-relative path (`/style.css`) and version.
pub fn versions(files: &StaticFiles) -> AssetVersions {
    files
        .iter()
        .map(|(path, bytes)| (format!("/{path}"), version_of(bytes)))
        .collect()
}

/// The first 10 hex digits of the content's SHA-256.
pub fn version_of(bytes: &[u8]) -> String {
    crate::hash::short_sha256(bytes, 5)
}
