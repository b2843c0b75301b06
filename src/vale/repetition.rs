//! `extends: repetition` — the same token twice in a row ("the the"), within
//! one sentence, ignoring case when asked and non-letters with `alpha`.

use super::common::{
    exception_regex, is_letters, is_match, phrase_regex, sentences, within_phrase, Env,
};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
pub struct Repetition {
    pattern: ValeRegex,
    max: i64,
    ignore_case: bool,
    alpha: bool,
    except: Option<ValeRegex>,
    phrases: Option<ValeRegex>,
}

pub fn compile(def: &Definition, env: &Env) -> Result<Repetition, RuleError> {
    let ignore_case = def.bool("ignorecase", false);
    let flags = if ignore_case { "(?i)" } else { "" };
    let exceptions = def.list("exceptions");
    let vocab = def.bool("vocab", true);
    Ok(Repetition {
        pattern: def.regex(
            "tokens",
            &format!("{flags}({})", def.list("tokens").join("|")),
        )?,
        max: def.int("max"),
        ignore_case,
        alpha: def.bool("alpha", false),
        except: exception_regex(def, &exceptions, env, vocab)?,
        phrases: phrase_regex(&exceptions, env, vocab),
    })
}

impl Repetition {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let mut alerts = Vec::new();
        let mut prev: &str = "";
        let mut prev_range = 0..0;
        let mut count = 0i64;
        for range in self.pattern.find_all(text) {
            let curr = text[range.clone()].trim();
            let same = if self.ignore_case {
                curr.to_lowercase() == prev.to_lowercase()
            } else {
                curr == prev
            };
            let hit = same && !curr.is_empty() && (!self.alpha || is_letters(curr));
            if hit {
                count += 1;
            }
            if hit && count > self.max {
                let span = prev_range.start..range.end;
                let both = &text[span.clone()];
                // Two sentences ("…about that. That is…") are not a repetition.
                let one_sentence = sentences(both)
                    .iter()
                    .filter(|s| !both[(*s).clone()].trim().is_empty())
                    .count()
                    == 1;
                if one_sentence
                    && !is_match(self.except.as_ref(), both)
                    && !within_phrase(self.phrases.as_ref(), text, &span)
                {
                    alerts.push(Alert {
                        message: format_strs(message, &[curr]),
                        range: span,
                        fix: None,
                    });
                    count = 0;
                }
            }
            prev_range = range;
            prev = curr;
        }
        alerts
    }
}
