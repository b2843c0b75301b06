//! `forbid`: terms and patterns that must not appear.
//!
//! Terms are literal whole words, case-insensitive unless `ignore_case:
//! false`; `patterns` are regexes. `exceptions` are allowed phrases that
//! contain a term ("money-back guarantee"). `unless` names a regex that, when
//! found in the same sentence, paragraph or document (raw Markdown, code
//! excluded), substantiates the claim, e.g. a footnote citation.
//!
//! ```yaml
//! - id: claims/guarantee
//!   kind: forbid
//!   level: error
//!   message: "'{found}' is an absolute claim; legal must substantiate it."
//!   terms: [guaranteed, risk-free]
//!   patterns: ['\b100% (?:safe|secure)\b']
//!   exceptions: ["money-back guarantee"]
//!   unless: {pattern: '\[\^[^\]]+\]', within: sentence}
//! ```

use std::ops::Range;

use regex::Regex;

use super::spec::{RuleSpec, Within};
use super::terms::Items;
use super::Rule;
use crate::document::{Document, Segment};
use crate::finding::Finding;

#[derive(Debug)]
pub struct Forbid {
    /// All exception phrases as one alternation.
    exceptions: Option<Regex>,
    unless: Option<(Regex, Within)>,
}

pub fn compile(spec: &RuleSpec) -> Result<(Forbid, Items), String> {
    if spec.terms.is_empty() && spec.patterns.is_empty() {
        return Err("a forbid rule needs `terms` or `patterns`".into());
    }
    let ignore_case = spec.ignore_case.unwrap_or(true);
    let mut items = Items::default();
    for (i, term) in spec.terms.iter().enumerate() {
        if term.trim().is_empty() {
            return Err("a forbid term is empty".into());
        }
        items.terms.push((i, term.clone(), ignore_case));
    }
    for (i, pattern) in spec.patterns.iter().enumerate() {
        items.regexes.push((
            spec.terms.len() + i,
            case_regex(&pattern.0, ignore_case)?,
            false,
        ));
    }
    let forbid = Forbid {
        exceptions: phrase_alternation(&spec.exceptions, ignore_case)?,
        unless: match &spec.unless {
            Some(u) => Some((
                Regex::new(&u.pattern.0).map_err(|e| e.to_string())?,
                u.within,
            )),
            None => None,
        },
    };
    Ok((forbid, items))
}

/// Compiles `pattern`, case-insensitive when asked.
pub fn case_regex(pattern: &str, ignore_case: bool) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .build()
        .map_err(|e| format!("invalid regex `{pattern}`: {e}"))
}

/// One regex matching any of the literal `phrases`.
pub fn phrase_alternation(phrases: &[String], ignore_case: bool) -> Result<Option<Regex>, String> {
    if phrases.is_empty() {
        return Ok(None);
    }
    let alternation = phrases
        .iter()
        .map(|p| regex::escape(p))
        .collect::<Vec<_>>()
        .join("|");
    case_regex(&alternation, ignore_case).map(Some)
}

/// Is text range `r` of `text` inside an occurrence of an exception phrase?
pub fn is_excepted(exceptions: Option<&Regex>, text: &str, r: &Range<usize>) -> bool {
    exceptions.is_some_and(|re| {
        re.find_iter(text)
            .any(|m| m.start() <= r.start && r.end <= m.end())
    })
}

impl Forbid {
    /// The finding for a hit at text range `r` of `segment`, unless an
    /// exception or an `unless` pattern allows it.
    pub fn check(
        &self,
        rule: &Rule,
        doc: &Document,
        segment: &Segment,
        r: Range<usize>,
    ) -> Option<Finding> {
        if is_excepted(self.exceptions.as_ref(), &segment.text, &r) {
            return None;
        }
        if let Some((re, within)) = &self.unless {
            let region = match within {
                Within::Sentence => segment.sentence_source(r.start),
                Within::Paragraph => segment.block.clone(),
                Within::Document => 0..doc.masked.len(),
            };
            if re.is_match(&doc.masked[region]) {
                return None;
            }
        }
        let found = segment.text[r.clone()].to_string();
        let message = rule.render("'{found}' is not allowed here.", &found, "");
        Some(rule.finding(doc, segment.source_range(r), found, message, None))
    }
}
