//! `spelling`: words of the prose are in the dictionaries.
//!
//! What the kind checks, its keys and an example are documented once, in
//! its section of docs/rule-kinds.md, which `rules --explain spelling` prints
//! (`super::kind_docs`).
//!
//! Words are Vale's tokens (`text_stats::words`).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use regex::Regex;

use super::spec::RuleSpec;
use super::Rule;
use crate::config::Config;
use crate::dictionary::{self, Speller};
use crate::document::{Document, Segment};
use crate::finding::Finding;
use crate::source::policy_files::PolicyFiles;

/// At most this many suggestions per finding.
pub const SUGGESTIONS: usize = 3;

#[derive(Debug)]
pub struct Spelling {
    pub speller: Arc<Speller>,
    /// Accepted words and people/team names, lower case (ordered, so the
    /// rule's debug text, part of the cache key, is the same every run).
    accepted: BTreeSet<String>,
    /// Accepted regexes, matched against whole words.
    patterns: Vec<Regex>,
    /// Accepted multi-word phrases: their words are right only together.
    phrases: Option<Regex>,
    /// Dictionary names for `rules --explain`.
    pub dictionary_names: Vec<String>,
    /// Each token's verdict, once judged: prose repeats its words, and a
    /// lookup is far cheaper than accept patterns plus affix analysis.
    verdicts: Verdicts,
}

/// Tokens already judged, with their misspelled parts. Each thread keeps
/// its own (a lookup per word of every page: no lock to take), keyed by this
/// rule's number, and starts afresh past a bound, so a huge corpus of
/// distinct tokens, or a language server compiling rules again and again,
/// cannot grow it without limit.
struct Verdicts {
    /// Unique per compiled rule: rules compiled later never see these.
    rule: u64,
}

type Memo = HashMap<Box<str>, Vec<Range<usize>>, foldhash::fast::RandomState>;

/// One thread's memos, by rule, and how many tokens they hold in all.
#[derive(Default)]
struct Memos {
    by_rule: HashMap<u64, Memo>,
    tokens: usize,
}

thread_local! {
    static MEMOS: RefCell<Memos> = RefCell::new(Memos::default());
}

/// How many distinct tokens a thread remembers, over all rules.
const MAX_VERDICTS: usize = 200_000;

