//! `extends: consistency` — of each `either` pair (`advisor: adviser`), a
//! file may use one spelling. Once both have appeared, every later scope that
//! uses either is reported (at the first use of the last spelling it saw).

use super::common::{token_pattern, Env};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
pub struct Consistency {
    /// One pattern per pair; group 1 is the first spelling, group 2 the second.
    pairs: Vec<ValeRegex>,
}

pub fn compile(def: &Definition, env: &Env) -> Result<Consistency, RuleError> {
    let word = !def.bool("nonword", false);
    let ignore_case = def.bool("ignorecase", false);
    let pairs = def
        .pairs("either")?
        .iter()
        .map(|(a, b)| {
            let body = format!("({a})|({b})");
            def.regex(
                "either",
                &token_pattern(env, &body, word, "", true, ignore_case),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Consistency { pairs })
}

impl Consistency {
    /// `seen` records, per pair, which spellings the file has used so far.
    pub fn run(&self, text: &str, message: &str, seen: &mut Vec<[bool; 2]>) -> Vec<Alert> {
        seen.resize(self.pairs.len(), [false; 2]);
        let mut alerts = Vec::new();
        for (i, re) in self.pairs.iter().enumerate() {
            let matches = re.captures_all(text);
            let mut last = None;
            for groups in &matches {
                for (side, used) in seen[i].iter_mut().enumerate() {
                    if let Some(Some(r)) = groups.get(side + 1) {
                        *used = true;
                        last = Some(r.clone());
                    }
                }
            }
            let Some(last) = last else { continue };
            if seen[i][0] && seen[i][1] {
                let found = &text[last.clone()];
                let first = matches
                    .iter()
                    .filter_map(|g| g.first().cloned().flatten())
                    .find(|r| &text[r.clone()] == found)
                    .unwrap_or(last);
                alerts.push(Alert {
                    message: format_strs(message, &[&text[first.clone()]]),
                    range: first,
                    fix: None,
                });
            }
        }
        alerts
    }
}
