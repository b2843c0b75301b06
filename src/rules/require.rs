//! `require`: a page that matches `when` must contain `then`.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain require` prints
//! (`super::kind_docs`).

use std::collections::BTreeMap;
use std::ops::Range;

use regex::Regex;

use super::forbid::case_regex;
use super::spec::{RuleSpec, WhenSpec};
use super::Rule;
use crate::document::{value_text, Document};
use crate::finding::Finding;

#[derive(Debug)]
pub enum When {
    Pattern(Regex),
    FrontMatter(BTreeMap<String, String>),
}

#[derive(Debug)]
pub struct Require {
    when: When,
    then: Regex,
}

pub fn compile(spec: &RuleSpec) -> Result<Require, String> {
    let ignore_case = spec.ignore_case.unwrap_or(true);
    let when = match spec.when.as_ref().ok_or("a require rule needs `when`")? {
        WhenSpec::Pattern(p) => When::Pattern(case_regex(&p.0, ignore_case)?),
        WhenSpec::FrontMatter { front_matter } => When::FrontMatter(front_matter.clone()),
    };
    let then = case_regex(
        &spec.then.as_ref().ok_or("a require rule needs `then`")?.0,
        ignore_case,
    )?;
    Ok(Require { when, then })
}

impl Require {
    pub fn check(&self, rule: &Rule, doc: &Document) -> Option<Finding> {
        let (at, found) = self.trigger(rule, doc)?;
        let satisfied = self.then.is_match(&doc.masked)
            || doc
                .segments
                .iter()
                .any(|s| s.key.is_none() && self.then.is_match(&s.text));
        if satisfied {
            return None;
        }
        let message = rule.render(
            "This page must also contain '{expected}'.",
            &found,
            self.then.as_str(),
        );
        Some(rule.finding(doc, at, found, message, None))
    }

    /// Where the page matches `when`, and the matched text.
    fn trigger(&self, rule: &Rule, doc: &Document) -> Option<(Range<usize>, String)> {
        match &self.when {
            When::Pattern(re) => doc.segments.iter().find_map(|seg| {
                re.find_iter(&seg.text)
                    .map(|m| m.range())
                    .find(|r| rule.scope.reads(seg, r) && seg.is_matchable(r))
                    .map(|r| (seg.source_range(r.clone()), seg.text[r].to_string()))
            }),
            When::FrontMatter(wanted) => {
                let fm = doc.front_matter.as_ref()?;
                let all_match = wanted
                    .iter()
                    .all(|(k, v)| fm.get(k).is_some_and(|actual| value_text(actual) == *v));
                if !all_match {
                    return None;
                }
                let (key, value) = wanted.iter().next()?;
                let range = fm.key(key).map_or(fm.range.clone(), |k| k.key.clone());
                Some((range, format!("{key}: {value}")))
            }
        }
    }
}
