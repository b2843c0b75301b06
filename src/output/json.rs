//! `--format json`: schema version 1 of DESIGN.md, serialized straight from
//! borrowed findings (no intermediate JSON tree: a file with a million
//! findings must not need gigabytes).

use std::io::Write;

use serde::Serialize;

use super::{Paths, Report};
use crate::finding::{Finding, Fix, Level, Suppressed};
use crate::gate::Decision;

#[derive(Serialize)]
pub struct FindingOut<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    rule: &'a str,
    level: Level,
    message: &'a str,
    found: &'a str,
    fix: &'a Option<Fix>,
    /// Spelling suggestions, for editors' quick fixes (additive to schema 1).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    suggestions: &'a [String],
}

impl<'a> From<&'a Finding> for FindingOut<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingOut {
            path: &f.path,
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
            rule: &f.rule,
            level: f.level,
            message: &f.message,
            found: &f.found,
            fix: &f.fix,
            suggestions: &f.suggestions,
        }
    }
}

#[derive(Serialize)]
struct SuppressedOut<'a> {
    #[serde(flatten)]
    finding: FindingOut<'a>,
    reason: &'a Option<String>,
    comment_line: usize,
}

impl<'a> From<&'a Suppressed> for SuppressedOut<'a> {
    fn from(s: &'a Suppressed) -> Self {
        SuppressedOut {
            finding: (&s.finding).into(),
            reason: &s.reason,
            comment_line: s.comment_line,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct ReportOut<'a> {
    version: u32,
    findings: Vec<FindingOut<'a>>,
    suppressed: Vec<SuppressedOut<'a>>,
    summary: Summary,
    /// The decision serialised as it is (`null` for `check`).
    gate: Option<&'a Decision>,
}

/// Paths are project-relative as stored: the JSON shape does not depend on
/// the current directory.
pub fn write(
    report: &Report,
    decision: Option<&Decision>,
    _paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let value = ReportOut {
        version: 1,
        findings: report.findings.iter().map(FindingOut::from).collect(),
        suppressed: report.suppressed.iter().map(SuppressedOut::from).collect(),
        summary: Summary {
            files: report.files,
            error: report.count(Level::Error),
            warning: report.count(Level::Warning),
            info: report.count(Level::Info),
        },
        gate: decision,
    };
    serde_json::to_writer_pretty(&mut *out, &value)?;
    out.write_all(b"\n")
}
