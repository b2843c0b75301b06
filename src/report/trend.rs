//! The trend: findings and ownership coverage at weekly points, each
//! computed on the tree of the commit that was current on that day, with
//! that tree's own config, packs and CODEOWNERS (what `imprimatur check
//! --rev COMMIT --today DAY` would have said with that policy).
//!
//! Nothing is checked out or replayed: blobs are read from each tree. A
//! file's result is kept under the policy, its blob and its path, with the
//! questions its rules asked beyond the page (which files its links name
//! exist, the blobs whose anchors it read, how its dates compare with the
//! day) and the answers: at another point, the same answers mean the same
//! result, so a page unchanged between two points is checked once.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{Oid, Repository};
use rayon::prelude::*;
use serde::Serialize;

use super::figures::percent;
use super::policy::PolicyCache;
use super::scan::{FileFacts, Question};
use crate::engine::{Checker, UNOWNED_RULE};
use crate::environment::{Environment, ProjectFiles};
use crate::error::Result;
use crate::finding::Level;
use crate::gate::Policy;
use crate::rules::links::Lookup;
use crate::rules::Kind;
use crate::source::git::{self, git_error};
use crate::source::policy_files::TreeFiles;
use crate::source::{ContentFile, ContentSet};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrendPoint {
    pub date: String,
    /// The commit current on that day (the newest first-parent ancestor of
    /// the report's commit with a committer date on or before it).
    pub commit: String,
    pub files: usize,
    pub words: usize,
    pub owned: usize,
    pub unowned: usize,
    pub coverage_percent: f64,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub suppressed: usize,
    /// Approvals recorded in the seven days ending on `date`.
    pub approvals: usize,
    /// Why this point has no figures (its policy could not be loaded).
    pub problem: Option<String>,
    /// The policy (config, packs, CODEOWNERS) differs from the previous
    /// point's: figures may move without any content changing.
    pub policy_changed: bool,
    /// Which loaded policy the point was computed with.
    #[serde(skip)]
    pub policy_id: Option<usize>,
}

/// Marks each point whose policy differs from the one before it (points
/// oldest first; a point without a readable policy differs from any).
pub fn mark_policy_changes(points: &mut [TrendPoint]) {
    for i in 1..points.len() {
        points[i].policy_changed = points[i].policy_id != points[i - 1].policy_id;
    }
}

/// Where the history is read from.
pub struct Source<'a> {
    pub repo: &'a Repository,
    /// The repository's work tree (or its directory), for content file paths.
    pub repo_root: &'a Path,
    /// The project root relative to the repository root (`""` at the root).
    pub prefix: &'a str,
    /// The config's path relative to the project root, when it is not one
    /// of the names searched for.
    pub explicit_config: Option<&'a str>,
}

/// The days of the weekly points: `today`, a week before, … back to
/// `today - since_days`, oldest first.
pub fn point_days(today: i64, since_days: u32) -> Vec<i64> {
    let start = today - i64::from(since_days);
    let mut days: Vec<i64> = (0..)
        .map(|k| today - 7 * k)
        .take_while(|d| *d >= start)
        .collect();
    days.reverse();
    days
}

/// For each day, the newest commit on `head`'s first-parent chain whose
/// committer date is on or before that day (`git rev-list -1 --first-parent
/// --before`); days before the first commit are left out.
pub fn commits_at(repo: &Repository, head: Oid, days: &[i64]) -> Result<BTreeMap<i64, Oid>> {
    let mut found = BTreeMap::new();
    let mut commit = Some(repo.find_commit(head).map_err(git_error)?);
    while let Some(c) = commit {
        let time = c.time().seconds();
        for day in days {
            if !found.contains_key(day) && time < (day + 1) * 86_400 {
                found.insert(*day, c.id());
            }
        }
        if found.len() == days.len() {
            break;
        }
        // A shallow clone ends where its history does.
        commit = c.parent(0).ok();
    }
    Ok(found)
}

#[derive(Debug, Clone, Copy, Default)]
struct FileCounts {
    words: usize,
    /// Findings by level: info, warning, error.
    levels: [usize; 3],
    suppressed: usize,
}

/// One result of a file: the questions its check asked, the answers it got,
/// and the counts. It holds wherever the same questions get the same answers.
#[derive(Debug, Clone)]
struct Variant {
    path: String,
    questions: Vec<Question>,
    answers: Vec<Answer>,
    counts: FileCounts,
}

