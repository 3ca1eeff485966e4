//! Site configuration: `site.toml`, validated once at load time so later stages can trust it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::ingest::entities::Gazetteer;
use crate::ingest::outlets::OutletProfile;

/// The file name dateline looks for at a site's root.
pub const CONFIG_FILE: &str = "site.toml";

/// `site.toml` as the editor wrote it. Unknown keys are rejected so a typo never silently
/// falls back to a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    /// Custom domain for GitHub Pages: written to `CNAME` in the output.
    #[serde(default)]
    cname: Option<String>,
    #[serde(default)]
    ingest: IngestConfig,
    #[serde(default)]
    grouping: GroupingConfig,
}

/// `[grouping]`: how entries become events.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupingConfig {
    /// Entries whose dates are further apart than this are never the same event.
    #[serde(default = "default_window_days")]
    pub window_days: i64,
    /// Pairs scoring at least this are joined (see `dateline events --explain` for scores).
    #[serde(default = "default_threshold")]
    pub threshold: f32,
}

impl Default for GroupingConfig {
    fn default() -> Self {
        GroupingConfig {
            window_days: default_window_days(),
            threshold: default_threshold(),
        }
    }
}

fn default_window_days() -> i64 {
    3
}
fn default_threshold() -> f32 {
    0.3
}

/// `[ingest]`: where raw articles are and the site's additions to the built-in rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Folder of raw articles, relative to the site root.
    #[serde(default = "default_articles_dir")]
    pub articles_dir: PathBuf,
    /// Larger articles are skipped with a message: a scrape that big is almost always a
    /// mistake (a whole site dump, a binary), and it would dominate memory.
    #[serde(default = "default_max_article_bytes")]
    pub max_article_bytes: u64,
    /// Extra regular expressions for whole lines of page chrome to drop.
    #[serde(default)]
    pub chrome_lines: Vec<String>,
    /// Extra regular expressions for lines that end the article ("More from …").
    #[serde(default)]
    pub end_markers: Vec<String>,
    /// Extra or extended outlet profiles (`[[ingest.outlets]]`).
    #[serde(default)]
    pub outlets: Vec<OutletProfile>,
    /// Extra people and places (`[ingest.gazetteer]`).
    #[serde(default)]
    pub gazetteer: Gazetteer,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            articles_dir: default_articles_dir(),
            max_article_bytes: default_max_article_bytes(),
            chrome_lines: Vec::new(),
            end_markers: Vec::new(),
            outlets: Vec::new(),
            gazetteer: Gazetteer::default(),
        }
    }
}

fn default_articles_dir() -> PathBuf {
    PathBuf::from("articles")
}
fn default_max_article_bytes() -> u64 {
    10 * 1024 * 1024
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute base URL, always ending in `/` (e.g. `https://org.github.io/repo/`).
    pub base_url: String,
    /// The path part of `base_url` without the trailing slash (`/repo`), empty at a domain root.
    pub base_path: String,
    pub language: String,
    pub timezone: chrono_tz::Tz,
    /// Output folder, relative to the site root unless absolute.
    pub output_dir: PathBuf,
    pub cname: Option<String>,
    pub ingest: IngestConfig,
    pub grouping: GroupingConfig,
}

impl SiteConfig {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // The file is there but is not text as dateline reads it: say so, not "no site".
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                bail!(
                    "`{}` is not valid UTF-8: save it as UTF-8 (any editor's \"Save with \
                     encoding\")",
                    path.display()
                )
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "Couldn't read `{}`. Is `{}` a dateline site? (`dateline init DIR` \
                         creates one)",
                        path.display(),
                        root.display()
                    )
                });
            }
        };
        Self::parse(&text)
            .with_context(|| format!("Invalid site configuration `{}`", path.display()))
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Self> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| anyhow::anyhow!(describe_toml_error(text, &e)))?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: RawConfig) -> Result<Self> {
        if raw.title.trim().is_empty() {
            bail!("`title` is empty; give the site a name, e.g. title = \"Karabakh 2020\"");
        }
        let timezone: chrono_tz::Tz = raw.timezone.parse().map_err(|_| {
            anyhow::anyhow!(
                "`timezone = \"{}\"` is not an IANA time zone name; use e.g. \"UTC\", \"Europe/Moscow\" or \"Asia/Yerevan\"",
                raw.timezone
            )
        })?;
        let (base_url, base_path) = normalise_base_url(&raw.base_url)?;
        if let Some(cname) = &raw.cname {
            let valid = !cname.is_empty()
                && cname.len() <= 253
                && cname
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !valid {
                bail!(
                    "`cname = \"{cname}\"` must be a bare domain name such as \"timeline.example.org\""
                );
            }
        }
        if !(0..=366).contains(&raw.grouping.window_days) {
            bail!(
                "`[grouping] window_days = {}` must be between 0 and 366",
                raw.grouping.window_days
            );
        }
        if !(raw.grouping.threshold > 0.0 && raw.grouping.threshold <= 2.0) {
            bail!(
                "`[grouping] threshold = {}` must be above 0 and at most 2 (the default is 0.3)",
                raw.grouping.threshold
            );
        }
        Ok(SiteConfig {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language,
            timezone,
            output_dir: raw.output_dir,
            cname: raw.cname,
            ingest: raw.ingest,
            grouping: raw.grouping,
        })
    }

    /// Replaces the base URL (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let (base_url, base_path) = normalise_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// The absolute URL of a root-relative site path such as `/entries/x/`.
    pub fn absolute_url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path.trim_start_matches('/'))
    }
}

