//! Suppression comments:
//! `<!-- imprimatur-disable RULE -- reason -->` … `<!-- imprimatur-enable RULE -->`
//! and `<!-- imprimatur-disable-next-line RULE -- reason -->`. RULE is a rule
//! id, a pack name (`claims` for every `claims/…` rule; a Vale style name for
//! every `Style.…` rule), several separated by
//! commas or spaces, or nothing for every rule. Suppressed findings are kept
//! for audits; a suppression without a reason is itself reported when the
//! config says `suppressions.require_reason`.

use crate::document::Document;
use crate::finding::{Finding, Level, Suppressed};

/// Rule id of problems with suppression comments themselves.
pub const SUPPRESSION_RULE: &str = crate::builtin_rules::SUPPRESSION;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    /// Empty: every rule.
    rules: Vec<String>,
    reason: Option<String>,
    /// First and last line the directive covers (inclusive).
    lines: (usize, usize),
    comment_line: usize,
}

impl Directive {
    fn covers(&self, finding: &Finding) -> bool {
        let line = finding.span.line;
        line >= self.lines.0 && line <= self.lines.1 && self.names(&finding.rule)
    }

    fn names(&self, rule: &str) -> bool {
        self.rules.is_empty()
            || self.rules.iter().any(|r| {
                r == rule
                    || rule
                        .strip_prefix(r.as_str())
                        .is_some_and(|rest| rest.starts_with(['/', '.']))
            })
    }
}

/// Splits `findings` into kept and suppressed, and adds findings about
/// suppression comments that lack a reason (when required) or name no known rule.
pub fn apply(
    doc: &Document,
    findings: Vec<Finding>,
    require_reason: bool,
    known_rule: &dyn Fn(&str) -> bool,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let (directives, mut problems) = parse(doc, require_reason, known_rule);
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        match directives.iter().find(|d| d.covers(&finding)) {
            Some(d) => suppressed.push(Suppressed {
                finding,
                reason: d.reason.clone(),
                comment_line: d.comment_line,
            }),
            None => kept.push(finding),
        }
    }
    kept.append(&mut problems);
    (kept, suppressed)
}

fn parse(
    doc: &Document,
    require_reason: bool,
    known_rule: &dyn Fn(&str) -> bool,
) -> (Vec<Directive>, Vec<Finding>) {
    let mut directives: Vec<Directive> = Vec::new();
    let mut problems = Vec::new();
    // Open `disable` blocks, closed by a matching `enable`.
    let mut open: Vec<Directive> = Vec::new();
    let last_line = doc.lines.line_count();
    for comment in &doc.comments {
        let inner = comment.inner.trim();
        let (command, rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let (start_line, _) = doc.lines.position(&doc.text, comment.range.start);
        let (end_line, _) = doc.lines.position(&doc.text, comment.range.end);
        let (rules_text, reason) = match rest.split_once("--") {
            Some((r, reason)) => (r, Some(reason.trim().to_string()).filter(|s| !s.is_empty())),
            None => (rest, None),
        };
        let rules: Vec<String> = rules_text
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let problem = |message: String, level: Level| Finding {
            path: doc.path.clone(),
            rule: SUPPRESSION_RULE.into(),
            level,
            message,
            found: doc.text[comment.range.clone()].to_string(),
            span: doc.span(comment.range.clone()),
            fix: None,
            suggestions: Vec::new(),
        };
        let is_disable = matches!(
            command,
            "imprimatur-disable" | "imprimatur-disable-next-line"
        );
        if is_disable {
            if require_reason && reason.is_none() {
                problems.push(problem(
                    "Suppression without a reason: add `-- why` to the comment.".into(),
                    Level::Error,
                ));
            }
            for r in rules.iter().filter(|r| !known_rule(r)) {
                problems.push(problem(
                    format!("Suppression names `{r}`, which is not a loaded rule."),
                    Level::Warning,
                ));
            }
        }
        match command {
            "imprimatur-disable-next-line" => directives.push(Directive {
                rules,
                reason,
                lines: (end_line + 1, end_line + 1),
                comment_line: start_line,
            }),
            "imprimatur-disable" => open.push(Directive {
                rules,
                reason,
                lines: (start_line, last_line),
                comment_line: start_line,
            }),
            "imprimatur-enable" => {
                let closes = |d: &Directive| rules.is_empty() || d.rules == rules;
                let mut still_open = Vec::new();
                for mut d in open.drain(..) {
                    if closes(&d) {
                        d.lines.1 = start_line;
                        directives.push(d);
                    } else {
                        still_open.push(d);
                    }
                }
                open = still_open;
            }
            _ => {}
        }
    }
    directives.extend(open);
    (directives, problems)
}
