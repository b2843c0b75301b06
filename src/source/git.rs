//! Content from git (git2, in-process): the index (`--staged`), a commit's
//! tree (`--rev`), what changed since a merge base (`--changed`), and which
//! lines a change added (`--changed-lines`). Nothing is checked out and no
//! temporary file is written.

use std::collections::{BTreeMap, BTreeSet};

use git2::{Commit, Delta, DiffOptions, Oid, Repository, Tree};

use crate::error::{with_help, Result};

/// What a file's bytes are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// The working tree (files on disk).
    Worktree,
    /// The index: what is about to be committed.
    Index,
    /// A commit's tree.
    Tree(Oid),
}

/// A file that differs between a base tree and a snapshot, with the lines
/// (1-based, in the snapshot) that the change added or modified.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    pub deleted: bool,
    pub added_lines: BTreeSet<u32>,
}

/// Resolves `spec` to a commit, naming it in the error when it does not resolve.
pub fn resolve_commit<'r>(repo: &'r Repository, spec: &str) -> Result<Commit<'r>> {
    let object = repo.revparse_single(spec).map_err(|_| {
        let hint = if repo.is_shallow() {
            "this is a shallow clone: fetch the ref, or clone with full history (actions/checkout `fetch-depth: 0`)".to_string()
        } else {
            format!("check the name; `git rev-parse {spec}` must succeed (fetch the branch if it is remote)")
        };
        with_help(format!("unknown revision `{spec}`"), hint)
    })?;
    object
        .peel_to_commit()
        .map_err(|_| crate::error::plain(format!("`{spec}` does not name a commit")))
}

/// The merge base of two commits, with a clear message for shallow clones.
pub fn merge_base(repo: &Repository, a: Oid, b: Oid, a_name: &str) -> Result<Oid> {
    repo.merge_base(a, b).map_err(|_| {
        if repo.is_shallow() {
            with_help(
                format!("no merge base between `{a_name}` and HEAD: the clone is shallow"),
                "fetch full history: actions/checkout with `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`, or `git fetch --unshallow`",
            )
        } else {
            with_help(
                format!("`{a_name}` and HEAD have no common history"),
                "pass the branch the change will merge into",
            )
        }
    })
}

/// The base revision from the CI environment, when a pull or merge request
/// is being built: GitLab CI (`CI_MERGE_REQUEST_DIFF_BASE_SHA`, else
/// `origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME`), GitHub Actions (the
/// event payload's `pull_request.base.sha` from `GITHUB_EVENT_PATH`, else
/// `origin/$GITHUB_BASE_REF`).
pub fn base_from_environment() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    var("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        .or_else(|| var("CI_MERGE_REQUEST_TARGET_BRANCH_NAME").map(|b| format!("origin/{b}")))
        .or_else(|| {
            var("GITHUB_EVENT_PATH").and_then(|p| pull_request_base_sha(std::path::Path::new(&p)))
        })
        .or_else(|| var("GITHUB_BASE_REF").map(|b| format!("origin/{b}")))
}

/// `pull_request.base.sha` of a GitHub event payload file.
fn pull_request_base_sha(path: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let event: serde_json::Value = serde_json::from_str(&text).ok()?;
    event["pull_request"]["base"]["sha"]
        .as_str()
        .map(String::from)
}

/// Files (repository-relative) that differ between `base` and `snapshot`,
/// with their added lines.
pub fn changes(
    repo: &Repository,
    base: Option<&Tree>,
    snapshot: Snapshot,
) -> Result<BTreeMap<String, Change>> {
    let mut opts = DiffOptions::new();
    opts.include_untracked(snapshot == Snapshot::Worktree)
        .recurse_untracked_dirs(true)
        .show_untracked_content(true)
        .context_lines(0);
    let diff = match snapshot {
        Snapshot::Worktree => repo.diff_tree_to_workdir_with_index(base, Some(&mut opts)),
        Snapshot::Index => repo.diff_tree_to_index(base, None, Some(&mut opts)),
        Snapshot::Tree(oid) => {
            let tree = repo
                .find_commit(oid)
                .and_then(|c| c.tree())
                .map_err(git_error)?;
            repo.diff_tree_to_tree(base, Some(&tree), Some(&mut opts))
        }
    }
    .map_err(git_error)?;
    let mut out: BTreeMap<String, Change> = BTreeMap::new();
    for delta in diff.deltas() {
        let deleted = delta.status() == Delta::Deleted;
        let file = if deleted {
            delta.old_file()
        } else {
            delta.new_file()
        };
        if let Some(path) = file.path().and_then(|p| p.to_str()) {
            out.entry(path.to_string()).or_default().deleted = deleted;
        }
    }
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _, line| {
            if let (Some(n), Some(path)) = (
                line.new_lineno(),
                delta.new_file().path().and_then(|p| p.to_str()),
            ) {
                if line.origin() == '+' {
                    out.entry(path.to_string())
                        .or_default()
                        .added_lines
                        .insert(n);
                }
            }
            true
        }),
    )
    .map_err(git_error)?;
    Ok(out)
}

