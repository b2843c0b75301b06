//! Findings as LSP diagnostics: `code` the rule id, `codeDescription` the
//! rule's `link`, `source` imprimatur, exact ranges in the negotiated encoding.

use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Url};

use super::text::{Buffer, Encoding};
use crate::finding::{Finding, Level};
use crate::rules::RuleSet;

pub const SOURCE: &str = "imprimatur";

pub fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info => DiagnosticSeverity::INFORMATION,
    }
}

pub fn diagnostic(
    finding: &Finding,
    rules: &RuleSet,
    buffer: &Buffer,
    enc: Encoding,
) -> Diagnostic {
    let code_description = rules
        .get(&finding.rule)
        .and_then(|r| r.link.as_deref())
        .and_then(|link| Url::parse(link).ok())
        .map(|href| CodeDescription { href });
    Diagnostic {
        range: buffer.range(finding.span.start..finding.span.end, enc),
        severity: Some(severity(finding.level)),
        code: Some(NumberOrString::String(finding.rule.clone())),
        code_description,
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        ..Diagnostic::default()
    }
}
