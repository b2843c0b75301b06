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

pub use json::finding_json;

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

/// Renders `report` in `format`.
pub fn render(format: Format, report: &Report, paths: &Paths) -> String {
    match format {
        Format::Human => human::render(report, paths),
        Format::Line => line::render(report, paths),
        Format::Json => json::render(report),
        other => {
            // Formats of the CI surfaces fall back to JSON until they exist.
            let _ = other;
            json::render(report)
        }
    }
}

/// Writes `text` to stdout. A closed pipe is not an error.
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
