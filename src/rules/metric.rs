//! `metric`: a readability score of the page.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain metric` prints
//! (`super::kind_docs`).
//!
//! The variables are counted as Vale counts them (`text_stats`).

use super::formula::{Condition, Formula};
use super::spec::RuleSpec;
use super::Rule;
use crate::document::{Document, Scope};
use crate::finding::Finding;
use crate::text_stats::{Stats, VARIABLES};

#[derive(Debug)]
pub struct Metric {
    pub formula: Formula,
    pub condition: Condition,
    /// Whether `scope:` was given (otherwise Vale's summary scopes).
    scoped: bool,
}

pub fn compile(spec: &RuleSpec) -> Result<Metric, String> {
    let formula_text = spec
        .formula
        .as_deref()
        .ok_or("a `metric` rule needs a `formula`")?;
    let formula =
        Formula::parse(formula_text, VARIABLES).map_err(|e| format!("in `formula`: {e}"))?;
    let condition_text = spec
        .condition
        .as_deref()
        .ok_or("a `metric` rule needs a `condition`, such as `> 12`")?;
    let condition =
        Condition::parse(condition_text, VARIABLES).map_err(|e| format!("in `condition`: {e}"))?;
    Ok(Metric {
        formula,
        condition,
        scoped: spec.scope.is_some(),
    })
}

/// The page text a metric reads: prose blocks separated by blank lines.
pub fn summary_text(doc: &Document, rule: Option<&Rule>) -> String {
    let summary = Scope::PARAGRAPH.union(Scope::LIST).union(Scope::BLOCKQUOTE);
    let mut text = String::new();
    for seg in &doc.segments {
        let reads = match rule {
            Some(r) => r.scope.reads(seg, &(0..seg.text.len())),
            None => {
                seg.key.is_none()
                    && seg.scope.intersects(summary)
                    && !seg.scope.intersects(Scope::HEADING.union(Scope::TABLE))
            }
        };
        if reads && !seg.text.trim().is_empty() {
            text.push_str(seg.text.trim());
            text.push_str("\n\n");
        }
    }
    text
}

/// A page's readability statistics (Vale's summary scopes).
pub fn page_stats(doc: &Document) -> Stats {
    Stats::of(&summary_text(doc, None))
}

impl Metric {
    /// The score of `doc`, or `None` when the page has no words.
    pub fn score(&self, stats: &Stats) -> Result<Option<f64>, String> {
        if stats.words == 0.0 {
            return Ok(None);
        }
        let value = self.formula.eval(&|n| stats.get(n))?;
        value
            .as_f64()
            .map(Some)
            .ok_or_else(|| "the formula is a comparison, not a number".to_string())
    }

    pub fn check(&self, rule: &Rule, doc: &Document) -> Option<Finding> {
        let text = summary_text(doc, self.scoped.then_some(rule));
        let stats = Stats::of(&text);
        let (message, found) = match self.score(&stats) {
            Ok(None) => return None,
            Ok(Some(score)) => match self.condition.holds(score, &|n| stats.get(n)) {
                Ok(false) => return None,
                Ok(true) => {
                    let shown = format!("{score:.2}");
                    let message = rule
                        .message
                        .as_deref()
                        .unwrap_or("The score ({score}) meets `{condition}`.")
                        .replace("{score}", &shown)
                        .replace("{condition}", &self.condition.text);
                    (message, shown)
                }
                Err(e) => (
                    format!("the condition cannot be evaluated: {e}"),
                    String::new(),
                ),
            },
            Err(e) => (
                format!("the formula cannot be evaluated: {e}"),
                String::new(),
            ),
        };
        let mut f = crate::finding::file_finding(&doc.path, &rule.id, rule.level, message);
        f.found = found;
        let start = doc.start_span();
        f.span = start;
        Some(f)
    }
}
