//! `--format checkstyle`: Checkstyle's XML, which reviewdog reads
//! (`reviewdog -f=checkstyle`) to comment on a pull request's diff:
//! `<file name>` per checked file with an `<error line column severity
//! message source>` per finding (`source` is the rule id).

use std::fmt::Write as _;

use super::{Paths, Report};
use crate::escape::xml_attr as attr;
use crate::finding::Level;
use crate::gate::Decision;

/// The gate's blocking reasons come as the report's gate findings; the
/// decision itself has no place in checkstyle's shape.
pub fn write(
    report: &Report,
    _decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(render(report, paths).as_bytes())
}

fn render(report: &Report, paths: &Paths) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (file, findings) in report.findings_by_file() {
        let name = attr(&paths.repo_path(file));
        if findings.is_empty() {
            let _ = writeln!(out, "  <file name=\"{name}\"/>");
            continue;
        }
        let _ = writeln!(out, "  <file name=\"{name}\">");
        for f in findings {
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                f.span.line,
                f.span.column,
                severity(f.level),
                attr(&f.message),
                attr(&f.rule)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}
