//! Tests of the parent module.
use super::*;

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(&Gazetteer::builtin()));

/// Paragraphs separated by " | ", with `\n` for a line break inside one.
fn find(text: &str) -> Entities {
    let paragraphs = text.split(" | ").map(|p| p.replace("\\n", "\n"));
    MATCHER.find(&paragraphs.collect::<Vec<_>>())
}

/// " a, b " → ["a", "b"]; "" → [].
fn list(s: &str) -> Vec<String> {
    s.trim().split_terminator(", ").map(String::from).collect()
}

/// A seed article split as the brief says: blank lines end paragraphs, indentation goes.
fn seed(n: usize) -> Entities {
    let dir = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/articles")).unwrap();
    let mut files: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
    files.sort();
    let raw = std::fs::read_to_string(&files[n]).unwrap();
    let lines: Vec<&str> = raw.lines().map(str::trim_start).collect();
    let paragraphs = lines.split(|l| l.is_empty()).filter(|p| !p.is_empty());
    MATCHER.find(&paragraphs.map(|p| p.join("\n")).collect::<Vec<_>>())
}

#[test]
fn gazetteer_parses_and_extends() {
    let mut g: Gazetteer = toml::from_str(include_str!("../gazetteer.toml")).unwrap();
    assert!(g.people.len() > 20 && g.places.len() > 40);
    let site = "[[places]]\nname = 'Baku'\naliases = ['Bakou']\n[[people]]\nname = 'Jane Roe'";
    g.extend(toml::from_str(site).unwrap());
    assert_eq!(g.places.iter().filter(|p| p.name == "Baku").count(), 1);
    let found = Matcher::new(&g).find(&["Jane Roe flew to Bakou.".into()]);
    let want = (list("Jane Roe"), list("Baku"));
    assert_eq!((found.people, found.places), want);
    assert!(toml::from_str::<Gazetteer>("[[people]]\nname = 'X'\nalias = []").is_err());
}

#[test]
fn seeds() {
    let seeds: Vec<Entities> = (0..5).map(seed).collect();
    let has = |list: &[String], name: &str| list.iter().any(|p| p == name);
    let bad = [
        "Club",
        "Cross",
        "Heydar",
        "Prosecutor",
        "Ministry",
        "Airport",
        "Group",
    ];
    for (n, e) in seeds.iter().enumerate() {
        assert!(
            has(&e.places, "Nagorno-Karabakh"),
            "seed {n}: {:?}",
            e.places
        );
        assert_eq!(
            n < 4,
            has(&e.people, "Dmitry Peskov"),
            "seed {n}: {:?}",
            e.people
        );
        assert!(
            !e.people.iter().any(|p| bad.iter().any(|b| p.contains(b))),
            "{n}"
        );
        assert!(e.quotes.iter().all(|q| !q.text.ends_with(',')));
    }
    let people = |n: usize| seeds[n].people.join(", ");
    assert_eq!(
        people(2),
        "Dmitry Peskov, Nikol Pashinyan, Vladimir Putin, Ilham Aliyev, Gerardo Moloeznik"
    );
    assert_eq!(people(4), "Vladimir Putin, Nikol Pashinyan, Sergey Lavrov");
    let speakers = "\
        0 Dmitry Peskov: The Kremlin, first of all, proceeds
        0 Dmitry Peskov: We call on all countries
        2 Vladimir Putin: There are a lot of casualties
        2 Nikol Pashinyan: There is victory and there is defeat
        2 Gerardo Moloeznik: This is very important
        3 Dmitry Peskov: Any statements about any military support
        3 Dmitry Peskov: We are categorically against that
        3 Mevlut Cavusoglu: We stand by Azerbaijan on the field
        3 Recep Tayyip Erdogan: must take matters into its own hands
        3 Kremlin: Putin expressed serious concerns";
    for line in speakers.lines().map(str::trim) {
        let (who, start) = line[2..].split_once(": ").unwrap();
        let quotes = &seeds[usize::from(line.as_bytes()[0] - b'0')].quotes;
        let quote = quotes.iter().find(|q| q.text.starts_with(start));
        assert_eq!(
            quote.and_then(|q| q.speaker.as_deref()),
            Some(who),
            "{start}"
        );
    }
    let scare = |q: &Quote| q.text.starts_with("as needed") || q.text.contains("counter-off");
    assert!(!seeds[1].quotes.iter().any(scare), "{:?}", seeds[1].quotes);
}

