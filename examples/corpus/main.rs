//! Writes a deterministic benchmark corpus: a dateline site with N generated entries, or with
//! N raw text scrapes to ingest.
//!
//! `cargo run --release --example corpus -- --entries 10000 --out /tmp/site`
//! `cargo run --release --example corpus -- --articles 3000 --out /tmp/site`

mod generate;

use std::path::PathBuf;

use generate::{Rng, entry, scrape};

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