/// Checks that a base URL is absolute http(s) and splits off its path, which every
/// root-relative link on the site must carry when it is served from a sub-folder.
fn normalise_base_url(url: &str) -> Result<(String, String)> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "`base_url = \"{url}\"` must be an absolute http(s) URL, e.g. \"https://org.github.io/repo/\""
            )
        })?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        bail!("`base_url = \"{url}\"` has no valid host name");
    }
    if path.contains(['?', '#', '"', '<', '>', '\\']) || path.contains(char::is_whitespace) {
        bail!(
            "`base_url = \"{url}\"` may only carry a plain path (no query, fragment, quotes or spaces)"
        );
    }
    let base_path = path.trim_end_matches('/').to_string();
    let scheme_len = url.len() - rest.len();
    let base_url = format!("{}{}{}/", &url[..scheme_len], host, base_path);
    Ok((base_url, base_path))
}

/// Turns a TOML error into one line naming the line number and the offending key, and for
/// unknown keys the list of valid ones (toml's own message already lists them).
pub fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim();
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

    #[test]
    fn a_site_toml_in_another_encoding_is_called_that() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join(CONFIG_FILE), b"title = \"Caf\xe9\"\n").unwrap();
        let err = format!("{:#}", SiteConfig::load(root.path()).unwrap_err());
        assert!(
            err.contains("site.toml` is not valid UTF-8: save it as UTF-8"),
            "{err}"
        );
        assert!(!err.contains("Is `"), "{err}");
    }

    #[test]
    fn defaults_apply() {
        let c = SiteConfig::parse(MINIMAL).unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.timezone, chrono_tz::UTC);
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.base_path, "");
    }

    #[test]
    fn base_url_path_is_split_and_normalised() {
        let (url, path) = normalise_base_url("https://org.github.io/repo").unwrap();
        assert_eq!(url, "https://org.github.io/repo/");
        assert_eq!(path, "/repo");
        let (url, path) = normalise_base_url("http://localhost:1111").unwrap();
        assert_eq!(url, "http://localhost:1111/");
        assert_eq!(path, "");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for bad in [
            "org.github.io/repo",
            "https:///x",
            "https://h/a b",
            "https://h/x?y=1",
            "ftp://h/",
        ] {
            assert!(normalise_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_key_is_named_with_line_and_valid_keys() {
        let err = SiteConfig::parse(&format!("{MINIMAL}titel = \"x\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("titel"), "{err}");
        assert!(
            err.contains("base_url") && err.contains("timezone"),
            "{err}"
        );
    }

    #[test]
    fn bad_timezone_is_refused_with_examples() {
        let err = SiteConfig::parse(&format!("{MINIMAL}timezone = \"Moscow\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("IANA"), "{err}");
    }

    #[test]
    fn cname_and_grouping_are_checked() {
        let err = |extra: &str| {
            SiteConfig::parse(&format!("{MINIMAL}{extra}"))
                .unwrap_err()
                .to_string()
        };
        assert!(err("cname = \"https://x.org/\"\n").contains("bare domain"));
        assert!(err("[grouping]\nthreshold = 0.0\n").contains("threshold"));
        assert!(err("[grouping]\nwindow_days = -1\n").contains("window_days"));
        assert!(err("[grouping]\nwindw_days = 2\n").contains("windw_days"));
        let ok = SiteConfig::parse(&format!(
            "{MINIMAL}cname = \"timeline.example.org\"\n[grouping]\nwindow_days = 7\n"
        ))
        .unwrap();
        assert_eq!(
            (ok.cname.as_deref(), ok.grouping.window_days),
            (Some("timeline.example.org"), 7)
        );
    }

    #[test]
    fn absolute_url_joins_base() {
        let mut c = SiteConfig::parse(MINIMAL).unwrap();
        c.set_base_url("https://org.github.io/repo/").unwrap();
        assert_eq!(
            c.absolute_url("/entries/x/"),
            "https://org.github.io/repo/entries/x/"
        );
    }
}