impl Default for Verdicts {
    fn default() -> Verdicts {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Verdicts {
            rule: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl std::fmt::Debug for Verdicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A cache, not part of what the rule is.
        f.write_str("Verdicts")
    }
}

impl Verdicts {
    fn get_or(&self, word: &str, judge: impl FnOnce() -> Vec<Range<usize>>) -> Vec<Range<usize>> {
        let known = MEMOS.with_borrow(|memos| memos.by_rule.get(&self.rule)?.get(word).cloned());
        if let Some(parts) = known {
            return parts;
        }
        let parts = judge();
        MEMOS.with_borrow_mut(|memos| {
            if memos.tokens >= MAX_VERDICTS {
                *memos = Memos::default();
            }
            memos
                .by_rule
                .entry(self.rule)
                .or_default()
                .insert(word.into(), parts.clone());
            memos.tokens += 1;
        });
        parts
    }
}

const DEFAULT_MESSAGE: &str = "'{found}' is not in the dictionary; did you mean {suggestions}?";

pub fn compile(
    spec: &RuleSpec,
    config: &Config,
    files: &dyn PolicyFiles,
) -> Result<Spelling, String> {
    let names = if spec.dictionaries.is_empty() {
        vec![dictionary::BUNDLED.to_string()]
    } else {
        spec.dictionaries.clone()
    };
    let dictionaries = names
        .iter()
        .map(|n| load_dictionary(n, files))
        .collect::<Result<Vec<_>, _>>()?;
    let mut entries: Vec<String> = spec.accept.clone();
    for rel in &spec.accept_files {
        let text = files
            .read(rel)
            .ok_or_else(|| format!("accept file not found: {}", files.display(rel)))?
            .map_err(|e| format!("cannot read accept file {}: {e}", files.display(rel)))?;
        entries.extend(word_list(&text));
    }
    let mut accepted = BTreeSet::new();
    let mut patterns = Vec::new();
    let mut phrases = Vec::new();
    for entry in entries {
        if entry.contains(char::is_whitespace) {
            phrases.push(entry);
        } else if is_literal(&entry) {
            accepted.insert(entry.to_lowercase());
        } else {
            let re = Regex::new(&format!("^(?i:{entry})$"))
                .map_err(|e| format!("invalid regex `{entry}` in `accept`: {e}"))?;
            patterns.push(re);
        }
    }
    accepted.extend(config_names(config));
    let phrases = if phrases.is_empty() {
        None
    } else {
        let alternation = phrases
            .iter()
            .map(|p| {
                if is_literal(&p.replace(' ', "")) {
                    regex::escape(p)
                } else {
                    p.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("|");
        Some(
            Regex::new(&format!(r"(?i)\b(?:{alternation})\b"))
                .map_err(|e| format!("invalid phrase in `accept`: {e}"))?,
        )
    };
    let words = if names.iter().any(|n| n == dictionary::BUNDLED) {
        dictionary::bundled_words()
    } else {
        HashSet::new()
    };
    Ok(Spelling {
        speller: Arc::new(Speller::new(dictionaries, words)),
        accepted,
        patterns,
        phrases,
        dictionary_names: names,
        verdicts: Verdicts::default(),
    })
}

/// `en_US` is bundled; anything else is a path to `NAME.dic` + `NAME.aff`
/// (with or without the extension).
fn load_dictionary(
    name: &str,
    files: &dyn PolicyFiles,
) -> Result<Arc<dictionary::Hunspell>, String> {
    if name == dictionary::BUNDLED {
        return Ok(dictionary::en_us());
    }
    let stem = name
        .strip_suffix(".dic")
        .or_else(|| name.strip_suffix(".aff"))
        .unwrap_or(name);
    let read = |ext: &str| -> Result<String, String> {
        let rel = format!("{stem}.{ext}");
        files
            .read(&rel)
            .ok_or_else(|| {
                format!(
                    "dictionary `{name}` not found: no {} (only `en_US` is bundled; others are paths to .dic/.aff files)",
                    files.display(&rel)
                )
            })?
            .map_err(|e| format!("cannot read {}: {e}", files.display(&rel)))
    };
    let (aff, dic) = (read("aff")?, read("dic")?);
    dictionary::parse(&aff, &dic)
        .map_err(|e| format!("dictionary `{name}` cannot be read as Hunspell .dic/.aff: {e}"))
}

/// Lines of a word list: blank lines and `#` comments skipped.
pub fn word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn is_literal(s: &str) -> bool {
    s.chars().all(|c| c.is_alphanumeric() || "-'’".contains(c))
}

/// Words of people's keys, names and handles, and of team names.
fn config_names(config: &Config) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    for (key, person) in &config.people {
        texts.push(key);
        texts.extend(person.name.as_deref());
        texts.extend(person.handles.iter().map(String::as_str));
    }
    texts.extend(config.teams.keys().map(String::as_str));
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic() && c != '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// ASCII characters that make a token code-like: `@/\._:=#+&%$<>|~*^()[]{}`.
const CODE_MARKS: [bool; 128] = {
    let mut marks = [false; 128];
    let chars = b"@/\\._:=#+&%$<>|~*^()[]{}";
    let mut i = 0;
    while i < chars.len() {
        marks[chars[i] as usize] = true;
        i += 1;
    }
    marks
};

/// Is this token prose at all? Not when it is code-like (see the module doc).
fn is_prose_word(word: &str) -> bool {
    if word
        .chars()
        .any(|c| c.is_numeric() || (c.is_ascii() && CODE_MARKS[c as usize]))
    {
        return false;
    }
    // Not all capitals (two letters or more), and no capital right after a
    // small letter (letters only: `don't` and `well-Known` count as joined).
    let (mut letters, mut all_caps, mut after_small) = (0, true, false);
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if after_small && c.is_uppercase() {
            return false;
        }
        letters += 1;
        all_caps &= c.is_uppercase();
        after_small = c.is_lowercase();
    }
    !(all_caps && letters > 1)
}

/// Hyphens, en dashes and em dashes separate the parts of a token.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}')
}

impl Spelling {
    fn accepts(&self, word: &str) -> bool {
        let bare = word.trim_end_matches("'s");
        [word, bare].iter().any(|w| {
            self.accepted.contains(&w.to_lowercase()) || self.patterns.iter().any(|p| p.is_match(w))
        })
    }

    /// The misspelled parts of one token, as ranges of the token.
    fn wrong_parts(&self, word: &str) -> Vec<Range<usize>> {
        self.verdicts.get_or(word, || self.judge(word))
    }

    fn judge(&self, word: &str) -> Vec<Range<usize>> {
        if self.accepts(word) || self.speller.check(word) {
            return Vec::new();
        }
        if !word.contains(is_dash) {
            return std::iter::once(0..word.len()).collect();
        }
        // A hyphenated word is right when its parts are; an en or em dash
        // written without spaces ("features—namely") joins two words.
        let mut out = Vec::new();
        let mut at = 0;
        for part in word.split(is_dash) {
            let checkable = part.chars().any(char::is_alphabetic);
            if checkable && !self.accepts(part) && !self.speller.check(part) {
                out.push(at..at + part.len());
            }
            at += part.len();
            at += word[at..].chars().next().map_or(0, char::len_utf8);
        }
        out
    }

    pub fn check(&self, rule: &Rule, doc: &Document, out: &mut Vec<Finding>) {
        for segment in &doc.segments {
            self.check_segment(rule, doc, segment, out);
        }
    }

    fn check_segment(
        &self,
        rule: &Rule,
        doc: &Document,
        segment: &Segment,
        out: &mut Vec<Finding>,
    ) {
        let masked: Vec<Range<usize>> = self
            .phrases
            .as_ref()
            .map(|p| p.find_iter(&segment.text).map(|m| m.range()).collect())
            .unwrap_or_default();
        for word in crate::text_stats::words(&segment.text) {
            if !is_prose_word(&word.text)
                || masked
                    .iter()
                    .any(|m| m.start <= word.range.start && word.range.end <= m.end)
                || !rule.scope.reads(segment, &word.range)
                || !segment.is_matchable(&word.range)
            {
                continue;
            }
            let token = &segment.text[word.range.clone()];
            for part in self.wrong_parts(&word.text) {
                let found = &word.text[part.clone()];
                let range = word.range.start + part.start..word.range.start + part.end;
                // The straightened word and the source agree in length
                // unless a curly quote was straightened; keep the token then.
                let range = if token.len() == word.text.len() {
                    range
                } else {
                    word.range.clone()
                };
                out.push(self.finding(rule, doc, segment, range, found));
            }
        }
    }

    fn finding(
        &self,
        rule: &Rule,
        doc: &Document,
        segment: &Segment,
        range: Range<usize>,
        found: &str,
    ) -> Finding {
        let suggestions = self.speller.suggest(found, SUGGESTIONS);
        let listed = if suggestions.is_empty() {
            "nothing close".to_string()
        } else {
            suggestions
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let message = rule
            .message
            .as_deref()
            .unwrap_or(DEFAULT_MESSAGE)
            .replace("{found}", found)
            .replace("{suggestions}", &listed);
        let source = segment.source_range(range);
        let mut f = rule.finding(doc, source, found.to_string(), message, None);
        f.suggestions = suggestions;
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_like_tokens_are_not_prose() {
        for w in [
            "alice@example.com",
            "src/main.rs",
            "@alice",
            "v1.2",
            "GitHub",
            "API",
            "iOS",
            "snake_case",
        ] {
            assert!(!is_prose_word(w), "{w}");
        }
        for w in ["receive", "Receive", "well-known", "don't", "A"] {
            assert!(is_prose_word(w), "{w}");
        }
    }

    #[test]
    fn each_rule_remembers_its_own_verdicts_up_to_a_bound() {
        // One misspelled part, from `start` to `end`.
        let part = |start: usize, end: usize| std::iter::once(start..end).collect::<Vec<_>>();
        let (a, b) = (Verdicts::default(), Verdicts::default());
        assert_eq!(a.get_or("wrod", || part(0, 4)), part(0, 4));
        // Another rule has not judged the token: its own judge answers.
        assert!(b.get_or("wrod", Vec::new).is_empty());
        // The first remembers: its judge is not asked again.
        assert_eq!(a.get_or("wrod", || unreachable!()), part(0, 4));
        // Past the bound the thread forgets everything, and judges afresh.
        let c = Verdicts::default();
        for i in 0..MAX_VERDICTS {
            c.get_or(&format!("w{i}"), Vec::new);
        }
        assert_eq!(a.get_or("wrod", || part(1, 2)), part(1, 2));
    }

    #[test]
    fn word_lists_skip_comments_and_blanks() {
        assert_eq!(word_list("# names\nAcme\n\n  Zorg \n"), ["Acme", "Zorg"]);
    }
}
