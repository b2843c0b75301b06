//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding, and the Markdown job summary (`step_summary`), which the command
//! appends to the file `$GITHUB_STEP_SUMMARY` names.
//!
//! GitHub shows at most 10 annotations of each level (error, warning,
//! notice) per step, so annotations come errors first, and the summary says
//! how many were not shown and lists the findings (up to `TABLE_ROWS`).
//! Escaping follows GitHub's toolkit (`@actions/core`, `command.ts`): in the
//! message `%`, CR and LF; in properties also `:` and `,`. Without it a
//! finding's text could end the command early or start a new one.

use std::fmt::Write as _;
use std::io::Write;

use super::{Paths, Report};
use crate::finding::{Finding, Level};
use crate::gate::Decision;

/// Annotations GitHub shows per level and step.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;
/// Findings listed in the step summary.
pub const TABLE_ROWS: usize = 50;

/// The workflow commands (and a closing plain line) for stdout.
pub fn write(
    report: &Report,
    decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(annotations(report, decision, paths).as_bytes())
}

fn annotations(report: &Report, decision: Option<&Decision>, paths: &Paths) -> String {
    let mut out = String::new();
    let blocked = decision.filter(|d| !d.passed);
    let passed = decision.filter(|d| d.passed);
    if let Some(decision) = blocked {
        out.push_str(&gate_annotation(decision));
    }
    for f in ordered(report) {
        out.push_str(&annotation(f, paths));
    }
    if let Some(decision) = passed {
        out.push_str(&gate_annotation(decision));
    }
    out.push_str(&closing_line(report, decision));
    out
}

/// Errors first, then warnings, then notices; by path and position within
/// a level (the order findings already have).
fn ordered(report: &Report) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = report.ci_findings().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    findings
}

fn command_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

fn annotation(f: &Finding, paths: &Paths) -> String {
    let mut properties = vec![
        ("file", paths.repo_path(&f.path)),
        ("line", f.span.line.to_string()),
        ("endLine", f.span.end_line.to_string()),
    ];
    // GitHub accepts columns only for an annotation on a single line.
    if f.span.line == f.span.end_line {
        properties.push(("col", f.span.column.to_string()));
        properties.push(("endColumn", f.span.end_column.to_string()));
    }
    properties.push(("title", f.rule.clone()));
    command(command_name(f.level), &properties, &f.message)
}

/// The gate's decision as one annotation without a file, so it shows even
/// when the findings have used up the budget of annotations.
fn gate_annotation(decision: &Decision) -> String {
    let title = [("title", "imprimatur gate".to_string())];
    let files = decision.files.len();
    if decision.passed {
        let message = format!("Passed: {files} changed file(s) judged; nothing blocks.");
        command("notice", &title, &message)
    } else {
        let reasons = decision.blocking.len();
        let message = format!(
            "Blocked: {reasons} blocking reason(s) in {files} changed file(s); the job summary lists them."
        );
        command("error", &title, &message)
    }
}

fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!(
        "::{name} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

/// Escapes a command's message (`escapeData` in GitHub's toolkit).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`escapeProperty` in GitHub's toolkit).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn closing_line(report: &Report, decision: Option<&Decision>) -> String {
    let mut line = format!(
        "imprimatur {}: {}",
        super::command(decision),
        totals(report)
    );
    if let Some(decision) = decision {
        line.push_str(if decision.passed {
            "; gate passed"
        } else {
            "; gate blocked"
        });
    }
    line.push('\n');
    line
}

fn totals(report: &Report) -> String {
    let count = |level| report.ci_findings().filter(|f| f.level == level).count();
    format!(
        "{} error(s), {} warning(s), {} info in {} file(s)",
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info),
        report.files
    )
}

/// How many annotations of each level were written, and how many GitHub
/// will not show.
struct Budget {
    written: [usize; 3],
}

impl Budget {
    fn of(report: &Report, decision: Option<&Decision>) -> Budget {
        let mut written = [0; 3];
        for f in report.ci_findings() {
            written[slot(f.level)] += 1;
        }
        match decision.map(|d| d.passed) {
            Some(false) => written[slot(Level::Error)] += 1,
            Some(true) => written[slot(Level::Info)] += 1,
            None => {}
        }
        Budget { written }
    }

    fn shown(&self, level: Level) -> usize {
        self.written[slot(level)].min(ANNOTATIONS_PER_LEVEL)
    }

    fn hidden(&self) -> usize {
        self.written
            .iter()
            .map(|n| n.saturating_sub(ANNOTATIONS_PER_LEVEL))
            .sum()
    }
}

fn slot(level: Level) -> usize {
    match level {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Info => 2,
    }
}

