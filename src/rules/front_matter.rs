//! `front-matter`: required keys, allowed values and value types.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain front-matter` prints
//! (`super::kind_docs`).

use std::collections::BTreeMap;
use std::ops::Range;

use yaml_serde::Value;

use super::spec::{FieldType, RuleSpec};
use super::Rule;
use crate::config::Config;
use crate::document::{value_text, Document, FrontMatter};
use crate::finding::Finding;

#[derive(Debug)]
pub struct FrontMatterRule {
    pub required: Vec<String>,
    pub values: BTreeMap<String, Vec<String>>,
    pub types: BTreeMap<String, FieldType>,
}

pub fn compile(spec: &RuleSpec) -> Result<FrontMatterRule, String> {
    if spec.required.is_empty() && spec.values.is_empty() && spec.types.is_empty() {
        return Err("a front-matter rule needs `required`, `values` or `types`".into());
    }
    Ok(FrontMatterRule {
        required: spec.required.clone(),
        values: spec.values.clone(),
        types: spec.types.clone(),
    })
}

impl FrontMatterRule {
    pub fn check(&self, rule: &Rule, doc: &Document, config: &Config) -> Vec<Finding> {
        let mut out = Vec::new();
        let start = doc.start_span();
        let start = start.start..start.start;
        let Some(fm) = &doc.front_matter else {
            if !self.required.is_empty() {
                let keys = self.required.join(", ");
                let message = rule.render(
                    &format!("The page has no front matter; it needs {keys}."),
                    "",
                    &keys,
                );
                out.push(rule.finding(doc, start, String::new(), message, None));
            }
            return out;
        };
        if fm.error.is_some() {
            // `imprimatur/invalid-front-matter` reports it; keys the parser
            // did not reach are not missing.
            return out;
        }
        for key in &self.required {
            if fm.get(key).is_none_or(|v| v.is_null()) {
                let message = rule.render(
                    &format!("Front matter is missing required key `{key}`."),
                    "",
                    key,
                );
                out.push(rule.finding(doc, start.clone(), String::new(), message, None));
            }
        }
        for (key, allowed) in &self.values {
            let Some(value) = fm.get(key) else { continue };
            let text = value_text(value);
            if !allowed.contains(&text) {
                let expected = allowed.join(", ");
                let message = rule.render(
                    &format!("`{key}` is '{{found}}'; allowed: {expected}."),
                    &text,
                    &expected,
                );
                out.push(rule.finding(doc, value_range(fm, key), text, message, None));
            }
        }
        for (key, ty) in &self.types {
            let Some(value) = fm.get(key) else { continue };
            if let Some(problem) = type_problem(value, *ty, config) {
                let text = value_text(value);
                let message = rule.render(&format!("`{key}` {problem}."), &text, "");
                out.push(rule.finding(doc, value_range(fm, key), text, message, None));
            }
        }
        out
    }
}

/// The value's range when it is a one-line scalar, else the key's.
fn value_range(fm: &FrontMatter, key: &str) -> Range<usize> {
    fm.key(key)
        .map(|k| k.value.clone().unwrap_or(k.key.clone()))
        .unwrap_or(fm.range.start..fm.range.start)
}

/// Why `value` is not of type `ty`, if it is not.
fn type_problem(value: &Value, ty: FieldType, config: &Config) -> Option<String> {
    let text = value_text(value);
    let ok = match ty {
        FieldType::String => value.is_string(),
        FieldType::List => value.is_sequence(),
        FieldType::Number => value.is_number(),
        FieldType::Boolean => value.is_bool(),
        FieldType::Date => crate::calendar::parse_date(&text).is_some(),
        FieldType::Person => config.person_for(&text).is_some(),
        FieldType::Team => config.is_team(&text),
        FieldType::Owner => config.is_team(&text) || config.person_for(&text).is_some(),
    };
    if ok {
        return None;
    }
    Some(match ty {
        FieldType::Date => format!("is '{text}', not a date (YYYY-MM-DD)"),
        FieldType::Person => format!("names '{text}', who is not in `people`"),
        FieldType::Team => format!("names '{text}', which is not in `teams`"),
        FieldType::Owner => format!("names '{text}', which is neither a person nor a team"),
        other => format!("must be a {}", format!("{other:?}").to_lowercase()),
    })
}
