//! `imprimatur report`: a governance scorecard of the content set — how much
//! there is, who owns it, how fresh it is, where findings concentrate, what
//! is suppressed, and how findings, ownership and approvals moved over the
//! weeks of `--since`.
//!
//! The figures come from the same pieces `check` and `gate` use: the policy
//! loader (config, packs, CODEOWNERS, from disk or a commit's tree), the
//! engine, ownership, the last-change dates of `dates` rules and the trailer
//! parser. `figures` holds the model; `html`, `markdown` and `json` render it.

mod approvals;
mod charts;
mod figures;
mod html;
mod json;
mod markdown;
mod policy;
mod scan;
mod table;
mod trend;

use std::collections::HashMap;

use serde::Serialize;

pub use approvals::{ApprovalFigures, PolicyApprovals};
pub use figures::Scorecard;
pub use scan::{count_words, FileFacts};
pub use trend::TrendPoint;

use crate::error::Result;
use crate::source::git::{self, git_error};
use crate::source::policy_files::{DiskFiles, TreeFiles};
use crate::source::{ContentFile, ContentSet};
use crate::workspace::Workspace;

/// What `--since`, `--rev` and `--today` ask for.
pub struct Options {
    pub rev: Option<String>,
    pub today: i64,
    pub since_days: u32,
}

/// The history part of the scorecard.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryFigures {
    pub since_days: u32,
    pub from: String,
    pub to: String,
    /// A shallow clone: history, last-change dates and approvals stop where
    /// the clone does.
    pub shallow: bool,
    /// Oldest first.
    pub points: Vec<TrendPoint>,
    pub approvals: ApprovalFigures,
}

/// `90d`, `12w`, `30 days`, `2 weeks`: a duration as a number of days (at least 1).
pub fn parse_duration_days(text: &str) -> std::result::Result<u32, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor = match unit.trim() {
        "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        _ => 0,
    };
    match number.parse::<u32>() {
        Ok(n) if n > 0 && factor > 0 => n
            .checked_mul(factor)
            .ok_or_else(|| format!("`{text}` is too long a duration")),
        _ => Err(format!(
            "`{text}` is not a duration: use a number of days or weeks, e.g. 90d or 12w"
        )),
    }
}

/// The content, policy and environment of the revision reported on.
struct Current {
    policy: std::rc::Rc<crate::gate::Policy>,
    /// The policy's number in the cache (shared with the weekly points).
    policy_id: usize,
    files: Vec<ContentFile>,
    project_files: crate::environment::ProjectFiles,
    /// The commit the content is (or, for the working tree, HEAD).
    commit: Option<git2::Oid>,
    /// Where blobs are read from.
    repo_path: Option<std::path::PathBuf>,
}

/// A built report: the scorecard, and the load warnings of the policies it
/// was judged by (CODEOWNERS lines they could not use) for the face to show.
pub struct Built {
    pub card: Scorecard,
    pub warnings: Vec<String>,
}

/// Computes every figure.
pub fn build(ws: &Workspace, options: &Options) -> Result<Built> {
    crate::source::git::trust_stored_objects();
    let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
    let prefix = crate::source::relative(&repo_root, &ws.root);
    // The config's name relative to the project root (its directory), when
    // a search there would not find it first. Found by search, a commit
    // without it is judged by the defaults, as `check` would have judged it.
    let searched = crate::config::CONFIG_NAMES
        .iter()
        .find(|name| ws.root.join(name).is_file());
    let explicit_config = ws
        .config
        .path
        .as_ref()
        .map(|p| crate::source::relative(&ws.root, p))
        .filter(|rel| searched != Some(&rel.as_str()));
    let mut policies = policy::PolicyCache::default();
    let current = current(
        ws,
        options,
        &prefix,
        explicit_config.as_deref(),
        &mut policies,
    )?;
    let policy = std::rc::Rc::clone(&current.policy);
    let rels: Vec<String> = current.files.iter().map(|f| f.rel.clone()).collect();
    let last_changed = match (&ws.repo, current.commit) {
        (Some(repo), Some(commit)) => {
            crate::environment::last_changed_for(repo, commit, &prefix, &rels)
        }
        _ => HashMap::new(),
    };
    let env =
        crate::environment::Environment::new(options.today, current.project_files, last_changed);
    let checker = crate::engine::Checker {
        rules: &policy.rules,
        config: &policy.config,
        env: &env,
    };
    let has_history = ws.repo.is_some() && current.commit.is_some();
    let mut facts = scan::scan(
        &checker,
        &current.files,
        current.repo_path.as_deref(),
        &policy.codeowners,
        has_history,
    );
    facts.sort_by(|a, b| a.path.cmp(&b.path));
    let inputs = figures::Inputs {
        facts: &facts,
        codeowners: &policy.codeowners,
        dates: &policy.config.dates,
        today: options.today,
        last_changed: &env.last_changed,
    };
    let words = facts.iter().map(|f| f.words).sum();
    let history = match (&ws.repo, current.commit) {
        (Some(repo), Some(head)) => {
            let source = trend::Source {
                repo,
                repo_root: &repo_root,
                prefix: &prefix,
                explicit_config: explicit_config.as_deref(),
            };
            let mut trend = trend::Trend::new(source, &mut policies);
            // The newest point is usually this revision: files unchanged
            // since its commit are not checked twice.
            trend.seed(current.policy_id, &env, &facts);
            Some(history(trend, head, &policy, options)?)
        }
        _ => None,
    };
    let card = Scorecard {
        version: 1,
        generated: figures::Generated {
            today: crate::calendar::format_days(options.today),
            source: options
                .rev
                .clone()
                .unwrap_or_else(|| "working tree".to_string()),
            commit: current.commit.map(|c| c.to_string()),
        },
        content: figures::content(&inputs, words),
        ownership: figures::ownership(&inputs),
        freshness: figures::freshness(&inputs),
        findings: figures::findings(&inputs, words),
        suppressions: figures::suppressions(&inputs),
        top_files: figures::top_files(&inputs),
        hardest_files: figures::hardest_files(&inputs),
        history,
    };
    Ok(Built {
        card,
        warnings: policies.warnings(),
    })
}

