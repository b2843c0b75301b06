//! `--changed-lines`: which findings of a changed file count. A finding
//! counts when it touches a line the change added or modified — unless it
//! is about the whole document (`require`, `front-matter`, `links`,
//! `dates`, an unowned or unreadable file): those always count, so a change
//! that deletes a required disclaimer is judged like one that adds a claim.

use std::collections::BTreeSet;

use crate::engine::FileResult;
use crate::finding::Finding;
use crate::rules::{Kind, RuleSet};

/// Is rule `id` judged on the whole document rather than a line?
pub fn is_document_level(rules: &RuleSet, id: &str) -> bool {
    if id == crate::engine::UNOWNED_RULE || id == crate::engine::UNREADABLE_RULE {
        return true;
    }
    rules.get(id).is_some_and(|r| {
        matches!(
            r.kind,
            Kind::Require(_) | Kind::FrontMatter(_) | Kind::Links(_) | Kind::Dates(_)
        )
    })
}

/// Keeps the findings (and suppressions) of `result` that count for a change
/// that added `lines` to the file (`None`: the file is not part of the
/// change, and nothing of it counts).
pub fn retain(result: &mut FileResult, lines: Option<&BTreeSet<u32>>, rules: &RuleSet) {
    let counts = |f: &Finding| {
        lines.is_some_and(|l| {
            is_document_level(rules, &f.rule)
                || l.range(f.span.line as u32..=f.span.end_line as u32)
                    .next()
                    .is_some()
        })
    };
    result.findings.retain(|f| counts(f));
    result.suppressed.retain(|s| counts(&s.finding));
}
