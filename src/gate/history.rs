//! The commits a gate judges — merge-base(base, head)..head, oldest first —
//! with who wrote each one, what it touched, and the approval trailers in it.

use std::collections::BTreeSet;

use git2::{Oid, Repository, Sort};

use crate::approvals::{approvals_from_message, TrailerApproval};
use crate::error::Result;
use crate::source::git::git_error;

pub struct RangeCommit {
    pub oid: Oid,
    pub author_email: String,
    pub author_name: String,
    /// Repository-relative paths this commit changed (none for merges:
    /// a merge brings others' work, it does not author content).
    pub touched: BTreeSet<String>,
    pub approvals: Vec<TrailerApproval>,
}

/// The commits of `merge_base..head`, oldest first.
pub fn range(
    repo: &Repository,
    merge_base: Oid,
    head: Oid,
    trailer_keys: &[String],
) -> Result<Vec<RangeCommit>> {
    let mut walk = repo.revwalk().map_err(git_error)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(git_error)?;
    walk.push(head).map_err(git_error)?;
    walk.hide(merge_base).map_err(git_error)?;
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid.map_err(git_error)?;
        let commit = repo.find_commit(oid).map_err(git_error)?;
        let touched = if commit.parent_count() > 1 {
            BTreeSet::new()
        } else {
            touched_by(repo, &commit)?
        };
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let author = commit.author();
        out.push(RangeCommit {
            oid,
            author_email: author.email().unwrap_or_default().to_string(),
            author_name: author.name().unwrap_or_default().to_string(),
            touched,
            approvals: approvals_from_message(&message, trailer_keys),
        });
    }
    Ok(out)
}

fn touched_by(repo: &Repository, commit: &git2::Commit) -> Result<BTreeSet<String>> {
    let tree = commit.tree().map_err(git_error)?;
    let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
    changed_between(repo, parent.as_ref(), &tree)
}

/// Paths that differ between two trees.
pub fn changed_between(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
) -> Result<BTreeSet<String>> {
    let diff = repo
        .diff_tree_to_tree(old, Some(new), None)
        .map_err(git_error)?;
    Ok(diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .filter_map(|p| p.to_str().map(String::from))
        .collect())
}
