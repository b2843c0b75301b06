//! Checks a revision's content files with the engine, as `check` does, and
//! keeps what the report needs of each: findings, suppressions, the number
//! of words and the front-matter dates.

use std::path::Path;

use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use crate::config::Dates;
use crate::document::{value_text, Document, Scope};
use crate::engine::Checker;
use crate::finding::{Finding, Suppressed};
use crate::ownership::CodeOwners;
use crate::rules::dates::DayInputs;
use crate::rules::links::Lookup;
use crate::rules::Kind;
use crate::source::ContentFile;
use crate::text_stats::Stats;

/// What the report knows about one content file.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    /// Project-relative path.
    pub path: String,
    pub words: usize,
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub dates: PageDates,
    /// The git blob id of the bytes checked: the blob read, or, when asked
    /// for, the hash of the file on disk (so history can reuse the result).
    pub blob: Option<git2::Oid>,
    /// What the result depends on besides the path, the bytes and the policy.
    pub questions: Vec<Question>,
    /// Findings of spelling rules (`spelling` kind, Vale's `extends:
    /// spelling` and `Vale.Spelling`), suppressed ones not counted.
    pub spelling: usize,
    /// The page's prose counted as a readability formula counts it (the
    /// paragraphs, list items and block quotes a `metric` rule reads).
    pub prose: Stats,
}

/// A question the rules asked the environment about a page: the answers and
/// the page decide the findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Question {
    /// A `links` rule's lookup of another project file.
    Link(Lookup),
    /// A `dates` rule's comparisons with the day.
    Day(DayInputs),
}

/// The front-matter dates named by the config's `dates:` (day numbers);
/// `None` when a field is absent or not a date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageDates {
    pub reviewed: Option<i64>,
    pub expires: Option<i64>,
    pub embargo: Option<i64>,
}

/// Checks `files` in parallel; the facts come back in the order of `files`.
/// With `owners.required`, an unowned file gets its `imprimatur/unowned`
/// finding, as in `check`. With `hash`, files read from disk get their blob id.
pub fn scan(
    checker: &Checker,
    files: &[ContentFile],
    repo_path: Option<&Path>,
    codeowners: &CodeOwners,
    hash: bool,
) -> Vec<FileFacts> {
    files
        .par_iter()
        .map_init(
            // git2 repositories are not shared across threads: each worker opens its own.
            || repo_path.and_then(|p| git2::Repository::open(p).ok()),
            |repo, file| {
                let mut facts = facts_of(checker, file, repo.as_ref(), hash);
                if checker.config.owners.required {
                    flag_unowned(&mut facts, codeowners);
                }
                facts
            },
        )
        .collect()
}

/// One file's facts. A file that cannot be read has its
/// `imprimatur/unreadable` finding and no words.
pub fn facts_of(
    checker: &Checker,
    file: &ContentFile,
    repo: Option<&git2::Repository>,
    hash: bool,
) -> FileFacts {
    let bytes = crate::source::content::read_content(file, repo);
    let blob = file.blob.or_else(|| {
        let bytes = bytes.as_ref().ok().filter(|_| hash)?;
        git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()
    });
    let (result, doc) = checker.check_bytes(&file.rel, bytes);
    let (words, dates, questions, prose) = doc
        .as_ref()
        .map(|d| {
            (
                count_words(d),
                page_dates(d, &checker.config.dates),
                questions(checker, d),
                Stats::of(&crate::rules::metric::summary_text(d, None)),
            )
        })
        .unwrap_or_default();
    let spelling = spelling_findings(checker, &result.findings);
    FileFacts {
        path: result.path,
        words,
        spelling,
        prose,
        findings: result.findings,
        suppressed: result.suppressed,
        dates,
        blob,
        questions,
    }
}

/// What the rules that apply to `doc` ask beyond it: the files `links` rules
/// look up, and the dates `dates` rules compare with the day.
fn questions(checker: &Checker, doc: &Document) -> Vec<Question> {
    let mut out = Vec::new();
    for rule in checker
        .rules
        .rules
        .iter()
        .filter(|r| r.applies_to(&doc.path))
    {
        match &rule.kind {
            Kind::Links(links) => out.extend(links.lookups(doc).into_iter().map(Question::Link)),
            Kind::Dates(dates) => out.push(Question::Day(dates.day_inputs(doc, checker.config))),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// How many of `findings` come from spelling rules.
fn spelling_findings(checker: &Checker, findings: &[Finding]) -> usize {
    let ids: std::collections::HashSet<&str> = checker
        .rules
        .rules
        .iter()
        .filter(|r| r.kind.name() == "spelling")
        .map(|r| r.id.as_str())
        .collect();
    if ids.is_empty() {
        return 0;
    }
    findings
        .iter()
        .filter(|f| ids.contains(f.rule.as_str()))
        .count()
}

fn flag_unowned(facts: &mut FileFacts, codeowners: &CodeOwners) {
    let mut result = crate::engine::FileResult {
        path: facts.path.clone(),
        findings: std::mem::take(&mut facts.findings),
        suppressed: Vec::new(),
    };
    crate::engine::flag_unowned(&mut result, codeowners);
    facts.findings = result.findings;
}

/// Words of prose: the text of paragraphs, headings, lists, tables, quotes,
/// links, alt text and footnotes, split into words by Unicode's rules
/// (UAX #29). Code, HTML, comments and front matter are not prose.
pub fn count_words(doc: &Document) -> usize {
    doc.segments
        .iter()
        .filter(|s| s.scope.intersects(Scope::BODY))
        .map(|s| s.text.unicode_words().count())
        .sum()
}

/// The dates a page states in its front matter, under the config's names.
pub fn page_dates(doc: &Document, names: &Dates) -> PageDates {
    let day = |key: &str| {
        let fm = doc.front_matter.as_ref()?;
        crate::calendar::parse_days(&value_text(fm.get(key)?))
    };
    PageDates {
        reviewed: day(&names.reviewed),
        expires: day(&names.expires),
        embargo: day(&names.embargo),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_prose_words_only() {
        let text = "---\ntitle: Four words in title\nlast_reviewed: 2025-01-31\n---\n\
                    # Two words\n\nOne two three, four.\n\n```\nnot counted at all\n```\n\n\
                    - it's one\n\n<!-- not counted -->\n"
            .to_string();
        let doc = Document::parse("a.md", text);
        // "Two words" + "One two three four" + "it's one".
        assert_eq!(count_words(&doc), 2 + 4 + 2);
        let dates = page_dates(&doc, &Dates::default());
        assert_eq!(dates.reviewed, crate::calendar::parse_days("2025-01-31"));
        assert_eq!(dates.expires, None);
    }
}
