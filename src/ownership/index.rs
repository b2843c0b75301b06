//! Which rules of a section can match a path, so that resolving a path tries
//! a handful of patterns instead of every line of a long CODEOWNERS file.
//!
//! Two facts known at compile time narrow the field: a pattern anchored on a
//! literal first segment (`/docs/…`) can only match paths under that segment,
//! and every pattern contains its longest literal run (`.md` in `*.md`). The
//! first is a hash lookup; the second is one Aho-Corasick pass over the path
//! for the literal runs of all the other patterns.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::Pattern;

#[derive(Debug, Clone, Default)]
pub(super) struct RuleIndex {
    /// Rules by the literal first segment their pattern fixes.
    by_first_segment: HashMap<String, Vec<usize>>,
    /// Rules that fix no first segment and have no literal text either.
    always: Vec<usize>,
    /// Rules that fix no first segment, with their pattern's literal run.
    needles: Vec<(String, usize)>,
    /// Built on first use over `needles`; `None` if it could not be built.
    automaton: OnceLock<Option<AhoCorasick>>,
}

impl RuleIndex {
    /// Adds rule number `rule`; rules must be added in ascending order.
    pub(super) fn push(&mut self, rule: usize, pattern: &Pattern) {
        if let Some(segment) = pattern.first_segment() {
            self.by_first_segment
                .entry(segment.to_string())
                .or_default()
                .push(rule);
        } else if pattern.needle().is_empty() {
            self.always.push(rule);
        } else {
            self.needles.push((pattern.needle().to_string(), rule));
            self.automaton = OnceLock::new();
        }
    }

    /// The rules that may match `path` (normalized), last rule first.
    pub(super) fn candidates(&self, path: &str) -> Vec<usize> {
        let first = path.split('/').next().unwrap_or_default();
        let mut rules: Vec<usize> = self.always.clone();
        if let Some(anchored) = self.by_first_segment.get(first) {
            rules.extend(anchored);
        }
        let automaton = self.automaton.get_or_init(|| {
            (!self.needles.is_empty())
                .then(|| AhoCorasick::new(self.needles.iter().map(|(n, _)| n)).ok())
                .flatten()
        });
        match automaton {
            Some(automaton) => rules.extend(
                automaton
                    .find_overlapping_iter(path)
                    .map(|m| self.needles[m.pattern().as_usize()].1),
            ),
            None => rules.extend(self.needles.iter().map(|(_, rule)| rule)),
        }
        rules.sort_unstable_by(|a, b| b.cmp(a));
        rules.dedup();
        rules
    }
}
