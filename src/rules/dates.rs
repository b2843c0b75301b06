//! `dates`: expiry, embargo and review age.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain dates` prints
//! (`super::kind_docs`).

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

/// The dates `check` compares with today for one page. Findings on two days
/// differ (day counts in messages aside) only where [`DayInputs::verdicts`]
/// differ, so a result can be reused on another day (the report's weekly
/// points do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayInputs {
    expires: Option<i64>,
    embargo: Option<i64>,
    /// `None`: no review date (the last change counts); `Some(None)`: a
    /// value that is not a date (reported, never aged).
    reviewed: Option<Option<i64>>,
    max_age: i64,
}

impl DayInputs {
    /// Expired, embargoed, review overdue on `today`, the page's last change
    /// standing in for a missing review date.
    pub fn verdicts(&self, today: i64, last_changed: Option<i64>) -> [bool; 3] {
        let reviewed = self.reviewed.unwrap_or(last_changed);
        [
            self.expires.is_some_and(|d| d < today),
            self.embargo.is_some_and(|d| d > today),
            reviewed.is_some_and(|d| today - d > self.max_age),
        ]
    }
}

impl Dates {
    /// The field names and review limit: the rule's own, else the config's.
    fn settings<'a>(&'a self, config: &'a Config) -> (&'a str, &'a str, &'a str, i64) {
        (
            self.expires.as_deref().unwrap_or(&config.dates.expires),
            self.embargo.as_deref().unwrap_or(&config.dates.embargo),
            self.reviewed.as_deref().unwrap_or(&config.dates.reviewed),
            i64::from(self.max_age_days.unwrap_or(config.dates.max_age_days)),
        )
    }

    /// What `check` compares with today for `doc`.
    pub fn day_inputs(&self, doc: &Document, config: &Config) -> DayInputs {
        let (expires, embargo, reviewed, max_age) = self.settings(config);
        // As `check` reads a field: present when it has a value and a key line.
        let field = |key: &str| -> Option<Option<i64>> {
            let fm = doc.front_matter.as_ref()?;
            let value = fm.get(key)?;
            fm.key(key)?;
            Some(parse_days(&value_text(value)))
        };
        DayInputs {
            expires: field(expires).flatten(),
            embargo: field(embargo).flatten(),
            reviewed: field(reviewed),
            max_age,
        }
    }

    pub fn check(
        &self,
        rule: &Rule,
        doc: &Document,
        config: &Config,
        env: &Environment,
    ) -> Vec<Finding> {
        let (expires, embargo, reviewed, max_age) = self.settings(config);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_inputs_decide_what_check_decides() {
        let config = Config::default();
        let dates = Dates {
            expires: None,
            embargo: None,
            reviewed: None,
            max_age_days: Some(30),
        };
        let doc = Document::parse(
            "a.md",
            "---\nexpires: 2026-03-10\npublish_after: 2026-03-05\n---\nx\n".to_string(),
        );
        let inputs = dates.day_inputs(&doc, &config);
        let day = |d: &str| parse_days(d).unwrap();
        assert_eq!(
            inputs.verdicts(day("2026-03-01"), None),
            [false, true, false]
        );
        assert_eq!(
            inputs.verdicts(day("2026-03-11"), None),
            [true, false, false]
        );
        // No review date: the last change ages the page.
        let changed = Some(day("2026-01-01"));
        assert_eq!(
            inputs.verdicts(day("2026-03-06"), changed),
            [false, false, true]
        );
        // A review value that is not a date is never aged.
        let odd = Document::parse("b.md", "---\nlast_reviewed: soon\n---\nx\n".to_string());
        let inputs = dates.day_inputs(&odd, &config);
        assert_eq!(
            inputs.verdicts(day("2030-01-01"), changed),
            [false, false, false]
        );
    }
}
