//! `substitute`: wrong → right, with an autofix.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain substitute` prints
//! (`super::kind_docs`).

use std::ops::Range;

use regex::Regex;

use super::forbid::{case_regex, is_excepted, Exceptions};
use super::spec::RuleSpec;
use super::terms::Items;
use super::Rule;
use crate::document::{Document, Segment};
use crate::finding::{Finding, Fix};

#[derive(Debug)]
pub struct Substitute {
    /// Replacement of each swap entry, by item index.
    expected: Vec<String>,
    /// For `regex: true`: the key regexes, to expand `$1`-style groups.
    key_regexes: Option<Vec<Regex>>,
    exceptions: Option<Exceptions>,
}

pub fn compile(spec: &RuleSpec) -> Result<(Substitute, Items), String> {
    let swap = spec
        .swap
        .as_ref()
        .filter(|s| !s.is_empty())
        .ok_or("a substitute rule needs a non-empty `swap`")?;
    let ignore_case = spec.ignore_case.unwrap_or(false);
    let use_regex = spec.regex.unwrap_or(false);
    let mut items = Items::default();
    let mut expected = Vec::new();
    let mut key_regexes = Vec::new();
    for (i, (key, value)) in swap.iter().enumerate() {
        let (Some(key), Some(value)) = (scalar(key), scalar(value)) else {
            return Err("`swap` keys and values must be strings".into());
        };
        if use_regex {
            let re = case_regex(&key, ignore_case)?;
            items.regexes.push((i, re.clone(), true));
            key_regexes.push(re);
        } else {
            items.terms.push((i, key, ignore_case));
        }
        expected.push(value);
    }
    let substitute = Substitute {
        expected,
        key_regexes: use_regex.then_some(key_regexes),
        exceptions: Exceptions::new(&spec.exceptions, true)?,
    };
    Ok((substitute, items))
}

fn scalar(v: &yaml_serde::Value) -> Option<String> {
    match v {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        yaml_serde::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Substitute {
    /// The finding for swap entry `item` matched at text range `r`.
    pub fn check(
        &self,
        rule: &Rule,
        doc: &Document,
        segment: &Segment,
        item: usize,
        r: Range<usize>,
    ) -> Option<Finding> {
        let found = &segment.text[r.clone()];
        if is_excepted(self.exceptions.as_ref(), &segment.text, &r) {
            return None;
        }
        let expected = self.expected_for(item, found);
        if found == expected {
            return None;
        }
        let source = segment.source_range(r.clone());
        let fix = doc.fix_is_provable(&source, found).then(|| Fix {
            replacement: expected.clone(),
        });
        let message = rule.render("Use '{expected}' instead of '{found}'.", found, &expected);
        Some(rule.finding(doc, source, found.to_string(), message, fix))
    }

    fn expected_for(&self, item: usize, found: &str) -> String {
        let template = &self.expected[item];
        match &self.key_regexes {
            Some(regexes) => match regexes[item].captures(found) {
                Some(caps) => {
                    let mut out = String::new();
                    caps.expand(template, &mut out);
                    out
                }
                None => template.clone(),
            },
            None => template.clone(),
        }
    }
}
