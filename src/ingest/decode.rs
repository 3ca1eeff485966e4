//! Turning raw article bytes into text: size limit, binary sniffing, charset choice, and the
//! HTML character references (`&eacute;`, `&#8212;`) that a saved page's text is written with.

use std::fmt;
use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};
use regex::bytes::Regex;

/// Why a file cannot be read as an article. `Display` is a sentence fragment shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    Binary { reason: String },
    TooLarge { bytes: u64, limit: u64 },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the file is empty or holds only whitespace"),
            DecodeError::Binary { reason } => write!(f, "looks like a binary file ({reason})"),
            DecodeError::TooLarge { bytes, limit } => {
                let (mut size, mut max) = (human_size(*bytes), human_size(*limit));
                if size == max {
                    // Rounding made them look equal; exact counts explain the refusal.
                    (size, max) = (format!("{bytes} bytes"), format!("{limit}-byte"));
                }
                write!(
                    f,
                    "is {size}, over the {max} limit for one article \
                     (raise [ingest] max_article_bytes in site.toml to allow it)"
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// An article's text and how it was read (recorded in the entry's provenance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub had_bom: bool,
    /// Mostly UTF-8, but some runs of bytes were in this other encoding (see [`mixed_utf8`]).
    pub mixed: Option<&'static str>,
}

/// Refuses a file over `limit` bytes; meant for the metadata length, so nothing is read.
pub fn check_size(len: u64, limit: u64) -> Result<(), DecodeError> {
    if len > limit {
        return Err(DecodeError::TooLarge { bytes: len, limit });
    }
    Ok(())
}

/// Decodes an article: BOM, then (for HTML) a `<meta>` charset, then UTF-8, then a guess.
pub fn decode(bytes: &[u8], is_html: bool) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    let (encoding, bom_len) = match Encoding::for_bom(bytes) {
        // UTF-16 is full of NULs by nature; only byte-oriented text can be sniffed.
        Some((enc, len)) if enc == UTF_16LE || enc == UTF_16BE => (enc, len),
        Some((enc, len)) => {
            check_binary(&bytes[len..])?;
            (enc, len)
        }
        None => {
            check_binary(bytes)?;
            if let Some((text, legacy)) = mixed_utf8(bytes) {
                return Ok(Decoded {
                    text: normalize_newlines(&text),
                    encoding: UTF_8.name(),
                    had_bom: false,
                    mixed: Some(legacy.name()),
                });
            }
            (choose_encoding(bytes, is_html), 0)
        }
    };
    let body = &bytes[bom_len..];
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    let text = normalize_newlines(&text);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        had_bom: bom_len > 0,
        mixed: None,
    })
}

/// Text that is mostly UTF-8 with some runs in a legacy encoding, as when scrapes are pasted
/// together: the UTF-8 stays as it is and only the invalid runs (with the ASCII between them)
/// are read in the encoding guessed from those runs, instead of reading the whole file as
/// that encoding and garbling the UTF-8. `None` unless valid non-ASCII characters outnumber
/// the invalid runs.
fn mixed_utf8(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    // Valid UTF-8, or a scrape cut off inside its last character, is plain UTF-8.
    if std::str::from_utf8(bytes).map_or_else(|e| e.error_len().is_none(), |_| true) {
        return None;
    }
    // Runs of invalid bytes, glued with the ASCII between them; the UTF-8 text around them.
    let mut pieces: Vec<(&str, Vec<u8>)> = Vec::new();
    let (mut runs, mut valid_non_ascii) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        match pieces.last_mut() {
            Some((_, run)) if !run.is_empty() && valid.is_ascii() => {
                run.extend_from_slice(valid.as_bytes());
            }
            _ => pieces.push((valid, Vec::new())),
        }
        valid_non_ascii += valid.chars().filter(|c| !c.is_ascii()).count();
        runs += usize::from(!chunk.invalid().is_empty());
        if let Some((_, run)) = pieces.last_mut() {
            run.extend_from_slice(chunk.invalid());
        }
    }
    if valid_non_ascii <= runs {
        return None;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    for (_, run) in &pieces {
        detector.feed(run, false);
        detector.feed(b"\n", false);
    }
    detector.feed(b"", true);
    let legacy = detector.guess(None, Utf8Detection::Deny);
    let mut text = String::with_capacity(bytes.len());
    for (valid, run) in &pieces {
        text.push_str(valid);
        text.push_str(&legacy.decode_without_bom_handling(run).0);
    }
    Some((text, legacy))
}

fn choose_encoding(bytes: &[u8], is_html: bool) -> &'static Encoding {
    // A scrape cut off inside a character is still UTF-8; only its last character is lost.
    let utf8 = std::str::from_utf8(bytes).map_or_else(|e| e.error_len().is_none(), |_| true);
    if let Some(declared) = is_html.then(|| declared_charset(bytes)).flatten() {
        // Scrapers often re-save a page as UTF-8 but keep its old `<meta charset>`; legacy
        // non-ASCII text is practically never valid UTF-8, so valid UTF-8 means UTF-8.
        if !(utf8 && declared != UTF_8 && !bytes.is_ascii()) {
            return declared;
        }
    }
    if utf8 {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Allow)
}

