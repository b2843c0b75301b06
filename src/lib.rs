//! imprimatur: a content governance linter and publish gate.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! `source` (where bytes come from) → `document` (Markdown → scoped text with
//! source offsets) → `rules` (compiled rule set) → `engine` (findings,
//! suppressions) → `output` (one file per format). `ownership`, `approvals`
//! and `gate` add the governance half.
//!
//! The library returns what it finds and never prints: only the faces (`cli`,
//! `commands`, `lsp`) write to the terminal, and the lints below hold every
//! other module to that.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod approvals;
pub mod builtin_rules;
pub mod cache;
pub mod calendar;
pub mod changed_lines;
#[allow(clippy::print_stdout, clippy::print_stderr)] // a face
pub mod cli;
#[allow(clippy::print_stdout, clippy::print_stderr)] // a face
pub mod commands;
pub mod config;
pub mod dictionary;
pub mod document;
pub mod engine;
pub mod environment;
pub mod error;
pub mod escape;
pub mod finding;
pub mod fix;
pub mod fuzzing;
pub mod gate;
#[allow(clippy::print_stdout, clippy::print_stderr)] // a face
pub mod lsp;
pub mod output;
pub mod ownership;
pub mod project;
pub mod report;
pub mod rules;
pub mod run;
pub mod selection;
pub mod source;
pub mod suppress;
pub mod text_stats;
pub mod vale;
pub mod workspace;
pub mod yaml;
