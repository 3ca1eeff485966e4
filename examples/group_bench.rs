//! Times grouping alone on N generated entries held in memory (no file reading or writing).
//!
//! `cargo run --release --example group_bench -- 100000`
//!
//! Prints the number of entries and events and the time spent in `group::group`; run it under
//! `/usr/bin/time -v` for peak memory (bench/group.sh does).

// The generator also writes raw scrapes, which this benchmark does not use.
#[allow(dead_code)]
#[path = "corpus/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::time::Instant;

use dateline::config::GroupingConfig;
use dateline::content::{Entry, front_matter};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut rng = generate::Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    let entries: Vec<Entry> = (0..n)
        .map(|i| {
            let text = generate::entry(&mut rng, i);
            let parsed = front_matter::parse(&text).expect("generated entries parse");
            Entry::new(
                PathBuf::from(format!("content/entries/entry-{i:06}.md")),
                parsed.front_matter,
                parsed.body.to_string(),
                chrono_tz::Europe::Moscow,
            )
        })
        .collect();
    let generated = started.elapsed();
    let started = Instant::now();
    let timeline = dateline::group::group(&entries, &[], &GroupingConfig::default());
    let grouped = started.elapsed();
    let multi = timeline
        .events
        .iter()
        .filter(|e| e.members.len() > 1)
        .count();
    println!(
        "{n} entries -> {} events ({multi} with several sources); generating {:.2} s, grouping {:.3} s",
        timeline.events.len(),
        generated.as_secs_f64(),
        grouped.as_secs_f64()
    );
}
