//! `extends: metric`: Vale's readability formulas. The formula reads the
//! file's summary (paragraphs, list items, block quotes) counted as Vale
//! counts it (`text_stats`), plus the number of blocks of each kind:
//! `heading.h1` … `heading.h6` (written `heading_h1` too), `list`,
//! `blockquote` and `pre` (code blocks). One alert per file, at line 1,
//! column 1, with the score (two decimals) as the message's `%s`.

use super::blocks::Block;
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use crate::document::Document;
use crate::rules::formula::{Condition, Formula};
use crate::text_stats::{Stats, VARIABLES};

#[derive(Debug)]
pub struct Metric {
    formula: Formula,
    condition: Condition,
}

const STRUCTURE: &[&str] = &[
    "pre",
    "list",
    "blockquote",
    "heading_h1",
    "heading_h2",
    "heading_h3",
    "heading_h4",
    "heading_h5",
    "heading_h6",
];

fn variables() -> Vec<&'static str> {
    VARIABLES.iter().chain(STRUCTURE).copied().collect()
}

pub fn compile(def: &Definition) -> Result<Metric, RuleError> {
    let text = def
        .string("formula")
        .ok_or_else(|| RuleError::at("extends", "missing the required `formula` key"))?;
    let text = regex::Regex::new(r"heading\.(h[1-6])")
        .expect("valid heading regex")
        .replace_all(&text, "heading_$1")
        .into_owned();
    let vars = variables();
    let formula = Formula::parse(&text, &vars)
        .map_err(|e| RuleError::at("formula", format!("in `formula`: {e}")))?;
    let condition = def
        .string("condition")
        .ok_or_else(|| RuleError::at("extends", "missing the required `condition` key"))?;
    let condition = Condition::parse(&condition, &vars)
        .map_err(|e| RuleError::at("condition", format!("in `condition`: {e}")))?;
    Ok(Metric { formula, condition })
}

/// Counts of block kinds, by variable name.
fn structure(doc: &Document, blocks: &[Block], name: &str) -> f64 {
    if name == "pre" {
        return fenced_blocks(&doc.masked, &doc.text);
    }
    let wanted: Vec<&str> = name.split('_').collect();
    blocks
        .iter()
        .filter(|b| wanted.iter().all(|w| b.sections.iter().any(|s| s == w)))
        .filter(|b| b.sections.first().is_some_and(|s| s == "text"))
        .count() as f64
}

/// Code blocks: runs of masked (blanked) lines that were not blank in the source.
fn fenced_blocks(masked: &str, text: &str) -> f64 {
    let mut count = 0.0;
    let mut inside = false;
    for (m, t) in masked.lines().zip(text.lines()) {
        let code = m.trim().is_empty() && !t.trim().is_empty();
        if code
            && !inside
            && (t.trim_start().starts_with("```")
                || t.trim_start().starts_with("~~~")
                || t.starts_with("    "))
        {
            count += 1.0;
        }
        inside = code;
    }
    count
}

impl Metric {
    /// The alert message, or `None` when the condition does not hold (or the
    /// summary has no words).
    pub fn run(
        &self,
        summary: &str,
        doc: &Document,
        blocks: &[Block],
        message: &str,
    ) -> Result<Option<String>, String> {
        let stats = Stats::of(summary);
        if stats.words == 0.0 {
            return Ok(None);
        }
        let vars = |n: &str| stats.get(n).or_else(|| Some(structure(doc, blocks, n)));
        let score = self
            .formula
            .eval(&vars)?
            .as_f64()
            .ok_or("the formula is a comparison, not a number")?;
        if !self.condition.holds(score, &vars)? {
            return Ok(None);
        }
        Ok(Some(format_strs(message, &[&format!("{score:.2}")])))
    }
}
