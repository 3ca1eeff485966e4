//! Writes a deterministic benchmark corpus: a dateline site with N generated entries, or with
//! N raw text scrapes to ingest; optionally the same entries as a Hugo site and a Zola site.
//!
//! `cargo run --release --example corpus -- --entries 10000 --out /tmp/site`
//! `cargo run --release --example corpus -- --articles 3000 --out /tmp/site`
//! `cargo run --release --example corpus -- --entries 10000 --out /tmp/site --hugo /tmp/hugo --zola /tmp/zola`

mod generate;
mod sites;

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
    let mut hugo: Option<PathBuf> = None;
    let mut zola: Option<PathBuf> = None;
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
            "--hugo" => hugo = Some(args.next().map(PathBuf::from).expect("--hugo DIR")),
            "--zola" => zola = Some(args.next().map(PathBuf::from).expect("--zola DIR")),
            other => panic!(
                "unknown argument {other}; usage: corpus (--entries N | --articles N) --out DIR [--hugo DIR] [--zola DIR]"
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
    let others = hugo.is_some() || zola.is_some();
    let mut written = Vec::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..entries {
        let stem = format!("entry-{i:06}");
        let text = entry(&mut rng, i);
        std::fs::write(dir.join(format!("{stem}.md")), &text).expect("write entry");
        if others {
            written.push(sites::Entry::parse(&stem, &text));
        }
    }
    write_articles(&out, articles);
    println!(
        "wrote {entries} entries and {articles} articles to {}",
        out.display()
    );
    if let Some(hugo) = hugo {
        sites::write_hugo(&hugo, &written);
        println!(
            "wrote the same entries as a Hugo site to {}",
            hugo.display()
        );
    }
    if let Some(zola) = zola {
        sites::write_zola(&zola, &written);
        println!(
            "wrote the same entries as a Zola site to {}",
            zola.display()
        );
    }
}
