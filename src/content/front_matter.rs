//! Front matter of an entry file: finding the `+++` (TOML) or `---` (YAML) block,
//! reading it into [`FrontMatter`], keeping the entry date at the precision the editor
//! wrote ([`EntryDate`]), and turning parser errors into [`FrontMatterError`]s that
//! point at a line of the whole file and say how to fix it.

use std::fmt;

use FrontMatterFormat::{Toml, Yaml};
use serde::Deserialize;

pub use super::entry_date::EntryDate;
use super::provenance::{DateBasis, Provenance, QuoteRecord};

/// The language of the front matter, told by its delimiter line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    Toml,
    Yaml,
}

impl FrontMatterFormat {
    fn delimiter(self) -> &'static str {
        match self {
            Self::Toml => "+++",
            Self::Yaml => "---",
        }
    }
}

/// The editor-facing fields of an entry.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub date: Option<EntryDate>,
    #[serde(default, alias = "source")]
    pub outlet: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub review: bool,
    /// Why the entry needs review, one reason a line (written by ingest, kept by editors).
    #[serde(default)]
    pub review_reasons: Vec<String>,
    #[serde(default)]
    pub date_basis: Option<DateBasis>,
    /// When the page was viewed or scraped: an upper bound for the date, never the date.
    #[serde(default)]
    pub captured: Option<EntryDate>,
    #[serde(default)]
    pub quotes: Vec<QuoteRecord>,
    #[serde(default)]
    pub ingest: Option<Provenance>,
    /// Forces the entry into the event with this slug.
    #[serde(default)]
    pub event: Option<String>,
    /// Entries (by slug or file name) this one must never be grouped with.
    #[serde(default)]
    pub not_with: Vec<String>,
}

const FIELD_LIST: &str = "title, date, outlet (or source), url, slug, summary, people, places, tags, draft, review, \
     review_reasons, date_basis, captured, quotes, ingest, event, not_with";
const TOML_SYNTAX: &str = "put text in quotes (title = \"...\"), lists in brackets \
     (tags = [\"a\", \"b\"]) and each `field = value` on its own line";
const YAML_SYNTAX: &str = "write each `field: value` on its own line, indent list items, \
     and quote values that contain `: ` or ` #`";
const NO_FRONT_MATTER: &str = "start the file with a line `+++` (TOML) or `---` (YAML), \
     the fields, then the same line again";
const DATE_FORMS: &str = "write the date as 2020-09-28, 2020-09-28T14:33, 2020-09-28 14:33:05 \
     (site-local time), 2020-09-28T14:33:00+03:00 or 2020-09-28T11:33:00Z";

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEntry<'a> {
    pub front_matter: FrontMatter,
    pub format: FrontMatterFormat,
    /// Markdown after the closing delimiter line.
    pub body: &'a str,
    /// 1-based line number in the file where the body starts.
    pub body_line: usize,
}

/// A front-matter problem worded for the editor; the caller adds the file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the whole file.
    pub line: usize,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for FrontMatterError {}

/// 1-based line in the whole file, and column when known.
type At = (usize, Option<usize>);

fn error(
    at: At,
    field: Option<&str>,
    message: String,
    hint: impl Into<String>,
) -> FrontMatterError {
    let (line, column) = at;
    let (field, hint) = (field.map(str::to_string), Some(hint.into()));
    FrontMatterError {
        line,
        column,
        field,
        message,
        hint,
    }
}

