//! auexplain: explains Linux audit logs in plain words.
//!
//! The crate is one pipeline: `input` reads lines, `parse` turns them into
//! `record`s, `types` and `glossary` say what they mean, `interpret` puts values
//! into words, `filter` selects, and `render` writes text, JSON, raw lines or
//! `ausearch -i`'s layout. `app` wires the pipeline for the command line.

pub mod app;
pub mod argv;
pub mod cli;
pub mod diag;
pub mod digits;
pub mod event;
pub mod filter;
pub mod glob;
pub mod glossary;
pub mod input;
pub mod interpret;
pub mod lists;
pub mod outcome;
pub mod parse;
pub mod pool;
pub mod record;
pub mod render;
pub mod sanitize;
pub mod summary;
pub mod timefmt;
pub mod types;
pub mod zone;
