//! `--format junit`: one test suite; a test case per checked file (passing
//! when it has no finding), a `<failure>` per finding; for `gate`, one more
//! test case, `gate`, that fails with the blocking reasons when blocked.
//! CI systems (GitLab's test report, Jenkins, Azure) show it as test results.

use std::fmt::Write as _;

use super::{Paths, Report};
use crate::escape::{xml_attr as attr, xml_text as text};
use crate::finding::Finding;
use crate::gate::Decision;

pub fn write(
    report: &Report,
    decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(render(report, decision, paths).as_bytes())
}

fn render(report: &Report, decision: Option<&Decision>, paths: &Paths) -> String {
    let mut cases = String::new();
    let mut tests = 0;
    let mut failed = 0;
    for (file, findings) in report.findings_by_file() {
        tests += 1;
        failed += usize::from(!findings.is_empty());
        file_case(&mut cases, &paths.repo_path(file), &findings);
    }
    if let Some(decision) = decision {
        tests += 1;
        failed += usize::from(!decision.passed);
        gate_case(&mut cases, decision);
    }
    let suite = format!("imprimatur {}", super::command(decision));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"imprimatur\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{suite}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">"
    );
    out.push_str(&cases);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn file_case(out: &mut String, path: &str, findings: &[&Finding]) {
    let open = format!(
        "    <testcase classname=\"imprimatur\" name=\"{0}\" file=\"{0}\"",
        attr(path)
    );
    if findings.is_empty() {
        let _ = writeln!(out, "{open}/>");
        return;
    }
    let _ = writeln!(out, "{open}>");
    for f in findings {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            attr(&f.rule),
            attr(&f.message),
            text(&format!(
                "{path}:{}:{}: {} {}: {}",
                f.span.line, f.span.column, f.level, f.rule, f.message
            ))
        );
    }
    out.push_str("    </testcase>\n");
}

fn gate_case(out: &mut String, decision: &Decision) {
    let open = "    <testcase classname=\"imprimatur\" name=\"gate\"";
    if decision.passed {
        let _ = writeln!(out, "{open}/>");
        return;
    }
    let reasons = &decision.blocking;
    let _ = writeln!(
        out,
        "{open}>\n      <failure type=\"imprimatur/gate\" message=\"{}\">{}</failure>\n    </testcase>",
        attr(&format!("blocked: {} reason(s)", reasons.len())),
        text(&reasons.join("\n"))
    );
}
