//! Tests of the parent module.
use super::*;

fn ok(text: &str) -> ParsedEntry<'_> {
    parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// Error cases, one a line: `file => line => field => words`. In the file `|` is a line
/// break (one more ends it); field `-` is none; every `;`-separated word must be in the
/// displayed error.
fn errors(table: &str) {
    for case in table.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = case.split(" => ").map(str::trim).collect();
        let [file, line, field, words] = parts[..] else {
            panic!("bad case {case}")
        };
        let text = format!("{}\n", file.replace('|', "\n"));
        let Err(e) = parse(&text) else {
            panic!("{text:?} parsed")
        };
        let shown = e.to_string();
        assert_eq!(e.line.to_string(), line, "{text:?}: {shown}");
        assert_eq!(
            e.field.as_deref().unwrap_or("-"),
            field,
            "{text:?}: {shown}"
        );
        for word in words.split(';') {
            assert!(shown.contains(word), "{word:?} not in {shown}");
        }
    }
}

#[test]
fn no_front_matter() {
    errors(
        "# Title|+++|title = 'a'|+++ => 1 => - => no front matter found;start the file with a line `+++` (TOML) or `---` (YAML), the fields, then the same line again",
    );
    let e = parse("").unwrap_err();
    assert!(
        e.message.contains("file is empty") && e.hint.is_some_and(|h| h.contains("`+++` (TOML)"))
    );
    assert_eq!(parse("\u{feff}\r\n").unwrap_err().line, 1);
}

#[test]
fn unterminated_block() {
    errors(
        r#"
        +++|title = "a"|Body => 1 => - => `+++` on line 1;never closed;add a line `+++`
        ---|title: a|+++|Body => 1 => - => `---` on line 1;never closed;add a line `---`
    "#,
    );
}

#[test]
fn unknown_field() {
    errors(
        r#"
        +++|title = 'a'|date = 2020-09-28|author = 'x'|+++ => 4 => author => unknown field `author`;title, date, outlet (or source), url, slug, summary, people, places, tags, draft, review;spelling
        ---|title: a|date: 2020-09-28|author: x|--- => 4 => author => unknown field `author`;outlet (or source)
        +++|title = 'a'|[extra]|x = 1|+++ => 3 => extra => unknown field `extra`
    "#,
    );
}

#[test]
fn wrong_type() {
    errors(
        r#"
        +++|title = 'a'|people = "Peskov"|+++ => 3 => people => must be a list;string "Peskov";hint: write it like `people = ["Dmitry Peskov"]`
        +++|title = 'a'||draft = "yes"|+++ => 4 => draft => `draft` must be true or false;`draft = true`
        +++|title = 'a'|tags = [|  'x',|  3,|]|+++ => 5 => tags => must be a list;integer
        +++|title = 7|+++ => 2 => title => `title` must be text;integer
        ---|title: a|people: Peskov|--- => 3 => people => must be a list;`people: [Dmitry Peskov]`
        ---|title: a|places:|  - x|  - [y]|--- => 5 => places => must be a list
    "#,
    );
}

#[test]
fn invalid_date() {
    errors(
        r#"
        +++|title = 'a'|date = "2020-02-30"|+++ => 3 => date => not a real calendar date;2020-09-28T14:33:00+03:00;2020-09-28 14:33
        +++|title = 'a'|date = "yesterday"|+++ => 3 => date => `yesterday` is not a date;hint: write the date as 2020-09-28,
        +++|title = 'a'|date = 2020-02-30|+++ => 3 => date => date is not valid;hint: write the date as
        +++|title = 'a'|date = 14:33:00|+++ => 3 => date => `14:33:00` is not a date
        +++|title = 'a'|date = 2020|+++ => 3 => date => `date` must be a date;integer;hint: write the date as
        +++|title = 'a'|date = {a = 1}|+++ => 3 => date => `date` must be a date
        ---|title: a|date: 2020-13-01|--- => 3 => date => not a real calendar date;hint: write the date as
        ---|title: a|date: 2020-09-28 25:00|--- => 3 => date => no valid time
    "#,
    );
}

