//! The trend: findings and ownership coverage at weekly points, each
//! computed on the tree of the commit that was current on that day, with
//! that tree's own config, packs and CODEOWNERS (what `imprimatur check
//! --rev COMMIT --today DAY` would have said with that policy).
//!
//! Nothing is checked out or replayed: blobs are read from each tree. A
//! file's result is kept under everything it depends on — the policy, its
//! path and blob, and, only where a `dates` rule applies, the day and its
//! last change, and, only where a `links` rule applies, the project's tree —
//! so a page unchanged between two points is checked once.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{Oid, Repository};
use rayon::prelude::*;
use serde::Serialize;

use super::figures::percent;
use super::policy::PolicyCache;
use crate::engine::{Checker, UNOWNED_RULE};
use crate::error::Result;
use crate::finding::Level;
use crate::gate::Policy;
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

/// What a file's result depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FileKey {
    policy: usize,
    path: String,
    blob: Oid,
    /// The day and the last change, when a `dates` rule applies.
    dated: Option<(i64, Option<i64>)>,
    /// The project's tree, when a `links` rule applies.
    linked: Option<Oid>,
}

#[derive(Debug, Clone, Copy, Default)]
struct FileCounts {
    words: usize,
    /// Findings by level: info, warning, error.
    levels: [usize; 3],
    suppressed: usize,
}

/// Computes the weekly points, sharing policies and per-file results.
pub struct Trend<'a> {
    source: Source<'a>,
    policies: &'a mut PolicyCache,
    results: HashMap<FileKey, FileCounts>,
}

