//! `extends: occurrence` — the number of `token` matches in a scope must stay
//! within `min`/`max`. The alert points at the first match that is not code
//! (or at the scope's start when there is none); `%d` in the message is the count.

use super::definition::{Definition, RuleError};
use super::message::{sprintf, Arg};
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
pub struct Occurrence {
    pattern: ValeRegex,
    max: i64,
    min: i64,
}

pub fn compile(def: &Definition) -> Result<Occurrence, RuleError> {
    let flags = if def.bool("ignorecase", false) {
        "(?i)"
    } else {
        ""
    };
    let token = def.string("token").unwrap_or_default();
    Ok(Occurrence {
        pattern: def.regex("token", &format!("{flags}(?:{token})"))?,
        max: def.int("max"),
        min: def.int("min"),
    })
}

impl Occurrence {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let found = self.pattern.find_all(text);
        let n = found.len() as i64;
        let breaks = (self.max > 0 && n > self.max) || (self.min > 0 && n < self.min);
        if !breaks {
            return Vec::new();
        }
        let message = sprintf(message, &[Arg::Int(n)]);
        if n == 0 {
            // Nothing to point at: the scope as a whole breaks the rule.
            return vec![Alert {
                range: 0..0,
                message,
                fix: None,
            }];
        }
        found
            .into_iter()
            .find(|r| {
                let m = &text[r.clone()];
                !m.trim().is_empty() && !super::common::is_code(m)
            })
            .map(|range| Alert {
                range,
                message,
                fix: None,
            })
            .into_iter()
            .collect()
    }
}
