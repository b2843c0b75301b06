//! `--format line`: `path:line:column:rule:message`, one finding a row, the
//! quickfix form of grep, editors and Vale's `--output=line`.

use std::io::Write;

use super::{Paths, Report};
use crate::gate::Decision;

/// The gate's decision has no place in this format: one row per finding.
pub fn write(
    report: &Report,
    _decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for f in &report.findings {
        let message = f.message.replace(['\n', '\r'], " ");
        writeln!(
            out,
            "{}:{}:{}:{}:{}",
            paths.display(&f.path),
            f.span.line,
            f.span.column,
            f.rule,
            message
        )?;
    }
    Ok(())
}