#[test]
fn people_and_places() {
    // text => people ; places
    let table = "\
        Sergei Lavrov met Erdoğan in Sochi. => Sergey Lavrov, Recep Tayyip Erdogan ; Sochi
        armenia, the Armenian army and Azerbaijani towns => ;
        Khankendi (Stepanakert) in Artsakh, Karabakh => ; Stepanakert, Nagorno-Karabakh, Karabakh
        Nagorno‑Karabakh, Nagorno\\nKarabakh and Nagorno Karabakh => ; Nagorno-Karabakh
        Aliyev spoke. => ;
        Ilham Aliyev came. Later Aliyev and Vugar Aliyev spoke. => Ilham Aliyev ;
        They landed at Heydar Aliyev International Airport. => ;
        The OSCE Minsk Group met in Minsk. => ; Minsk
        U.S. Secretary of State Mike Pompeo spoke. => Mike Pompeo ; United States
        Ombudsman Arman Tatoyan said so. => Arman Tatoyan ;
        Deputy Foreign Minister Andrei Rudenko said so. => Andrei Rudenko ;
        UN Secretary-General Antonio Guterres said so. => Antonio Guterres ;
        On Monday Gerardo Moloeznik said so. => Gerardo Moloeznik ;
        Mayor Jean-Pierre de la Fontaine warned. => Jean-Pierre de la Fontaine ;
        The Defense Ministry said. Human Rights Watch said. The Red Cross said. => ;
        President Sarkissian spoke. The Valdai Discussion Club said. => ;
        Prime Minister Pashinyan spoke. => Nikol Pashinyan ;
        Путин заявил, что Нагорный Карабах => ;
        Çavuşoğlu visited Bakı and Şuşa, not Bakıx or Armeniaé. => Mevlut Cavusoglu ; Baku, Shusha";
    for line in table.lines() {
        let (text, want) = line.trim().split_once(" => ").unwrap();
        let (people, places) = want.split_once(';').unwrap();
        let found = find(text);
        assert_eq!(
            (found.people, found.places),
            (list(people), list(places)),
            "{text}"
        );
    }
}

#[test]
fn quotes_and_speakers() {
    // paragraphs => speaker: text ;; speaker: text ("-" for none)
    let table = r#"
        Peskov was asked. | "We do not agree with this at all," he said. => Dmitry Peskov: We do not agree with this at all
        “We will not accept this ultimatum,” said Maria Zakharova. => Maria Zakharova: We will not accept this ultimatum
        Ilham Aliyev also said that Baku was “ready to meet them halfway”. => Ilham Aliyev: ready to meet them halfway
        “We will continue to fight,” according to Pashinyan. => Nikol Pashinyan: We will continue to fight
        “The talks will go on,” Lavrov told reporters. “We expect progress now.” => Sergey Lavrov: The talks will go on ;; Sergey Lavrov: We expect progress now.
        “The ceasefire must hold everywhere,” the Kremlin noted. => Kremlin: The ceasefire must hold everywhere
        "Talks are the only way out," Zakharova wrote. => Maria Zakharova: Talks are the only way out
        “The ceasefire must hold everywhere.” Russia said more. => -: The ceasefire must hold everywhere.
        The ministry said it was “a clear violation of the truce”. => -: a clear violation of the truce
        It was a 'provocation', 'as needed.' and “a truce”. =>
        Aliyev's aide said the 'attack was planned well in advance' today. => -: attack was planned well in advance
        "This quote never closes and runs on | Next. => -: This quote never closes and runs on
        «Мы против этого решения сегодня», — заявил Песков. => -: Мы против этого решения сегодня"#;
    for line in table.lines().filter(|l| l.contains("=>")) {
        let (text, want) = line.trim().split_once(" =>").unwrap();
        let show = |q: &Quote| format!("{}: {}", q.speaker.as_deref().unwrap_or("-"), q.text);
        let got: Vec<String> = find(text).quotes.iter().map(show).collect();
        assert_eq!(
            got,
            want.trim().split_terminator(" ;; ").collect::<Vec<_>>(),
            "{text}"
        );
    }
}

#[test]
fn odd_input() {
    for text in [
        "",
        "\"",
        "'",
        "“",
        "‘a",
        "« »",
        "'a 'b 'c",
        "\0\u{feff}",
        "🙂 «🙂» “é",
        "a' ’ „x",
    ] {
        find(text);
    }
    assert_eq!(MATCHER.find(&[]), Entities::default());
    // Stray apostrophes and unclosed quotes all over a long page stay linear.
    let long = "'a Peskov said 'b “c ".repeat(5_000);
    assert_eq!(find(&long).people, ["Dmitry Peskov"]);
    let bare = Matcher::new(&Gazetteer::default()).find(&["Envoy Dmitry Peskov said".into()]);
    assert_eq!(bare.people, ["Dmitry Peskov"]);
    fn shareable<T: Send + Sync>() {}
    shareable::<Matcher>();
}
