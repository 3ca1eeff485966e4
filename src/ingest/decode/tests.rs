//! Tests of the parent module.
use super::*;
use encoding_rs::WINDOWS_1251;

const RUSSIAN: &str = "Правительство Москвы объявило о новых мерах поддержки малого бизнеса. \
    Сроки подачи заявлений продлены до конца октября, сообщили в пресс-службе мэрии.";

fn cp1251(text: &str) -> Vec<u8> {
    WINDOWS_1251.encode(text).0.into_owned()
}

#[test]
fn windows_1251_without_meta_is_detected() {
    let page =
        format!("<html><head><title>Новости</title></head><body><p>{RUSSIAN}</p></body></html>");
    let d = decode(&cp1251(&page), true).unwrap();
    assert_eq!(d.encoding, "windows-1251");
    assert!(d.text.contains(RUSSIAN));
    assert!(!d.had_bom);
    let cut = decode("Мост открыт".as_bytes().split_last().unwrap().1, false).unwrap();
    assert_eq!(
        (cut.encoding, cut.text.as_str()),
        ("UTF-8", "Мост откры\u{fffd}")
    );
    let plain = decode(&cp1251(RUSSIAN), false).unwrap();
    assert_eq!(
        (plain.encoding, plain.text.as_str()),
        ("windows-1251", RUSSIAN)
    );
}

#[test]
fn meta_charset_is_followed() {
    for meta in [
        r#"<meta charset="windows-1251">"#,
        r#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=cp1251">"#,
    ] {
        let page = format!(
            "<html><head>{meta}<title>Т</title></head><body><p>{RUSSIAN}</p></body></html>"
        );
        let d = decode(&cp1251(&page), true).unwrap();
        assert_eq!(d.encoding, "windows-1251", "{meta}");
        assert!(d.text.contains(RUSSIAN));
    }
}

