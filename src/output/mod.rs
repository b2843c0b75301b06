//! Reporters: one file per output format. A reporter turns a `Report` into
//! text; `emit` writes it, ending quietly when the reader has gone away
//! (`imprimatur check | head`).

mod checkstyle;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod line;
mod meta;
mod sarif;
pub mod statistics;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Finding, Level, Suppressed};

pub use json::FindingOut;
pub use meta::RuleMeta;

/// Everything a reporter prints.
/// The strings of a JSON array (the gate decision's lists: `blocking`,
/// `next_steps`, `owners`, `approved_by`); nothing for anything else.
pub(crate) fn strings(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .collect()
}

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

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    /// Number of files checked.
    pub files: usize,
    /// File texts by repository-relative path, for source snippets.
    pub sources: HashMap<String, Arc<str>>,
    /// The gate's decision, when the command is `gate`.
    pub gate: Option<serde_json::Value>,
    /// The gate's verdict in one line (`blocked: 1 approval missing`), the
    /// last line of the human output.
    pub verdict_line: Option<String>,
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

    /// Did the gate block? `None` for `check`.
    pub fn gate_passed(&self) -> Option<bool> {
        self.gate
            .as_ref()
            .map(|g| g["passed"].as_bool().unwrap_or(false))
    }

    /// The command that made the report, for titles.
    pub fn command(&self) -> &'static str {
        if self.gate.is_some() {
            "gate"
        } else {
            "check"
        }
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

/// Where paths are printed relative to.
#[derive(Debug, Clone)]
pub struct Paths {
    pub root: PathBuf,
    pub cwd: PathBuf,
    /// The project root relative to the git work tree (`""` at its root, or
    /// outside a repository).
    pub repo_prefix: String,
}

impl Paths {
    /// Repository-relative `rel` as seen from the current directory.
    pub fn display(&self, rel: &str) -> String {
        let abs = self.root.join(rel);
        let shown = pathdiff::diff_paths(&abs, &self.cwd).unwrap_or(abs);
        crate::source::relative(Path::new(""), &shown)
    }

    /// Project-relative `rel` as a path from the repository root: what
    /// GitHub, GitLab and reviewdog resolve annotations against.
    pub fn repo_path(&self, rel: &str) -> String {
        crate::source::git::join_prefix(&self.repo_prefix, rel)
    }
}

/// Writes `report` in `format` to stdout. A closed pipe ends quietly.
pub fn emit_report(format: Format, report: &Report, paths: &Paths) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = write_report(format, report, paths, &mut out).and_then(|()| out.flush());
    ignore_broken_pipe(result)
}

/// Writes `report` in `format`.
pub fn write_report(
    format: Format,
    report: &Report,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => out.write_all(human::render(report, paths).as_bytes()),
        Format::Line => out.write_all(line::render(report, paths).as_bytes()),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, paths, out),
        Format::Github => {
            out.write_all(github::annotations(report, paths).as_bytes())?;
            github::append_step_summary(report, paths);
            Ok(())
        }
        Format::Gitlab => gitlab::write(report, paths, out),
        Format::Junit => out.write_all(junit::render(report, paths).as_bytes()),
        Format::Checkstyle => out.write_all(checkstyle::render(report, paths).as_bytes()),
    }
}

/// A revision of the gate's decision (`base`, `head`, `policy_from`),
/// shortened to 12 characters as people read commit ids.
fn short_revision(gate: &serde_json::Value, key: &str) -> String {
    gate[key].as_str().unwrap_or("").chars().take(12).collect()
}

/// Writes `text` to stdout. A closed pipe is not an error.
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    ignore_broken_pipe(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn ignore_broken_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
