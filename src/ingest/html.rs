//! Reading a saved web page in one streaming pass: its titles, date candidates, outlet, URL and
//! main-text paragraphs, with navigation, widgets and other page furniture left out.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use lol_html::html_content::Element;
use lol_html::{HtmlRewriter, Settings, doc_text, element, end_tag};
use serde_json::{Map, Value};

use super::decode::decode_entities;

/// What ingest takes from a page. Text is entity-decoded; dates are kept as written.
#[derive(Debug, Default, Clone, PartialEq)]
#[cfg_attr(test, derive(serde::Deserialize), serde(deny_unknown_fields))]
pub struct HtmlArticle {
    /// `og:title`, else the JSON-LD `headline`.
    pub og_title: Option<String>,
    /// The `<title>` as written, outlet suffix included: the caller trims it.
    pub title_tag: Option<String>,
    pub h1: Option<String>,
    /// Publication date candidates as (source, raw string), in document order, e.g.
    /// ("article:published_time", "2020-09-28T14:33:00+03:00"), ("json-ld datePublished", ...),
    /// ("time[datetime]", ...), ("meta name=date", ...). Raw strings are NOT parsed here.
    pub published: Vec<(String, String)>,
    /// article:modified_time, dateModified: never publication dates, kept for the record.
    pub modified: Vec<(String, String)>,
    /// og:site_name, else JSON-LD publisher.name, else application-name.
    pub site_name: Option<String>,
    /// link[rel=canonical], else og:url.
    pub canonical_url: Option<String>,
    /// og:description, else meta description.
    pub description: Option<String>,
    /// meta name=author, else JSON-LD author.name.
    pub author: Option<String>,
    /// Main text blocks, whitespace-collapsed, in order; a `<br>` inside a block becomes `\n`.
    pub paragraphs: Vec<String>,
}

