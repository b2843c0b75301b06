//! Reporters: one file per output format, the last stage of the pipeline.
//!
//! Every format is a function of one shape, [`Writer`]: the report (the
//! findings and what was checked), the gate's typed [`Decision`] when the
//! command is `gate`, where paths are shown relative to, and the stream to
//! write to. A function type rather than a trait because a format has no
//! state: `Format::writer` picks one, and the compiler holds every format
//! to the same signature. [`emit`] is the one place that writes to stdout
//! and ends quietly when the reader has gone away (`imprimatur check |
//! head`).
//!
//! The outputs write only to the stream they are given. The GitHub job
//! summary is text made here ([`step_summary`]); the command decides to
//! append it to the file `$GITHUB_STEP_SUMMARY` names.

mod checkstyle;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod line;
mod sarif;
pub mod statistics;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use crate::finding::{Finding, Level, Suppressed};
use crate::gate::Decision;

pub use crate::rules::RuleMeta;
/// Where the writers print paths relative to (made by the workspace).
pub use crate::source::Paths;
pub use json::FindingOut;

/// The output formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Line,
    Sarif,
    Github,
    Gitlab,
    Junit,
    Checkstyle,
}

/// What every format is: the report, the gate's decision (`None` for
/// `check`), where paths are shown from, and the stream to write to.
pub type Writer = fn(&Report, Option<&Decision>, &Paths, &mut dyn Write) -> std::io::Result<()>;

impl Format {
    /// The function that writes this format.
    pub fn writer(self) -> Writer {
        match self {
            Format::Human => human::write,
            Format::Json => json::write,
            Format::Line => line::write,
            Format::Sarif => sarif::write,
            Format::Github => github::write,
            Format::Gitlab => gitlab::write,
            Format::Junit => junit::write,
            Format::Checkstyle => checkstyle::write,
        }
    }
}

/// Everything a reporter prints besides the gate's decision.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    /// Number of files checked.
    pub files: usize,
    /// File texts by repository-relative path, for source snippets.
    pub sources: HashMap<String, Arc<str>>,
    /// How many fixes `--fix` applied.
    pub fixed: usize,
    /// The loaded rules, for formats that describe them (SARIF).
    pub rules: Vec<RuleMeta>,
    /// Every file checked (project-relative), findings or not: a JUnit test
    /// case and a checkstyle `<file>` each.
    pub checked: Vec<String>,
    /// The gate's blocking reasons that are not lint findings (an unmet
    /// approval requirement, an unowned file) as file-level findings. The CI
    /// formats report them beside the lint findings; `json` and `human` show
    /// them in the gate object instead.
    pub gate_findings: Vec<Finding>,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Lint findings, then the gate's own blocking reasons.
    pub fn ci_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().chain(&self.gate_findings)
    }

    /// Every checked file with its findings (lint, then the gate's), by
    /// path: files without findings too, for formats that list every file.
    pub fn findings_by_file(&self) -> std::collections::BTreeMap<&str, Vec<&Finding>> {
        let mut files: std::collections::BTreeMap<&str, Vec<&Finding>> = self
            .checked
            .iter()
            .map(|p| (p.as_str(), Vec::new()))
            .collect();
        for f in self.ci_findings() {
            files.entry(f.path.as_str()).or_default().push(f);
        }
        files
    }
}

/// The command that made the output, for titles: `gate` when there is a
/// decision.
fn command(decision: Option<&Decision>) -> &'static str {
    match decision {
        Some(_) => "gate",
        None => "check",
    }
}

/// The Markdown job summary of `--format github` (GitHub shows the file
/// `$GITHUB_STEP_SUMMARY` names on the run's page). Made here, written by
/// the command.
pub fn step_summary(report: &Report, decision: Option<&Decision>, paths: &Paths) -> String {
    github::step_summary(report, decision, paths)
}

/// A revision of the gate's decision (`base`, `head`, `policy_from`),
/// shortened to 12 characters as people read commit ids.
fn short_revision(revision: &str) -> String {
    revision.chars().take(12).collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn sample() -> (Report, Paths) {
        let finding =
            crate::finding::file_finding("docs/a.md", "claims/x", Level::Error, "Not here.".into());
        let report = Report {
            findings: vec![finding],
            files: 1,
            checked: vec!["docs/a.md".into()],
            ..Report::default()
        };
        let paths = Paths {
            root: PathBuf::from("/p"),
            cwd: PathBuf::from("/p"),
            repo_prefix: String::new(),
        };
        (report, paths)
    }

    fn written(format: Format, report: &Report, paths: &Paths) -> String {
        let mut out = Vec::new();
        format.writer()(report, None, paths, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_format_writes_through_one_signature_into_the_given_stream() {
        let (report, paths) = sample();
        let formats = [
            Format::Human,
            Format::Json,
            Format::Line,
            Format::Sarif,
            Format::Github,
            Format::Gitlab,
            Format::Junit,
            Format::Checkstyle,
        ];
        for format in formats {
            let text = written(format, &report, &paths);
            assert!(
                text.contains("claims/x"),
                "{format:?} names the rule:\n{text}"
            );
        }
    }

    #[test]
    fn the_github_job_summary_is_text_apart_from_the_annotations() {
        let (report, paths) = sample();
        let annotations = written(Format::Github, &report, &paths);
        assert!(
            annotations.starts_with("::error file=docs/a.md,line=1,"),
            "{annotations}"
        );
        assert!(!annotations.contains("## imprimatur"), "{annotations}");
        let summary = step_summary(&report, None, &paths);
        assert!(summary.starts_with("## imprimatur check\n"), "{summary}");
        assert!(
            summary.contains("| error | docs/a.md | 1:1 | claims/x | Not here. |"),
            "{summary}"
        );
    }
}
