//! `check --statistics`: a count per rule after the human output, most
//! frequent first (ruff's `--statistics`), so a long run ends with where the
//! findings concentrate. `[*]` marks rules whose findings `--fix` can fix.

use std::collections::BTreeMap;

use crate::finding::{Finding, Level};

pub fn render(findings: &[Finding]) -> String {
    // rule → (count, level, fixable)
    let mut rows: BTreeMap<&str, (usize, Level, bool)> = BTreeMap::new();
    for f in findings {
        let row = rows.entry(&f.rule).or_insert((0, f.level, false));
        row.0 += 1;
        row.1 = row.1.max(f.level);
        row.2 |= f.fix.is_some();
    }
    let mut rows: Vec<(&str, (usize, Level, bool))> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let count_width = rows.first().map_or(1, |r| r.1 .0.to_string().len());
    let rule_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let mut out = String::from("\nFindings per rule:\n");
    if rows.is_empty() {
        out.push_str("  none\n");
    }
    for (rule, (count, level, fixable)) in rows {
        let line = format!(
            "  {count:>count_width$}  {rule:<rule_width$}  {:<7}  {}",
            level.to_string(),
            if fixable {
                "[*] fixable with --fix"
            } else {
                ""
            }
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Span};

    fn finding(rule: &str, level: Level, fix: bool) -> Finding {
        Finding {
            path: "a.md".into(),
            rule: rule.into(),
            level,
            message: String::new(),
            found: String::new(),
            span: Span::default(),
            fix: fix.then(|| Fix {
                replacement: "x".into(),
            }),
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn most_frequent_first_with_aligned_columns() {
        let mut findings: Vec<Finding> = (0..10)
            .map(|_| finding("brand/github", Level::Warning, true))
            .collect();
        findings.push(finding("claims/guarantee", Level::Error, false));
        assert_eq!(
            render(&findings),
            "\nFindings per rule:\n  10  brand/github      warning  [*] fixable with --fix\n   1  claims/guarantee  error\n"
        );
    }
}
