//! Pieces every Vale kind shares: the word template around token lists,
//! exception regexes (a rule's `exceptions` plus the accepted vocabulary),
//! and Vale's small text helpers.

use std::ops::Range;

use super::definition::{Definition, RuleError};
use super::regex::ValeRegex;

/// What rules are compiled against: the project's vocabulary and templates.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `accept.txt` entries of every `Vocab`.
    pub accepted: Vec<String>,
    /// `reject.txt` entries of every `Vocab`.
    pub rejected: Vec<String>,
    /// `WordTemplate` from the ini, replacing `(?m)\b(?:%s)\b`.
    pub word_template: Option<String>,
    /// `StylesPath` (project-relative), where `config/dictionaries` and
    /// `config/ignore` live.
    pub styles_path: String,
}

pub const WORD_TEMPLATE: &str = r"(?m)\b(?:%s)\b";
pub const NONWORD_TEMPLATE: &str = r"(?m)(?:%s)";

/// Vale's `makeRegexp`: tokens inside the word (or non-word) template,
/// `extra` appended or prepended, `(?i)` in front when asked.
pub fn token_pattern(
    env: &Env,
    tokens: &str,
    word: bool,
    extra: &str,
    append: bool,
    ignore_case: bool,
) -> String {
    let template = if word {
        env.word_template.as_deref().unwrap_or(WORD_TEMPLATE)
    } else {
        NONWORD_TEMPLATE
    };
    let mut pattern = if append {
        format!("{template}{extra}")
    } else {
        format!("{extra}{template}")
    };
    pattern = pattern.replacen("%s", tokens, 1);
    if ignore_case {
        pattern.insert_str(0, "(?i)");
    }
    pattern
}

/// Vale's `updateExceptions`: one regex of every exception (longest first,
/// case-sensitive unless the entry says `(?i)`), matched anywhere in a found text.
pub fn exception_regex(
    def: &Definition,
    exceptions: &[String],
    env: &Env,
    with_vocab: bool,
) -> Result<Option<ValeRegex>, RuleError> {
    let mut all: Vec<String> = exceptions.to_vec();
    if with_vocab {
        all.extend(env.accepted.iter().cloned());
    }
    if all.is_empty() {
        return Ok(None);
    }
    all.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let joined = all
        .iter()
        .map(|t| {
            if t.starts_with("(?i)") {
                t.clone()
            } else {
                format!("(?-i){t}")
            }
        })
        .collect::<Vec<_>>()
        .join("|");
    def.regex("exceptions", &WORD_TEMPLATE.replacen("%s", &joined, 1))
        .map(Some)
}

/// Vale's `buildPhraseRe`: the multi-word exceptions, so a match inside an
/// accepted phrase is not reported.
pub fn phrase_regex(exceptions: &[String], env: &Env, with_vocab: bool) -> Option<ValeRegex> {
    let phrases: Vec<&String> = exceptions
        .iter()
        .chain(env.accepted.iter().filter(|_| with_vocab))
        .filter(|t| t.contains([' ', '\t']) || t.contains(r"\s"))
        .collect();
    if phrases.is_empty() {
        return None;
    }
    let joined = phrases
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("|");
    ValeRegex::new(&format!(r"(?i)\b(?:{joined})\b")).ok()
}

pub fn is_match(re: Option<&ValeRegex>, text: &str) -> bool {
    re.is_some_and(|r| r.is_match(text))
}

/// Is `range` of `text` inside a match of the phrase regex?
pub fn within_phrase(re: Option<&ValeRegex>, text: &str, range: &Range<usize>) -> bool {
    re.is_some_and(|r| crate::rules::forbid::covered(r.find_all(text).into_iter(), range))
}

/// Upper-cases the first byte's character (Vale's `CapFirst`).
pub fn cap_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// `'a'`, `'a' or 'b'`, `'a', 'b', or 'c'` (Vale's `ToSentence`).
pub fn to_sentence(words: &[String], conjunction: &str) -> String {
    match words.len() {
        0 => String::new(),
        1 => format!("'{}'", words[0]),
        2 => format!("'{}' {conjunction} '{}'", words[0], words[1]),
        n => {
            let mut quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
            quoted[n - 1] = format!("{conjunction} {}", quoted[n - 1]);
            quoted.join(", ")
        }
    }
}

/// Letters only (Vale's `IsLetter`).
pub fn is_letters(s: &str) -> bool {
    s.chars().all(char::is_alphabetic)
}

/// Text made only of the stand-ins for code (Vale's `IsCode`).
pub fn is_code(s: &str) -> bool {
    s.chars().all(|c| c == '*' || c == '@')
}

/// A plain phrase: letters, digits, spaces and hyphens (Vale's `IsPhrase`).
pub fn is_phrase(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c.is_numeric() || c == '-')
}

/// Does `observed` already conform to `expected` (a phrase, or a regex of
/// acceptable forms)? Vale's `matchToken`.
pub fn conforms(expected: &str, observed: &str, ignore_case: bool) -> bool {
    if is_phrase(expected) {
        return expected == observed;
    }
    let flags = if ignore_case { "(?i)" } else { "" };
    let pattern = format!("^(?:{flags}{expected})$");
    // The same few replacements come up again and again: compile each once.
    type Cache = std::sync::Mutex<std::collections::HashMap<String, Option<ValeRegex>>>;
    static CACHE: std::sync::LazyLock<Cache> = std::sync::LazyLock::new(Default::default);
    let re = {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(pattern)
            .or_insert_with_key(|p| ValeRegex::new(p).ok())
            .clone()
    };
    match re {
        Some(re) => re.is_match(observed),
        None => expected == observed,
    }
}

/// Sentences of `text` (UAX #29 boundaries), as byte ranges.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    use unicode_segmentation::UnicodeSegmentation;
    text.split_sentence_bound_indices()
        .map(|(i, s)| i..i + s.len())
        .collect()
}

/// `range` of `text` without leading and trailing white space.
pub fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.end - (slice.len() - slice.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_lists() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(to_sentence(&w(&["a"]), "or"), "'a'");
        assert_eq!(to_sentence(&w(&[",", "..."]), "or"), "',' or '...'");
        assert_eq!(to_sentence(&w(&["a", "b", "c"]), "or"), "'a', 'b', or 'c'");
    }

    #[test]
    fn conformity() {
        assert!(conforms("[Oo]bservability", "observability", false));
        assert!(!conforms("[Oo]bservability", "oBservability", false));
        assert!(conforms("MPL", "MPL", false));
        assert!(!conforms("MPL 2.0", "mpl 2.0", false));
    }
}