/// A result as a point holds it: the counts and what they depend on.
#[derive(Debug, Clone)]
struct Held {
    counts: FileCounts,
    questions: Vec<Question>,
    answers: Vec<Answer>,
}

/// The content files of the last point computed, with their results: the
/// next point with the same policy starts from it and changes only what the
/// trees' difference names.
struct Listing {
    /// The project's tree.
    tree: Option<Oid>,
    policy: usize,
    files: BTreeMap<String, Listed>,
}

struct Listed {
    blob: Oid,
    owned: bool,
    /// `None` until this point gives it one.
    result: Option<Held>,
}

impl Listed {
    fn new(blob: Oid, owned: bool) -> Listed {
        Listed {
            blob,
            owned,
            result: None,
        }
    }
}

/// An answer the environment gave to a [`Question`].
#[derive(Debug, Clone, PartialEq)]
enum Answer {
    Exists(Option<bool>),
    /// The blob of a file whose anchors were read (anchors are a function of it).
    Blob(Option<Oid>),
    Verdicts([bool; 3]),
    /// Not known (anchors read from disk): never the same as another answer.
    Unknown,
}

fn same(a: &[Answer], b: &[Answer]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| *x != Answer::Unknown && x == y)
}

/// What `env` answers to `question` for the page at `path`.
fn answer(question: &Question, env: &Environment, path: &str) -> Answer {
    match question {
        Question::Link(Lookup::Exists(target)) => Answer::Exists(env.files.exists(target)),
        Question::Link(Lookup::Anchors(target)) => match &env.files {
            ProjectFiles::Git { blobs, .. } => Answer::Blob(blobs.get(target).copied()),
            _ => Answer::Unknown,
        },
        Question::Day(inputs) => {
            Answer::Verdicts(inputs.verdicts(env.today, env.last_changed.get(path).copied()))
        }
    }
}

fn answers(questions: &[Question], env: &Environment, path: &str) -> Vec<Answer> {
    questions.iter().map(|q| answer(q, env, path)).collect()
}

/// Computes the weekly points, sharing policies and per-file results.
pub struct Trend<'a> {
    source: Source<'a>,
    policies: &'a mut PolicyCache,
    /// Results by (policy, blob); a blob at several paths has a variant each.
    results: HashMap<(usize, Oid), Vec<Variant>>,
    /// The last point's files.
    last: Option<Listing>,
}

