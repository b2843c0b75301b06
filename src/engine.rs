//! Runs a `RuleSet` over documents: term hits per segment, kind checks,
//! document-level checks, then suppressions. Files run in parallel (rayon);
//! each file's work is independent, so output does not depend on threads.

use crate::config::Config;
use crate::document::Document;
use crate::environment::Environment;
use crate::finding::{file_finding, Finding, Level, Span, Suppressed};
use crate::rules::terms::Hit;
use crate::rules::{Kind, RuleSet};
use crate::source::Unreadable;

/// Rule id for files that cannot be read as text.
pub const UNREADABLE_RULE: &str = crate::builtin_rules::UNREADABLE;
/// Rule id for content files nobody owns when `owners.required` is set.
pub const UNOWNED_RULE: &str = crate::builtin_rules::UNOWNED;
/// Rule id for front matter that is not valid YAML.
pub const INVALID_FRONT_MATTER_RULE: &str = crate::builtin_rules::INVALID_FRONT_MATTER;

/// Bytes (or the reason they could not be read) as text, or why they are not.
fn decode(bytes: Result<Vec<u8>, String>) -> Result<String, Unreadable> {
    bytes
        .map_err(|reason| Unreadable {
            reason,
            line: 1,
            column: 1,
        })
        .and_then(crate::source::decode)
}

/// The outcome for one file.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    pub path: String,
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
}

/// Everything a check needs besides the document.
pub struct Checker<'a> {
    pub rules: &'a RuleSet,
    pub config: &'a Config,
    /// Today, other files, git history: what `dates` and `links` ask about.
    pub env: &'a Environment,
}

impl Checker<'_> {
    /// Decodes and checks one file's bytes.
    pub fn check_bytes(
        &self,
        path: &str,
        bytes: Result<Vec<u8>, String>,
    ) -> (FileResult, Option<Document>) {
        self.check_decoded(path, decode(bytes), false)
    }

    /// `check_bytes`, but a file the rule set's prefilter proves clean is
    /// not parsed: its result is empty and no document comes back (the only
    /// outcome with neither a document nor a finding, which is how a run
    /// counts the files proven clean).
    pub fn check_bytes_lean(
        &self,
        path: &str,
        bytes: Result<Vec<u8>, String>,
    ) -> (FileResult, Option<Document>) {
        self.check_decoded(path, decode(bytes), true)
    }

    fn check_decoded(
        &self,
        path: &str,
        text: Result<String, Unreadable>,
        lean: bool,
    ) -> (FileResult, Option<Document>) {
        let text = match text {
            Ok(text) => text,
            Err(unreadable) => return (unreadable_result(path, unreadable), None),
        };
        let applicable = self.applicable(path);
        if lean && self.proven_clean(&applicable, &text) {
            let clean = FileResult {
                path: path.to_string(),
                ..FileResult::default()
            };
            return (clean, None);
        }
        let doc = Document::parse(path, text);
        (self.check_parsed(&doc, &applicable), Some(doc))
    }

    /// Does the prefilter prove that no rule applying here can match `text`?
    /// Only when every applying rule matches terms only.
    fn proven_clean(&self, applicable: &[bool], text: &str) -> bool {
        let Some(prefilter) = &self.rules.prefilter else {
            return false;
        };
        let only_term_rules = self
            .rules
            .rules
            .iter()
            .zip(applicable)
            .all(|(r, &applies)| !applies || r.kind.is_term_kind());
        only_term_rules && prefilter.proves_no_match(text)
    }

    /// Which rules apply to `path`, by index: their own `paths`, less the
    /// rules an override switches off there.
    fn applicable(&self, path: &str) -> Vec<bool> {
        let settings = self.overrides_for(path);
        self.rules
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| r.applies_to(path) && !settings.is_off(i))
            .collect()
    }

    fn overrides_for(&self, path: &str) -> crate::rules::overrides::FileSettings {
        self.rules.overrides.for_path(path, self.rules.rules.len())
    }

    /// Gives findings the level an override sets for their rule on this path.
    fn relevel(&self, path: &str, findings: &mut [Finding]) {
        let settings = self.overrides_for(path);
        if settings.is_empty() {
            return;
        }
        let levels: std::collections::HashMap<&str, Level> = self
            .rules
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| settings.level(i).map(|l| (r.id.as_str(), l)))
            .collect();
        for finding in findings {
            if let Some(level) = levels.get(finding.rule.as_str()) {
                finding.level = *level;
            }
        }
    }

    /// Every finding and suppression in `doc`, sorted.
    pub fn check_document(&self, doc: &Document) -> FileResult {
        self.check_parsed(doc, &self.applicable(&doc.path))
    }

    fn check_parsed(&self, doc: &Document, applicable: &[bool]) -> FileResult {
        let mut findings = Vec::new();
        let mut by_vale_controls = Vec::new();
        if applicable.iter().any(|&a| a) {
            self.check_segments(doc, applicable, &mut findings);
            self.check_whole_document(doc, applicable, &mut findings);
            crate::vale::engine::check(
                doc,
                self.rules,
                applicable,
                self.config.suppressions.require_reason,
                &mut findings,
                &mut by_vale_controls,
            );
            if !self.rules.overrides.is_empty() {
                self.relevel(&doc.path, &mut findings);
            }
        }
        if let Some((message, at)) = doc.front_matter.as_ref().and_then(|f| f.error.clone()) {
            findings.push(Finding {
                path: doc.path.clone(),
                rule: INVALID_FRONT_MATTER_RULE.into(),
                level: crate::builtin_rules::level(INVALID_FRONT_MATTER_RULE),
                message,
                found: String::new(),
                span: doc.span(at..at),
                fix: None,
                suggestions: Vec::new(),
            });
        }
        let known = |id: &str| {
            self.rules.rules.iter().any(|r| {
                r.id == id
                    || r.id
                        .strip_prefix(id)
                        .is_some_and(|rest| rest.starts_with(['/', '.']))
            })
        };
        let (mut findings, mut suppressed) = crate::suppress::apply(
            doc,
            findings,
            self.config.suppressions.require_reason,
            &known,
        );
        findings.sort_by(|a, b| a.sort_key_cmp(b));
        findings.dedup();
        suppressed.append(&mut by_vale_controls);
        suppressed.sort_by(|a, b| a.finding.sort_key_cmp(&b.finding));
        FileResult {
            path: doc.path.clone(),
            findings,
            suppressed,
        }
    }

    fn check_segments(&self, doc: &Document, applicable: &[bool], out: &mut Vec<Finding>) {
        let mut hits: Vec<Hit> = Vec::new();
        let mut unless_cache = crate::rules::forbid::UnlessCache::new();
        for segment in doc.segments.iter().chain(&doc.html_prose) {
            hits.clear();
            self.rules.terms.hits(&segment.text, &mut hits);
            confusable_hits(self.rules, &segment.text, &mut hits);
            hits.retain(|h| {
                applicable[h.rule]
                    && !matches!(self.rules.rules[h.rule].kind, Kind::Vale(_))
                    && self.rules.rules[h.rule].scope.reads(segment, &h.range)
                    && segment.is_matchable(&h.range)
            });
            keep_leftmost_longest(&mut hits);
            for hit in &hits {
                let rule = &self.rules.rules[hit.rule];
                let finding = match &rule.kind {
                    Kind::Forbid(f) => {
                        f.check(rule, doc, segment, hit.range.clone(), &mut unless_cache)
                    }
                    Kind::Substitute(s) => s.check(rule, doc, segment, hit.item, hit.range.clone()),
                    _ => None,
                };
                out.extend(finding);
            }
        }
    }

    fn check_whole_document(&self, doc: &Document, applicable: &[bool], out: &mut Vec<Finding>) {
        for (rule, _) in self.rules.rules.iter().zip(applicable).filter(|(_, a)| **a) {
            match &rule.kind {
                Kind::Require(r) => out.extend(r.check(rule, doc)),
                Kind::FrontMatter(f) => out.extend(f.check(rule, doc, self.config)),
                Kind::Links(l) => out.extend(l.check(rule, doc, self.env)),
                Kind::Dates(d) => out.extend(d.check(rule, doc, self.config, self.env)),
                Kind::Spelling(s) => s.check(rule, doc, out),
                Kind::Metric(m) => out.extend(m.check(rule, doc)),
                Kind::Forbid(_) | Kind::Substitute(_) | Kind::Vale(_) => {}
            }
        }
    }
}

