//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues
//! in the Code Climate shape GitLab reads): `description`, `check_name`,
//! `fingerprint`, `severity`, `location.path`, `location.lines.begin`.
//!
//! GitLab compares the report of a merge request with its target branch's
//! by fingerprint, so the fingerprint is the SARIF one (stable across
//! unrelated edits, unique per finding). Suppressed findings are left out:
//! Code Quality has no notion of them (SARIF and JSON keep them).

use std::io::Write;

use serde::Serialize;

use super::fingerprint::{fingerprint, occurrences};
use super::{Paths, Report};
use crate::builtin_rules::APPROVAL;
use crate::finding::{Finding, Level};
use crate::gate::Decision;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: &'a str,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
    engine_name: &'static str,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// The decision's blocking reasons come as the report's gate findings.
pub fn write(
    report: &Report,
    _decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let reported: Vec<&Finding> = report.ci_findings().collect();
    // Numbered with the suppressed ones, as in SARIF, so both formats agree.
    let all: Vec<&Finding> = reported
        .iter()
        .copied()
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .collect();
    let nth = occurrences(&all);
    let issues: Vec<Issue> = reported
        .iter()
        .zip(nth)
        .map(|(f, n)| issue(f, n, paths))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    out.write_all(b"\n")
}

fn issue<'a>(f: &'a Finding, occurrence: usize, paths: &Paths) -> Issue<'a> {
    let path = paths.repo_path(&f.path);
    let is_gate = f.rule == APPROVAL;
    Issue {
        kind: "issue",
        check_name: &f.rule,
        description: &f.message,
        categories: [if is_gate { "Security" } else { "Style" }],
        severity: severity(f),
        fingerprint: fingerprint(&f.rule, &path, &f.found, occurrence),
        location: Location {
            path,
            lines: Lines {
                begin: f.span.line,
                end: f.span.end_line,
            },
        },
        engine_name: "imprimatur",
    }
}

/// GitLab's scale is info, minor, major, critical, blocker. A missing
/// approval stops the merge by itself: `blocker`. Otherwise the rule's level.
fn severity(f: &Finding) -> &'static str {
    if f.rule == APPROVAL {
        return "blocker";
    }
    match f.level {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Info => "info",
    }
}
