//! Ingest of a saved web page (`articles/x.html`): decode, extract, analyse, render the
//! entry, and read the entry back.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| dateline_fuzz::ingest(data, true));