/// Extracts an article from a page. Time and memory are linear in its size, however nested.
pub fn extract(html: &str) -> anyhow::Result<HtmlArticle> {
    let state = Rc::new(RefCell::new(State::default()));
    let (on_element, on_text) = (Rc::clone(&state), Rc::clone(&state));
    let settings = Settings::new()
        // Never give up on markup a browser would shrug at: ingest must read every page.
        .with_strict(false)
        .append_element_content_handler(element!("*", move |el| {
            on_element.borrow_mut().open(el);
            if el.can_have_content() {
                let on_end = Rc::clone(&on_element);
                el.on_end_tag(end_tag!(move |_| {
                    on_end.borrow_mut().close();
                    Ok(())
                }))?;
            }
            Ok(())
        }))
        .append_document_content_handler(doc_text!(move |t| {
            on_text.borrow_mut().text(t.as_str());
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter.write(html.as_bytes())?;
    rewriter.end()?;
    Ok(state.take().finish())
}

/// Where the text of an element goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Sink {
    #[default]
    Para,
    Drop,
    Title,
    H1,
    JsonLd,
}

impl Sink {
    fn captures(self) -> bool {
        matches!(self, Sink::Title | Sink::H1 | Sink::JsonLd)
    }
}

/// An open element, as far as extraction cares. Flags are inherited by descendants.
#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    sink: Sink,
    /// Inside page furniture: neither text nor metadata counts.
    hard: bool,
    /// Inside a header: metadata (h1, time) counts, text does not.
    soft: bool,
    /// Inside `<article>`, `<main>` or `[itemprop=articleBody]`.
    scope: bool,
    pre: bool,
    block: bool,
    /// This element started the capture of a title, h1 or JSON-LD script.
    capture: bool,
}

/// How a tag shapes the text around it. Blocks end the paragraph before and after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Inline,
    Block,
    /// A block whose own text is article text: `<p>`-like ones, and containers on pages without.
    TextBlock,
    /// Page furniture, left out with everything inside.
    Furniture,
    FurnitureBlock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Noise {
    None,
    Soft,
    Hard,
}

/// (is modified, source, raw, rank for a `<time>`), in document order.
type Date = (bool, String, String, Option<u8>);
/// (source, raw) pairs as `HtmlArticle` lists them.
type Candidates = Vec<(String, String)>;

#[derive(Debug, Default)]
struct State {
    stack: Vec<Frame>,
    /// Raw text of the current block, one entry per `<br>`-separated line.
    lines: Vec<String>,
    lines_scoped: bool,
    /// Main-text blocks and whether each lies in the article scope.
    paragraphs: Vec<(String, bool)>,
    captured: String,
    capture_rank: u8,
    title: Option<String>,
    /// The best `<h1>` so far, with its rank.
    h1: Option<(u8, String)>,
    dates: Vec<Date>,
    /// First value per key: meta names, "canonical", "ld headline", "ld publisher"...
    found: HashMap<String, String>,
}

const HARD_ROLES: &str = "navigation complementary contentinfo search dialog";
const NOISE_WORDS: &str = "share social related recommend comment newsletter subscribe promo advert \
    ad- sponsor breadcrumb cookie popup modal sidebar menu navbar footer tags byline-share read-more \
    most-read trending skip-link screen-reader sr-only visually-hidden";
const META_KEYS: &str =
    "og:title og:site_name og:url og:description description author application-name";
const PUBLISHED_KEYS: &str = "article:published_time og:published_time date pubdate publishdate \
    publish-date publish_date datepublished dc.date dc.date.issued dcterms.date dcterms.issued \
    dcterms.created sailthru.date parsely-pub-date citation_publication_date citation_date";
const MODIFIED_KEYS: &str =
    "article:modified_time og:updated_time datemodified dcterms.modified last-modified";

impl State {
    fn open(&mut self, el: &Element) {
        let tag = el.tag_name();
        let kind = tag_kind(&tag);
        let parent = self.stack.last().copied().unwrap_or_default();
        let noise = noise(&tag, kind, el);
        let mut frame = Frame {
            hard: parent.hard || noise == Noise::Hard,
            soft: parent.soft || noise == Noise::Soft,
            scope: parent.scope || is_scope(&tag, el),
            pre: parent.pre || tag == "pre",
            ..parent
        };
        // A change of scope ends the current block, so a paragraph is wholly in or out of it.
        let block = matches!(kind, Kind::Block | Kind::TextBlock | Kind::FurnitureBlock);
        frame.block = block || frame.scope != parent.scope;
        if !frame.hard {
            self.metadata(&tag, el, &frame);
        }
        if frame.block || tag == "hr" {
            self.flush();
        } else if tag == "br" && parent.sink == Sink::Para && !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        if el.can_have_content() {
            let text_block = kind == Kind::TextBlock;
            frame.sink = self.sink_for(&tag, el, text_block, &parent, &frame);
            frame.capture = frame.sink != parent.sink && frame.sink.captures();
            if frame.capture {
                self.captured.clear();
                self.capture_rank = rank(&frame);
            }
            self.stack.push(frame);
        }
    }

    fn sink_for(&self, tag: &str, el: &Element, text: bool, parent: &Frame, frame: &Frame) -> Sink {
        let ld_json = || {
            let kind = el.get_attribute("type").unwrap_or_default();
            kind.trim().eq_ignore_ascii_case("application/ld+json")
        };
        match tag {
            _ if parent.sink.captures() => parent.sink,
            // JSON-LD describes the page wherever a CMS happens to put it.
            "script" if ld_json() => Sink::JsonLd,
            _ if frame.hard => Sink::Drop,
            "title" if self.title.is_none() => Sink::Title,
            "title" => Sink::Drop,
            "h1" => Sink::H1,
            _ if frame.soft => Sink::Drop,
            _ if frame.block && text => Sink::Para,
            _ if frame.block => Sink::Drop,
            _ => parent.sink,
        }
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.last().copied() else {
            return;
        };
        if frame.block {
            self.flush();
        }
        self.stack.pop();
        if !frame.capture {
            return;
        }
        let raw = std::mem::take(&mut self.captured);
        match frame.sink {
            Sink::Title => self.title = self.title.take().or(non_empty(clean(&raw))),
            Sink::H1 => {
                let text = clean(&raw);
                let better = self.h1.as_ref().is_none_or(|(r, _)| self.capture_rank < *r);
                if better && !text.is_empty() {
                    self.h1 = Some((self.capture_rank, text));
                }
            }
            // Invalid JSON-LD is common (trailing commas, CMS templates) and just says nothing.
            Sink::JsonLd => {
                if let Ok(value) = serde_json::from_str::<Value>(raw.trim()) {
                    self.ld_value(&value);
                }
            }
            Sink::Para | Sink::Drop => {}
        }
    }

    fn text(&mut self, chunk: &str) {
        let top = self.stack.last().copied().unwrap_or_default();
        match top.sink {
            Sink::Para => {
                if self.lines.is_empty() {
                    self.lines_scoped = top.scope;
                    self.lines.push(String::new());
                }
                // Lines of a `<pre>` are kept apart like `<br>`-separated ones.
                let mut parts = chunk.split(|c| top.pre && c == '\n');
                let first = parts.next().unwrap_or_default();
                self.lines.last_mut().expect("pushed above").push_str(first);
                self.lines.extend(parts.map(str::to_owned));
            }
            Sink::Title | Sink::H1 | Sink::JsonLd => self.captured.push_str(chunk),
            Sink::Drop => {}
        }
    }

    /// Ends the current block: its lines make one paragraph; a blank line (`<br><br>`) splits.
    fn flush(&mut self) {
        let mut para = String::new();
        let lines = std::mem::take(&mut self.lines);
        for line in lines.iter().map(|l| clean(l)).chain([String::new()]) {
            if line.is_empty() && !para.is_empty() {
                self.paragraphs
                    .push((std::mem::take(&mut para), self.lines_scoped));
            } else if !line.is_empty() {
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(&line);
            }
        }
    }

    fn metadata(&mut self, tag: &str, el: &Element, frame: &Frame) {
        let attr = |name| {
            el.get_attribute(name)
                .map(|v| decode_entities(v.trim(), true))
        };
        let lower = |name| attr(name).unwrap_or_default().to_ascii_lowercase();
        let content = attr("content").filter(|c| !c.is_empty());
        if tag == "link" && lower("rel").split_whitespace().any(|t| t == "canonical") {
            self.remember("canonical", attr("href"));
        } else if let Some(raw) = attr("datetime").filter(|d| tag == "time" && !d.is_empty()) {
            let updated = has_word(&attr("class").unwrap_or_default(), "updated modified");
            let modified = updated || lower("itemprop") == "datemodified";
            let source = "time[datetime]".to_owned();
            self.dates.push((modified, source, raw, Some(rank(frame))));
        } else if let Some(content) =
            content.filter(|_| tag == "meta" || el.has_attribute("itemprop"))
        {
            self.meta(el, content);
        }
    }

    fn meta(&mut self, el: &Element, content: String) {
        for attr in ["property", "name", "itemprop"] {
            let Some(key) = el.get_attribute(attr) else {
                continue;
            };
            let lower = key.trim().to_ascii_lowercase();
            let modified = listed(MODIFIED_KEYS, &lower);
            if modified || listed(PUBLISHED_KEYS, &lower) {
                let source = match lower.contains(':') {
                    true => lower,
                    false => format!("meta {attr}={}", key.trim()),
                };
                self.dates.push((modified, source, content.clone(), None));
            } else if listed(META_KEYS, &lower) {
                self.remember(&lower, Some(collapse(&content)));
            }
        }
    }

    fn remember(&mut self, key: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.found.entry(key.to_owned()).or_insert(value);
        }
    }

    fn ld_value(&mut self, value: &Value) {
        match value {
            Value::Array(items) => items.iter().for_each(|item| self.ld_value(item)),
            Value::Object(map) => self.ld_object(map),
            _ => {}
        }
    }

    fn ld_object(&mut self, map: &Map<String, Value>) {
        for key in ["datePublished", "dateCreated", "uploadDate", "dateModified"] {
            let raw = map.get(key).and_then(Value::as_str).map(str::trim);
            if let Some(raw) = raw.filter(|r| !r.is_empty()) {
                let (modified, source) = (key == "dateModified", format!("json-ld {key}"));
                self.dates.push((modified, source, raw.to_owned(), None));
            }
        }
        let name = |key| map.get(key).and_then(ld_name).map(clean);
        self.remember("ld headline", name("headline"));
        self.remember("ld publisher", name("publisher"));
        self.remember("ld author", name("author"));
        for nested in ["@graph", "mainEntity"] {
            if let Some(value) = map.get(nested) {
                self.ld_value(value);
            }
        }
    }

    fn finish(mut self) -> HtmlArticle {
        // Elements still open at the end of the page close now, innermost first.
        while !self.stack.is_empty() {
            self.close();
        }
        self.flush();
        let scoped = self.paragraphs.iter().any(|(_, in_scope)| *in_scope);
        let paragraphs = self.paragraphs.into_iter().filter(|(_, s)| *s || !scoped);
        let (published, modified) = pick_dates(self.dates);
        let mut found = self.found;
        let mut first = |keys: &[&str]| keys.iter().find_map(|k| found.remove(*k));
        HtmlArticle {
            og_title: first(&["og:title", "ld headline"]),
            title_tag: self.title,
            h1: self.h1.map(|(_, text)| text),
            published,
            modified,
            site_name: first(&["og:site_name", "ld publisher", "application-name"]),
            canonical_url: first(&["canonical", "og:url"]),
            description: first(&["og:description", "description"]),
            author: first(&["author", "ld author"]),
            paragraphs: paragraphs.map(|(text, _)| text).collect(),
        }
    }
}