/// Hits in the confusable view of `text` (mixed-script words read as their
/// skeleton), as ranges of `text`; a hit found both ways is kept once.
fn confusable_hits(rules: &RuleSet, text: &str, hits: &mut Vec<Hit>) {
    let Some(view) = crate::rules::confusable::View::of(text) else {
        return;
    };
    let before = hits.len();
    rules.terms.hits(&view.text, hits);
    for hit in &mut hits[before..] {
        hit.range = view.to_text(hit.range.clone());
    }
    hits.sort_by_key(|h| (h.rule, h.item, h.range.start, h.range.end));
    hits.dedup();
}

/// Within each rule, overlapping hits collapse to the leftmost, longest one
/// ("risk" and "risk-free" in one rule report "risk-free" once).
fn keep_leftmost_longest(hits: &mut Vec<Hit>) {
    hits.sort_by(|a, b| {
        (a.rule, a.range.start, std::cmp::Reverse(a.range.end)).cmp(&(
            b.rule,
            b.range.start,
            std::cmp::Reverse(b.range.end),
        ))
    });
    let mut last: Option<(usize, usize)> = None; // (rule, end)
    hits.retain(|h| {
        let overlaps = last.is_some_and(|(rule, end)| rule == h.rule && h.range.start < end);
        if !overlaps {
            last = Some((h.rule, h.range.end));
        }
        !overlaps
    });
}

/// What an unowned file's finding says: `check`, the gate, the language
/// server and the report all report it in these words.
pub const UNOWNED_MESSAGE: &str = "No owner in CODEOWNERS; `owners.required` is set.";

/// The finding for a content file nobody owns while `owners.required` is set.
pub fn unowned_finding(path: &str) -> Finding {
    file_finding(
        path,
        UNOWNED_RULE,
        crate::builtin_rules::level(UNOWNED_RULE),
        UNOWNED_MESSAGE.to_string(),
    )
}

/// `owners.required`: a content file nobody owns is an error.
/// Used by `check`, the language server, standard input and the report.
pub fn flag_unowned(result: &mut FileResult, codeowners: &crate::ownership::CodeOwners) {
    if !codeowners.owners_of(&result.path).is_owned() {
        result.findings.insert(0, unowned_finding(&result.path));
    }
}

fn unreadable_result(path: &str, u: Unreadable) -> FileResult {
    let span = Span {
        start: 0,
        end: 0,
        line: u.line,
        column: u.column,
        end_line: u.line,
        end_column: u.column,
    };
    FileResult {
        path: path.to_string(),
        findings: vec![Finding {
            path: path.to_string(),
            rule: UNREADABLE_RULE.into(),
            level: crate::builtin_rules::level(UNREADABLE_RULE),
            message: u.reason,
            found: String::new(),
            span,
            fix: None,
            suggestions: Vec::new(),
        }],
        suppressed: Vec::new(),
    }
}
