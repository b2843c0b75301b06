//! `--format json`: schema version 1 of DESIGN.md.

use serde_json::{json, Value};

use super::Report;
use crate::finding::{Finding, Level};

pub fn finding_json(f: &Finding) -> Value {
    json!({
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "rule": f.rule,
        "level": f.level,
        "message": f.message,
        "found": f.found,
        "fix": f.fix,
    })
}

pub fn render(report: &Report) -> String {
    let suppressed: Vec<Value> = report
        .suppressed
        .iter()
        .map(|s| {
            let mut v = finding_json(&s.finding);
            v["reason"] = json!(s.reason);
            v["comment_line"] = json!(s.comment_line);
            v
        })
        .collect();
    let value = json!({
        "version": 1,
        "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "suppressed": suppressed,
        "summary": {
            "files": report.files,
            "error": report.count(Level::Error),
            "warning": report.count(Level::Warning),
            "info": report.count(Level::Info),
        },
        "gate": report.gate,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values always serialize");
    text.push('\n');
    text
}
