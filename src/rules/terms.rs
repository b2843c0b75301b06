//! One automaton for every literal term of every rule (aho-corasick, as
//! typos and ripgrep do), plus the regexes that literals cannot express.
//! A `Hit` says which rule and which item of that rule matched where.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

/// A match of item `item` of rule `rule` at a byte range of segment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: usize,
    pub item: usize,
    pub range: Range<usize>,
}

/// What a rule contributes to the matcher: literal terms and regexes,
/// each tagged with the rule's own item index.
#[derive(Debug, Default)]
pub struct Items {
    /// (item, term, ignore_case)
    pub terms: Vec<(usize, String, bool)>,
    /// (item, regex, whole words only)
    pub regexes: Vec<(usize, Regex, bool)>,
}

#[cfg(test)]
impl Items {
    /// Items of one rule: `(term, ignore_case)` pairs, numbered in order.
    pub fn of_terms(terms: &[(&str, bool)]) -> Items {
        Items {
            terms: terms
                .iter()
                .enumerate()
                .map(|(i, (t, ci))| (i, t.to_string(), *ci))
                .collect(),
            regexes: Vec::new(),
        }
    }
}

#[derive(Debug, Default)]
pub struct TermIndex {
    insensitive: Option<AhoCorasick>,
    insensitive_ids: Vec<(usize, usize)>,
    sensitive: Option<AhoCorasick>,
    sensitive_ids: Vec<(usize, usize)>,
    /// (rule, item, regex, whole words only)
    regexes: Vec<(usize, usize, Regex, bool)>,
}

impl TermIndex {
    /// Builds the index from each rule's items (`per_rule[i]` for rule `i`).
    pub fn build(per_rule: Vec<Items>) -> TermIndex {
        let mut ci = (Vec::new(), Vec::new());
        let mut cs = (Vec::new(), Vec::new());
        let mut regexes = Vec::new();
        for (rule, items) in per_rule.into_iter().enumerate() {
            for (item, term, ignore_case) in items.terms {
                if ignore_case && !term.is_ascii() {
                    // aho-corasick folds ASCII case only: Unicode terms go to a regex.
                    let re = Regex::new(&format!("(?i){}", regex::escape(&term)))
                        .expect("escaped term is a valid regex");
                    regexes.push((rule, item, re, true));
                } else if ignore_case {
                    ci.0.push(term);
                    ci.1.push((rule, item));
                } else {
                    cs.0.push(term);
                    cs.1.push((rule, item));
                }
            }
            for (item, re, whole) in items.regexes {
                regexes.push((rule, item, re, whole));
            }
        }
        TermIndex {
            insensitive: automaton(&ci.0, true),
            insensitive_ids: ci.1,
            sensitive: automaton(&cs.0, false),
            sensitive_ids: cs.1,
            regexes,
        }
    }

    /// Every whole-word term hit and regex hit in `text`, appended to `out`.
    pub fn hits(&self, text: &str, out: &mut Vec<Hit>) {
        for (ac, ids) in [
            (&self.insensitive, &self.insensitive_ids),
            (&self.sensitive, &self.sensitive_ids),
        ] {
            let Some(ac) = ac else { continue };
            for m in ac.find_overlapping_iter(text) {
                if is_whole_word(text, m.start(), m.end()) {
                    let (rule, item) = ids[m.pattern().as_usize()];
                    out.push(Hit {
                        rule,
                        item,
                        range: m.start()..m.end(),
                    });
                }
            }
        }
        for (rule, item, re, whole) in &self.regexes {
            for m in re.find_iter(text) {
                if m.start() < m.end() && (!whole || is_whole_word(text, m.start(), m.end())) {
                    out.push(Hit {
                        rule: *rule,
                        item: *item,
                        range: m.range(),
                    });
                }
            }
        }
    }
}

fn automaton(terms: &[String], ignore_case: bool) -> Option<AhoCorasick> {
    if terms.is_empty() {
        return None;
    }
    Some(
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(ignore_case)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(terms)
            .expect("literal terms always build an automaton"),
    )
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A match is a whole word when no word character touches an edge that is
/// itself a word character (so `#1` and `100%` can still match).
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let matched = &text[start..end];
    let first_is_word = matched.chars().next().is_some_and(is_word_char);
    let last_is_word = matched.chars().next_back().is_some_and(is_word_char);
    let before_ok = !first_is_word || !text[..start].chars().next_back().is_some_and(is_word_char);
    let after_ok = !last_is_word || !text[end..].chars().next().is_some_and(is_word_char);
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(terms: &[(&str, bool)]) -> TermIndex {
        TermIndex::build(vec![Items::of_terms(terms)])
    }

    fn found(idx: &TermIndex, text: &str) -> Vec<String> {
        let mut hits = Vec::new();
        idx.hits(text, &mut hits);
        hits.iter()
            .map(|h| text[h.range.clone()].to_string())
            .collect()
    }

    #[test]
    fn whole_words_only() {
        let idx = index(&[("guaranteed", true)]);
        assert_eq!(
            found(&idx, "Guaranteed! unguaranteed guaranteedly guaranteed"),
            vec!["Guaranteed", "guaranteed"]
        );
    }

    #[test]
    fn symbols_at_edges() {
        let idx = index(&[("#1", true), ("100% secure", true)]);
        assert_eq!(
            found(&idx, "We are #1 and 100% secure."),
            vec!["#1", "100% secure"]
        );
    }

    #[test]
    fn unicode_case_folding() {
        let idx = index(&[("café", true)]);
        assert_eq!(found(&idx, "Le CAFÉ est ouvert"), vec!["CAFÉ"]);
    }

    #[test]
    fn case_sensitive_terms() {
        let idx = index(&[("Github", false)]);
        assert_eq!(found(&idx, "Github GitHub github"), vec!["Github"]);
    }
}
