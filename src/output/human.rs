//! `--format human`: miette's graphical report for each finding — file,
//! line, column, rule, message, and the source line with the span
//! underlined — then a summary. Colour only on a terminal and unless NO_COLOR.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
};

use super::{Paths, Report};
use crate::finding::{Finding, Level};
use crate::gate::Decision;

pub fn write(
    report: &Report,
    decision: Option<&Decision>,
    paths: &Paths,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(render(report, decision, paths).as_bytes())
}

fn render(report: &Report, decision: Option<&Decision>, paths: &Paths) -> String {
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
    if let Some(decision) = decision {
        out.push_str(&gate_text(decision, paths));
    }
    out.push_str(&summary(report));
    // The gate's verdict in one line (`blocked: 1 approval missing`) ends
    // the output.
    if let Some(decision) = decision {
        out.push_str(&decision.tally.line());
        out.push('\n');
    }
    out
}

/// The gate's decision in a few lines per file that a reviewer can act on.
fn gate_text(decision: &Decision, paths: &Paths) -> String {
    let short = super::short_revision;
    let mut out = format!(
        "Gate {}: base {}, head {}, policy from {}\n",
        if decision.passed { "PASSED" } else { "BLOCKED" },
        short(&decision.base),
        short(&decision.head),
        short(&decision.policy_from)
    );
    for file in &decision.files {
        let owners = if file.owners.is_empty() {
            "(unowned)".to_string()
        } else {
            file.owners.join(" ")
        };
        out.push_str(&format!(
            "  {}  owners: {owners}\n",
            paths.display(&file.path)
        ));
        for r in &file.requirements {
            out.push_str(&format!(
                "    {} {}: {}/{} approvals{}\n",
                if r.met { "✓" } else { "✗" },
                r.policy,
                r.approved_by.len(),
                r.required,
                if r.approved_by.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.approved_by.join(", "))
                }
            ));
            for rej in &r.rejected {
                out.push_str(&format!(
                    "        not counted: {} ({}: {})\n",
                    rej.who,
                    rej.reason,
                    rej.explanation()
                ));
            }
        }
    }
    if !decision.blocking.is_empty() {
        out.push_str("Blocking:\n");
        for b in &decision.blocking {
            out.push_str(&format!("  - {b}\n"));
        }
    }
    if !decision.next_steps.is_empty() {
        out.push_str("Next steps:\n");
        for step in &decision.next_steps {
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
