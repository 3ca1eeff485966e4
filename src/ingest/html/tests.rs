//! Tests of the parent module.
use super::*;
use crate::ingest::decode::decode;

#[derive(serde::Deserialize)]
struct Expected {
    article: HtmlArticle,
    noise: Vec<String>,
}

/// Reads `NAME.html` through `decode`, and checks it against `NAME.json`: the whole
/// article, and that none of the listed page furniture made it into the paragraphs.
fn check_fixture(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest-html/");
    let read = |ext| std::fs::read(format!("{dir}{name}.{ext}")).unwrap();
    let (page, expected) = (read("html"), read("json"));
    let got = extract(&decode(&page, true).unwrap().text).unwrap();
    let expected: Expected = serde_json::from_slice(&expected).unwrap();
    assert_eq!(got, expected.article);
    let text = got.paragraphs.join("\n");
    for noise in &expected.noise {
        assert!(
            !text.contains(noise.as_str()),
            "{noise:?} leaked into {text:?}"
        );
    }
    page
}

fn paragraphs(html: &str) -> Vec<String> {
    extract(html).unwrap().paragraphs
}

#[test]
fn fixture_meta_dates_around_an_article() {
    check_fixture("meta-dates");
}

#[test]
fn fixture_json_ld_graph_without_meta() {
    check_fixture("jsonld-graph");
}

#[test]
fn fixture_bare_title_h1_and_paragraphs() {
    check_fixture("bare");
}

#[test]
fn fixture_time_in_article_header_beats_the_mastheads() {
    check_fixture("time-header");
}

#[test]
fn fixture_windows_1251_page_through_decode() {
    let page = check_fixture("cp1251");
    assert_eq!(decode(&page, true).unwrap().encoding, "windows-1251");
    // Without its `<meta charset>`, the page must be recognised by its bytes alone.
    let meta = b"<meta charset=\"windows-1251\">";
    let at = page.windows(meta.len()).position(|w| w == meta).unwrap();
    let bare = [&page[..at], &page[at + meta.len()..]].concat();
    let decoded = decode(&bare, true).unwrap();
    assert_eq!(decoded.encoding, "windows-1251");
    let with_meta = extract(&decode(&page, true).unwrap().text).unwrap();
    assert_eq!(extract(&decoded.text).unwrap(), with_meta);
}

#[test]
fn json_ld_in_lists_and_main_entity() {
    let page = r#"<script type="application/ld+json">[{"@type": "WebPage", "mainEntity":
        {"@type": "VideoObject", "uploadDate": " 2022-01-02 ", "author": [{"name": "A &amp; B"}]}},
        {"headline": "H", "dateCreated": "2022-01-01"}]</script>
        <script type="application/ld+json">{"datePublished": "x",}</script>"#;
    let a = extract(page).unwrap();
    let dates = [
        ("json-ld uploadDate", "2022-01-02"),
        ("json-ld dateCreated", "2022-01-01"),
    ];
    assert_eq!(
        a.published,
        dates.map(|(s, d)| (s.to_owned(), d.to_owned()))
    );
    assert_eq!(
        (a.author.as_deref(), a.og_title.as_deref()),
        (Some("A & B"), Some("H"))
    );
}

#[test]
fn blocks_lines_and_entities() {
    let html = "<div>Loose <b>div</b> text<p>A&amp;B &#233;t&eacute; &copy 2020 &bogus; \
                &#150;</p>tail</div><p>one<br>two<br><br>three</p><p> &nbsp; </p>\
                <pre>a  b\nc</pre><ul><li>x</li><li>y</li></ul><h1>Head</h1><dl><dt>T</dt></dl>";
    let expected = [
        "Loose div text",
        "A&B été © 2020 &bogus; \u{2013}",
        "tail",
        "one\ntwo",
    ];
    assert_eq!(paragraphs(html)[..4], expected);
    assert_eq!(paragraphs(html)[4..], ["three", "a b\nc", "x", "y"]);
}

#[test]
fn noise_words_match_parts_of_class_names_only() {
    let html = r#"<div class="subheader">kept 1</div><div class="article-share">no</div>
        <div class="shareBar">no</div><p class="articleSocial">no</p><p id="hashtags">kept 2</p>
        <p class="ad">no</p><p class="head-line">kept 3</p><div hidden>no</div>
        <div class="entry-header">no</div><p><span class="read-more">no</span>kept 4</p>
        <div role="navigation">no</div><title>no</title>"#;
    assert_eq!(paragraphs(html), ["kept 1", "kept 2", "kept 3", "kept 4"]);
}

#[test]
fn article_scope_only_when_it_has_text() {
    let empty = "<p>outside</p><article><img src=x></article><p>more</p>";
    assert_eq!(paragraphs(empty), ["outside", "more"]);
    let full = "<p>outside</p><div itemprop=\"articleBody\"><p>inside</p></div>";
    assert_eq!(paragraphs(full), ["inside"]);
}

#[test]
fn never_fails_on_odd_input() {
    let script_only = "<script>var a = '<p>x</p>';</script><style>p{}</style>";
    assert!(paragraphs(script_only).is_empty());
    let unclosed = "<p>unclosed <b>bold <i>italic <div>block";
    assert_eq!(paragraphs(unclosed), ["unclosed bold italic", "block"]);
    assert_eq!(paragraphs("</p></div><p>stray ends</span>"), ["stray ends"]);
    let odd = "<select><xmp><script>x</script></select><p>after</p><svg><title>t</title><p>";
    assert!(extract(odd).is_ok());
    // Random bytes from a small xorshift generator, biased towards markup characters.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut byte = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        b"<>/p !-=\"'&#;abcdivscript"[(seed % 25) as usize] ^ (seed >> 60) as u8
    };
    for _ in 0..50 {
        let bytes: Vec<u8> = std::iter::repeat_with(&mut byte).take(4096).collect();
        assert!(extract(&String::from_utf8_lossy(&bytes)).is_ok());
    }
}

#[test]
fn deep_nesting_is_linear() {
    let depth = 100_000;
    let html = format!(
        "{}<p>deep</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    assert_eq!(paragraphs(&html), ["deep"]);
    let unclosed = format!("{}text", "<span><div>".repeat(depth));
    assert_eq!(paragraphs(&unclosed), ["text"]);
}

#[test]
fn five_megabyte_page() {
    let block = "<div class=\"row\"><p>Some <a href=\"/x\">linked</a> text &amp; more.</p>\
                 <div class=\"share\"><a>Share</a></div></div>\n";
    let count = 5_000_000 / block.len();
    let html = format!("<html><body>{}</body></html>", block.repeat(count));
    let a = extract(&html).unwrap();
    assert_eq!(a.paragraphs.len(), count);
    assert_eq!(a.paragraphs[count - 1], "Some linked text & more.");
}
