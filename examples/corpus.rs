//! Writes a deterministic benchmark corpus: a dateline site with N generated entries, or with
//! N raw text scrapes to ingest.
//!
//! `cargo run --release --example corpus -- --entries 10000 --out /tmp/site`
//! `cargo run --release --example corpus -- --articles 3000 --out /tmp/site`
//!
//! Entries have realistic lengths (6–14 paragraphs), dates spread over one year, several outlets
//! reporting each happening, people and places from fixed lists, quotes and links. The same
//! seed always gives the same files.

use std::fmt::Write as _;
use std::path::PathBuf;

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
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
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

fn entry(rng: &mut Rng, i: usize) -> String {
    let event = i / 3; // about three outlets report each happening
    let day = (event * 7) % 365;
    let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(day as u64);
    let (h, m) = (rng.below(24), rng.below(60));
    let person = rng.pick(PEOPLE);
    let place = rng.pick(PLACES);
    let mut out = String::new();
    let _ = writeln!(out, "+++");
    let _ = writeln!(
        out,
        "title = \"{person} on the situation in {place}, report {i}\""
    );
    let _ = writeln!(out, "date = {}T{h:02}:{m:02}:00", date.format("%Y-%m-%d"));
    let _ = writeln!(out, "outlet = \"{}\"", OUTLETS[(i + event) % OUTLETS.len()]);
    let _ = writeln!(out, "url = \"https://news.example/{i}\"");
    let _ = writeln!(out, "people = [\"{person}\", \"{}\"]", rng.pick(PEOPLE));
    let _ = writeln!(out, "places = [\"{place}\", \"{}\"]", rng.pick(PLACES));
    let _ = writeln!(out, "tags = [\"{}\"]", rng.pick(WORDS));
    let _ = writeln!(out, "+++\n");
    for p in 0..6 + rng.below(9) {
        let sentences: Vec<String> = (0..2 + rng.below(4)).map(|_| sentence(rng)).collect();
        let mut paragraph = sentences.join(" ");
        if p == 1 {
            paragraph = format!(
                "“{}” {person} said, according to [the agency](https://agency.example/{event}).",
                sentence(rng)
            );
        }
        let _ = writeln!(out, "{paragraph}\n");
    }
    out
}

/// A raw scrape as a researcher saves it: page chrome, headline, a date line, paragraphs with
/// a caption and credit among them, a tag line, and another site's list of recent posts.
fn scrape(rng: &mut Rng, i: usize) -> String {
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

fn write_articles(out: &std::path::Path, articles: usize) {
    let dir = out.join("articles");
    std::fs::create_dir_all(&dir).expect("create articles folder");
    let mut rng = Rng(0x51_7CC1_B727_220A);
    for i in 0..articles {
        std::fs::write(dir.join(format!("article-{i:06}.txt")), scrape(&mut rng, i))
            .expect("write article");
    }
}

fn main() {
    let mut entries = 1000usize;
    let mut articles = 0usize;
    let mut out = PathBuf::from("corpus");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--entries" => {
                entries = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--entries N")
            }
            "--articles" => {
                articles = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--articles N");
                entries = 0;
            }
            "--out" => out = args.next().map(PathBuf::from).expect("--out DIR"),
            other => panic!(
                "unknown argument {other}; usage: corpus (--entries N | --articles N) --out DIR"
            ),
        }
    }
    let dir = out.join("content/entries");
    std::fs::create_dir_all(&dir).expect("create corpus folder");
    std::fs::write(
        out.join("site.toml"),
        "title = \"Benchmark corpus\"\nbase_url = \"https://example.org/\"\ntimezone = \"Europe/Moscow\"\n",
    )
    .expect("write site.toml");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..entries {
        std::fs::write(dir.join(format!("entry-{i:06}.md")), entry(&mut rng, i))
            .expect("write entry");
    }
    write_articles(&out, articles);
    println!(
        "wrote {entries} entries and {articles} articles to {}",
        out.display()
    );
}
