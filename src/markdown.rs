//! Markdown → HTML for entry bodies: one configured pulldown-cmark parser, unique heading
//! anchors, and the safety rules for text that came from scraped pages.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The parser every entry body goes through.
fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(text, options)
}

/// Renders Markdown to HTML.
///
/// Entry bodies start life as scraped articles, so raw HTML in them is shown as text rather
/// than passed through, and links with script-capable schemes are neutralised: a hostile page
/// cannot inject markup into the site.
pub fn render(text: &str) -> String {
    let events = assign_heading_ids(parser(text).map(neutralise).collect());
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn neutralise(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Keeps relative URLs and the schemes a reader can follow safely; anything else (javascript:,
/// vbscript:, data:, …) becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
    let compact: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = compact.find(':');
    let first_delimiter = compact.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_delimiter) {
        (Some(colon), Some(delim)) => colon < delim,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme
        || ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|s| compact.starts_with(s))
    {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Gives every heading an id that is unique within the page: an explicit `{#id}` wins, others
/// are slugs of the heading text, and repeats get `-1`, `-2`, ….
fn assign_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let base = match id {
                Some(explicit) => slug(explicit),
                None => slug(&heading_text(&events[i + 1..])),
            };
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let unique = unique_id(&mut seen, base);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique));
            }
        }
        i += 1;
    }
    events
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn unique_id(seen: &mut HashMap<String, usize>, base: String) -> String {
    let mut candidate = base.clone();
    while let Some(count) = seen.get_mut(&candidate) {
        *count += 1;
        candidate = format!("{base}-{count}");
    }
    seen.insert(candidate.clone(), 0);
    candidate
}

/// Longest slug, in characters: keeps file names well under the 255-byte limit of common file
/// systems even for non-Latin scripts (up to 4 bytes a character in UTF-8).
const MAX_SLUG_CHARS: usize = 60;

/// A lower-case, hyphenated, URL- and file-name-safe form of `text` (letters of any script
/// are kept; everything else separates words), at most 60 characters, cut at a word boundary.
/// It can never contain `/`, `.` or `\`.
pub fn slug(text: &str) -> String {
    slug_of_length(text, MAX_SLUG_CHARS)
}

/// The slug of a file name: already short enough to be a file name, so only a generous bound
/// applies (cutting it could make `x-2.md` and `x.md` collide).
pub fn file_slug(stem: &str) -> String {
    slug_of_length(stem, 4 * MAX_SLUG_CHARS)
}

fn slug_of_length(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut chars = text.chars().flat_map(char::to_lowercase);
    for c in chars.by_ref().take(max_chars) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    // End on a whole word rather than half of one, when that keeps most of the slug.
    if chars.next().is_some_and(char::is_alphanumeric)
        && let Some(boundary) = out.rfind('-').filter(|&i| i >= out.len() / 2)
    {
        out.truncate(boundary);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_footnotes_and_smart_punctuation() {
        let html = render(
            "He said \"no\" -- twice.[^1]\n\n[^1]: TASS.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("“no”"), "{html}");
        assert!(html.contains("–"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn heading_ids_are_unique_per_page() {
        let html = render("# Reaction\n\n## Reaction\n\n## Reaction\n\n## Other {#custom}\n");
        assert!(html.contains(r#"<h1 id="reaction">"#), "{html}");
        assert!(html.contains(r#"<h2 id="reaction-1">"#), "{html}");
        assert!(html.contains(r#"<h2 id="reaction-2">"#), "{html}");
        assert!(html.contains(r#"<h2 id="custom">"#), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> here");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_links_are_neutralised() {
        for bad in [
            "javascript:alert(1)",
            "JaVa\tScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = render(&format!("[x](<{bad}>) ![i](<{bad}>)"));
            assert!(html.contains(r##"href="#""##), "{bad}: {html}");
            assert!(html.contains(r##"src="#""##), "{bad}: {html}");
        }
        let html = render("[a](https://tass.com/x) [b](/entries/x/) [c](../y) [d](a:b/c)");
        assert!(html.contains(r#"href="https://tass.com/x""#));
        assert!(html.contains(r#"href="/entries/x/""#));
        assert!(html.contains(r#"href="../y""#));
        assert!(
            html.contains(r##"href="#""##),
            "unknown scheme a: is refused"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Kremlin: first statement!"), "kremlin-first-statement");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Песков заявил"), "песков-заявил");
        assert_eq!(slug("  --  "), "");
        assert_eq!(slug(&"long ".repeat(300)).chars().count(), 59);
        assert_eq!(
            slug("Kremlin makes first statement on situation in Nagorno-Karabakh today"),
            "kremlin-makes-first-statement-on-situation-in-nagorno"
        );
        assert_eq!(file_slug("x-2"), "x-2");
    }
}
