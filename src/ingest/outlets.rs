//! Outlets: the shipped profiles (`outlets.toml`) plus a site's own, and how an article's outlet
//! is recognised from a URL or from the signatures outlets leave in their pages.

use std::collections::HashMap;
use std::sync::LazyLock;

use anyhow::{Context, Result};
use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::lines::{Line, Role};

/// One outlet as data (see `outlets.toml` for the meaning of each field).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutletProfile {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub signatures: Vec<String>,
    #[serde(default)]
    pub chrome: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    outlets: Vec<OutletProfile>,
}

/// The shipped profiles.
pub fn builtin_profiles() -> Vec<OutletProfile> {
    toml::from_str::<ProfileFile>(include_str!("outlets.toml"))
        .map(|f| f.outlets)
        .unwrap_or_default()
}

/// Profiles compiled for lookups.
#[derive(Debug)]
pub struct Outlets {
    names: Vec<String>,
    /// Lower-cased name or alias → index into `names`.
    by_name: HashMap<String, usize>,
    /// Host → index.
    by_domain: HashMap<String, usize>,
    signatures: RegexSet,
    signature_owner: Vec<usize>,
    /// Every profile's chrome patterns, for the boilerplate rules.
    pub chrome: Vec<String>,
}

static PUBLISHED_BY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^published by:?\s*(.*)$").expect("valid regex"));
static OWN_WEBSITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.{2,40}?)(?:[’']s)? website can also be accessed").expect("valid regex")
});
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:©|\(c\)\s|copyright\s)\s*(?:\d{4}\s*)?([^/©|]{2,40}?)\s*(?:/|\||$|\.\s*all rights)").expect("valid regex")
});
static WIRE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Lu}][\p{Lu} .,'-]{1,40}(?:,[^/()]{0,40})?\s*(?:/([^/]{2,30})/|\(([^()]{2,30})\)\s*[-—–])").expect("valid regex")
});

impl Outlets {
    /// Compiles profiles; a site profile with the name of a shipped one extends it.
    pub fn new(builtin: Vec<OutletProfile>, site: &[OutletProfile]) -> Result<Outlets> {
        let mut merged: Vec<OutletProfile> = builtin;
        for profile in site {
            match merged
                .iter_mut()
                .find(|p| p.name.eq_ignore_ascii_case(&profile.name))
            {
                Some(existing) => {
                    existing.aliases.extend(profile.aliases.iter().cloned());
                    existing.domains.extend(profile.domains.iter().cloned());
                    existing
                        .signatures
                        .extend(profile.signatures.iter().cloned());
                    existing.chrome.extend(profile.chrome.iter().cloned());
                }
                None => merged.push(profile.clone()),
            }
        }
        let mut outlets = Outlets {
            names: Vec::new(),
            by_name: HashMap::new(),
            by_domain: HashMap::new(),
            signatures: RegexSet::empty(),
            signature_owner: Vec::new(),
            chrome: Vec::new(),
        };
        let mut signatures = Vec::new();
        for (i, profile) in merged.iter().enumerate() {
            outlets.names.push(profile.name.clone());
            for name in std::iter::once(&profile.name).chain(&profile.aliases) {
                outlets.by_name.entry(name.to_lowercase()).or_insert(i);
            }
            for domain in &profile.domains {
                outlets
                    .by_domain
                    .entry(domain.to_lowercase().trim_start_matches("www.").to_string())
                    .or_insert(i);
            }
            for signature in &profile.signatures {
                signatures.push(format!("(?i){signature}"));
                outlets.signature_owner.push(i);
            }
            outlets.chrome.extend(profile.chrome.iter().cloned());
        }
        outlets.signatures = RegexSet::new(&signatures)
            .context("Invalid regular expression in an outlet's `signatures`")?;
        Ok(outlets)
    }

    /// The canonical name for a name or alias, ignoring case and surrounding punctuation.
    pub fn by_name(&self, name: &str) -> Option<&str> {
        let key = name
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        self.by_name.get(&key).map(|&i| self.names[i].as_str())
    }

    /// The outlet whose domain (or a parent domain) serves `url`.
    pub fn by_url(&self, url: &str) -> Option<&str> {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = after_scheme
            .split(['/', '?', '#', ':'])
            .next()?
            .to_lowercase();
        let mut candidate = host.trim_start_matches("www.");
        loop {
            if let Some(&i) = self.by_domain.get(candidate) {
                return Some(&self.names[i]);
            }
            candidate = candidate.split_once('.')?.1;
        }
    }