#[test]
fn meta_charset_loses_to_valid_utf8_and_utf16_label_means_utf8() {
    let resaved = format!(r#"<meta charset="windows-1251"><p>{RUSSIAN}</p>"#);
    assert_eq!(decode(resaved.as_bytes(), true).unwrap().encoding, "UTF-8");
    let ascii = br#"<meta charset="windows-1251"><p>plain</p>"#;
    assert_eq!(decode(ascii, true).unwrap().encoding, "windows-1251");
    let utf16 = b"<meta charset=\"utf-16\"><p>caf\xc3\xa9</p>";
    assert_eq!(
        decode(utf16, true).unwrap().text,
        "<meta charset=\"utf-16\"><p>caf\u{e9}</p>"
    );
    // Outside HTML a meta tag is just text.
    assert_eq!(decode(ascii, false).unwrap().encoding, "UTF-8");
}

#[test]
fn boms_win_and_are_stripped() {
    let d = decode(b"\xef\xbb\xbfHello \xc3\xa9t\xc3\xa9", false).unwrap();
    assert_eq!(
        (d.text.as_str(), d.encoding, d.had_bom),
        ("Hello été", "UTF-8", true)
    );
    let mut le = vec![0xff, 0xfe];
    le.extend("Привет, мир\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    let d = decode(&le, false).unwrap();
    assert_eq!(
        (d.text.as_str(), d.encoding, d.had_bom),
        ("Привет, мир\n", "UTF-16LE", true)
    );
    let mut be = vec![0xfe, 0xff];
    be.extend("Hi".encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(decode(&be, true).unwrap().encoding, "UTF-16BE");
}

#[test]
fn latin1_text_is_guessed() {
    let text = "Le caf\u{e9} de la gare a rouvert ses portes apr\u{e8}s des ann\u{e9}es de travaux. \
        Les habitu\u{e9}s sont ravis, a d\u{e9}clar\u{e9} le propri\u{e9}taire.";
    let bytes = WINDOWS_1252.encode(text).0.into_owned();
    let d = decode(&bytes, false).unwrap();
    assert_eq!((d.text.as_str(), d.encoding), (text, "windows-1252"));
}

#[test]
fn empty_and_whitespace_only_are_refused() {
    assert_eq!(decode(b"", false), Err(DecodeError::Empty));
    assert_eq!(decode(b" \n\t\r\n ", true), Err(DecodeError::Empty));
    assert_eq!(decode(b"\xef\xbb\xbf \n", false), Err(DecodeError::Empty));
    assert_eq!(
        DecodeError::Empty.to_string(),
        "the file is empty or holds only whitespace"
    );
}

#[test]
fn binary_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00";
    let err = decode(png, false).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Binary {
            reason: "NUL bytes at offset 8".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "looks like a binary file (NUL bytes at offset 8)"
    );
    let noisy: Vec<u8> = b"text "
        .iter()
        .copied()
        .cycle()
        .take(300)
        .chain([0x01, 0x02, 0x1b, 0x7])
        .collect();
    assert!(matches!(
        decode(&noisy, false),
        Err(DecodeError::Binary { .. })
    ));
    let utf16: Vec<u8> = "no byte-order mark"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let DecodeError::Binary { reason } = decode(&utf16, false).unwrap_err() else {
        panic!()
    };
    assert!(
        reason.ends_with("UTF-16 text saved without a byte-order mark"),
        "{reason}"
    );
    // A form feed or a stray control character in a long text is not binary.
    let text: Vec<u8> = b"line\x0c "
        .iter()
        .copied()
        .cycle()
        .take(700)
        .chain([0x1a])
        .collect();
    assert!(decode(&text, false).is_ok());
}

#[test]
fn line_endings_are_normalised() {
    assert_eq!(
        decode(b"a\r\nb\rc\n\r\nd", false).unwrap().text,
        "a\nb\nc\n\nd"
    );
    let legacy = WINDOWS_1252.encode("caf\u{e9}\r\nbar\r").0.into_owned();
    assert_eq!(decode(&legacy, false).unwrap().text, "caf\u{e9}\nbar\n");
}

#[test]
fn size_limit_is_checked_and_explained() {
    assert_eq!(check_size(10, 10), Ok(()));
    let err = check_size(52 * 1024 * 1024, 10 * 1024 * 1024).unwrap_err();
    assert_eq!(
        err.to_string(),
        "is 52 MB, over the 10 MB limit for one article \
         (raise [ingest] max_article_bytes in site.toml to allow it)"
    );
    let close = check_size(10 * 1024 * 1024 + 1, 10 * 1024 * 1024)
        .unwrap_err()
        .to_string();
    assert!(
        close.starts_with("is 10485761 bytes, over the 10485760-byte limit"),
        "{close}"
    );
    assert!(
        check_size(1536 * 1024, 1024 * 1024)
            .unwrap_err()
            .to_string()
            .starts_with("is 1.5 MB, over the 1 MB")
    );
}

#[test]
fn character_references() {
    let text = "&lt;b&gt; caf&eacute; &#233;&#xE9;&#XE9 &#150;&#x2014; &#0;&#xD800;&#99999999999; \
                &copy 2020 &notin; &amp &ampx &bogus; & &#; &hellip;&nbsp;&Eacute;";
    let want = "<b> café ééé \u{2013}\u{2014} \u{fffd}\u{fffd}\u{fffd} © 2020 ¬in; & &x \
                &bogus; & &#; \u{2026}\u{a0}É";
    assert_eq!(decode_entities(text, false), want);
    let url = "/a?b=1&copy=2&ampx=3&amp;c=4&lt";
    assert_eq!(decode_entities(url, true), "/a?b=1&copy=2&ampx=3&c=4<");
    assert_eq!(LATIN1.split(' ').count(), 96);
    assert_eq!(NAMED.split(' ').count(), NAMED_CHARS.chars().count());
    assert_eq!(named_char("rsquo", false), Some('\u{2019}'));
    assert_eq!(named_char("yuml", true), Some('\u{ff}'));
}

#[test]
fn mixed_encodings_keep_the_utf8_and_read_the_rest_as_legacy() {
    let mut bytes = "Переговоры в Женеве возобновились после паузы.\n"
        .as_bytes()
        .to_vec();
    bytes.extend(cp1251(
        "Кремль заявил, что поддерживает переговоры в Женеве.",
    ));
    bytes.extend("\nКонец.\n".as_bytes());
    let d = decode(&bytes, false).unwrap();
    assert_eq!(
        (d.text.as_str(), d.encoding, d.mixed),
        (
            "Переговоры в Женеве возобновились после паузы.\nКремль заявил, что поддерживает \
             переговоры в Женеве.\nКонец.\n",
            "UTF-8",
            Some("windows-1251")
        )
    );
    // Mostly legacy text stays legacy, whatever few valid UTF-8 pairs it has by chance.
    let plain = decode(&cp1251(RUSSIAN), false).unwrap();
    assert_eq!((plain.encoding, plain.mixed), ("windows-1251", None));
}
