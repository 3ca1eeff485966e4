//! Boilerplate removal for text scrapes: every line gets a role (headline, body, caption,
//! credit, date line, tag line, page chrome, or past the end of the article) from its own
//! features and its neighbours', using rules a site can extend in `site.toml`.
//!
//! The rules are deliberately about the *shape* of a line (a short line without a verb next to
//! a photo credit is a caption; a line that appears twice is page furniture; a comma list of
//! short capitalised items after the last paragraph is a tag line), so they carry over to
//! outlets nobody has seen; the phrase lists only name the commonest widget texts.

use std::collections::HashMap;
use std::sync::LazyLock;

use anyhow::{Context, Result};
use regex::{Regex, RegexSet};

use super::dates;

/// What a line of a scrape is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Blank,
    /// Site furniture: navigation, widgets, counters, category labels, clocks' neighbours.
    Chrome,
    /// A photo caption.
    Caption,
    /// A photo or source credit (`© …`, `… /facebook.com`).
    Credit,
    /// A line that is only a date and time (maybe with a view counter).
    DateLine,
    Headline,
    Body,
    /// A comma list of topics after the article.
    Tags,
    /// At or after an end marker ("Recent Posts", …): not part of the article.
    AfterEnd,
}

/// One line of the scrape with its role and, for removed lines, why.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub text: &'a str,
    pub role: Role,
    pub why: &'static str,
}

/// Widget and navigation texts that are whole lines of chrome on many sites.
const CHROME_PHRASES: &[&str] = &[
    r"listen live",
    r"get short url",
    r"share( this( article| story| page)?)?( on \w+)?:?",
    r"(print|e-?mail|tweet|comments?|discussion|reply|like|follow)",
    r"community standards.*",
    r"(advertisement|sponsored( content)?|promoted)",
    r"(read|see) (more|also).*",
    r"(subscribe|sign up|log ?in|sign in|register)\b.{0,40}",
    r"follow us\b.*",
    r"(skip to (main )?content|back to top|menu|search|close|home)",
    r"(next|previous) (article|story|post)",
    r"(cookies?|we use cookies)\b.{0,80}",
    r"all rights reserved\.?",
    r"(tags?|topics?|keywords?):?",
    r"published by",
    // Bylines, reading times and wire sign-offs: about the article, not of it.
    r"by [\p{Lu}][\p{L}.'-]+( [\p{Lu}][\p{L}.'-]+){0,3}(( and |, )[\p{Lu}][\p{L}.'-]+( [\p{Lu}][\p{L}.'-]+){0,3})*",
    r"\d{1,3} min(ute)?s? read",
    r"(reporting|writing|editing|additional reporting) by .+",
    r"our standards:.*",
];

/// Lines that end the article: everything from here on is the site's, not the story's.
const END_MARKERS: &[&str] = &[
    r"recent posts",
    r"related( (posts|articles|stories|news|content))?:?",
    r"(you may|you might) also (like|be interested in).*",
    r"more (from|on|in) .{1,40}",
    r"most (read|popular|viewed)",
    r"(latest|top) (news|stories)",
    r"(leave a|post a) (comment|reply).*",
    r".{0,60}can also be accessed at the following alternate addresses:?",
];

/// Phrases that mark a line as a photo caption wherever they appear in it.
static CAPTION_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((photo|image|picture|video)s? ?(by|:|credit)|^file photo\b|^(photo|image|picture)s?:|\bphoto ?credit\b")
        .expect("valid regex")
});
/// `© Owner`, `(c) Owner`, and `Owner/facebook.com` or `Photographer/Agency` credits.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(©|\(c\)\s|copyright\s)|^[^.!?]{2,120}[^\s/]\s?/\s?[\w .&'-]{2,40}$|^[^.!?]{2,120}\s/\s?$")
        .expect("valid regex")
});
static NAV_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s[/|›»>]\s").expect("valid regex"));

/// The rules in force for one ingest run: built-in ones plus the site's.
#[derive(Debug)]
pub struct Rules {
    chrome: RegexSet,
    end: RegexSet,
}

