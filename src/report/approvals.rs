//! Approvals recorded in history: the approval trailers (`approvals.trailers`)
//! of the commits in the window, who gave them, and which policies they
//! speak for — the policies that govern the files the commit changed, as the
//! gate decides them (`approvals.policies` by path, GitLab sections,
//! `governance` for policy files).
//!
//! These are the approvals people recorded, not a verdict: whether a
//! trailer is trusted (signed, authored by the approver) is `gate`'s call.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use git2::{Oid, Repository, Sort};
use serde::Serialize;

use super::figures::Count;
use crate::approvals::approvals_from_message;
use crate::error::Result;
use crate::gate::Policy;
use crate::source::git::{git_error, strip_prefix};
use crate::source::ContentSet;

/// The policy name of approvals in commits that changed nothing a policy governs.
pub const NO_POLICY: &str = "(no policy)";

/// One approval trailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub commit: Oid,
    /// Committer date, as a day number.
    pub day: i64,
    /// The person key, or the identity as written when it names nobody known.
    pub who: String,
    pub policies: BTreeSet<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApprovalFigures {
    /// Commits in the window.
    pub commits: usize,
    pub commits_with_approvals: usize,
    pub approvals: usize,
    pub by_policy: Vec<PolicyApprovals>,
    pub by_approver: Vec<Count>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyApprovals {
    pub policy: String,
    pub approvals: usize,
    pub approvers: Vec<Count>,
}

/// The committer days of the commits reachable from `head` dated from
/// `from_day` to `to_day`, and every approval trailer in them.
pub fn recorded(
    repo: &Repository,
    head: Oid,
    prefix: &str,
    policy: &Policy,
    (from_day, to_day): (i64, i64),
) -> Result<(Vec<i64>, Vec<Recorded>)> {
    let set = ContentSet::new(&policy.config.content)?;
    let mut walk = repo.revwalk().map_err(git_error)?;
    walk.set_sorting(Sort::TIME).map_err(git_error)?;
    walk.push(head).map_err(git_error)?;
    let mut commits = Vec::new();
    let mut out = Vec::new();
    let mainline = first_parents(repo, head, from_day)?;
    for oid in walk {
        let commit = repo
            .find_commit(oid.map_err(git_error)?)
            .map_err(git_error)?;
        let day = commit.time().seconds().div_euclid(86_400);
        if day > to_day {
            continue;
        }
        // Newest first by committer date, as `git log --since` reads it.
        if day < from_day {
            break;
        }
        commits.push(day);
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let approvals = approvals_from_message(&message, &policy.config.approvals.trailers);
        if approvals.is_empty() {
            continue;
        }
        let policies = policies_of(repo, &commit, prefix, policy, &set, &mainline)?;
        for approval in approvals {
            let identity = approval.email.or(approval.handle).unwrap_or(approval.raw);
            let who = policy
                .config
                .person_for_identity(&identity)
                .map_or(identity, str::to_string);
            out.push(Recorded {
                commit: commit.id(),
                day,
                who,
                policies: policies.clone(),
            });
        }
    }
    Ok((commits, out))
}

/// The policies that govern what `commit` changed (against its first
/// parent: for a merge, what the merge brought in). A commit that changed
/// nothing governed — the documented empty, signed approval commit — speaks
/// for the changes it approves: those since the last approval, merge or
/// mainline commit before it (`approved_range_base`).
fn policies_of(
    repo: &Repository,
    commit: &git2::Commit,
    prefix: &str,
    policy: &Policy,
    set: &ContentSet,
    mainline: &HashSet<Oid>,
) -> Result<BTreeSet<String>> {
    let tree = commit.tree().map_err(git_error)?;
    let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
    let mut out = governed_by(repo, parent.as_ref(), &tree, prefix, policy, set)?;
    if out.is_empty() {
        let base = approved_range_base(repo, commit, mainline, policy)?;
        out = governed_by(repo, base.as_ref(), &tree, prefix, policy, set)?;
    }
    if out.is_empty() {
        out.insert(NO_POLICY.to_string());
    }
    Ok(out)
}

/// The policies of the files that differ between `old` and `new`.
fn governed_by(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    prefix: &str,
    policy: &Policy,
    set: &ContentSet,
) -> Result<BTreeSet<String>> {
    let touched = crate::source::git::changed_files(repo, old, Some(new))?;
    let mut out = BTreeSet::new();
    for rel in touched.iter().filter_map(|(p, _)| strip_prefix(prefix, p)) {
        if set.is_content(&rel) {
            let ownership = policy.codeowners.owners_of(&rel);
            out.extend(
                crate::gate::policy_requirements(policy, &rel, &ownership)
                    .into_iter()
                    .map(|r| r.policy),
            );
        }
        if policy.governance.contains(&rel) && !policy.config.approvals.governance.is_empty() {
            out.insert("governance".to_string());
        }
    }
    Ok(out)
}

/// The tree an approval commit's range starts from: walking first parents
/// back from it, the first commit that carries approvals itself, is a
/// merge, or (for a commit off the mainline) is on the mainline. `None`:
/// the range reaches the root.
fn approved_range_base<'r>(
    repo: &'r Repository,
    commit: &git2::Commit,
    mainline: &HashSet<Oid>,
    policy: &Policy,
) -> Result<Option<git2::Tree<'r>>> {
    let off_mainline = !mainline.contains(&commit.id());
    let mut at = commit.parent_ids().next();
    while let Some(oid) = at {
        let ancestor = repo.find_commit(oid).map_err(git_error)?;
        let message = String::from_utf8_lossy(ancestor.message_bytes()).into_owned();
        let approves =
            !approvals_from_message(&message, &policy.config.approvals.trailers).is_empty();
        if approves || ancestor.parent_count() > 1 || (off_mainline && mainline.contains(&oid)) {
            return ancestor.tree().map(Some).map_err(git_error);
        }
        at = ancestor.parent_ids().next();
    }
    Ok(None)
}

