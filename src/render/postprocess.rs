//! The lol_html pass every page goes through after Tera: links are written root-relative in
//! templates and Markdown, so the base path of a project site (`/repo`) is added here, once,
//! instead of in every template; external links are marked so they cannot reach back into the
//! page that opened them.

use std::cell::RefCell;
use std::collections::BTreeSet;

use anyhow::{Result, anyhow};
use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Attributes that carry a single URL.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("link[href]", "href"),
    ("area[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("source[src]", "src"),
    ("iframe[src]", "src"),
    ("video[poster]", "poster"),
    ("form[action]", "action"),
];

/// What the rewrite needs to know about the site.
#[derive(Debug, Clone)]
pub struct LinkPolicy {
    /// The path part of base_url without trailing slash (`/repo`), or empty.
    pub base_path: String,
    /// Host (with port) of base_url: links to it are internal.
    pub site_host: String,
    /// Asset path → content hash, appended as `?v=` so browsers fetch a changed file.
    pub assets: crate::static_files::AssetVersions,
    /// Links relative to each page, folders ending in `index.html`: the site works opened
    /// from the disk (`file://`), e.g. an archive handed over on a USB stick.
    pub offline: bool,
}

impl LinkPolicy {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        let after_scheme = base_url
            .split_once("://")
            .map_or(base_url, |(_, rest)| rest);
        let site_host = after_scheme
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        LinkPolicy {
            base_path: base_path.to_string(),
            site_host,
            assets: Default::default(),
            offline: false,
        }
    }

    pub fn with_assets(mut self, assets: crate::static_files::AssetVersions) -> Self {
        self.assets = assets;
        self
    }

    /// The URL as it must appear in the output, when it differs: root-relative URLs get the base
    /// path (or, offline, the way up from the page to the root), and links to our own assets
    /// their version.
    fn prefixed(&self, url: &str, root: &str) -> Option<String> {
        if !url.starts_with('/') || url.starts_with("//") {
            return None;
        }
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, rest) = url.split_at(split);
        let version = self.assets.get(path).filter(|_| rest.is_empty());
        let versioned =
            |p: &str| version.map_or_else(|| format!("{p}{rest}"), |v| format!("{p}?v={v}"));
        let rewritten = if self.offline {
            let inside = path.trim_start_matches('/');
            let file = if inside.is_empty() || inside.ends_with('/') {
                format!("{inside}index.html")
            } else {
                inside.to_string()
            };
            versioned(&format!("{root}{file}"))
        } else {
            format!("{}{}", self.base_path, versioned(path))
        };
        (rewritten != url).then_some(rewritten)
    }

    /// Where the site's root is from `page_path`, for links and for scripts that build links:
    /// `/repo/` on a server, `../../` offline.
    pub fn root(&self, page_path: &str) -> String {
        if !self.offline {
            return format!("{}/", self.base_path);
        }
        let folders = page_path.trim_start_matches('/').matches('/').count();
        if folders == 0 {
            "./".to_string()
        } else {
            "../".repeat(folders)
        }
    }

    fn is_external(&self, url: &str) -> bool {
        let lower = url.trim().to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .or_else(|| lower.strip_prefix("//"));
        match rest {
            Some(rest) => rest.split(['/', '?', '#']).next().unwrap_or_default() != self.site_host,
            None => false,
        }
    }
}

/// Rewrites one HTML page.
pub fn rewrite_page(html: &str, policy: &LinkPolicy) -> Result<String> {
    rewrite_page_at(html, policy, "/")
}

/// Rewrites the page at `page_path` (`/events/x/`, `/404.html`).
pub fn rewrite_page_at(html: &str, policy: &LinkPolicy, page_path: &str) -> Result<String> {
    rewrite_page_tracking_assets(html, policy, page_path).map(|(html, _)| html)
}

