//! `extends: conditional` — when `first` matches, `second` must too. With a
//! capture group in `second` (an acronym defined as `World Health
//! Organization (WHO)`), a `first` match is allowed only once its text was
//! captured, anywhere earlier in the file or in the same scope; without one,
//! `second` anywhere in the scope satisfies every `first`.

use super::common::{exception_regex, is_match, phrase_regex, within_phrase, Env};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
pub struct Conditional {
    first: ValeRegex,
    second: ValeRegex,
    second_has_group: bool,
    except: Option<ValeRegex>,
    phrases: Option<ValeRegex>,
}

pub fn compile(def: &Definition, env: &Env) -> Result<Conditional, RuleError> {
    let first = def.string("first").unwrap_or_default();
    let second = def.string("second").unwrap_or_default();
    let exceptions = def.list("exceptions");
    let vocab = def.bool("vocab", true);
    let opens = second.matches('(').count();
    let non_capturing = second.matches("(?").count() + second.matches(r"\(").count();
    Ok(Conditional {
        first: def.regex("first", &first)?,
        second: def.regex("second", &second)?,
        second_has_group: opens > non_capturing,
        except: exception_regex(def, &exceptions, env, vocab)?,
        phrases: phrase_regex(&exceptions, env, vocab),
    })
}

impl Conditional {
    /// `defined` holds what `second` captured so far in this file.
    pub fn run(&self, text: &str, message: &str, defined: &mut Vec<String>) -> Vec<Alert> {
        if !self.second_has_group {
            if self.second.is_match(text) {
                return Vec::new();
            }
            return self.flag(text, message, |_| true);
        }
        for groups in self.second.captures_all(text) {
            for g in groups.iter().skip(1).flatten() {
                if g.start < g.end {
                    defined.push(text[g.clone()].to_string());
                }
            }
        }
        self.flag(text, message, |found| !defined.iter().any(|d| d == found))
    }

    fn flag(&self, text: &str, message: &str, undefined: impl Fn(&str) -> bool) -> Vec<Alert> {
        self.first
            .find_all(text)
            .into_iter()
            .filter(|r| r.start < r.end)
            .filter(|r| {
                let found = &text[r.clone()];
                undefined(found)
                    && !is_match(self.except.as_ref(), found)
                    && !within_phrase(self.phrases.as_ref(), text, r)
            })
            .map(|r| Alert {
                message: format_strs(message, &[&text[r.clone()]]),
                range: r,
                fix: None,
            })
            .collect()
    }
}
