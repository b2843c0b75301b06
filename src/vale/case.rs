//! Title and sentence case as Vale's `capitalization` rules compute them
//! (the converters of jdkato/prose's `strcase`): small words stay lower in
//! titles (AP or Chicago), vocabulary entries keep their own case, and a
//! word after an indicator (`:`) or a list number starts a new sentence.
//!
//! AP capitalises `to` before a verb, which needs a part-of-speech tagger;
//! without one, `to` is treated as the small word it usually is.

use std::sync::LazyLock;

use regex::Regex;

use super::regex::ValeRegex;

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "nor", "of", "on", "or",
    "per", "the", "to", "vs", "vs.", "via", "v", "v.",
];
const PREPOSITIONS: &[&str] = &[
    "with",
    "from",
    "into",
    "during",
    "including",
    "until",
    "against",
    "among",
    "throughout",
    "despite",
    "towards",
    "upon",
    "concerning",
    "about",
    "over",
    "through",
    "before",
    "between",
    "after",
    "since",
    "without",
    "under",
    "within",
    "along",
    "following",
    "across",
    "beyond",
    "around",
    "down",
    "near",
    "above",
];

static TITLE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{N}\p{L}]+[^\s\-/]*").expect("valid word regex"));
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+\.").expect("valid regex"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleStyle {
    Ap,
    Chicago,
}

/// Vocabulary entries (longest first) and their compiled patterns.
#[derive(Debug)]
pub struct Vocab {
    entries: Vec<(String, Option<ValeRegex>)>,
    /// Sentence-case tokens: vocabulary entries first, then words.
    tokens: Option<ValeRegex>,
}

impl Vocab {
    pub fn new(words: &[String]) -> Vocab {
        let mut words = words.to_vec();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut pattern = String::from(r"[\p{N}\p{L}*]+[^\s]*");
        if !words.is_empty() {
            pattern = format!(r"\b(?:{})\b|{pattern}", words.join("|"));
        }
        let tokens = ValeRegex::new(&format!("(?i){pattern}")).ok();
        Vocab {
            tokens,
            entries: words
                .into_iter()
                .map(|w| {
                    let re = ValeRegex::new(&w).ok();
                    (w, re)
                })
                .collect(),
        }
    }

    /// The form a vocabulary entry prescribes for `s`, if one applies.
    fn lookup(&self, s: &str) -> Option<String> {
        for (word, re) in &self.entries {
            if word.to_lowercase() == s.to_lowercase() {
                return Some(word.clone());
            }
            if re.as_ref().is_some_and(|r| r.is_match(s)) {
                return Some(s.to_string());
            }
        }
        None
    }
}

/// First character upper-cased; with `strict`, the rest lower-cased.
pub fn to_title(m: &str, strict: bool) -> String {
    let mut chars = m.chars();
    match chars.next() {
        Some(c) => {
            let rest = chars.as_str();
            let rest = if strict {
                rest.to_lowercase()
            } else {
                rest.to_string()
            };
            c.to_uppercase().collect::<String>() + &rest
        }
        None => String::new(),
    }
}

/// Splits off a leading `prefix` match (e.g. `a. ` list labels).
fn split_prefix<'a>(s: &'a str, prefix: Option<&ValeRegex>) -> (&'a str, &'a str) {
    match prefix.and_then(|p| p.find(s)) {
        Some(m) if m.start == 0 => (&s[..m.end], &s[m.end..]),
        _ => ("", s),
    }
}

fn sanitize(s: &str) -> String {
    s.replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{2013}', '\u{2014}'], "-")
        .replace('\u{2026}', "...")
}

fn byte_at(s: &str, i: isize) -> u8 {
    if i >= 0 && (i as usize) < s.len() {
        s.as_bytes()[i as usize]
    } else {
        0
    }
}

