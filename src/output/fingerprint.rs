//! Stable identities for findings, so code scanning and GitLab's Code
//! Quality diff can tell a new finding from one that only moved.
//!
//! A fingerprint hashes the rule, the repository path, the matched text and
//! which occurrence of that text (for that rule, in that file) this is. Lines
//! and columns are left out on purpose: adding a paragraph above a finding
//! must not make it look new.

use sha2::{Digest, Sha256};

use crate::finding::Finding;

/// SHA-256 (hex) of rule, path, matched text and occurrence index.
pub fn fingerprint(rule: &str, path: &str, found: &str, occurrence: usize) -> String {
    let mut hasher = Sha256::new();
    for part in [rule, path, found] {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in text keeps ("a", "bc") apart from ("ab", "c").
        hasher.update([0]);
    }
    hasher.update(occurrence.to_string().as_bytes());
    hex(&hasher.finalize())
}

/// For each finding, its index among the findings of the same rule, path and
/// matched text, in source order. The findings of one report (reported and
/// suppressed together) are numbered as one list, so suppressing one
/// occurrence does not renumber the others.
pub fn occurrences(findings: &[&Finding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    let key = |i: usize| {
        let f = findings[i];
        (
            &f.path,
            &f.rule,
            &f.found,
            f.span.line,
            f.span.column,
            f.span.end_line,
            f.span.end_column,
            &f.message,
        )
    };
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut out = vec![0; findings.len()];
    for pair in 1..order.len() {
        let (prev, this) = (findings[order[pair - 1]], findings[order[pair]]);
        if prev.path == this.path && prev.rule == this.rule && prev.found == this.found {
            out[order[pair]] = out[order[pair - 1]] + 1;
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Level, Span};

    fn finding(rule: &str, found: &str, line: usize) -> Finding {
        Finding {
            path: "a.md".into(),
            rule: rule.into(),
            level: Level::Error,
            message: "m".into(),
            found: found.into(),
            span: Span {
                line,
                column: 1,
                end_line: line,
                end_column: 2,
                ..Span::default()
            },
            fix: None,
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn occurrences_count_per_rule_path_and_text_in_source_order() {
        let a = finding("r", "x", 9);
        let b = finding("r", "x", 2);
        let c = finding("r", "y", 5);
        let d = finding("s", "x", 7);
        assert_eq!(occurrences(&[&a, &b, &c, &d]), vec![1, 0, 0, 0]);
    }

    #[test]
    fn fingerprints_ignore_position_but_not_occurrence() {
        let moved = fingerprint("r", "a.md", "x", 0);
        assert_eq!(moved, fingerprint("r", "a.md", "x", 0));
        assert_ne!(moved, fingerprint("r", "a.md", "x", 1));
        assert_ne!(
            fingerprint("r", "a", "bc", 0),
            fingerprint("r", "ab", "c", 0)
        );
        assert_eq!(moved.len(), 64);
    }
}
