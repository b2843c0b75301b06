//! `dates`: expiry in the past, embargo in the future, last review older than
//! the limit. Field names default to the config's `dates:` and may be set per
//! rule. Without a review date in the front matter, the date of the last
//! commit that changed the file counts as the last review.
//!
//! ```yaml
//! - id: meta/dates
//!   kind: dates
//!   level: error
//!   max_age_days: 180        # optional: overrides dates.max_age_days
//! ```

use super::spec::RuleSpec;
use super::Rule;
use crate::calendar::{format_days, parse_days};
use crate::config::Config;
use crate::document::{value_text, Document};
use crate::environment::Environment;
use crate::finding::Finding;

#[derive(Debug)]
pub struct Dates {
    expires: Option<String>,
    embargo: Option<String>,
    reviewed: Option<String>,
    max_age_days: Option<u32>,
}

pub fn compile(spec: &RuleSpec) -> Result<Dates, String> {
    if spec.max_age_days == Some(0) {
        return Err("`max_age_days` must be at least 1".into());
    }
    Ok(Dates {
        expires: spec.expires.clone(),
        embargo: spec.embargo.clone(),
        reviewed: spec.reviewed.clone(),
        max_age_days: spec.max_age_days,
    })
}

impl Dates {
    pub fn check(
        &self,
        rule: &Rule,
        doc: &Document,
        config: &Config,
        env: &Environment,
    ) -> Vec<Finding> {
        let expires = self.expires.as_deref().unwrap_or(&config.dates.expires);
        let embargo = self.embargo.as_deref().unwrap_or(&config.dates.embargo);
        let reviewed = self.reviewed.as_deref().unwrap_or(&config.dates.reviewed);
        let max_age = i64::from(self.max_age_days.unwrap_or(config.dates.max_age_days));
        let today = env.today;
        let mut out = Vec::new();
        let field = |key: &str| -> Option<(std::ops::Range<usize>, String, Option<i64>)> {
            let fm = doc.front_matter.as_ref()?;
            let text = value_text(fm.get(key)?);
            let k = fm.key(key)?;
            Some((
                k.value.clone().unwrap_or(k.key.clone()),
                text.clone(),
                parse_days(&text),
            ))
        };
        for key in [expires, embargo, reviewed] {
            if let Some((range, text, None)) = field(key) {
                let message = format!("`{key}` is '{text}', not a date (YYYY-MM-DD).");
                out.push(rule.finding(doc, range, text, message, None));
            }
        }
        if let Some((range, text, Some(day))) = field(expires) {
            if day < today {
                let message = rule.render(&format!("This page expired on {text}."), &text, "");
                out.push(rule.finding(doc, range, text, message, None));
            }
        }
        if let Some((range, text, Some(day))) = field(embargo) {
            if day > today {
                let message =
                    rule.render(&format!("This page is embargoed until {text}."), &text, "");
                out.push(rule.finding(doc, range, text, message, None));
            }
        }
        match field(reviewed) {
            Some((range, text, Some(day))) if today - day > max_age => {
                let message = rule.render(
                    &format!(
                        "Last reviewed {text}, {} days ago; reviews are due every {max_age} days.",
                        today - day
                    ),
                    &text,
                    "",
                );
                out.push(rule.finding(doc, range, text, message, None));
            }
            None => {
                if let Some(day) = env.last_changed(&doc.path).filter(|d| today - d > max_age) {
                    let text = format_days(day);
                    let message = rule.render(
                        &format!("No `{reviewed}` date, and the last change was {text}, {} days ago; reviews are due every {max_age} days.", today - day),
                        &text,
                        "",
                    );
                    let start = doc.start_span().start;
                    out.push(rule.finding(doc, start..start, String::new(), message, None));
                }
            }
            _ => {}
        }
        out
    }
}