#[test]
fn missing_or_empty_title() {
    errors(
        r#"
        +++|+++ => 1 => title => required field `title` is missing;title = "
        ---|--- => 1 => title => required field `title` is missing;title: T
        +++|date = 2020-09-28|+++|Body => 1 => title => missing
        ---|# note|date: 2020-09-28|--- => 1 => title => missing
        +++|date = 2020-09-28|title = "  "|+++ => 3 => title => title is empty
        ---|title:|--- => 2 => title => must be text
    "#,
    );
}

#[test]
fn syntax_errors() {
    errors(
        r#"
        +++|title = 'a'||summary = 'oops|+++ => 4 => summary => TOML syntax error;quotes
        +++|title = 'a'|= 3|+++ => 3 => - => TOML syntax error
        +++|title = 'a'|title = 'b'|+++ => 3 => title => set more than once
        ---|title: a|  x: y: z|--- => 3 => - => YAML syntax error;own line
        ---|title: a|summary: 'oops|--- => 3 => - => YAML syntax error
        ---|title: a|title: b|--- => 3 => title => set more than once
    "#,
    );
}

#[test]
fn bom_and_crlf() {
    let p = ok("\u{feff}+++\r\ntitle = \"a\"\r\ndate = 2020-09-28\r\n+++\r\nBody\r\n");
    assert_eq!(
        (p.front_matter.title.as_str(), p.body, p.body_line),
        ("a", "Body\r\n", 5)
    );
    let p = ok("\u{feff}---\r\ntitle: a\r\n---\r\n");
    assert_eq!((p.format, p.body, p.body_line), (Yaml, "", 4));
    let e = parse("\u{feff}---\r\ntitle: a\r\n\r\nauthor: x\r\n---\r\n").unwrap_err();
    assert_eq!((e.line, e.field.as_deref()), (4, Some("author")));
}

#[test]
fn dates_in_toml_and_yaml() {
    let cases = [
        ("2020-09-28", "2020-09-28"),
        ("2020-09-28T14:33", "2020-09-28T14:33:00"),
        ("2020-09-28 14:33:05", "2020-09-28T14:33:05"),
        ("2020-09-28T14:33:00+03:00", "2020-09-28T14:33:00+03:00"),
        ("2020-09-28T11:33:00.5Z", "2020-09-28T11:33:00.500Z"),
    ];
    for (written, shown) in cases {
        let files = [
            format!("+++\ntitle = 'a'\ndate = {written}\n+++\n"),
            format!("+++\ntitle = 'a'\ndate = \"{written}\"\n+++\n"),
            format!("---\ntitle: a\ndate: {written}\n---\n"),
            format!("---\ntitle: a\ndate: \"{written}\"\n---\n"),
        ];
        for text in files {
            let date = ok(&text).front_matter.date.map(|d| d.to_string());
            assert_eq!(date.as_deref(), Some(shown), "{text}");
        }
    }
}

#[test]
fn fields_and_body() {
    let text = "+++\ntitle = \"Talks\"\nsource = \"TASS\"\nurl = \"https://x.test/1\"\n\
        slug = \"talks\"\nsummary = \"s\"\npeople = [\"Dmitry Peskov\"]\nplaces = [\"Moscow\"]\n\
        tags = [\"t\"]\ndraft = true\nreview = true\n+++\nText\n\n---\n\n+++\nmore\n";
    let p = ok(text);
    assert_eq!(
        (p.format, p.body_line, p.body),
        (Toml, 13, "Text\n\n---\n\n+++\nmore\n")
    );
    let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let expected = FrontMatter {
        title: "Talks".into(),
        date: None,
        outlet: Some("TASS".into()),
        url: Some("https://x.test/1".into()),
        slug: Some("talks".into()),
        summary: Some("s".into()),
        people: strings(&["Dmitry Peskov"]),
        places: strings(&["Moscow"]),
        tags: strings(&["t"]),
        draft: true,
        review: true,
        ..FrontMatter::default()
    };
    assert_eq!(p.front_matter, expected);
    let p = ok(
        "+++\ntitle = \"a\"\ndate_basis = \"captured\"\ncaptured = 2020-10-29T15:02:00Z\n\
        [[quotes]]\nspeaker = \"Dmitry Peskov\"\ntext = \"We are against this\"\n\
        [ingest]\nraw = \"articles/a.txt\"\nraw_hash = \"sha256:00\"\nencoding = \"UTF-8\"\nentry_hash = \"1\"\n+++\n",
    );
    let fm = &p.front_matter;
    assert_eq!(fm.date_basis, Some(DateBasis::Captured));
    assert_eq!(fm.quotes[0].speaker.as_deref(), Some("Dmitry Peskov"));
    assert_eq!(
        fm.ingest.as_ref().map(|i| i.raw.as_str()),
        Some("articles/a.txt")
    );
    assert!(fm.captured.is_some() && fm.date.is_none());
    let p = ok("---\ntitle: a\nsource: RIA\ntags: [x, y]\n---\n# Head\n---\ntext\n");
    assert_eq!(
        (p.front_matter.outlet.as_deref(), p.body_line),
        (Some("RIA"), 6)
    );
    assert_eq!(
        (p.front_matter.tags.len(), p.body),
        (2, "# Head\n---\ntext\n")
    );
    assert_eq!(ok("+++\ntitle = 'a'\n+++").body, "");
}

