//! Integration tests: fixture sites under `tests/fixtures/` are copied into temporary folders,
//! built with the real `dateline` binary, and their output checked. See `tests/README.md`.

mod bad_inputs;
mod build;
mod check;
mod crash;
mod errors;
mod group;
mod harness;
mod incremental;
mod ingest;
mod serve;

mod init;
mod load;
mod site;