    /// The outlet an article signs itself with, and the signature that says so. Only lines of
    /// the article itself are read: lists of other stories after its end name other outlets.
    pub fn from_signatures(&self, lines: &[Line]) -> Option<(String, &'static str)> {
        let own: Vec<(usize, &str)> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                l.role != Role::Blank && (l.role != Role::AfterEnd || is_first_after_end(lines, *i))
            })
            .map(|(i, l)| (i, l.text))
            .collect();
        let strong = own.iter().find_map(|&(pos, text)| {
            self.strong_signature(text, own.iter().find(|(p, _)| *p > pos).map(|(_, t)| *t))
        });
        if let Some(found) = strong {
            return Some(found);
        }
        let standalone = own.iter().rev().find_map(|(_, text)| {
            self.by_name(text)
                .filter(|_| text.split_whitespace().count() <= 4)
        });
        if let Some(name) = standalone {
            return Some((name.to_string(), "its name on a line of its own"));
        }
        let credit = own
            .iter()
            .find_map(|(_, text)| COPYRIGHT.captures(text).and_then(|c| self.by_name(&c[1])));
        if let Some(name) = credit {
            return Some((name.to_string(), "a © credit naming it"));
        }
        let first_prose = lines
            .iter()
            .find(|l| l.role == Role::Body && super::lines::is_paragraph(l.text))?;
        let wire = WIRE_DATELINE.captures(first_prose.text)?;
        let name = wire
            .get(1)
            .or_else(|| wire.get(2))
            .and_then(|m| self.by_name(m.as_str()))?;
        Some((name.to_string(), "the wire dateline of the first paragraph"))
    }

    fn strong_signature(&self, text: &str, next: Option<&str>) -> Option<(String, &'static str)> {
        if let Some(i) = self.signatures.matches(text).iter().next() {
            return Some((
                self.names[self.signature_owner[i]].clone(),
                "an outlet profile's signature",
            ));
        }
        if let Some(c) = PUBLISHED_BY.captures(text) {
            let named = c[1].trim();
            let name = if named.is_empty() {
                next?.trim()
            } else {
                named
            };
            let name = self
                .by_name(name)
                .map(str::to_string)
                .unwrap_or_else(|| name.to_string());
            return (!name.is_empty() && name.split_whitespace().count() <= 5)
                .then_some((name, "a \"Published by\" line"));
        }
        let c = OWN_WEBSITE.captures(text)?;
        let name = self
            .by_name(&c[1])
            .map(str::to_string)
            .unwrap_or_else(|| c[1].trim().to_string());
        Some((name, "the site's note about its own website"))
    }
}

fn is_first_after_end(lines: &[Line], i: usize) -> bool {
    lines[..i].iter().all(|l| l.role != Role::AfterEnd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::lines::{Rules, classify};

    fn outlets() -> Outlets {
        Outlets::new(builtin_profiles(), &[]).unwrap()
    }

    fn signed(text: &str) -> Option<String> {
        let rules = Rules::new(&[], &[]).unwrap();
        outlets()
            .from_signatures(&classify(text, &rules, true))
            .map(|(name, _)| name)
    }

    #[test]
    fn shipped_profiles_parse() {
        assert!(builtin_profiles().len() > 30);
    }

    #[test]
    fn urls_and_names() {
        let o = outlets();
        assert_eq!(
            o.by_url("https://www.presstv.ir/Detail/2020/10/22/x"),
            Some("Press TV")
        );
        assert_eq!(o.by_url("https://sub.tass.com/politics"), Some("TASS"));
        assert_eq!(o.by_url("https://unknown.example/x"), None);
        assert_eq!(o.by_name("  massis post "), Some("MassisPost"));
    }

    #[test]
    fn signatures_in_text() {
        let story = "A headline for the story here\n\nThe first paragraph of the story is long enough to count as prose here.\n\n";
        assert_eq!(
            signed(&format!(
                "{story}Share\nPublished by\nMassisPost\n\nRecent Posts\n\nYEREVAN (ArmInfo) - x"
            )),
            Some("MassisPost".into())
        );
        assert_eq!(
            signed(&format!(
                "{story}Press TV’s website can also be accessed at the following alternate addresses:\n\nwww.presstv.co.uk"
            )),
            Some("Press TV".into())
        );
        assert_eq!(
            signed(&format!("{story}A tank.\n© Sputnik /\nA tank.")),
            Some("Sputnik".into())
        );
        assert_eq!(
            signed(&format!("{story}©Yuri Kochetkov / Pool via REUTERS")),
            None,
            "a photographer is not the outlet"
        );
        assert_eq!(
            signed(
                "MOSCOW, October 7. /TASS/. The Kremlin said it was concerned about the fighting in the region."
            ),
            Some("TASS".into())
        );
        assert_eq!(
            signed(&format!("{story}Recent Posts\n\nPublished by Asbarez")),
            None,
            "after the end"
        );
    }
}