impl Rules {
    /// `extra_chrome` and `extra_end` are regular expressions from `site.toml` (and outlet
    /// profiles), matched case-insensitively against the whole trimmed line.
    pub fn new(extra_chrome: &[String], extra_end: &[String]) -> Result<Rules> {
        let whole_line = |p: &str| format!("(?i)^(?:{p})$");
        let chrome: Vec<String> = CHROME_PHRASES
            .iter()
            .map(|p| whole_line(p))
            .chain(extra_chrome.iter().map(|p| whole_line(p)))
            .collect();
        let end: Vec<String> = END_MARKERS
            .iter()
            .map(|p| whole_line(p))
            .chain(extra_end.iter().map(|p| whole_line(p)))
            .collect();
        Ok(Rules {
            chrome: RegexSet::new(&chrome)
                .context("Invalid regular expression in [ingest] chrome_lines")?,
            end: RegexSet::new(&end)
                .context("Invalid regular expression in [ingest] end_markers")?,
        })
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn ends_sentence(text: &str) -> bool {
    let last = text
        .trim_end_matches(['"', '”', '’', '\'', '»', ')', ']'])
        .chars()
        .last();
    matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'))
}

/// A full paragraph of prose: long, or a sentence of reasonable length.
pub fn is_paragraph(text: &str) -> bool {
    let words = word_count(text);
    words >= 14 || (words >= 6 && ends_sentence(text))
}

/// Names of UI icons run together ("icon bookmark-bicon cameraicon …") from a page's sprite.
fn is_icon_soup(text: &str) -> bool {
    let tokens = word_count(text);
    let icons = text
        .split_whitespace()
        .filter(|w| w.to_ascii_lowercase().contains("icon"))
        .count();
    icons >= 5 && icons * 3 >= tokens
}

/// `News / More`, `Home | World | Europe`: short items between separators.
fn is_navigation(text: &str) -> bool {
    NAV_SEPARATOR.is_match(text)
        && NAV_SEPARATOR
            .split(text)
            .all(|item| (1..=3).contains(&word_count(item)))
        && !ends_sentence(text)
}

/// A line that is only dates, times, a zone and perhaps a view counter.
fn is_date_line(text: &str) -> bool {
    let found = dates::find_dates(text);
    if found.is_empty() || word_count(text) > 10 {
        return false;
    }
    let mut rest = String::new();
    let mut last = 0;
    for date in &found {
        rest.push_str(text.get(last..date.span.start).unwrap_or(""));
        rest.push(' ');
        last = date.span.end;
    }
    rest.push_str(text.get(last..).unwrap_or(""));
    let leftover: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '·' | '•'))
        .filter(|w| !w.is_empty())
        .collect();
    leftover.len() <= 2 && leftover.iter().all(|w| w.len() <= 12)
}

/// A headline: a short line that is not a sentence of prose.
fn is_title_like(text: &str) -> bool {
    let words = word_count(text);
    // Scripts without case (Arabic, Hebrew, Chinese…) start well with any letter; direction
    // marks (RLM, embeddings, isolates) before the first letter are invisible.
    let bidi = |c: &char| matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let starts_well = text.chars().find(|c| !bidi(c)).is_some_and(|c| {
        c.is_uppercase()
            || c.is_numeric()
            || (c.is_alphabetic() && !c.is_lowercase())
            || "\"“‘'«".contains(c)
    });
    (4..=30).contains(&words)
        && text.chars().count() <= 250
        && starts_well
        && !text.trim_end().ends_with('.')
}

/// `Russia, Azerbaijan, Armenia, Nagorno-Karabakh conflict`: three or more short, capitalised
/// items and no sentence.
pub fn tag_items(text: &str) -> Option<Vec<String>> {
    if ends_sentence(text) || !text.contains(',') {
        return None;
    }
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    let ok = items.len() >= 3
        && items.iter().all(|i| {
            (1..=4).contains(&word_count(i))
                && i.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        });
    ok.then(|| items.into_iter().map(str::to_string).collect())
}

