//! `--format line`: `path:line:column:rule:message`, one finding a row, the
//! quickfix form of grep, editors and Vale's `--output=line`.

use super::{Paths, Report};

pub fn render(report: &Report, paths: &Paths) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let message = f.message.replace(['\n', '\r'], " ");
        out.push_str(&format!(
            "{}:{}:{}:{}:{}\n",
            paths.display(&f.path),
            f.span.line,
            f.span.column,
            f.rule,
            message
        ));
    }
    out
}
