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
                // Two sentences ("…about that. That is…") are not a
                // repetition; a line break does not end a sentence (Vale's
                // punkt tokenizer splits at punctuation only).
                let flat = both.replace('\n', " ");
                let one_sentence = sentences(&flat)
                    .iter()
                    .filter(|s| !flat[(*s).clone()].trim().is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> Repetition {
        let yaml = "extends: repetition\nmessage: \"'%s' is repeated!\"\ntokens: ['[^\\s]+']\n";
        let yaml_serde::Value::Mapping(map) = crate::yaml::value_from_str(yaml).unwrap() else {
            panic!("not a mapping")
        };
        let def = Definition::new("S.R".into(), map, "S/R.yml".into(), yaml.into());
        compile(&def, &Env::default()).unwrap()
    }

    #[test]
    fn across_a_line_break_but_not_across_sentences() {
        let r = rule();
        let hits: Vec<_> = r
            .run("We saw the\nthe dog.", "%s")
            .into_iter()
            .map(|a| a.range)
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0], 7..14);
        assert!(r.run("I forgot that.\nThat is all.", "%s").is_empty());
    }
}