/// Assigns a role to every line of `text`. `has_headline` is false for text whose title came
/// from elsewhere (a web page's metadata): then no line is taken for the headline.
pub fn classify<'a>(text: &'a str, rules: &Rules, has_headline: bool) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = text.lines().map(|l| first_pass(l.trim(), rules)).collect();
    mark_end(&mut lines, rules);
    mark_repeats(&mut lines);
    mark_captions_beside_credits(&mut lines);
    if has_headline {
        mark_header(&mut lines);
    }
    mark_trailer(&mut lines);
    lines
}

fn line<'a>(text: &'a str, role: Role, why: &'static str) -> Line<'a> {
    Line { text, role, why }
}

/// Roles a line has on its own.
fn first_pass<'a>(text: &'a str, rules: &Rules) -> Line<'a> {
    if text.is_empty() {
        return line(text, Role::Blank, "");
    }
    if rules.chrome.is_match(text) {
        return line(text, Role::Chrome, "widget or navigation text");
    }
    if is_icon_soup(text) {
        return line(text, Role::Chrome, "icon names");
    }
    if is_navigation(text) {
        return line(text, Role::Chrome, "navigation");
    }
    if !text.chars().any(char::is_alphabetic)
        && word_count(text) <= 3
        && dates::find_dates(text).is_empty()
    {
        return line(text, Role::Chrome, "counter or symbols");
    }
    if dates::relative_ago(text) && word_count(text) <= 6 {
        return line(text, Role::Chrome, "relative time of a listing");
    }
    if is_date_line(text) {
        return line(text, Role::DateLine, "date line");
    }
    if CAPTION_MARK.is_match(text) {
        return line(text, Role::Caption, "photo caption");
    }
    if CREDIT.is_match(text) && !is_paragraph(text) {
        return line(text, Role::Credit, "photo or source credit");
    }
    line(text, Role::Body, "")
}

/// The first end marker after some prose ends the article. A marker before any prose (a
/// "Related" menu in the header) is only chrome.
fn mark_end(lines: &mut [Line], rules: &Rules) {
    let mut seen_prose = false;
    let mut end = None;
    for (i, l) in lines.iter_mut().enumerate() {
        if l.role == Role::Body && is_paragraph(l.text) {
            seen_prose = true;
        }
        if rules.end.is_match(l.text) {
            if seen_prose {
                end = Some(i);
                break;
            }
            l.role = Role::Chrome;
            l.why = "end-of-article marker before the article";
        }
    }
    if let Some(end) = end {
        for l in &mut lines[end..] {
            if l.role != Role::Blank {
                *l = line(l.text, Role::AfterEnd, "after the end of the article");
            }
        }
    }
}

/// Captions and furniture repeat (a caption above and below its photo, a credit per photo);
/// paragraphs of a story do not.
fn mark_repeats(lines: &mut [Line]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines
        .iter()
        .filter(|l| l.role == Role::Body && word_count(l.text) >= 3)
    {
        *counts.entry(l.text).or_default() += 1;
    }
    for l in lines.iter_mut() {
        if l.role == Role::Body && counts.get(l.text).is_some_and(|n| *n > 1) {
            l.role = Role::Caption;
            l.why = "repeated line (caption or furniture)";
        }
    }
}

/// A short verbless line next to a credit is that photo's caption.
fn mark_captions_beside_credits(lines: &mut [Line]) {
    let credits: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].role == Role::Credit)
        .collect();
    for i in credits {
        for j in [previous_text_line(lines, i), next_text_line(lines, i)]
            .into_iter()
            .flatten()
        {
            let l = &lines[j];
            if l.role == Role::Body && word_count(l.text) <= 30 && !ends_sentence(l.text) {
                lines[j].role = Role::Caption;
                lines[j].why = "caption beside a photo credit";
            }
        }
    }
}

pub fn previous_text_line(lines: &[Line], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| lines[j].role != Role::Blank)
}

