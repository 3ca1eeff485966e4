//! The benchmark corpus generator, shared by the `corpus` and `group_bench` examples.
//!
//! Entries have realistic lengths (6–14 paragraphs), dates spread over one year, about three
//! outlets reporting each happening (sharing its quote and its rare words, in different
//! sentences), people and places from fixed lists, and links. The same seed always gives the
//! same text.

use std::fmt::Write as _;

const OUTLETS: &[&str] = &[
    "Sputnik",
    "TASS",
    "Press TV",
    "MassisPost",
    "RT",
    "Reuters",
    "AFP",
    "Azatutyun",
    "APA",
    "News.am",
];
const PEOPLE: &[&str] = &[
    "Dmitry Peskov",
    "Vladimir Putin",
    "Nikol Pashinyan",
    "Ilham Aliyev",
    "Sergey Lavrov",
    "Recep Tayyip Erdogan",
    "Mevlut Cavusoglu",
    "Zohrab Mnatsakanyan",
    "Jeyhun Bayramov",
    "Arayik Harutyunyan",
];
const PLACES: &[&str] = &[
    "Nagorno-Karabakh",
    "Stepanakert",
    "Shusha",
    "Ganja",
    "Baku",
    "Yerevan",
    "Moscow",
    "Ankara",
    "Tartar",
    "Hadrut",
];
const WORDS: &[&str] = &[
    "ceasefire",
    "talks",
    "mediation",
    "shelling",
    "statement",
    "border",
    "forces",
    "civilians",
    "delegation",
    "negotiations",
    "humanitarian",
    "corridor",
    "ministry",
    "spokesman",
    "agreement",
    "troops",
    "observers",
    "artillery",
    "region",
    "conflict",
    "diplomatic",
    "settlement",
    "escalation",
    "position",
    "reported",
    "said",
    "the",
    "of",
    "and",
    "in",
    "on",
    "with",
    "after",
    "before",
    "against",
    "between",
    "according",
    "to",
];

/// xorshift64*: enough randomness for a corpus, and no dependency to keep in step.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(18);
    let mut words: Vec<&str> = (0..n).map(|_| rng.pick(WORDS)).collect();
    if rng.below(3) == 0 {
        words.insert(rng.below(n), rng.pick(PEOPLE));
    }
    if rng.below(3) == 0 {
        words.insert(rng.below(n), rng.pick(PLACES));
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

/// What the reports of one happening share: its speaker, place, rare topic words and quote.
struct Happening {
    person: &'static str,
    place: &'static str,
    topic: String,
    quote: String,
}

const SYLLABLES: &[&str] = &[
    "ka", "ro", "vel", "sun", "dar", "mi", "tor", "ez", "lan", "qu", "bri", "os", "fen", "ul",
    "zar", "pe", "gho", "iv", "net", "ax",
];

fn happening(event: usize) -> Happening {
    let mut rng =
        Rng(0x2545_F491_4F6C_DD1D ^ (event as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let syllable = |n: usize| SYLLABLES[n % SYLLABLES.len()];
    let topic = format!(
        "{}{}{}{}",
        syllable(event),
        syllable(event / 20),
        syllable(event / 400),
        syllable(event / 8000)
    );
    Happening {
        person: rng.pick(PEOPLE),
        place: rng.pick(PLACES),
        quote: sentence(&mut rng),
        topic,
    }
}

/// A Markdown entry: the `i`-th report, about happening `i / 3`.
pub fn entry(rng: &mut Rng, i: usize) -> String {
    let event = i / 3;
    let Happening {
        person,
        place,
        topic,
        quote,
    } = happening(event);
    let day = (event * 7 / 27) % 365;
    let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(day as u64);
    let (h, m) = (rng.below(24), rng.below(60));
    let mut out = String::new();
    let _ = writeln!(out, "+++");
    let _ = writeln!(
        out,
        "title = \"{person} on the {topic} talks in {place}, report {i}\""
    );
    let _ = writeln!(out, "date = {}T{h:02}:{m:02}:00", date.format("%Y-%m-%d"));
    let _ = writeln!(out, "outlet = \"{}\"", OUTLETS[(i + event) % OUTLETS.len()]);
    let _ = writeln!(out, "url = \"https://news.example/{i}\"");
    let _ = writeln!(out, "people = [\"{person}\", \"{}\"]", rng.pick(PEOPLE));
    let _ = writeln!(out, "places = [\"{place}\", \"{}\"]", rng.pick(PLACES));
    let _ = writeln!(out, "tags = [\"{}\"]", rng.pick(WORDS));
    let _ = writeln!(
        out,
        "\n[[quotes]]\nspeaker = \"{person}\"\ntext = \"{quote}\""
    );
    let _ = writeln!(out, "+++\n");
    for p in 0..6 + rng.below(9) {
        let sentences: Vec<String> = (0..2 + rng.below(4)).map(|_| sentence(rng)).collect();
        let mut paragraph = sentences.join(" ");
        if p == 0 {
            paragraph = format!("{person} spoke about the {topic} talks in {place}. {paragraph}");
        }
        if p == 1 {
            paragraph = format!(
                "“{quote}” {person} said, according to [the agency](https://agency.example/{event})."
            );
        }
        let _ = writeln!(out, "{paragraph}\n");
    }
    out
}

/// A raw scrape as a researcher saves it: page chrome, headline, a date line, paragraphs with
/// a caption and credit among them, a tag line, and another site's list of recent posts.
pub fn scrape(rng: &mut Rng, i: usize) -> String {
    let event = i / 3;
    let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
        + chrono::Days::new(((event * 7) % 365) as u64);
    let person = rng.pick(PEOPLE);
    let place = rng.pick(PLACES);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "News  /  World\n\n{person} speaks on the situation in {place}, report {i}\n"
    );
    let _ = writeln!(
        out,
        "{:02}:{:02}, {} {}\n",
        rng.below(24),
        rng.below(60),
        date.format("%-d %B %Y"),
        rng.below(900)
    );
    for p in 0..6 + rng.below(9) {
        let sentences: Vec<String> = (0..2 + rng.below(4)).map(|_| sentence(rng)).collect();
        let _ = writeln!(out, "{}\n", sentences.join(" "));
        if p == 1 {
            let _ = writeln!(out, "“{}” {person} told reporters.\n", sentence(rng));
        }
        if p == 2 {
            let _ = writeln!(
                out,
                "A view of {place} on the first day of talks.\n© {} /\n",
                OUTLETS[event % OUTLETS.len()]
            );
        }
    }
    let _ = writeln!(
        out,
        "{}, {}, {}\nShare\n\nRecent Posts\n\nAnother story about {}\n\n2 hours ago",
        place,
        rng.pick(PLACES),
        person,
        rng.pick(PLACES)
    );
    out
}