/// The working tree with its policy on disk, or `--rev`'s tree with its own.
fn current(
    ws: &Workspace,
    options: &Options,
    prefix: &str,
    explicit_config: Option<&str>,
    policies: &mut policy::PolicyCache,
) -> Result<Current> {
    let Some(rev) = &options.rev else {
        let loaded = policies.load(
            &DiskFiles {
                base: ws.root.clone(),
            },
            explicit_config,
        )?;
        let set = ContentSet::new(&loaded.policy.config.content)?;
        let files = crate::source::discover(&ws.root, &set, &[], &ws.cwd)?;
        let commit = ws
            .repo
            .as_ref()
            .and_then(|r| r.head().ok())
            .and_then(|h| h.target());
        return Ok(Current {
            policy: loaded.policy,
            policy_id: loaded.id,
            files,
            project_files: crate::environment::ProjectFiles::Disk(ws.root.clone()),
            commit,
            repo_path: None,
        });
    };
    let Some(repo) = &ws.repo else {
        return Err(crate::error::plain("--rev needs a git repository"));
    };
    let commit = git::resolve_commit(repo, rev)?;
    let tree = commit.tree().map_err(git_error)?;
    let files = TreeFiles {
        repo,
        tree: tree.clone(),
        prefix: prefix.to_string(),
        label: crate::gate::policy::short(commit.id()),
    };
    let loaded = policies.load(&files, explicit_config)?;
    let set = ContentSet::new(&loaded.policy.config.content)?;
    let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
    let content =
        crate::source::content::tree_content(repo, commit.id(), prefix, &set, &repo_root)?;
    Ok(Current {
        policy: loaded.policy,
        policy_id: loaded.id,
        files: content,
        project_files: crate::environment::git_files(
            repo.path(),
            git::tree_files(repo, &tree),
            prefix,
        ),
        commit: Some(commit.id()),
        repo_path: Some(repo.path().to_path_buf()),
    })
}

/// Weekly points and recorded approvals over `--since`, ending at `head`.
fn history(
    mut trend: trend::Trend,
    head: git2::Oid,
    policy: &crate::gate::Policy,
    options: &Options,
) -> Result<HistoryFigures> {
    let repo = trend.repo();
    let from_day = options.today - i64::from(options.since_days);
    let days = trend::point_days(options.today, options.since_days);
    // The oldest point counts the approvals of the week ending on it.
    let first_week = days.first().map_or(from_day, |d| d - 6).min(from_day);
    let (commit_days, records) = approvals::recorded(
        repo,
        head,
        trend.prefix(),
        policy,
        (first_week, options.today),
    )?;
    let commits = trend::commits_at(repo, head, &days)?;
    let mut points = Vec::new();
    // Newest first: the newest point starts from the report's own scan, and
    // each older one from the point after it.
    for day in days.iter().rev() {
        let Some(commit) = commits.get(day) else {
            continue;
        };
        let mut point = trend.point(*day, *commit)?;
        point.approvals = records
            .iter()
            .filter(|r| r.day > day - 7 && r.day <= *day)
            .count();
        points.push(point);
    }
    points.reverse();
    trend::mark_policy_changes(&mut points);
    Ok(HistoryFigures {
        since_days: options.since_days,
        from: crate::calendar::format_days(from_day),
        to: crate::calendar::format_days(options.today),
        shallow: repo.is_shallow(),
        points,
        approvals: approvals::figures(&commit_days, &records, from_day),
    })
}

/// The report as text in `format`; `link_base` is prepended to page paths
/// in links (the way from the report's directory to the project root).
/// The scorecard's formats (`report --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Json,
    Html,
}

pub fn render(card: &Scorecard, format: ReportFormat, link_base: &str) -> String {
    match format {
        ReportFormat::Html => html::render(card, link_base),
        ReportFormat::Markdown => markdown::render(card),
        ReportFormat::Json => json::render(card),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_days_or_weeks() {
        assert_eq!(parse_duration_days("90d"), Ok(90));
        assert_eq!(parse_duration_days("12w"), Ok(84));
        assert_eq!(parse_duration_days("30 days"), Ok(30));
        assert_eq!(parse_duration_days("1 week"), Ok(7));
        for bad in ["", "d", "0d", "12", "3m", "-1d", "1.5w", "99999999999d"] {
            assert!(parse_duration_days(bad).is_err(), "{bad}");
        }
    }
}
