//! The scorecard: every figure the report shows, as plain data. Field order
//! is the JSON key order; lists are sorted (largest first, then by name), so
//! the same repository gives the same bytes.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::scan::FileFacts;
use crate::finding::Level;
use crate::ownership::CodeOwners;
use crate::text_stats::Stats;

/// How many rows the "top" and "oldest" lists keep, and how many paths a
/// list of unowned, expired or embargoed pages names.
pub const TOP: usize = 10;
pub const SAMPLE: usize = 20;
/// The owner key of findings and pages nobody owns.
pub const UNOWNED: &str = "(unowned)";

#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    /// Schema version of the JSON form.
    pub version: u32,
    pub generated: Generated,
    pub content: ContentFigures,
    pub ownership: OwnershipFigures,
    pub freshness: FreshnessFigures,
    pub findings: FindingFigures,
    pub suppressions: SuppressionFigures,
    /// The pages with the most findings.
    pub top_files: Vec<FileRow>,
    /// The pages hardest to read: highest Flesch–Kincaid grade first.
    pub hardest_files: Vec<FileRow>,
    /// `null` outside a git repository.
    pub history: Option<super::HistoryFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generated {
    /// The day dates are judged on (`--today`, else the system date).
    pub today: String,
    /// `working tree`, or the `--rev` given.
    pub source: String,
    /// The commit of `--rev`, or HEAD for the working tree (null without one).
    pub commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentFigures {
    pub files: usize,
    pub words: usize,
    /// Findings of spelling rules over all pages.
    pub spelling: usize,
    /// Flesch–Kincaid grade of all the prose together (null without prose).
    pub readability_grade: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnershipFigures {
    pub owned: usize,
    pub unowned: usize,
    pub coverage_percent: f64,
    /// Every owner CODEOWNERS names for some page (a page with two owners
    /// counts for both), then `(unowned)` when some page has no owner.
    pub by_owner: Vec<OwnerRow>,
    /// The first unowned pages, by path (`imprimatur owners --unowned` lists all).
    pub unowned_files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerRow {
    pub owner: String,
    pub files: usize,
    pub words: usize,
    pub findings: usize,
    pub per_1000_words: f64,
    /// Pages older than `dates.max_age_days`.
    pub stale: usize,
    /// Findings of spelling rules on the owner's pages.
    pub spelling: usize,
    /// Flesch–Kincaid grade of the owner's prose together (null without prose).
    pub readability_grade: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FreshnessFigures {
    /// `dates.max_age_days`: a page older than this is stale.
    pub max_age_days: u32,
    /// Pages dated by their front-matter review date.
    pub reviewed_in_front_matter: usize,
    /// Pages without one, dated by the last commit that changed them.
    pub dated_by_git: usize,
    /// Pages with neither (not in git yet, or outside a repository).
    pub undated: usize,
    pub by_age: Vec<AgeBucket>,
    pub stale: usize,
    pub expired: usize,
    pub embargoed: usize,
    /// The oldest pages.
    pub oldest: Vec<AgedFile>,
    pub expired_files: Vec<String>,
    pub embargoed_files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgeBucket {
    pub label: String,
    /// Ages from..=to days (`to` null: no upper bound; both null: undated).
    pub from_days: Option<i64>,
    pub to_days: Option<i64>,
    pub files: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgedFile {
    pub path: String,
    pub age_days: i64,
    /// The date the age counts from.
    pub since: String,
    /// `front-matter` or `git`.
    pub source: &'static str,
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingFigures {
    pub total: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub per_1000_words: f64,
    pub by_rule: Vec<RuleRow>,
    /// Findings on each owner's pages (`(unowned)` for pages nobody owns).
    pub by_owner: Vec<Count>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub rule: String,
    pub level: Level,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuppressionFigures {
    pub total: usize,
    pub by_rule: Vec<Count>,
    /// The reason written after `--` (`(no reason)` when there is none).
    pub by_reason: Vec<Count>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub path: String,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub words: usize,
    pub per_1000_words: f64,
    pub owners: Vec<String>,
    /// Findings of spelling rules on the page.
    pub spelling: usize,
    /// The page's Flesch–Kincaid grade (null without prose).
    pub readability_grade: Option<f64>,
}

/// What the current figures are computed from.
pub struct Inputs<'a> {
    pub facts: &'a [FileFacts],
    pub codeowners: &'a CodeOwners,
    pub dates: &'a crate::config::Dates,
    pub today: i64,
    /// Day of the last commit that changed each page (project-relative).
    pub last_changed: &'a HashMap<String, i64>,
}

/// Age buckets in days: (label, from, to).
const BUCKETS: [(&str, i64, Option<i64>); 5] = [
    ("0-30 days", 0, Some(30)),
    ("31-90 days", 31, Some(90)),
    ("91-180 days", 91, Some(180)),
    ("181-365 days", 181, Some(365)),
    ("over 365 days", 366, None),
];

/// A page's age and where its date came from.
struct Age {
    days: i64,
    since: i64,
    source: &'static str,
}

impl Inputs<'_> {
    fn age(&self, facts: &FileFacts) -> Option<Age> {
        let (since, source) = match facts.dates.reviewed {
            Some(day) => (day, "front-matter"),
            None => (*self.last_changed.get(&facts.path)?, "git"),
        };
        // A review dated in the future counts as today's.
        Some(Age {
            days: (self.today - since).max(0),
            since,
            source,
        })
    }

    fn is_stale(&self, age: &Option<Age>) -> bool {
        age.as_ref()
            .is_some_and(|a| a.days > i64::from(self.dates.max_age_days))
    }
}

/// Per thousand words, to one decimal.
pub fn per_1000(count: usize, words: usize) -> f64 {
    if words == 0 {
        return 0.0;
    }
    (count as f64 * 10_000.0 / words as f64).round() / 10.0
}

/// A share as a percentage, to one decimal (100 when there is nothing to share).
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 100.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

pub fn ownership(inputs: &Inputs) -> OwnershipFigures {
    let mut rows: BTreeMap<String, OwnerRow> = BTreeMap::new();
    let mut prose: HashMap<String, Stats> = HashMap::new();
    let mut unowned_files = Vec::new();
    let mut owned = 0;
    for facts in inputs.facts {
        let owners = inputs.codeowners.owners_of(&facts.path).owners;
        if owners.is_empty() {
            unowned_files.push(facts.path.clone());
        } else {
            owned += 1;
        }
        let stale = inputs.is_stale(&inputs.age(facts));
        let keys = if owners.is_empty() {
            vec![UNOWNED.to_string()]
        } else {
            owners
        };
        for owner in keys {
            let row = rows.entry(owner.clone()).or_insert_with(|| OwnerRow {
                owner,
                files: 0,
                words: 0,
                findings: 0,
                per_1000_words: 0.0,
                stale: 0,
                spelling: 0,
                readability_grade: None,
            });
            row.files += 1;
            row.words += facts.words;
            row.findings += facts.findings.len();
            row.stale += usize::from(stale);
            row.spelling += facts.spelling;
            prose
                .entry(row.owner.clone())
                .or_default()
                .add(&facts.prose);
        }
    }
    let mut by_owner: Vec<OwnerRow> = rows.into_values().collect();
    for row in &mut by_owner {
        row.per_1000_words = per_1000(row.findings, row.words);
        row.readability_grade = prose.get(&row.owner).and_then(grade);
    }
    // Largest first; `(unowned)` last, whatever its size, so it reads as a remainder.
    by_owner.sort_by(|a, b| {
        (a.owner == UNOWNED, std::cmp::Reverse(a.files), &a.owner).cmp(&(
            b.owner == UNOWNED,
            std::cmp::Reverse(b.files),
            &b.owner,
        ))
    });
    unowned_files.sort();
    let unowned = unowned_files.len();
    unowned_files.truncate(SAMPLE);
    OwnershipFigures {
        owned,
        unowned,
        coverage_percent: percent(owned, owned + unowned),
        by_owner,
        unowned_files,
    }
}

pub fn freshness(inputs: &Inputs) -> FreshnessFigures {
    let mut buckets: Vec<AgeBucket> = BUCKETS
        .iter()
        .map(|(label, from, to)| AgeBucket {
            label: label.to_string(),
            from_days: Some(*from),
            to_days: *to,
            files: 0,
        })
        .collect();
    let mut undated_bucket = AgeBucket {
        label: "no date".into(),
        from_days: None,
        to_days: None,
        files: 0,
    };
    let (mut in_front_matter, mut by_git, mut stale) = (0, 0, 0);
    let mut aged = Vec::new();
    let mut expired_files = Vec::new();
    let mut embargoed_files = Vec::new();
    for facts in inputs.facts {
        let age = inputs.age(facts);
        stale += usize::from(inputs.is_stale(&age));
        match &age {
            Some(a) => {
                if a.source == "git" {
                    by_git += 1;
                } else {
                    in_front_matter += 1;
                }
                let bucket = BUCKETS
                    .iter()
                    .position(|(_, from, to)| a.days >= *from && to.is_none_or(|t| a.days <= t))
                    .expect("the buckets cover every age from 0");
                buckets[bucket].files += 1;
                aged.push((facts, age.expect("matched Some")));
            }
            None => undated_bucket.files += 1,
        }
        if facts.dates.expires.is_some_and(|d| d < inputs.today) {
            expired_files.push(facts.path.clone());
        }
        if facts.dates.embargo.is_some_and(|d| d > inputs.today) {
            embargoed_files.push(facts.path.clone());
        }
    }
    aged.sort_by(|(fa, a), (fb, b)| (b.days, &fa.path).cmp(&(a.days, &fb.path)));
    let oldest = aged
        .into_iter()
        .take(TOP)
        .map(|(facts, age)| AgedFile {
            path: facts.path.clone(),
            age_days: age.days,
            since: crate::calendar::format_days(age.since),
            source: age.source,
            owners: inputs.codeowners.owners_of(&facts.path).owners,
        })
        .collect();
    let undated = undated_bucket.files;
    buckets.push(undated_bucket);
    let (expired, embargoed) = (expired_files.len(), embargoed_files.len());
    expired_files.sort();
    embargoed_files.sort();
    expired_files.truncate(SAMPLE);
    embargoed_files.truncate(SAMPLE);
    FreshnessFigures {
        max_age_days: inputs.dates.max_age_days,
        reviewed_in_front_matter: in_front_matter,
        dated_by_git: by_git,
        undated,
        by_age: buckets,
        stale,
        expired,
        embargoed,
        oldest,
        expired_files,
        embargoed_files,
    }
}

pub fn findings(inputs: &Inputs, words: usize) -> FindingFigures {
    let mut by_rule: BTreeMap<&str, RuleRow> = BTreeMap::new();
    let mut by_owner: BTreeMap<String, usize> = BTreeMap::new();
    let mut levels = [0usize; 3];
    for facts in inputs.facts {
        if facts.findings.is_empty() {
            continue;
        }
        for f in &facts.findings {
            levels[f.level as usize] += 1;
            by_rule
                .entry(&f.rule)
                .or_insert_with(|| RuleRow {
                    rule: f.rule.clone(),
                    level: f.level,
                    count: 0,
                })
                .count += 1;
        }
        let owners = inputs.codeowners.owners_of(&facts.path).owners;
        if owners.is_empty() {
            *by_owner.entry(UNOWNED.into()).or_default() += facts.findings.len();
        }
        for owner in owners {
            *by_owner.entry(owner).or_default() += facts.findings.len();
        }
    }
    let mut by_rule: Vec<RuleRow> = by_rule.into_values().collect();
    by_rule.sort_by(|a, b| (b.count, &a.rule).cmp(&(a.count, &b.rule)));
    let total = levels.iter().sum();
    FindingFigures {
        total,
        error: levels[Level::Error as usize],
        warning: levels[Level::Warning as usize],
        info: levels[Level::Info as usize],
        per_1000_words: per_1000(total, words),
        by_rule,
        by_owner: sorted_counts(by_owner),
    }
}

pub fn suppressions(inputs: &Inputs) -> SuppressionFigures {
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for s in inputs.facts.iter().flat_map(|f| &f.suppressed) {
        total += 1;
        *by_rule.entry(s.finding.rule.clone()).or_default() += 1;
        let reason = s
            .reason
            .clone()
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "(no reason)".into());
        *by_reason.entry(reason).or_default() += 1;
    }
    SuppressionFigures {
        total,
        by_rule: sorted_counts(by_rule),
        by_reason: sorted_counts(by_reason),
    }
}

pub fn top_files(inputs: &Inputs) -> Vec<FileRow> {
    let mut rows: Vec<FileRow> = inputs
        .facts
        .iter()
        .filter(|f| !f.findings.is_empty())
        .map(|facts| file_row(inputs, facts))
        .collect();
    rows.sort_by(|a, b| (b.findings, b.error, &a.path).cmp(&(a.findings, a.error, &b.path)));
    rows.truncate(TOP);
    rows
}

/// The pages with the highest Flesch–Kincaid grade (pages without prose
/// have none and are left out).
pub fn hardest_files(inputs: &Inputs) -> Vec<FileRow> {
    let mut graded: Vec<(f64, &FileFacts)> = inputs
        .facts
        .iter()
        .filter_map(|facts| Some((grade(&facts.prose)?, facts)))
        .collect();
    graded.sort_by(|(ga, a), (gb, b)| gb.total_cmp(ga).then_with(|| a.path.cmp(&b.path)));
    graded
        .into_iter()
        .take(TOP)
        .map(|(_, facts)| file_row(inputs, facts))
        .collect()
}

fn file_row(inputs: &Inputs, facts: &FileFacts) -> FileRow {
    let count = |level: Level| facts.findings.iter().filter(|f| f.level == level).count();
    FileRow {
        path: facts.path.clone(),
        findings: facts.findings.len(),
        error: count(Level::Error),
        warning: count(Level::Warning),
        info: count(Level::Info),
        words: facts.words,
        per_1000_words: per_1000(facts.findings.len(), facts.words),
        owners: inputs.codeowners.owners_of(&facts.path).owners,
        spelling: facts.spelling,
        readability_grade: grade(&facts.prose),
    }
}

/// The content's spelling findings and the grade of all its prose.
pub fn content(inputs: &Inputs, words: usize) -> ContentFigures {
    let mut prose = Stats::default();
    for facts in inputs.facts {
        prose.add(&facts.prose);
    }
    ContentFigures {
        files: inputs.facts.len(),
        words,
        spelling: inputs.facts.iter().map(|f| f.spelling).sum(),
        readability_grade: grade(&prose),
    }
}

/// The Flesch–Kincaid grade level of counted prose, to two decimals: the
/// U.S. school year a reader needs (`0.39 × words per sentence + 11.8 ×
/// syllables per word − 15.59`), Vale's `Readability.FleschKincaid`
/// formula and counting. `None` without a word or a sentence.
pub fn grade(prose: &Stats) -> Option<f64> {
    if prose.words == 0.0 || prose.sentences == 0.0 {
        return None;
    }
    let g = 0.39 * (prose.words / prose.sentences) + 11.8 * (prose.syllables / prose.words) - 15.59;
    Some((g * 100.0).round() / 100.0)
}

/// Counts as rows, largest first, then by name.
fn sorted_counts(map: BTreeMap<String, usize>) -> Vec<Count> {
    let mut rows: Vec<Count> = map
        .into_iter()
        .map(|(name, count)| Count { name, count })
        .collect();
    rows.sort_by(|a, b| (b.count, &a.name).cmp(&(a.count, &b.name)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Span};
    use crate::ownership::Dialect;

    fn finding(path: &str, rule: &str, level: Level) -> Finding {
        Finding {
            path: path.into(),
            rule: rule.into(),
            level,
            message: String::new(),
            found: String::new(),
            span: Span::default(),
            fix: None,
            suggestions: Vec::new(),
        }
    }

    fn page(path: &str, words: usize, findings: Vec<Finding>) -> FileFacts {
        FileFacts {
            path: path.into(),
            words,
            findings,
            ..FileFacts::default()
        }
    }

    #[test]
    fn empty_data_shows_no_share_or_rate() {
        assert_eq!(share(100.0, 0), "—");
        assert_eq!(share(66.66, 3), "66.7%");
        assert_eq!(rate(0.0, 0), "—");
        assert_eq!(rate(2.5, 400), "2.5");
        assert!(is_team("@acme/legal") && !is_team("@alice") && !is_team("a@b.example"));
    }

    #[test]
    fn ownership_findings_and_freshness_add_up() {
        let (codeowners, _) = CodeOwners::parse(
            "/a/ @team-a\n/b/ @team-b\n/b/x.md @team-b @lead\n",
            Dialect::Github,
        );
        let mut reviewed = page(
            "a/1.md",
            500,
            vec![finding("a/1.md", "r/one", Level::Error)],
        );
        reviewed.dates.reviewed = Some(1000);
        reviewed.dates.expires = Some(1999);
        let facts = vec![
            reviewed,
            page(
                "b/x.md",
                1000,
                vec![
                    finding("b/x.md", "r/two", Level::Warning),
                    finding("b/x.md", "r/two", Level::Warning),
                ],
            ),
            page("c.md", 500, vec![finding("c.md", "r/one", Level::Error)]),
        ];
        let last_changed = HashMap::from([("b/x.md".to_string(), 1990)]);
        let dates = crate::config::Dates::default();
        let inputs = Inputs {
            facts: &facts,
            codeowners: &codeowners,
            dates: &dates,
            today: 2000,
            last_changed: &last_changed,
        };
        let o = ownership(&inputs);
        assert_eq!((o.owned, o.unowned, o.coverage_percent), (2, 1, 66.7));
        let owners: Vec<(&str, usize, usize, usize)> = o
            .by_owner
            .iter()
            .map(|r| (r.owner.as_str(), r.files, r.findings, r.stale))
            .collect();
        assert_eq!(
            owners,
            [
                ("@lead", 1, 2, 0),
                ("@team-a", 1, 1, 1),
                ("@team-b", 1, 2, 0),
                (UNOWNED, 1, 1, 0)
            ]
        );
        let f = findings(&inputs, 2000);
        assert_eq!(
            (f.total, f.error, f.warning, f.per_1000_words),
            (4, 2, 2, 2.0)
        );
        assert_eq!(f.by_rule[0].rule, "r/one");
        let by_owner: Vec<(&str, usize)> = f
            .by_owner
            .iter()
            .map(|c| (c.name.as_str(), c.count))
            .collect();
        assert_eq!(
            by_owner,
            [("@lead", 2), ("@team-b", 2), (UNOWNED, 1), ("@team-a", 1)]
        );
        let fresh = freshness(&inputs);
        assert_eq!((fresh.stale, fresh.expired, fresh.undated), (1, 1, 1));
        assert_eq!(fresh.by_age[0].files, 1); // b/x.md, 10 days
        assert_eq!(fresh.by_age[4].files, 1); // a/1.md, 1000 days
        assert_eq!(fresh.oldest[0].path, "a/1.md");
        assert_eq!(fresh.oldest[0].source, "front-matter");
        let top = top_files(&inputs);
        assert_eq!(top[0].path, "b/x.md");
        assert_eq!(top[0].per_1000_words, 2.0);
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One decimal, always shown (`7.0`).
pub fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// A percentage to one decimal, or `—` when there is nothing to take a
/// share of (no pages are not "100% owned").
pub fn share(percent: f64, whole: usize) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{}%", one_decimal(percent))
    }
}

/// Findings per 1,000 words, or `—` when there are no words to count by.
pub fn rate(per_1000_words: f64, words: usize) -> String {
    if words == 0 {
        "—".to_string()
    } else {
        one_decimal(per_1000_words)
    }
}

/// Is a CODEOWNERS owner a team (`@org/team`), rather than a person
/// (`@user`, an email)?
pub fn is_team(owner: &str) -> bool {
    owner.starts_with('@') && owner.contains('/')
}

/// What the trend says beside a point whose policy changed.
pub const POLICY_CHANGED: &str = "policy changed";

/// `1 page`, `2 pages`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn empty_data_shows_no_share_or_rate() {
        assert_eq!(share(100.0, 0), "—");
        assert_eq!(share(66.66, 3), "66.7%");
        assert_eq!(rate(0.0, 0), "—");
        assert_eq!(rate(2.5, 400), "2.5");
        assert!(is_team("@acme/legal") && !is_team("@alice") && !is_team("a@b.example"));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(one_decimal(7.0), "7.0");
        assert_eq!(plural(1, "page", "pages"), "1 page");
        assert_eq!(plural(2, "page", "pages"), "2 pages");
    }
}