/// The charset named by a `<meta charset>` or `<meta http-equiv>` in the first 2048 bytes.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i-u)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .expect("valid regex")
    });
    let head = &bytes[..bytes.len().min(2048)];
    let label = META.captures(head)?.get(1)?.as_bytes();
    // The HTML spec reads a declared UTF-16 as UTF-8 (the bytes were ASCII-compatible to get
    // here) and x-user-defined as windows-1252; "replacement" would discard the whole text.
    match Encoding::for_label(label)? {
        enc if enc == UTF_16LE || enc == UTF_16BE => Some(UTF_8),
        enc if enc == X_USER_DEFINED => Some(WINDOWS_1252),
        enc if enc == REPLACEMENT => None,
        enc => Some(enc),
    }
}

/// Refuses NUL bytes and text where more than 1% of the bytes are C0 controls.
fn check_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let mut reason = format!("NUL bytes at offset {offset}");
        if looks_like_utf16(bytes) {
            reason.push_str("; it may be UTF-16 text saved without a byte-order mark");
        }
        return Err(DecodeError::Binary { reason });
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if controls * 100 > bytes.len() {
        let reason = format!("{controls} control characters in {} bytes", bytes.len());
        return Err(DecodeError::Binary { reason });
    }
    Ok(())
}

/// ASCII text in UTF-16 has a NUL in every other byte; a real binary rarely does.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(1024)];
    let half = sample.len() / 2;
    let nul_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    half >= 4 && (nul_at(0) * 10 >= half * 8 || nul_at(1) * 10 >= half * 8)
}

fn normalize_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            chars.next_if_eq(&'\n');
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// "52 MB", "10 MB", "1.5 MB", "700 KB": binary units, as file managers show them.
fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let (value, unit) = match bytes as f64 {
        b if b >= KB * KB => (b / (KB * KB), "MB"),
        b if b >= KB => (b / KB, "KB"),
        _ => return format!("{bytes} bytes"),
    };
    let text = if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    format!("{} {unit}", text.trim_end_matches(".0"))
}

/// Decodes HTML character references as a browser does: every numeric form, and the HTML 4
/// names (Latin-1, typography, arrows). Unknown names stay as written.
pub(crate) fn decode_entities(text: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        match reference(rest, in_attribute) {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference (the text after `&`) stands for, and how many bytes it used.
fn reference(after: &str, in_attribute: bool) -> Option<(char, usize)> {
    if let Some(number) = after.strip_prefix('#') {
        return numeric_reference(number).map(|(c, used)| (c, used + 1));
    }
    let name_len = after
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let name = &after[..name_len];
    if let Some(c) = named_char(name, false).filter(|_| after[name_len..].starts_with(';')) {
        return Some((c, name_len + 1));
    }
    // Legacy names also work without ';' ("&copy 2020"), except where that would change an
    // attribute value ("?a=1&copy=2").
    (2..=name_len).rev().find_map(|len| {
        let next = after[len..].chars().next();
        let blocked = in_attribute && next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '=');
        named_char(&name[..len], true)
            .filter(|_| !blocked)
            .map(|c| (c, len))
    })
}

fn numeric_reference(number: &str) -> Option<(char, usize)> {
    let (radix, skip) = if number.starts_with(['x', 'X']) {
        (16, 1)
    } else {
        (10, 0)
    };
    let len = number[skip..]
        .chars()
        .take_while(|c| c.is_digit(radix))
        .count();
    if len == 0 {
        return None;
    }
    let code = u32::from_str_radix(&number[skip..skip + len], radix).unwrap_or(u32::MAX);
    let c = match code {
        // Old pages write typographic quotes and dashes by their Windows-1252 numbers.
        0x80..=0x9f => WINDOWS_1252
            .decode_without_bom_handling(&[code as u8])
            .0
            .chars()
            .next(),
        0 => None,
        _ => char::from_u32(code),
    };
    let semicolon = usize::from(number[skip + len..].starts_with(';'));
    Some((c.unwrap_or('\u{fffd}'), skip + len + semicolon))
}

/// Names of U+00A0..=U+00FF in order; all are legacy names that also work without ';'.
const LATIN1: &str = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr \
    deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave \
    Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH \
    Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave \
    aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth \
    ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
/// Other names, one character of `NAMED_CHARS` each; the first four are legacy names too.
const NAMED: &str = "amp lt gt quot apos OElig oelig Scaron scaron Yuml fnof circ tilde ensp emsp \
    thinsp zwnj zwj lrm rlm ndash mdash lsquo rsquo sbquo ldquo rdquo bdquo dagger Dagger bull hellip \
    permil prime Prime lsaquo rsaquo oline frasl euro trade numero larr uarr rarr darr harr minus hyphen";
const NAMED_CHARS: &str = "&<>\"'ŒœŠšŸƒˆ˜\u{2002}\u{2003}\u{2009}\u{200c}\u{200d}\u{200e}\u{200f}\
    –—‘’‚“”„†‡•…‰′″‹›‾⁄€™№←↑→↓↔−‐";

fn named_char(name: &str, legacy_only: bool) -> Option<char> {
    let latin1 = LATIN1.split(' ').position(|n| n == name);
    if let Some(i) = latin1 {
        return char::from_u32(0xa0 + i as u32);
    }
    let limit = if legacy_only { 4 } else { usize::MAX };
    let i = NAMED.split(' ').take(limit).position(|n| n == name)?;
    NAMED_CHARS.chars().nth(i)
}

#[cfg(test)]
mod tests;
