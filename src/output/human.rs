//! `--format human`: miette's graphical report for each finding — file,
//! line, column, rule, message, and the source line with the span
//! underlined — then a summary. Colour only on a terminal and unless NO_COLOR.

use std::io::IsTerminal;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
};

use super::{Paths, Report};
use crate::finding::{Finding, Level};

pub fn render(report: &Report, paths: &Paths) -> String {
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for f in &report.findings {
        let source = report.sources.get(&f.path).cloned();
        let diagnostic = FindingDiagnostic::new(f, paths.display(&f.path), source);
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}\n",
                paths.display(&f.path),
                f.span.line,
                f.span.column,
                f.message
            ));
        }
        out.push('\n');
    }
    if let Some(gate) = &report.gate {
        out.push_str(&gate_text(gate, paths));
    }
    out.push_str(&summary(report));
    if let Some(line) = &report.verdict_line {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The gate's decision in a few lines per file that a reviewer can act on.
fn gate_text(gate: &serde_json::Value, paths: &Paths) -> String {
    let short = |key: &str| super::short_revision(gate, key);
    let passed = gate["passed"].as_bool().unwrap_or(false);
    let mut out = format!(
        "Gate {}: base {}, head {}, policy from {}\n",
        if passed { "PASSED" } else { "BLOCKED" },
        short("base"),
        short("head"),
        short("policy_from")
    );
    for file in gate["files"].as_array().into_iter().flatten() {
        let owners: Vec<&str> = super::strings(&file["owners"]);
        let owners = if owners.is_empty() {
            "(unowned)".to_string()
        } else {
            owners.join(" ")
        };
        out.push_str(&format!(
            "  {}  owners: {owners}\n",
            paths.display(file["path"].as_str().unwrap_or(""))
        ));
        for r in file["requirements"].as_array().into_iter().flatten() {
            let approved: Vec<&str> = super::strings(&r["approved_by"]);
            out.push_str(&format!(
                "    {} {}: {}/{} approvals{}\n",
                if r["met"].as_bool() == Some(true) {
                    "✓"
                } else {
                    "✗"
                },
                r["policy"].as_str().unwrap_or(""),
                approved.len(),
                r["required"],
                if approved.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", approved.join(", "))
                }
            ));
            for rej in r["rejected"].as_array().into_iter().flatten() {
                let reason = rej["reason"].as_str().unwrap_or("");
                let why = rej["detail"]
                    .as_str()
                    .unwrap_or_else(|| crate::gate::next_steps::explain_reason(reason));
                out.push_str(&format!(
                    "        not counted: {} ({reason}: {why})\n",
                    rej["who"].as_str().unwrap_or(""),
                ));
            }
        }
    }
    let blocking: Vec<&str> = super::strings(&gate["blocking"]);
    if !blocking.is_empty() {
        out.push_str("Blocking:\n");
        for b in blocking {
            out.push_str(&format!("  - {b}\n"));
        }
    }
    let steps: Vec<&str> = super::strings(&gate["next_steps"]);
    if !steps.is_empty() {
        out.push_str("Next steps:\n");
        for step in steps {
            out.push_str(&format!("  - {step}\n"));
        }
    }
    out.push('\n');
    out
}

fn summary(report: &Report) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{}, {}, {} info in {}",
        plural(report.count(Level::Error), "error"),
        plural(report.count(Level::Warning), "warning"),
        report.count(Level::Info),
        plural(report.files, "file"),
    );
    if !report.suppressed.is_empty() {
        line.push_str(&format!(" ({} suppressed)", report.suppressed.len()));
    }
    if report.fixed > 0 {
        line.push_str(&format!("; {} fixed", plural(report.fixed, "finding")));
    }
    line.push('\n');
    line
}

/// A finding as a miette diagnostic.
#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    rule: String,
    level: Level,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    label: LabeledSpan,
    location: String,
}

impl FindingDiagnostic {
    fn new(f: &Finding, display: String, source: Option<Arc<str>>) -> Self {
        let help = f.fix.as_ref().map(|fix| {
            format!(
                "fix: replace with '{}' (imprimatur check --fix)",
                fix.replacement
            )
        });
        let location = format!("{display}:{}:{}", f.span.line, f.span.column);
        FindingDiagnostic {
            message: f.message.clone(),
            rule: f.rule.clone(),
            level: f.level,
            help,
            source: source.map(|s| NamedSource::new(display, s)),
            label: LabeledSpan::new(
                Some(f.rule.clone()),
                f.span.start,
                f.span.end - f.span.start,
            ),
            location,
        }
    }
}

impl std::fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.source.is_some() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.rule))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
