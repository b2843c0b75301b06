//! `extends: existence` — report every match of `tokens` (whole words unless
//! `nonword`) or `raw` patterns, except matches that contain an exception or
//! an accepted vocabulary word.

use super::common::{exception_regex, is_match, phrase_regex, token_pattern, within_phrase, Env};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::{is_literal, ValeRegex};
use super::Alert;

#[derive(Debug)]
pub struct Existence {
    /// The rule's regex; `None` for a plain word list, which the shared
    /// automaton matches instead (so thousands of words compile no regex).
    pattern: Option<ValeRegex>,
    except: Option<ValeRegex>,
    /// Accepted multi-word phrases: a match inside one is not reported (Vale #1035).
    phrases: Option<ValeRegex>,
    /// The tokens when every one is a plain literal word list (no `raw`,
    /// not `nonword`): the rule can then be served by the shared automaton.
    pub literals: Option<(Vec<String>, bool)>,
}

pub fn compile(def: &Definition, env: &Env) -> Result<Existence, RuleError> {
    let raw = def.list("raw");
    let tokens: Vec<String> = def
        .list("tokens")
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect();
    let nonword = def.bool("nonword", false);
    let ignore_case = def.bool("ignorecase", false);
    let vocab = def.bool("vocab", true);
    let word = !nonword && !tokens.is_empty();
    let pattern = token_pattern(
        env,
        &tokens.join("|"),
        word,
        &raw.join(""),
        def.bool("append", false),
        ignore_case,
    );
    let key = if tokens.is_empty() { "raw" } else { "tokens" };
    let literal_words = word
        && raw.is_empty()
        && env.word_template.is_none()
        && tokens.iter().all(|t| {
            is_literal(t)
                && t.chars()
                    .next()
                    .is_some_and(super::super::rules::terms::is_word_char)
                && t.chars()
                    .next_back()
                    .is_some_and(super::super::rules::terms::is_word_char)
        });
    Ok(Existence {
        pattern: if literal_words {
            None
        } else {
            Some(def.regex(key, &pattern)?)
        },
        // Vocabulary words are exceptions for word rules only (Vale #1058).
        except: exception_regex(def, &def.list("exceptions"), env, vocab && !nonword)?,
        phrases: phrase_regex(&def.list("exceptions"), env, vocab && !nonword),
        literals: literal_words.then_some((tokens, ignore_case)),
    })
}

impl Existence {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let found = self
            .pattern
            .as_ref()
            .map(|p| p.find_all(text))
            .unwrap_or_default();
        self.judge(text, message, found)
    }

    /// Alerts for candidate matches found elsewhere (the shared automaton).
    pub fn judge(
        &self,
        text: &str,
        message: &str,
        found: Vec<std::ops::Range<usize>>,
    ) -> Vec<Alert> {
        found
            .into_iter()
            .filter(|r| r.start < r.end)
            .filter(|r| !is_match(self.except.as_ref(), text[r.clone()].trim()))
            .filter(|r| !within_phrase(self.phrases.as_ref(), text, r))
            .map(|r| Alert {
                message: format_strs(message, &[&text[r.clone()]]),
                range: r,
                fix: None,
            })
            .collect()
    }
}