impl<'a> Trend<'a> {
    pub fn new(source: Source<'a>, policies: &'a mut PolicyCache) -> Trend<'a> {
        Trend {
            source,
            policies,
            results: HashMap::new(),
            last: None,
        }
    }

    pub fn repo(&self) -> &'a Repository {
        self.source.repo
    }

    pub fn prefix(&self) -> &'a str {
        self.source.prefix
    }

    /// Takes the results of files already checked (the report's own
    /// revision) under the policy `policy_id` and the environment `env`
    /// they were checked in.
    pub fn seed(&mut self, policy_id: usize, env: &Environment, facts: &[FileFacts]) {
        for f in facts {
            let Some(blob) = f.blob else { continue };
            let mut counts = FileCounts {
                words: f.words,
                suppressed: f.suppressed.len(),
                ..FileCounts::default()
            };
            // A point adds `imprimatur/unowned` itself.
            for finding in f.findings.iter().filter(|x| x.rule != UNOWNED_RULE) {
                counts.levels[finding.level as usize] += 1;
            }
            self.results
                .entry((policy_id, blob))
                .or_default()
                .push(Variant {
                    path: f.path.clone(),
                    answers: answers(&f.questions, env, &f.path),
                    questions: f.questions.clone(),
                    counts,
                });
        }
    }

    /// A known result of `path` with content `blob` that holds in `env`.
    fn known(&self, policy_id: usize, path: &str, blob: Oid, env: &Environment) -> Option<Held> {
        self.results
            .get(&(policy_id, blob))?
            .iter()
            .filter(|v| v.path == path)
            .find_map(|v| {
                let now = answers(&v.questions, env, path);
                same(&v.answers, &now).then(|| Held {
                    counts: v.counts,
                    questions: v.questions.clone(),
                    answers: now,
                })
            })
    }

    /// The point of `day`, computed on `commit`'s tree.
    pub fn point(&mut self, day: i64, commit: Oid) -> Result<TrendPoint> {
        let repo = self.source.repo;
        let tree = repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(git_error)?;
        let mut point = TrendPoint {
            date: crate::calendar::format_days(day),
            commit: crate::gate::policy::short(commit),
            files: 0,
            words: 0,
            owned: 0,
            unowned: 0,
            coverage_percent: 0.0,
            findings: 0,
            error: 0,
            warning: 0,
            info: 0,
            suppressed: 0,
            approvals: 0,
            problem: None,
            policy_changed: false,
            policy_id: None,
        };
        let files = TreeFiles {
            repo,
            tree: tree.clone(),
            prefix: self.source.prefix.to_string(),
            label: crate::gate::policy::short(commit),
        };
        let loaded = match self.policies.load(&files, self.source.explicit_config) {
            Ok(loaded) => loaded,
            Err(report) => {
                point.problem = Some(located(&report));
                return Ok(point);
            }
        };
        point.policy_id = Some(loaded.id);
        let policy: &Policy = &loaded.policy;
        let set = match ContentSet::new(&policy.config.content) {
            Ok(set) => set,
            Err(report) => {
                point.problem = Some(located(&report));
                return Ok(point);
            }
        };
        let project = project_tree(repo, &tree, self.source.prefix)?;
        let mut listing = match self.last.take().filter(|l| l.policy == loaded.id) {
            Some(previous) => self.patched(previous, project.as_ref(), &set, policy)?,
            None => self.listed(loaded.id, project.as_ref(), &set, policy)?,
        };
        let env = self.environment(policy, &tree, commit, day, &listing);
        self.fill(&mut listing, policy, &env);
        for file in listing.files.values() {
            let counts = file.result.as_ref().expect("filled").counts;
            point.files += 1;
            point.words += counts.words;
            point.owned += usize::from(file.owned);
            point.info += counts.levels[Level::Info as usize];
            point.warning += counts.levels[Level::Warning as usize];
            point.error += counts.levels[Level::Error as usize];
            // `check` adds `imprimatur/unowned` with `owners.required`.
            point.error += usize::from(policy.config.owners.required && !file.owned);
            point.suppressed += counts.suppressed;
        }
        point.unowned = point.files - point.owned;
        point.coverage_percent = percent(point.owned, point.files);
        point.findings = point.error + point.warning + point.info;
        self.last = Some(listing);
        Ok(point)
    }

    /// Every content file of the project tree.
    fn listed(
        &self,
        policy_id: usize,
        project: Option<&git2::Tree>,
        set: &ContentSet,
        policy: &Policy,
    ) -> Result<Listing> {
        let files = match project {
            Some(tree) => git::tree_files(self.source.repo, tree),
            None => Vec::new(),
        };
        let files = files
            .into_iter()
            .filter(|(rel, _)| set.is_content(rel))
            .map(|(rel, blob)| {
                let file = Listed::new(blob, policy.codeowners.owners_of(&rel).is_owned());
                (rel, file)
            })
            .collect();
        Ok(Listing {
            tree: project.map(|t| t.id()),
            policy: policy_id,
            files,
        })
    }

    /// The previous point's files, changed where the trees differ (same
    /// policy, so the same content set and owners).
    fn patched(
        &self,
        mut previous: Listing,
        project: Option<&git2::Tree>,
        set: &ContentSet,
        policy: &Policy,
    ) -> Result<Listing> {
        let repo = self.source.repo;
        if previous.tree == project.map(|t| t.id()) {
            return Ok(previous);
        }
        let old = previous
            .tree
            .map(|id| repo.find_tree(id))
            .transpose()
            .map_err(git_error)?;
        for (rel, blob) in git::changed_files(repo, old.as_ref(), project)? {
            match blob.filter(|_| set.is_content(&rel)) {
                Some(blob) => {
                    let owned = policy.codeowners.owners_of(&rel).is_owned();
                    previous.files.insert(rel, Listed::new(blob, owned));
                }
                None => {
                    previous.files.remove(&rel);
                }
            }
        }
        previous.tree = project.map(|t| t.id());
        Ok(previous)
    }

    /// Gives every file of `listing` a result that holds at this point: kept
    /// when its questions get the same answers, else known, else checked.
    fn fill(&mut self, listing: &mut Listing, policy: &Policy, env: &Environment) {
        let mut missing = Vec::new();
        for (rel, file) in listing.files.iter_mut() {
            let holds = file.result.as_ref().is_some_and(|r| {
                r.questions.is_empty() || same(&r.answers, &answers(&r.questions, env, rel))
            });
            if holds {
                continue;
            }
            file.result = self.known(listing.policy, rel, file.blob, env);
            if file.result.is_none() {
                missing.push(ContentFile {
                    rel: rel.clone(),
                    abs: self
                        .source
                        .repo_root
                        .join(git::join_prefix(self.source.prefix, rel)),
                    outside_link: false,
                    blob: Some(file.blob),
                });
            }
        }
        for variant in self.compute(policy, env, &missing) {
            let file = listing.files.get_mut(&variant.path).expect("listed");
            file.result = Some(Held {
                counts: variant.counts,
                questions: variant.questions.clone(),
                answers: variant.answers.clone(),
            });
            self.results
                .entry((listing.policy, file.blob))
                .or_default()
                .push(variant);
        }
    }

    /// What the rules may ask at this point: the day, and (only when a rule
    /// needs them) the project's files and when each page last changed.
    fn environment(
        &self,
        policy: &Policy,
        tree: &git2::Tree,
        commit: Oid,
        day: i64,
        listing: &Listing,
    ) -> crate::environment::Environment {
        let repo = self.source.repo;
        let has = |f: fn(&Kind) -> bool| policy.rules.rules.iter().any(|r| f(&r.kind));
        // Only links to other files read the tree's listing (alt text and
        // reference definitions do not).
        let files = if has(|k| matches!(k, Kind::Links(l) if l.relative || l.anchors)) {
            crate::environment::git_files(
                repo.path(),
                git::tree_files(repo, tree),
                self.source.prefix,
            )
        } else {
            crate::environment::ProjectFiles::Unknown
        };
        let last_changed = if policy.rules.has_dates_rules() {
            let rels: Vec<String> = listing.files.keys().cloned().collect();
            crate::environment::last_changed_for(repo, commit, self.source.prefix, &rels)
        } else {
            HashMap::new()
        };
        crate::environment::Environment::new(day, files, last_changed)
    }

    /// Checks `files` in parallel.
    fn compute(&self, policy: &Policy, env: &Environment, files: &[ContentFile]) -> Vec<Variant> {
        if files.is_empty() {
            return Vec::new();
        }
        let checker = Checker {
            rules: &policy.rules,
            config: &policy.config,
            env,
        };
        let repo_path = self.source.repo.path();
        files
            .par_iter()
            .map_init(
                // git2 repositories are not shared across threads: each worker opens its own.
                || git2::Repository::open(repo_path).ok(),
                |repo, file| {
                    let facts = super::scan::facts_of(&checker, file, repo.as_ref(), false);
                    let mut counts = FileCounts {
                        words: facts.words,
                        suppressed: facts.suppressed.len(),
                        ..FileCounts::default()
                    };
                    for f in &facts.findings {
                        counts.levels[f.level as usize] += 1;
                    }
                    Variant {
                        answers: answers(&facts.questions, env, &file.rel),
                        path: facts.path,
                        questions: facts.questions,
                        counts,
                    }
                },
            )
            .collect()
    }
}

