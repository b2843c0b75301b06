//! The commits a gate judges — merge-base(base, head)..head — with who wrote
//! each one, which paths it changed, and the approval trailers in it.
//!
//! A commit changed a path when the path differs between the commit and its
//! parent; a merge changed a path when the path differs between the merge
//! and *every* parent (an "evil merge": content no parent had). Paths are
//! git's bytes, so names that are not UTF-8 are kept.

use std::collections::BTreeSet;

use git2::{Oid, Repository, Sort};

use crate::approvals::{approvals_from_message, TrailerApproval};
use crate::error::Result;
use crate::source::git::{diff_paths, git_error};

pub struct RangeCommit {
    pub oid: Oid,
    pub author_email: String,
    pub author_name: String,
    pub committer_email: String,
    /// Repository paths (bytes) this commit changed, as above.
    pub changed: BTreeSet<Vec<u8>>,
    pub approvals: Vec<TrailerApproval>,
}

/// The commits of `merge_base..head`, oldest first (topologically).
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
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let (author, committer) = (commit.author(), commit.committer());
        out.push(RangeCommit {
            oid,
            author_email: author.email().unwrap_or_default().to_string(),
            author_name: author.name().unwrap_or_default().to_string(),
            committer_email: committer.email().unwrap_or_default().to_string(),
            changed: changed_by(repo, &commit)?,
            approvals: approvals_from_message(&message, trailer_keys),
        });
    }
    Ok(out)
}

/// The paths a commit changed: against its parent, or for a merge, the
/// paths that differ from every parent.
fn changed_by(repo: &Repository, commit: &git2::Commit) -> Result<BTreeSet<Vec<u8>>> {
    let tree = commit.tree().map_err(git_error)?;
    let against = |parent: Option<&git2::Tree>| -> Result<BTreeSet<Vec<u8>>> {
        Ok(diff_paths(repo, parent, Some(&tree))?
            .into_iter()
            .map(|c| c.path)
            .collect())
    };
    if commit.parent_count() == 0 {
        return against(None);
    }
    let mut changed: Option<BTreeSet<Vec<u8>>> = None;
    for parent in commit.parents() {
        let parent_tree = parent.tree().map_err(git_error)?;
        let here = against(Some(&parent_tree))?;
        changed = Some(match changed {
            None => here,
            Some(so_far) => so_far.intersection(&here).cloned().collect(),
        });
        if changed.as_ref().is_some_and(BTreeSet::is_empty) {
            break;
        }
    }
    Ok(changed.unwrap_or_default())
}
