//! `extends: capitalization` — a scope's whole text must be in `$title`
//! (AP or Chicago `style`), `$sentence`, `$lower`, `$upper` case, or match a
//! pattern. Exceptions and accepted vocabulary keep their own case; a text
//! passes when at least `threshold` (0.8) of its words agree.

use super::case::{self, go_title, TitleStyle, Vocab};
use super::common::{exception_regex, is_match, Env};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
enum Match {
    Title(TitleStyle),
    Sentence,
    Lower,
    Upper,
    Pattern(ValeRegex),
}

#[derive(Debug)]
pub struct Capitalization {
    kind: Match,
    except: Option<ValeRegex>,
    /// Words split the way Vale counts them (exceptions first).
    words: ValeRegex,
    vocab: Vocab,
    indicators: Vec<String>,
    prefix: Option<ValeRegex>,
    threshold: f64,
}

pub fn compile(def: &Definition, env: &Env) -> Result<Capitalization, RuleError> {
    let with_vocab = def.bool("vocab", true);
    let mut exceptions = def.list("exceptions");
    let except = exception_regex(def, &exceptions, env, with_vocab)?;
    if with_vocab {
        exceptions.extend(env.accepted.iter().cloned());
    }
    let spec = def.string("match").unwrap_or_default();
    let kind = match spec.as_str() {
        "$title" => Match::Title(if def.string("style").as_deref() == Some("Chicago") {
            TitleStyle::Chicago
        } else {
            TitleStyle::Ap
        }),
        "$sentence" => Match::Sentence,
        "$lower" => Match::Lower,
        "$upper" => Match::Upper,
        pattern => Match::Pattern(def.regex("match", pattern)?),
    };
    let word = r"[\p{N}\p{L}*]+[^\s]*";
    let words = match &except {
        Some(e) => def.regex("exceptions", &format!("{}|{word}", e.as_str()))?,
        None => def.regex("exceptions", word)?,
    };
    // 0 would switch the rule off, so it means "unset" (Vale's default is 0.8).
    let threshold = Some(def.float("threshold"))
        .filter(|t| *t != 0.0)
        .unwrap_or(0.8);
    let prefix = match def.string("prefix").filter(|p| !p.is_empty()) {
        Some(p) => Some(def.regex("prefix", &p)?),
        None => None,
    };
    Ok(Capitalization {
        kind,
        except,
        words,
        vocab: Vocab::new(&exceptions),
        indicators: def.list("indicators"),
        prefix,
        threshold,
    })
}

impl Capitalization {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let (expected, ok) = self.judge(text);
        if ok {
            return Vec::new();
        }
        vec![Alert {
            range: 0..text.len(),
            message: format_strs(message, &[text, &expected]),
            fix: None,
        }]
    }

    /// The expected form of `s`, and whether `s` is close enough to it.
    fn judge(&self, s: &str) -> (String, bool) {
        match &self.kind {
            Match::Lower => {
                let e = s.to_lowercase();
                let ok = e == s || is_match(self.except.as_ref(), s);
                (e, ok)
            }
            Match::Upper => {
                let e = s.to_uppercase();
                let ok = e == s || is_match(self.except.as_ref(), s);
                (e, ok)
            }
            Match::Pattern(re) => (
                re.as_str().to_string(),
                re.is_match(s) || is_match(self.except.as_ref(), s),
            ),
            Match::Title(style) => {
                let expected = case::title(s, *style, &self.vocab, self.prefix.as_ref());
                let ok = self.agree(s, &expected, |word, _| word == word.to_uppercase());
                (expected, ok)
            }
            Match::Sentence => {
                let expected =
                    case::sentence(s, &self.vocab, self.prefix.as_ref(), &self.indicators);
                let ok = self.agree(s, &expected, |_, _| false);
                let first_fails = self.first_word_fails(s, &expected);
                (expected, ok && !first_fails)
            }
        }
    }

    /// The share of words equal to the expected form (or excepted, or
    /// accepted by `fallback`) reaches the threshold.
    fn agree(&self, s: &str, expected: &str, fallback: impl Fn(&str, usize) -> bool) -> bool {
        let observed = self.tokens(s);
        let wanted = self.tokens(expected);
        if observed.is_empty() {
            return false;
        }
        let mut count = 0.0;
        for (i, word) in observed.iter().enumerate() {
            let agrees = match wanted.get(i) {
                None => true,
                Some(w) => word == w || is_match(self.except.as_ref(), word) || fallback(word, i),
            };
            if agrees {
                count += 1.0;
            }
        }
        count / observed.len() as f64 >= self.threshold
    }

    /// A first word that differs from the expected form and is not
    /// capitalised fails the sentence outright.
    fn first_word_fails(&self, s: &str, expected: &str) -> bool {
        let observed = self.tokens(s);
        let wanted = self.tokens(expected);
        match (observed.first(), wanted.first()) {
            (Some(w), Some(e)) => {
                w != e && !is_match(self.except.as_ref(), w) && *w != go_title(&w.to_lowercase())
            }
            _ => false,
        }
    }

    fn tokens<'a>(&self, s: &'a str) -> Vec<&'a str> {
        self.words.find_all(s).into_iter().map(|r| &s[r]).collect()
    }
}