/// The project's tree in a commit's tree (`None` when the commit has no
/// such directory).
fn project_tree<'r>(
    repo: &'r Repository,
    tree: &git2::Tree<'r>,
    prefix: &str,
) -> Result<Option<git2::Tree<'r>>> {
    if prefix.is_empty() {
        return Ok(Some(tree.clone()));
    }
    match tree.get_path(Path::new(prefix)) {
        Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => {
            repo.find_tree(entry.id()).map(Some).map_err(git_error)
        }
        _ => Ok(None),
    }
}

/// An error on one line: `file:line:column: message` when it points into a file.
fn located(report: &miette::Report) -> String {
    let place = report
        .source_code()
        .zip(report.labels().and_then(|mut labels| labels.next()))
        .and_then(|(source, label)| {
            let contents = source.read_span(label.inner(), 0, 0).ok()?;
            Some(format!(
                "{}:{}:{}: ",
                contents.name()?,
                contents.line() + 1,
                contents.column() + 1
            ))
        });
    format!("{}{report}", place.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_days_end_today_and_stay_in_the_window() {
        assert_eq!(point_days(100, 14), vec![86, 93, 100]);
        assert_eq!(point_days(100, 13), vec![93, 100]);
        assert_eq!(point_days(100, 0), vec![100]);
        assert_eq!(point_days(1000, 90).len(), 13);
    }
}