/// Keeps every meta and JSON-LD date, and of the `<time>`s those with the best rank.
fn pick_dates(dates: Vec<Date>) -> (Candidates, Candidates) {
    let best_rank = |modified| {
        dates
            .iter()
            .filter(move |d| d.0 == modified)
            .filter_map(|d| d.3)
    };
    let best = [best_rank(false).min(), best_rank(true).min()];
    let mut lists: [Candidates; 2] = Default::default();
    for (is_modified, source, raw, rank) in dates {
        let i = usize::from(is_modified);
        if rank.is_none() || rank == best[i] {
            lists[i].push((source, raw));
        }
    }
    let [published, modified] = lists;
    (published, modified)
}

/// A `<time>` or `<h1>` in the article (0) beats one elsewhere (1), which beats one in a page
/// header (2), where sites print today's date and their own name.
fn rank(frame: &Frame) -> u8 {
    match (frame.scope, frame.soft) {
        (true, _) => 0,
        (false, false) => 1,
        (false, true) => 2,
    }
}

fn tag_kind(tag: &str) -> Kind {
    match tag {
        "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "pre" | "td" | "dd"
        | "div" | "section" | "article" | "main" | "body" | "html" => Kind::TextBlock,
        "address" | "caption" | "details" | "dl" | "dt" | "fieldset" | "figure" | "h1" | "head"
        | "header" | "hgroup" | "menu" | "ol" | "option" | "summary" | "table" | "tbody"
        | "tfoot" | "th" | "thead" | "tr" | "ul" => Kind::Block,
        "nav" | "footer" | "aside" | "form" | "figcaption" | "dialog" | "select" => {
            Kind::FurnitureBlock
        }
        "script" | "style" | "noscript" | "template" | "iframe" | "svg" | "button" | "textarea" => {
            Kind::Furniture
        }
        _ => Kind::Inline,
    }
}