pub fn next_text_line(lines: &[Line], i: usize) -> Option<usize> {
    (i + 1..lines.len()).find(|&j| lines[j].role != Role::Blank)
}

/// Before the first paragraph: the headline is the first title-like line; short lines before
/// it are category labels and menus.
fn mark_header(lines: &mut [Line]) {
    for l in lines.iter_mut().filter(|l| l.role == Role::Body) {
        if is_title_like(l.text) {
            l.role = Role::Headline;
            l.why = "headline";
            return;
        }
        if is_paragraph(l.text) {
            return;
        }
        l.role = Role::Chrome;
        l.why = "label before the headline";
    }
}

/// After the last paragraph: a comma list becomes the tags; other short lines are sign-offs
/// and widgets.
fn mark_trailer(lines: &mut [Line]) {
    let Some(last_prose) = lines
        .iter()
        .rposition(|l| l.role == Role::Body && is_paragraph(l.text))
    else {
        return;
    };
    for l in &mut lines[last_prose + 1..] {
        if l.role != Role::Body {
            continue;
        }
        if tag_items(l.text).is_some() {
            l.role = Role::Tags;
            l.why = "tag line";
        } else {
            l.role = Role::Chrome;
            l.why = "short line after the article";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, Role)> {
        let rules = Rules::new(&[], &[]).unwrap();
        classify(text, &rules, true)
            .into_iter()
            .filter(|l| l.role != Role::Blank)
            .map(|l| (l.text.to_string(), l.role))
            .collect()
    }

    fn role_of(text: &str, line: &str) -> Role {
        roles(text)
            .into_iter()
            .find(|(t, _)| t == line)
            .map(|(_, r)| r)
            .unwrap_or_else(|| panic!("no line {line:?}"))
    }

    const PROSE: &str = "The foreign minister said on Monday that talks would resume in Geneva next week, officials confirmed.";

    #[test]
    fn headline_comes_after_labels_and_before_prose() {
        let text = format!("World\n\nTalks to resume in Geneva, minister says\n\n{PROSE}\n");
        assert_eq!(role_of(&text, "World"), Role::Chrome);
        assert_eq!(
            role_of(&text, "Talks to resume in Geneva, minister says"),
            Role::Headline
        );
        assert_eq!(role_of(&text, PROSE), Role::Body);
        let no_headline = format!("{PROSE}\n\n{PROSE} Again.\n");
        assert!(roles(&no_headline).iter().all(|(_, r)| *r == Role::Body));
    }

    #[test]
    fn headlines_in_scripts_without_case_and_behind_direction_marks() {
        for headline in [
            "استئناف المحادثات في جنيف بعد توقف طويل",
            "\u{200f}\u{202b}استئناف المحادثات في جنيف بعد توقف طويل\u{202c}",
            "השיחות בז'נבה התחדשו אחרי הפסקה ארוכה",
        ] {
            let text = format!("{headline}\n\n{PROSE}\n");
            assert_eq!(role_of(&text, headline), Role::Headline, "{headline}");
        }
    }

    #[test]
    fn widgets_navigation_icons_and_counters_are_chrome() {
        let text = format!(
            "Home  /  World  /  Europe\nicon bookmark-bicon cameraicon checkicon chevron downicon closeicon\nHeadline of the story here\n\nShare on Facebook\n{PROSE}\n1 234\nFollow us on Telegram\n"
        );
        for line in [
            "Home  /  World  /  Europe",
            "icon bookmark-bicon cameraicon checkicon chevron downicon closeicon",
            "Share on Facebook",
            "1 234",
            "Follow us on Telegram",
        ] {
            assert_eq!(role_of(&text, line), Role::Chrome, "{line}");
        }
    }

    #[test]
    fn bylines_reading_times_and_sign_offs_are_chrome() {
        let text = format!(
            "Headline of the story here\n\nBy Nvard Hovhannisyan and Jane Doe\n\n3 Min Read\n\n{PROSE}\n\nReporting by Nvard Hovhannisyan; Editing by Mark Heinrich\n"
        );
        for line in [
            "By Nvard Hovhannisyan and Jane Doe",
            "3 Min Read",
            "Reporting by Nvard Hovhannisyan; Editing by Mark Heinrich",
        ] {
            assert_eq!(role_of(&text, line), Role::Chrome, "{line}");
        }
        let sentence = format!("{PROSE} By then the talks had ended.");
        assert_eq!(
            role_of(
                &format!("Headline of the story here\n\n{sentence}\n"),
                &sentence
            ),
            Role::Body
        );
    }

    #[test]
    fn credits_and_captions() {
        let text = format!(
            "Headline of the story here\n\n{PROSE}\nTroops near the border\nJohn Smith/Reuters\n{PROSE} More.\nA damaged house in Tartar. (Photo by AFP)\n© Agency Photo /\n"
        );
        assert_eq!(role_of(&text, "John Smith/Reuters"), Role::Credit);
        assert_eq!(role_of(&text, "Troops near the border"), Role::Caption);
        assert_eq!(
            role_of(&text, "A damaged house in Tartar. (Photo by AFP)"),
            Role::Caption
        );
        assert_eq!(role_of(&text, "© Agency Photo /"), Role::Credit);
        assert_eq!(
            role_of(&text, PROSE),
            Role::Body,
            "prose beside a credit stays"
        );
    }

    #[test]
    fn repeated_lines_are_furniture() {
        let text = format!(
            "Headline of the story here\n\n{PROSE}\nA tank on the front line.\n{PROSE} Two.\nA tank on the front line.\n"
        );
        assert_eq!(role_of(&text, "A tank on the front line."), Role::Caption);
    }

    #[test]
    fn end_markers_cut_the_rest_but_not_before_the_story() {
        let text = format!(
            "Related\nHeadline of the story here\n\n{PROSE}\nMore from Europe\n{PROSE} Other story.\n"
        );
        assert_eq!(role_of(&text, "Related"), Role::Chrome);
        assert_eq!(role_of(&text, "More from Europe"), Role::AfterEnd);
        assert_eq!(
            role_of(&text, &format!("{PROSE} Other story.")),
            Role::AfterEnd
        );
    }

    #[test]
    fn tag_line_only_after_the_story() {
        let text = format!(
            "Headline of the story here\n\nGeneva, Talks, Diplomacy\n{PROSE}\nGeneva, Talks, Foreign Ministry\nComments\n"
        );
        assert_eq!(
            role_of(&text, "Geneva, Talks, Foreign Ministry"),
            Role::Tags
        );
        assert_eq!(
            role_of(&text, "Geneva, Talks, Diplomacy"),
            Role::Body,
            "a list inside the story is text"
        );
        assert_eq!(
            tag_items("Russia, Armenia, Nagorno-Karabakh conflict")
                .unwrap()
                .len(),
            3
        );
        assert!(tag_items("Russia, Armenia and Iran met, they said.").is_none());
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("14:33, 28 September 2020 163"));
        assert!(is_date_line("27 Sep, 2020 17:38"));
        assert!(!is_date_line(
            "On 28 September 2020 the minister flew to Moscow for talks with his counterpart"
        ));
    }

    #[test]
    fn site_rules_extend_the_built_in_ones() {
        let rules = Rules::new(
            &["download our app.*".into()],
            &["from our partners".into()],
        )
        .unwrap();
        let text = format!(
            "Headline of the story here\n\n{PROSE}\nDownload our app today\n{PROSE} Two.\nFrom our partners\n{PROSE} Three.\n"
        );
        let lines = classify(&text, &rules, true);
        let role = |t: &str| lines.iter().find(|l| l.text == t).unwrap().role;
        assert_eq!(role("Download our app today"), Role::Chrome);
        assert_eq!(role("From our partners"), Role::AfterEnd);
        assert!(Rules::new(&["(unclosed".into()], &[]).is_err());
    }
}