#[test]
fn never_panics() {
    let sample = "\u{feff}+++\r\ntitle = \"Ünï ✓\"\ndate = 2020-09-28T14:33:00+03:00\n\
        people = [\"a\",\n\"b\"]\n+++\nbody\n---\ntitle: \"é\"\ndate: 2020-09-28\ntags:\n  - x\n---\n";
    let odd = [
        "+++\n[[[\n+++\n",
        "---\n&a [*a, *b]\n---\n",
        "---\n: :\n---\n",
        "---\n- x\n---\n",
    ];
    let cut = sample
        .char_indices()
        .flat_map(|(i, _)| [sample.get(..i), sample.get(i..)]);
    for text in cut.flatten().chain(odd) {
        let _ = parse(text).map_err(|e| e.to_string());
    }
}

#[test]
fn control_characters_are_refused_with_their_place() {
    errors(
        r#"
        +++|title = "A\u0000B"|+++ => 2 => title => `title` holds the control character U+0000 (NUL), written as an escape;delete it
        ---|title: ok|people: ["a", "b\x07"]|--- => 3 => people => U+0007
        +++|title = 'a'|[[quotes]]|text = "x\u001b"|+++ => 3 => quotes => U+001B
    "#,
    );
    let e = parse("+++\ntitle = 'a'\n+++\nbody \u{1} here\n").unwrap_err();
    assert_eq!((e.line, e.column, e.field.as_deref()), (4, Some(6), None));
    assert!(
        e.to_string()
            .contains("the control character U+0001 is in the file")
    );
    let e = parse("---\ntitle: a\0b\n---\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, Some(9)));
    // Tabs and both kinds of line end are text.
    ok("+++\r\ntitle = \"a\tb\"\r\n+++\r\nbody\tx\r\n");
}

#[test]
fn years_outside_0001_to_9999_are_refused() {
    errors(
        r#"
        +++|title = 'a'|date = 0000-01-01|+++ => 3 => date => `0000-01-01` is outside the years 0001 to 9999;check the year
        ---|title: a|captured: "+12020-09-28"|--- => 3 => captured => outside the years
        ---|title: a|date: "-0044-03-15"|--- => 3 => date => `-0044-03-15`
    "#,
    );
    ok("+++\ntitle = 'a'\ndate = 0001-01-01\ncaptured = 9999-12-31\n+++\n");
}

#[test]
fn yaml_alias_bombs_and_alias_errors_are_worded_for_the_file() {
    let big = "x".repeat(100_000);
    let quotes = "  - {speaker: *t, text: *a}\n".repeat(1000);
    let bomb = format!("---\ntitle: &t lol\nsummary: &a \"{big}\"\nquotes:\n{quotes}---\n");
    let e = parse(&bomb).unwrap_err().to_string();
    assert!(e.contains("too big to read once its aliases"), "{e}");
    let alias = "---\ntitle: ok\ntags: &a [x]\npeople: [*a]\n---\n";
    let e = parse(alias).unwrap_err().to_string();
    assert!(!e.contains("(used") && !e.contains("defined at"), "{e}");
}