impl<'a> Trend<'a> {
    pub fn new(source: Source<'a>, policies: &'a mut PolicyCache) -> Trend<'a> {
        Trend {
            source,
            policies,
            results: HashMap::new(),
        }
    }

    pub fn repo(&self) -> &'a Repository {
        self.source.repo
    }

    pub fn prefix(&self) -> &'a str {
        self.source.prefix
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
        let policy: &Policy = &loaded.policy;
        let set = match ContentSet::new(&policy.config.content) {
            Ok(set) => set,
            Err(report) => {
                point.problem = Some(located(&report));
                return Ok(point);
            }
        };
        let content = crate::commands::select::tree_content(
            repo,
            commit,
            self.source.prefix,
            &set,
            self.source.repo_root,
        )?;
        let env = self.environment(policy, &tree, commit, day, &content);
        let project_tree = project_tree(&tree, self.source.prefix);
        let keys: Vec<FileKey> = content
            .iter()
            .map(|file| {
                let blob = file.blob.expect("tree content has blobs");
                key(loaded.id, policy, &env, Some(project_tree), &file.rel, blob)
                    .expect("a tree is known")
            })
            .collect();
        self.compute_missing(policy, &env, &content, &keys);
        for (file, key) in content.iter().zip(&keys) {
            let counts = self.results[key];
            let owned = policy.codeowners.owners_of(&file.rel).is_owned();
            point.files += 1;
            point.words += counts.words;
            point.owned += usize::from(owned);
            point.info += counts.levels[Level::Info as usize];
            point.warning += counts.levels[Level::Warning as usize];
            point.error += counts.levels[Level::Error as usize];
            // `check` adds `imprimatur/unowned` with `owners.required`.
            point.error += usize::from(policy.config.owners.required && !owned);
            point.suppressed += counts.suppressed;
        }
        point.unowned = point.files - point.owned;
        point.coverage_percent = percent(point.owned, point.files);
        point.findings = point.error + point.warning + point.info;
        Ok(point)
    }

    /// What the rules may ask at this point: the day, and (only when a rule
    /// needs them) the project's files and when each page last changed.
    fn environment(
        &self,
        policy: &Policy,
        tree: &git2::Tree,
        commit: Oid,
        day: i64,
        content: &[ContentFile],
    ) -> crate::environment::Environment {
        let repo = self.source.repo;
        let has = |f: fn(&Kind) -> bool| policy.rules.rules.iter().any(|r| f(&r.kind));
        let files = if has(|k| matches!(k, Kind::Links(_))) {
            crate::environment::git_files(
                repo.path(),
                git::tree_files(repo, tree),
                self.source.prefix,
            )
        } else {
            crate::environment::ProjectFiles::Unknown
        };
        let last_changed = if has(|k| matches!(k, Kind::Dates(_))) {
            let rels: Vec<String> = content.iter().map(|f| f.rel.clone()).collect();
            crate::environment::last_changed_for(repo, commit, self.source.prefix, &rels)
        } else {
            HashMap::new()
        };
        crate::environment::Environment::new(day, files, last_changed)
    }

    /// Takes the results of files already checked (the report's own
    /// revision), under the policy `policy_id`, the day and the last changes
    /// of `env`. Files a `links` rule reads are left out: what they link to
    /// was looked up on disk, not in a tree.
    pub fn seed(
        &mut self,
        policy_id: usize,
        policy: &Policy,
        env: &crate::environment::Environment,
        facts: &[super::scan::FileFacts],
    ) {
        for f in facts {
            let Some(key) = f
                .blob
                .and_then(|blob| key(policy_id, policy, env, None, &f.path, blob))
            else {
                continue;
            };
            let mut counts = FileCounts {
                words: f.words,
                suppressed: f.suppressed.len(),
                ..FileCounts::default()
            };
            // A point adds `imprimatur/unowned` itself.
            for finding in f.findings.iter().filter(|x| x.rule != UNOWNED_RULE) {
                counts.levels[finding.level as usize] += 1;
            }
            self.results.insert(key, counts);
        }
    }

    /// Checks, in parallel, the files whose results are not known yet.
    fn compute_missing(
        &mut self,
        policy: &Policy,
        env: &crate::environment::Environment,
        content: &[ContentFile],
        keys: &[FileKey],
    ) {
        let mut seen = std::collections::HashSet::new();
        let missing: Vec<(&ContentFile, &FileKey)> = content
            .iter()
            .zip(keys)
            .filter(|(_, key)| !self.results.contains_key(*key) && seen.insert(*key))
            .collect();
        if missing.is_empty() {
            return;
        }
        let checker = Checker {
            rules: &policy.rules,
            config: &policy.config,
            env,
        };
        let repo_path = self.source.repo.path();
        let computed: Vec<(FileKey, FileCounts)> = missing
            .par_iter()
            .map_init(
                || git2::Repository::open(repo_path).ok(),
                |repo, (file, key)| {
                    let facts = super::scan::facts_of(&checker, file, repo.as_ref(), false);
                    let mut counts = FileCounts {
                        words: facts.words,
                        suppressed: facts.suppressed.len(),
                        ..FileCounts::default()
                    };
                    for f in &facts.findings {
                        counts.levels[f.level as usize] += 1;
                    }
                    ((*key).clone(), counts)
                },
            )
            .collect();
        self.results.extend(computed);
    }
}

/// The tree of the project (the commit's tree below the prefix).
fn project_tree(tree: &git2::Tree, prefix: &str) -> Oid {
    if prefix.is_empty() {
        return tree.id();
    }
    tree.get_path(Path::new(prefix))
        .map_or(tree.id(), |e| e.id())
}

/// What the result of `path` with content `blob` depends on; `None` when a
/// `links` rule applies and no project tree is given.
fn key(
    policy_id: usize,
    policy: &Policy,
    env: &crate::environment::Environment,
    project_tree: Option<Oid>,
    path: &str,
    blob: Oid,
) -> Option<FileKey> {
    let applies = |f: fn(&Kind) -> bool| {
        policy
            .rules
            .rules
            .iter()
            .any(|r| f(&r.kind) && r.applies_to(path))
    };
    let dated = applies(|k| matches!(k, Kind::Dates(_)))
        .then(|| (env.today, env.last_changed.get(path).copied()));
    let linked = if applies(|k| matches!(k, Kind::Links(_))) {
        Some(project_tree?)
    } else {
        None
    };
    Some(FileKey {
        policy: policy_id,
        path: path.to_string(),
        blob,
        dated,
        linked,
    })
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