/// Rewrites the page at `page_path` and lists the versioned assets it links to, sorted: an
/// incremental rebuild must redo the page when one of them changes (the search index changes
/// with every edit, and only the pages that load it should follow).
pub fn rewrite_page_tracking_assets(
    html: &str,
    policy: &LinkPolicy,
    page_path: &str,
) -> Result<(String, Vec<String>)> {
    let used_assets: RefCell<BTreeSet<String>> = RefCell::default();
    let note_asset = |url: &str| {
        let path = &url[..url.find(['?', '#']).unwrap_or(url.len())];
        if policy.assets.contains_key(path) {
            used_assets.borrow_mut().insert(path.to_string());
        }
    };
    let note_asset = &note_asset;
    // Declared before the handlers that borrow it, so it outlives them.
    let root = policy.root(page_path);
    let page_root = root.clone();
    let mut handlers = Vec::new();
    handlers.push(element!("html", move |el: &mut Element| {
        el.set_attribute("data-root", &page_root)?;
        if policy.offline {
            el.set_attribute("data-offline", "true")?;
        }
        Ok(())
    }));
    let root = &root;
    for (selector, attribute) in URL_ATTRIBUTES {
        handlers.push(element!(*selector, move |el: &mut Element| {
            if let Some(url) = el.get_attribute(attribute) {
                note_asset(&url);
                if let Some(new) = policy.prefixed(&url, root) {
                    el.set_attribute(attribute, &new)?;
                }
            }
            Ok(())
        }));
    }
    handlers.push(element!(
        "img[srcset], source[srcset]",
        |el: &mut Element| {
            if let Some(srcset) = el.get_attribute("srcset") {
                let rewritten: Vec<String> = srcset
                    .split(',')
                    .map(|candidate| {
                        let candidate = candidate.trim();
                        let (url, descriptor) =
                            candidate.split_once(' ').unwrap_or((candidate, ""));
                        note_asset(url);
                        let url = policy
                            .prefixed(url, root)
                            .unwrap_or_else(|| url.to_string());
                        if descriptor.is_empty() {
                            url
                        } else {
                            format!("{url} {descriptor}")
                        }
                    })
                    .collect();
                el.set_attribute("srcset", &rewritten.join(", "))?;
            }
            Ok(())
        }
    ));
    handlers.push(element!("a[href]", |el: &mut Element| {
        if el
            .get_attribute("href")
            .is_some_and(|url| policy.is_external(&url))
        {
            let mut rel: Vec<String> = el
                .get_attribute("rel")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for needed in ["noopener", "noreferrer"] {
                if !rel.iter().any(|r| r.eq_ignore_ascii_case(needed)) {
                    rel.push(needed.to_string());
                }
            }
            el.set_attribute("rel", &rel.join(" "))?;
        }
        Ok(())
    }));
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    let html =
        rewrite_str(html, settings).map_err(|e| anyhow!("HTML post-processing failed: {e}"))?;
    Ok((html, used_assets.into_inner().into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(base: &str, path: &str) -> LinkPolicy {
        LinkPolicy::new(base, path)
    }

    #[test]
    fn root_relative_urls_get_the_base_path() {
        let p = policy("https://org.github.io/repo/", "/repo");
        let html = r##"<a href="/entries/x/">x</a><link rel="stylesheet" href="/style.css"><img src="/a.png" srcset="/a.png 1x, /b.png 2x"><a href="//cdn.example/x">c</a><a href="#top">t</a><a href="rel/x">r</a><form action="/search"></form>"##;
        let out = rewrite_page(html, &p).unwrap();
        assert!(out.contains(r#"href="/repo/entries/x/""#), "{out}");
        assert!(out.contains(r#"href="/repo/style.css""#), "{out}");
        assert!(out.contains(r#"src="/repo/a.png""#), "{out}");
        assert!(
            out.contains(r#"srcset="/repo/a.png 1x, /repo/b.png 2x""#),
            "{out}"
        );
        assert!(out.contains(r#"href="//cdn.example/x""#), "{out}");
        assert!(out.contains(r##"href="#top""##), "{out}");
        assert!(out.contains(r#"href="rel/x""#), "{out}");
        assert!(out.contains(r#"action="/repo/search""#), "{out}");
    }

    #[test]
    fn assets_get_their_version_and_pages_their_root() {
        let mut assets = crate::static_files::AssetVersions::new();
        assets.insert("/style.css".into(), "abc123".into());
        let p = policy("https://org.github.io/repo/", "/repo").with_assets(assets);
        let out = rewrite_page(r#"<html><link rel="stylesheet" href="/style.css"><a href="/style.css.map">m</a></html>"#, &p).unwrap();
        assert!(out.contains(r#"<html data-root="/repo/">"#), "{out}");
        assert!(out.contains(r#"href="/repo/style.css?v=abc123""#), "{out}");
        assert!(out.contains(r#"href="/repo/style.css.map""#), "{out}");
    }

    #[test]
    fn nothing_changes_at_a_domain_root() {
        let p = policy("https://example.org/", "");
        let html = r#"<a href="/entries/x/">x</a>"#;
        assert_eq!(rewrite_page(html, &p).unwrap(), html);
    }

    #[test]
    fn external_links_get_noopener_noreferrer() {
        let p = policy("https://org.github.io/repo/", "/repo");
        let out = rewrite_page(
            r#"<a href="https://tass.com/politics/1">a</a><a href="https://org.github.io/repo/x">b</a><a rel="author" href="HTTP://Example.com">c</a>"#,
            &p,
        )
        .unwrap();
        assert!(
            out.contains(r#"<a href="https://tass.com/politics/1" rel="noopener noreferrer">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<a href="https://org.github.io/repo/x">"#),
            "{out}"
        );
        assert!(out.contains(r#"rel="author noopener noreferrer""#), "{out}");
    }
}
