//! Ingest of a plain-text scrape (`articles/x.txt`): decode, analyse, render the
//! entry, and read the entry back.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| dateline_fuzz::ingest(data, false));