/// The first-parent line from `head` back to the first commit before `from_day`.
fn first_parents(repo: &Repository, head: Oid, from_day: i64) -> Result<HashSet<Oid>> {
    let mut out = HashSet::new();
    let mut at = Some(head);
    while let Some(oid) = at {
        out.insert(oid);
        let commit = repo.find_commit(oid).map_err(git_error)?;
        if commit.time().seconds().div_euclid(86_400) < from_day {
            break;
        }
        at = commit.parent_ids().next();
    }
    Ok(out)
}

/// Totals over the commits and records dated `from_day` or later.
pub fn figures(commit_days: &[i64], records: &[Recorded], from_day: i64) -> ApprovalFigures {
    let records: Vec<&Recorded> = records.iter().filter(|r| r.day >= from_day).collect();
    let with_approvals: BTreeSet<Oid> = records.iter().map(|r| r.commit).collect();
    let mut by_policy: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut by_approver: BTreeMap<String, usize> = BTreeMap::new();
    for r in &records {
        *by_approver.entry(r.who.clone()).or_default() += 1;
        for p in &r.policies {
            *by_policy
                .entry(p)
                .or_default()
                .entry(r.who.clone())
                .or_default() += 1;
        }
    }
    let mut by_policy: Vec<PolicyApprovals> = by_policy
        .into_iter()
        .map(|(policy, approvers)| PolicyApprovals {
            policy: policy.to_string(),
            approvals: approvers.values().sum(),
            approvers: sorted(approvers),
        })
        .collect();
    by_policy.sort_by(|a, b| (b.approvals, &a.policy).cmp(&(a.approvals, &b.policy)));
    ApprovalFigures {
        commits: commit_days.iter().filter(|d| **d >= from_day).count(),
        commits_with_approvals: with_approvals.len(),
        approvals: records.len(),
        by_policy,
        by_approver: sorted(by_approver),
    }
}

fn sorted(map: BTreeMap<String, usize>) -> Vec<Count> {
    let mut rows: Vec<Count> = map
        .into_iter()
        .map(|(name, count)| Count { name, count })
        .collect();
    rows.sort_by(|a, b| (b.count, &a.name).cmp(&(a.count, &b.name)));
    rows
}