/// Every file path of a tree (repository-relative) with its blob id.
pub fn tree_files(repo: &Repository, tree: &Tree) -> Vec<(String, Oid)> {
    let mut out = Vec::new();
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) && entry.filemode() != 0o120000 {
            if let Ok(name) = entry.name() {
                out.push((format!("{dir}{name}"), entry.id()));
            }
        }
        git2::TreeWalkResult::Ok
    });
    let _ = repo;
    out
}

/// The blob id of `path` in the index, if it is there (symlinks excluded).
pub fn index_blob(index: &git2::Index, path: &str) -> Option<Oid> {
    index
        .get_path(std::path::Path::new(path), 0)
        .filter(|e| e.mode != 0o120000)
        .map(|e| e.id)
}

/// The blob id of `path` in `tree` (symlinks excluded).
pub fn tree_blob(tree: &Tree, path: &str) -> Option<Oid> {
    tree.get_path(std::path::Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(git2::ObjectType::Blob) && e.filemode() != 0o120000)
        .map(|e| e.id())
}

/// Reads a blob's bytes.
pub fn read_blob(repo: &Repository, oid: Oid) -> std::result::Result<Vec<u8>, String> {
    repo.find_blob(oid)
        .map(|b| b.content().to_vec())
        .map_err(|e| format!("cannot read blob {oid}: {}", e.message()))
}

pub fn git_error(e: git2::Error) -> miette::Report {
    crate::error::plain(format!("git: {}", e.message()))
}

/// A repository-relative path made relative to the project `prefix` (`""`
/// at the repository root), or `None` when it lies outside the project.
pub fn strip_prefix(prefix: &str, path: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(prefix)?
        .strip_prefix('/')
        .map(String::from)
}

/// A project-relative path made repository-relative again.
pub fn join_prefix(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// The files that differ between two trees (either may be absent, as for a
/// root commit), with their blob in `new` (`None`: gone, or no longer a
/// regular file). Subtrees with the same id are skipped without reading
/// them, so the cost follows the size of the change, not of the trees.
/// Paths are relative to the trees given; symlinks and submodules count as
/// absent, as in [`tree_files`].
pub fn changed_files(
    repo: &Repository,
    old: Option<&Tree>,
    new: Option<&Tree>,
) -> Result<Vec<(String, Option<Oid>)>> {
    let mut out = Vec::new();
    diff_into(repo, old, new, "", &mut out).map_err(git_error)?;
    Ok(out)
}

/// A tree entry as the diff sees it: what it is, and its id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    Tree(Oid),
    File(Oid),
    /// A symlink or a submodule: not a file of the project.
    Other(Oid),
}

fn entry(e: &git2::TreeEntry) -> Entry {
    match e.kind() {
        Some(git2::ObjectType::Tree) => Entry::Tree(e.id()),
        Some(git2::ObjectType::Blob) if e.filemode() != 0o120000 => Entry::File(e.id()),
        _ => Entry::Other(e.id()),
    }
}

/// Git's order of tree entries: by name, a tree's name followed by `/`.
fn entry_order(a: &git2::TreeEntry, b: &git2::TreeEntry) -> std::cmp::Ordering {
    fn slash(e: &git2::TreeEntry) -> &'static [u8] {
        if e.kind() == Some(git2::ObjectType::Tree) {
            b"/"
        } else {
            b""
        }
    }
    let key_a = a.name_bytes().iter().chain(slash(a));
    key_a.cmp(b.name_bytes().iter().chain(slash(b)))
}

/// Walks two sorted entry lists side by side (a merge join): entries with the
/// same name and id are passed over without a look inside.
fn diff_into(
    repo: &Repository,
    old: Option<&Tree>,
    new: Option<&Tree>,
    dir: &str,
    out: &mut Vec<(String, Option<Oid>)>,
) -> std::result::Result<(), git2::Error> {
    let mut olds = old.into_iter().flat_map(|t| t.iter()).peekable();
    let mut news = new.into_iter().flat_map(|t| t.iter()).peekable();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => entry_order(a, b),
        };
        let (before, after) = match order {
            std::cmp::Ordering::Less => (olds.next(), None),
            std::cmp::Ordering::Greater => (None, news.next()),
            std::cmp::Ordering::Equal => (olds.next(), news.next()),
        };
        let (b, a) = (before.as_ref().map(entry), after.as_ref().map(entry));
        if b == a {
            continue;
        }
        let name = before
            .as_ref()
            .or(after.as_ref())
            .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
            .unwrap_or_default();
        let path = format!("{dir}{name}");
        let subtree = |e: Option<Entry>| match e {
            Some(Entry::Tree(oid)) => repo.find_tree(oid).map(Some),
            _ => Ok(None),
        };
        let (old_sub, new_sub) = (subtree(b)?, subtree(a)?);
        if old_sub.is_some() || new_sub.is_some() {
            diff_into(
                repo,
                old_sub.as_ref(),
                new_sub.as_ref(),
                &format!("{path}/"),
                out,
            )?;
        }
        match (b, a) {
            (_, Some(Entry::File(oid))) => out.push((path, Some(oid))),
            (Some(Entry::File(_)), _) => out.push((path, None)),
            _ => {}
        }
    }
}