/// Splits `text` (a whole entry file) into its front matter and Markdown body. Never panics;
/// every error names a line of `text` as the editor sees it.
pub fn parse(text: &str) -> Result<ParsedEntry<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(offset) = text.find(is_control) {
        let (line, column) = position_in_file(text, offset);
        let c = text[offset..].chars().next().unwrap_or_default();
        let message = format!("{} is in the file", control_name(c));
        return Err(error((line, Some(column)), None, message, CONTROL_HINT));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let format = match first.trim_end() {
        "+++" => Toml,
        "---" => Yaml,
        _ => {
            let empty = text.trim().is_empty().then_some("the file is empty: ");
            let empty = empty.unwrap_or_default();
            let message = format!("{empty}no front matter found at the start of the file");
            return Err(error((1, None), None, message, NO_FRONT_MATTER));
        }
    };
    let delimiter = format.delimiter();
    let mut offset = first.len();
    for (index, line) in lines.enumerate() {
        if line.trim_end() == delimiter {
            let block = text.get(first.len()..offset).unwrap_or("");
            let front_matter = match format {
                Toml => parse_toml(block),
                Yaml => parse_yaml(block),
            }
            .and_then(|fm| title_error(&fm, block, format).map_or(Ok(fm), Err))
            .and_then(|fm| value_error(&fm, block).map_or(Ok(fm), Err))?;
            let body = text.get(offset + line.len()..).unwrap_or("");
            return Ok(ParsedEntry {
                front_matter,
                format,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    let message = format!("the front matter opened with `{delimiter}` on line 1 is never closed");
    let hint = format!("add a line `{delimiter}` after the last field, before the text");
    Err(error((1, None), None, message, hint))
}

fn parse_toml(block: &str) -> Result<FrontMatter, FrontMatterError> {
    let table = toml::de::DeTable::parse(block).map_err(|e| {
        let (line, column) = position(block, e.span().map_or(0, |s| s.start));
        let at = (line, Some(column));
        let key = e.span().and_then(|s| block.get(s)).unwrap_or_default();
        match toml_key(block, line, column) {
            _ if e.message() == "duplicate key" => duplicate(key.trim(), at),
            Some(f) if f == "date" => {
                let message = format!("the date is not valid: {}", e.message());
                error(at, Some("date"), message, DATE_FORMS)
            }
            field => syntax(Toml, e.message(), field.as_deref(), at),
        }
    })?;
    // The deserializer consumes the table: keep where each field sits, to name the field
    // an error span falls into.
    let fields: Vec<_> = (table.get_ref().iter())
        .map(|(k, v)| (k.get_ref().to_string(), k.span().start..=v.span().end))
        .collect();
    FrontMatter::deserialize(toml::Deserializer::from(table)).map_err(|e| {
        let Some(span) = e.span().filter(|s| !s.is_empty()) else {
            return classify(Toml, e.message(), None, (1, None));
        };
        let field = fields.iter().find(|(_, range)| range.contains(&span.start));
        let (line, column) = position(block, span.start);
        let field = field.map(|f| f.0.as_str());
        classify(Toml, e.message(), field, (line, Some(column)))
    })
}

fn parse_yaml(block: &str) -> Result<FrontMatter, FrontMatterError> {
    use serde_saphyr::Error as E;
    // An empty YAML document is no value at all rather than an empty mapping, which would
    // report end-of-input instead of the missing title.
    let blank = (block.lines()).all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    serde_saphyr::from_str::<FrontMatter>(if blank { "{}" } else { block }).map_err(|e| {
        let e = e.without_snippet();
        let location = e.location().filter(|l| l.line() > 0);
        let in_block = location.map_or(1, |l| usize::try_from(l.line()).unwrap_or(1));
        let column = location.and_then(|l| usize::try_from(l.column()).ok());
        let at = (in_block + 1, column);
        let shown = e.to_string();
        // Display appends block-relative positions (where an alias was defined and used, or
        // where the error is), which would mislead in a file.
        let cut = (shown.find(" (defined at line "))
            .or_else(|| shown.find(" (used at line "))
            .or_else(|| shown.rfind(" at line "));
        let raw = cut.and_then(|i| shown.get(..i)).unwrap_or(&shown);
        let key = yaml_key_at(block, in_block);
        // An error met through an alias (`*name`) is wrapped; what went wrong is inside.
        let mut inner = e;
        while let E::AliasError { error, .. } = inner {
            inner = error.without_snippet();
        }
        match inner {
            E::Budget { .. } => {
                let message = "the YAML is too big to read once its aliases (`*name`) are \
                               expanded"
                    .to_string();
                let hint = "write each value out once: front matter needs no anchors or aliases";
                error(at, None, message, hint)
            }
            E::DuplicateMappingKey { key: Some(dup), .. } => duplicate(dup, at),
            E::DuplicateMappingKey { .. } => duplicate(&key.unwrap_or_default(), at),
            E::SerdeUnknownField { .. } | E::SerdeMissingField { .. } => {
                classify(Yaml, raw, None, at)
            }
            E::Message { .. }
            | E::Unexpected { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::InvalidScalar { .. }
            | E::NullIntoString { .. }
            | E::InvalidBooleanStrict { .. }
            | E::TaggedScalarCannotDeserializeIntoString { .. } => {
                classify(Yaml, raw, key.as_deref(), at)
            }
            _ => syntax(Yaml, raw, None, at),
        }
    })
}

/// Words a serde error for the editor, from the wording toml and serde-saphyr share.
fn classify(format: FrontMatterFormat, raw: &str, field: Option<&str>, at: At) -> FrontMatterError {
    let quoted = raw.split('`').nth(1).unwrap_or_default();
    if raw.starts_with("unknown field `") {
        let message = format!("unknown field `{quoted}`; the valid fields are {FIELD_LIST}");
        let hint = "check the spelling, or remove the field";
        return error(at, Some(quoted), message, hint);
    }
    if raw.starts_with("missing field `") {
        let hint = format!("add a line such as {}", example(format, quoted));
        let message = format!("the required field `{quoted}` is missing");
        return error((1, None), Some(quoted), message, hint);
    }
    let found = (raw.strip_prefix("invalid type: "))
        .map(|rest| format!(", not {}", rest.split(", expected").next().unwrap_or(rest)));
    let (expected, hint) = match field {
        None => return syntax(format, raw, None, at),
        Some("date") if found.is_none() => return error(at, field, raw.into(), DATE_FORMS),
        Some("date") => ("a date", DATE_FORMS.to_string()),
        Some(f @ ("people" | "places" | "tags" | "not_with" | "review_reasons")) => {
            ("a list of text values", like(format, f))
        }
        Some(f @ ("draft" | "review")) => ("true or false", like(format, f)),
        Some(f) => ("text", like(format, f)),
    };
    let (name, found) = (field.unwrap_or_default(), found.unwrap_or_default());
    let message = format!("`{name}` must be {expected}{found}");
    error(at, field, message, hint)
}

fn syntax(format: FrontMatterFormat, raw: &str, field: Option<&str>, at: At) -> FrontMatterError {
    let (name, hint) = match format {
        Toml => ("TOML", TOML_SYNTAX),
        Yaml => ("YAML", YAML_SYNTAX),
    };
    error(at, field, format!("{name} syntax error: {raw}"), hint)
}

fn duplicate(key: &str, at: At) -> FrontMatterError {
    let hint = format!("keep one `{key}` line and delete the others");
    let message = format!("the field `{key}` is set more than once");
    error(at, Some(key), message, hint)
}

fn title_error(
    fm: &FrontMatter,
    block: &str,
    format: FrontMatterFormat,
) -> Option<FrontMatterError> {
    if !fm.title.trim().is_empty() {
        return None;
    }
    let is_title = |l: &str| {
        let rest = l.trim_start().strip_prefix("title");
        rest.is_some_and(|r| r.trim_start().starts_with(['=', ':']))
    };
    let line = block.lines().position(is_title).map_or(1, |i| i + 2);
    let message = "the title is empty; every entry needs one".to_string();
    Some(error(
        (line, None),
        Some("title"),
        message,
        like(format, "title"),
    ))
}

/// A C0 control character other than a tab or a line end. No web page or feed can carry one
/// (XML forbids them outright), and in an entry it is always debris: of a copy and paste, a
/// scrape or a damaged save.
fn is_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

const CONTROL_HINT: &str = "delete it: it is invisible, left over from a copy and paste, \
     a scrape or a damaged save, and web pages and feeds cannot carry it";

fn control_name(c: char) -> String {
    let name = if c == '\0' { " (NUL)" } else { "" };
    format!("the control character U+{:04X}{name}", u32::from(c))
}

/// Values the parser accepted but no page can show: control characters written as escapes
/// (`"\u0000"`), and dates outside the years 1 to 9999 (URLs, `<time>` and feeds need four
/// digits, and such a year is a typo).
fn value_error(fm: &FrontMatter, block: &str) -> Option<FrontMatterError> {
    for (field, date) in [("date", &fm.date), ("captured", &fm.captured)] {
        if let Some(date) = date.filter(|d| !d.in_shown_years()) {
            let message = format!(
                "the date `{date}` is outside the years 0001 to 9999 that pages, URLs and feeds \
                 can show"
            );
            let hint = format!("check the year; {DATE_FORMS}");
            return Some(error(
                (field_line(block, field), None),
                Some(field),
                message,
                hint,
            ));
        }
    }
    let one = |name, value: &Option<String>| value.iter().map(move |v| (name, v.clone())).collect();
    let many = |name, values: &[String]| values.iter().map(|v| (name, v.clone())).collect();
    let quotes = fm.quotes.iter().flat_map(|q| {
        let speaker = q.speaker.iter().map(|s| ("quotes", s.clone()));
        speaker.chain([("quotes", q.text.clone())])
    });
    let texts: Vec<Vec<(&str, String)>> = vec![
        vec![("title", fm.title.clone())],
        one("outlet", &fm.outlet),
        one("url", &fm.url),
        one("slug", &fm.slug),
        one("summary", &fm.summary),
        one("event", &fm.event),
        many("people", &fm.people),
        many("places", &fm.places),
        many("tags", &fm.tags),
        many("not_with", &fm.not_with),
        many("review_reasons", &fm.review_reasons),
        quotes.collect(),
    ];
    let (field, value) = texts
        .into_iter()
        .flatten()
        .find(|(_, v)| v.contains(is_control))?;
    let c = value.chars().find(|c| is_control(*c)).unwrap_or_default();
    let message = format!("`{field}` holds {}, written as an escape", control_name(c));
    Some(error(
        (field_line(block, field), None),
        Some(field),
        message,
        CONTROL_HINT,
    ))
}

/// The file line where top-level `field` is set (`field =` or `field:`), else line 1.
fn field_line(block: &str, field: &str) -> usize {
    let sets = |l: &str| {
        let l = l.trim_start();
        let rest = l
            .strip_prefix(field)
            .or_else(|| l.strip_prefix(&format!("[[{field}]]")));
        rest.is_some_and(|r| r.is_empty() || r.trim_start().starts_with(['=', ':']))
    };
    block.lines().position(sets).map_or(1, |i| i + 2)
}

/// 1-based line and column of a byte offset in the whole file.
fn position_in_file(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (before.matches('\n').count() + 1, column)
}

/// The TOML key on file line `line` when `column` is in its value: a value that does not
/// even parse (`date = 2020-02-30`) is still that field's fault.
fn toml_key(block: &str, line: usize, column: usize) -> Option<String> {
    let (key, _) = block.lines().nth(line.checked_sub(2)?)?.split_once('=')?;
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let after_equals = column > key.chars().count() + 1;
    let key = key.trim();
    (after_equals && !key.is_empty() && key.chars().all(valid)).then(|| key.to_string())
}

/// The top-level YAML key whose entry contains 1-based `line` of the block.
fn yaml_key_at(block: &str, line: usize) -> Option<String> {
    (block.lines().take(line))
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| l.split_once(':'))
        .map(|(key, _)| key.trim().trim_matches(['"', '\'']).to_string())
        .last()
}

/// File line (the block starts on line 2) and 1-based column of a byte offset in the block.
fn position(block: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(block.len());
    while !block.is_char_boundary(end) {
        end -= 1; // ends at 0 at the latest, always a boundary
    }
    let before = block.get(..end).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (before.matches('\n').count() + 2, column)
}

/// A correct line for `field`, as the hint for a wrong one.
fn like(format: FrontMatterFormat, field: &str) -> String {
    format!("write it like {}", example(format, field))
}

fn example(format: FrontMatterFormat, field: &str) -> String {
    let (toml, yaml) = match field {
        "title" => ("\"Talks resume in Geneva\"", "Talks resume in Geneva"),
        "people" => ("[\"Dmitry Peskov\"]", "[Dmitry Peskov]"),
        "places" => ("[\"Moscow\"]", "[Moscow]"),
        "tags" => ("[\"diplomacy\"]", "[diplomacy]"),
        "draft" | "review" => ("true", "true"),
        "url" => ("\"https://example.com/story\"", "https://example.com/story"),
        _ => ("\"...\"", "..."),
    };
    match format {
        Toml => format!("`{field} = {toml}`"),
        Yaml => format!("`{field}: {yaml}`"),
    }
}

#[cfg(test)]
mod tests;
