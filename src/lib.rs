//! dateline: turns raw reporting into dated, sourced Markdown entries and those entries into a
//! static timeline site.
//!
//! The pipeline, one module per step: [`config`] (site.toml) → [`content`] (entries and their
//! front matter) → [`markdown`] and [`templates`] → [`render`] (template values, HTML
//! post-processing) → [`site`] (the orchestrator) → [`output`] (atomic write). [`cli`] holds one
//! file per command.

pub mod cli;
pub mod config;
pub mod content;
pub mod group;
pub mod hash;
pub mod ingest;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod static_files;
pub mod templates;
pub mod watch;
