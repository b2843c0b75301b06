//! `forbid`: terms and patterns that must not appear.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain forbid` prints
//! (`super::kind_docs`).

use std::ops::Range;

use regex::Regex;

use super::spec::{RuleSpec, Within};
use super::terms::Items;
use super::Rule;
use crate::document::{floor_char_boundary, Document, Segment};
use crate::finding::Finding;

/// Whether an `unless` pattern was found in a region, by (rule, region):
/// many hits in one paragraph search it once.
pub type UnlessCache = std::collections::HashMap<(usize, usize, usize), bool>;

#[derive(Debug)]
pub struct Forbid {
    exceptions: Option<Exceptions>,
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
        exceptions: Exceptions::new(&spec.exceptions, ignore_case)?,
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

/// Exception phrases compiled once, with the longest phrase's length so a
/// hit only searches the text around itself (a long paragraph with many
/// hits stays linear).
#[derive(Debug)]
pub struct Exceptions {
    regex: Regex,
    max_len: usize,
}

impl Exceptions {
    pub fn new(phrases: &[String], ignore_case: bool) -> Result<Option<Exceptions>, String> {
        let max_len = phrases.iter().map(|p| p.len()).max().unwrap_or(0);
        Ok(phrase_alternation(phrases, ignore_case)?.map(|regex| Exceptions { regex, max_len }))
    }

    /// Is text range `r` of `text` inside an occurrence of an exception phrase?
    pub fn cover(&self, text: &str, r: &Range<usize>) -> bool {
        // Case folding can change a character's byte length: leave room for it.
        let reach = self.max_len * 2;
        let start = floor_char_boundary(text, r.start.saturating_sub(reach));
        let end = ceil_char_boundary(text, r.end + reach);
        let matches = self.regex.find_iter(&text[start..end]);
        covered(matches.map(|m| start + m.start()..start + m.end()), r)
    }
}

/// Is text range `r` of `text` inside an occurrence of an exception phrase?
pub fn is_excepted(exceptions: Option<&Exceptions>, text: &str, r: &Range<usize>) -> bool {
    exceptions.is_some_and(|e| e.cover(text, r))
}

/// Does one of the phrase occurrences `matches` contain `r` whole? What
/// an exception phrase allows, for the packs' exceptions and Vale's.
pub fn covered(mut matches: impl Iterator<Item = Range<usize>>, r: &Range<usize>) -> bool {
    matches.any(|m| m.start <= r.start && r.end <= m.end)
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
        unless_cache: &mut UnlessCache,
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
            let key = (rule as *const Rule as usize, region.start, region.end);
            let substantiated = *unless_cache
                .entry(key)
                .or_insert_with(|| re.is_match(&doc.masked[region]));
            if substantiated {
                return None;
            }
        }
        let found = segment.text[r.clone()].to_string();
        let message = rule.render("'{found}' is not allowed here.", &found, "");
        Some(rule.finding(doc, segment.source_range(r), found, message, None))
    }
}
