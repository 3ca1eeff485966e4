//! Static assets: the default theme's files compiled into the binary, overridden file by file by
//! the site's own `static/` folder, copied to the output root.

use std::path::Path;

use anyhow::{Context, Result};

use crate::output::Staging;

/// The default theme's assets, as (output path, bytes).
pub const DEFAULT_STATIC: &[(&str, &[u8])] =
    &[("style.css", include_bytes!("../static/style.css"))];

/// Writes the defaults, then every regular file under `root/static/` (hidden files skipped),
/// so a site file with the same path wins.
pub fn copy(root: &Path, staging: &Staging) -> Result<()> {
    for (path, bytes) in DEFAULT_STATIC {
        staging.write(path, bytes)?;
    }
    let dir = root.join("static");
    if !dir.is_dir() {
        return Ok(());
    }
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
        let site_path = relative.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(item.path())
            .with_context(|| format!("Couldn't read `{}`", item.path().display()))?;
        staging.write(&site_path, &bytes)?;
    }
    Ok(())
}