/// The Markdown for `$GITHUB_STEP_SUMMARY`.
pub fn step_summary(report: &Report, decision: Option<&Decision>, paths: &Paths) -> String {
    let mut md = String::new();
    match decision {
        Some(decision) => {
            let verdict = if decision.passed {
                "✅ passed"
            } else {
                "❌ blocked"
            };
            let _ = writeln!(md, "## imprimatur gate: {verdict}\n");
            gate_section(&mut md, decision, paths);
        }
        None => {
            let _ = writeln!(md, "## imprimatur check\n");
        }
    }
    findings_section(&mut md, report, decision, paths);
    md
}

fn findings_section(md: &mut String, report: &Report, decision: Option<&Decision>, paths: &Paths) {
    let budget = Budget::of(report, decision);
    let _ = writeln!(
        md,
        "**{}**{}\n",
        totals(report),
        match report.suppressed.len() {
            0 => String::new(),
            n => format!(" · {n} suppressed by comments"),
        }
    );
    let _ = writeln!(
        md,
        "| level | findings | annotations shown |\n| --- | ---: | ---: |"
    );
    for level in [Level::Error, Level::Warning, Level::Info] {
        let count = report.ci_findings().filter(|f| f.level == level).count();
        let _ = writeln!(
            md,
            "| {} | {count} | {} |",
            command_name(level),
            budget.shown(level)
        );
    }
    md.push('\n');
    let hidden = budget.hidden();
    if hidden > 0 {
        let _ = writeln!(
            md,
            "**{hidden} annotation(s) not shown**: GitHub shows at most {ANNOTATIONS_PER_LEVEL} annotations of each level per step. The table below lists the findings.\n"
        );
    }
    let findings = ordered(report);
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "### Findings\n\n| level | file | line:column | rule | message |\n| --- | --- | --- | --- | --- |"
    );
    for f in findings.iter().take(TABLE_ROWS) {
        let _ = writeln!(
            md,
            "| {} | {} | {}:{} | {} | {} |",
            command_name(f.level),
            cell(&paths.repo_path(&f.path)),
            f.span.line,
            f.span.column,
            cell(&f.rule),
            cell(&f.message)
        );
    }
    md.push('\n');
    if findings.len() > TABLE_ROWS {
        let _ = writeln!(
            md,
            "…and {} more finding(s) not listed here; `--format json` or `--format sarif` has them all.\n",
            findings.len() - TABLE_ROWS
        );
    }
}

/// The decision: revisions, blocking reasons, and per file its owners and
/// each requirement with the approvals counted and those not counted.
fn gate_section(md: &mut String, decision: &Decision, paths: &Paths) {
    let short = super::short_revision;
    let _ = writeln!(
        md,
        "Base `{}` → head `{}`, policy from `{}`.\n",
        short(&decision.base),
        short(&decision.head),
        short(&decision.policy_from)
    );
    if !decision.blocking.is_empty() {
        let _ = writeln!(md, "### Blocking\n");
        for reason in &decision.blocking {
            let _ = writeln!(md, "- {}", cell(reason));
        }
        md.push('\n');
    }
    if !decision.next_steps.is_empty() {
        let _ = writeln!(md, "### Next steps\n");
        for step in &decision.next_steps {
            let _ = writeln!(md, "- {}", cell(step));
        }
        md.push('\n');
    }
    if decision.files.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "### Approvals\n\n| file | owners | requirement | approvals | approved by | not counted |\n| --- | --- | --- | ---: | --- | --- |"
    );
    for file in &decision.files {
        let path = cell(&paths.repo_path(&file.path));
        let owners = if file.owners.is_empty() {
            "(unowned)".to_string()
        } else {
            cell(&file.owners.join(" "))
        };
        if file.requirements.is_empty() {
            let _ = writeln!(md, "| {path} | {owners} | none | | | |");
        }
        for r in &file.requirements {
            let rejected: Vec<String> = r
                .rejected
                .iter()
                .map(|x| format!("{} ({})", x.who, x.reason))
                .collect();
            let _ = writeln!(
                md,
                "| {path} | {owners} | {} {} | {} of {} | {} | {} |",
                if r.met { "✅" } else { "❌" },
                cell(&r.policy),
                r.approved_by.len(),
                r.required,
                cell(&r.approved_by.join(", ")),
                cell(&rejected.join(", "))
            );
        }
    }
    md.push('\n');
}

/// Text for a Markdown table cell (content from a pull request must not
/// become markup).
use crate::escape::markdown_cell as cell;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\nd"), "50%25 a%3Ab%2Cc%0Ad");
    }

    #[test]
    fn table_cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(cell("a|b\nc <img>"), "a\\|b<br>c \\<img\\>");
    }
}
