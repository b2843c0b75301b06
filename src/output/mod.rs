//! Reporters: one file per output format. A reporter turns a `Report` into
//! text; `emit` writes it, ending quietly when the reader has gone away
//! (`imprimatur check | head`).

mod human;
mod json;
mod line;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::Format;
use crate::finding::{Finding, Level, Suppressed};

pub use json::FindingOut;

/// Everything a reporter prints.
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
    /// How many fixes `--fix` applied.
    pub fixed: usize,
}

impl Report {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Where paths are printed relative to.
#[derive(Debug, Clone)]
pub struct Paths {
    pub root: PathBuf,
    pub cwd: PathBuf,
}

impl Paths {
    /// Repository-relative `rel` as seen from the current directory.
    pub fn display(&self, rel: &str) -> String {
        let abs = self.root.join(rel);
        let shown = pathdiff::diff_paths(&abs, &self.cwd).unwrap_or(abs);
        crate::source::relative(Path::new(""), &shown)
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
        // The CI formats (sarif, github, gitlab, junit, checkstyle) print JSON until they exist.
        _ => json::write(report, out),
    }
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