/// `s` in title case.
pub fn title(s: &str, style: TitleStyle, vocab: &Vocab, prefix: Option<&ValeRegex>) -> String {
    let (lead, s) = split_prefix(s, prefix);
    let t = sanitize(s);
    let end = t.len() as isize;
    let mut idx: isize = 0;
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in TITLE_WORD.find_iter(s) {
        let word = m.as_str();
        let lower = word.to_lowercase();
        let from = (idx.max(0) as usize).min(t.len());
        let pos = t
            .get(from..)
            .and_then(|rest| rest.find(word))
            .map_or(idx, |p| (from + p) as isize);
        let prev = byte_at(&t, pos - 1);
        let ext = word.len() as isize;
        idx = pos + ext;
        let bounding = pos == 0 || idx == end;
        let small = match style {
            TitleStyle::Ap => SMALL_WORDS.contains(&lower.as_str()),
            TitleStyle::Chicago => {
                SMALL_WORDS.contains(&lower.as_str()) || PREPOSITIONS.contains(&lower.as_str())
            }
        };
        let replaced = if let Some(v) = vocab.lookup(word) {
            v
        } else if !bounding
            && small
            && matches!(prev, b' ' | b'-' | b'/')
            && byte_at(&t, pos - 2) != b':'
            && byte_at(&t, pos - 2) != b'-'
            && (byte_at(&t, pos + ext) != b'-' || prev == b'-')
        {
            lower
        } else {
            to_title(word, false)
        };
        out.push_str(&s[last..m.start()]);
        out.push_str(&replaced);
        last = m.end();
    }
    out.push_str(&s[last..]);
    format!("{lead}{out}")
}

/// `s` in sentence case; `indicator(word, index)` says a word ends a clause.
pub fn sentence(
    s: &str,
    vocab: &Vocab,
    prefix: Option<&ValeRegex>,
    indicators: &[String],
) -> String {
    let (lead, s) = split_prefix(s, prefix);
    let tokens: Vec<String> = match &vocab.tokens {
        Some(re) => re
            .find_all(s)
            .into_iter()
            .map(|r| s[r].to_string())
            .collect(),
        None => s.split_whitespace().map(String::from).collect(),
    };
    let mut made = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let prev = if i > 0 { tokens[i - 1].as_str() } else { "" };
        if let Some(v) = vocab.lookup(token) {
            made.push(v);
        } else if i == 0 || is_indicator(prev, i - 1, indicators) {
            made.push(to_title(token, true));
        } else {
            made.push(token.to_lowercase());
        }
    }
    format!("{lead}{}", made.join(" "))
}

/// A word that ends a clause (a listed suffix), or a leading list number.
fn is_indicator(word: &str, index: usize, indicators: &[String]) -> bool {
    indicators
        .iter()
        .any(|sfx| word.len() > sfx.len() && word.ends_with(sfx.as_str()))
        || (index == 0 && NUMBERED.is_match(word))
}

/// Go's `strings.Title` of a lower-cased word: each letter after a non-letter upper-cased.
pub fn go_title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphabetic() || c.is_numeric() || c == '_' || c == '\'';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let v = Vocab::new(&[]);
        assert_eq!(
            title("my document", TitleStyle::Ap, &v, None),
            "My Document"
        );
        assert_eq!(
            title("how the SDK works", TitleStyle::Ap, &v, None),
            "How the SDK Works"
        );
        assert_eq!(
            title("a tale of two cities", TitleStyle::Chicago, &v, None),
            "A Tale of Two Cities"
        );
    }

    #[test]
    fn sentences() {
        let v = Vocab::new(&["Axon Server".to_string()]);
        assert_eq!(
            sentence("Axon server Connection", &v, None, &[]),
            "Axon Server connection"
        );
        assert_eq!(
            sentence(
                "find the thief: Introduction",
                &Vocab::new(&[]),
                None,
                &[":".into()]
            ),
            "Find the thief: Introduction"
        );
    }
}