/// Page furniture, by tag, `hidden`, ARIA role, or a telling word in the class or id.
fn noise(tag: &str, kind: Kind, el: &Element) -> Noise {
    if matches!(kind, Kind::Furniture | Kind::FurnitureBlock) || el.has_attribute("hidden") {
        return Noise::Hard;
    }
    match tag {
        "header" => return Noise::Soft,
        // The page's own wrappers carry state classes such as "has-sidebar" or "comments-open".
        "html" | "body" | "main" | "article" => return Noise::None,
        _ => {}
    }
    let attr = |name| el.get_attribute(name).unwrap_or_default();
    let role = attr("role").to_ascii_lowercase();
    let names = format!("{} {}", attr("class"), attr("id"));
    let mut parts = names.split(|c: char| !c.is_ascii_alphanumeric());
    let ad = parts.any(|part| part.eq_ignore_ascii_case("ad") || part.eq_ignore_ascii_case("ads"));
    if ad || has_word(&names, NOISE_WORDS) || listed(HARD_ROLES, &role) {
        Noise::Hard
    } else if role == "banner" || has_word(&names, "header") {
        Noise::Soft
    } else {
        Noise::None
    }
}

fn listed(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w == word)
}

/// Whether one of `words` starts a part of a class list ("article-share", "shareBar",
/// "ShareBox"), rather than sitting inside one ("subheader", "hashtags").
fn has_word(value: &str, words: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let mut prev = ' ';
    value.char_indices().any(|(i, c)| {
        let starts = !prev.is_alphanumeric() || (prev.is_lowercase() && c.is_uppercase());
        prev = c;
        starts && c.is_alphanumeric() && words.split(' ').any(|w| lower[i..].starts_with(w))
    })
}

fn is_scope(tag: &str, el: &Element) -> bool {
    let has = |name, token: &str| {
        let value = el.get_attribute(name).unwrap_or_default();
        value
            .split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case(token))
    };
    matches!(tag, "article" | "main") || has("itemprop", "articleBody") || has("role", "main")
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// A JSON-LD name: a plain string, an object's `name`, or the first of a list.
fn ld_name(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s.as_str()).filter(|s| !s.trim().is_empty()),
        Value::Object(map) => map.get("name").and_then(ld_name),
        Value::Array(items) => items.iter().find_map(ld_name),
        _ => None,
    }
}

/// Text as a reader sees it: references decoded, whitespace collapsed.
fn clean(raw: &str) -> String {
    collapse(&decode_entities(raw, false))
}

/// Collapses whitespace (no-break spaces included) and drops soft hyphens and zero-width
/// characters, which are invisible on the page but would split words in a search.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !matches!(c, '\u{ad}' | '\u{200b}' | '\u{feff}') {
            if std::mem::take(&mut space) {
                out.push(' ');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
