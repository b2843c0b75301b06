//! Content from git (git2, in-process): the index (`--staged`), a commit's
//! tree (`--rev`), what changed since a merge base (`--changed`), and which
//! lines a change added (`--changed-lines`). Nothing is checked out and no
//! temporary file is written.

use std::collections::{BTreeMap, BTreeSet};

use git2::{Commit, Delta, DiffOptions, Oid, Repository, Tree};

use crate::error::{with_help, Result};

/// Reads whole histories the way git does: objects are trusted as stored,
/// not hashed again on every read (`git fsck` is what verifies a store).
/// libgit2's strict hash verification is one switch for the whole process,
/// so this is the one place that turns it off, and only a reader of many
/// trees calls it: the report, which reads a tree per weekly point and
/// every file in it. The gate and `check` keep libgit2's default.
pub fn trust_stored_objects() {
    git2::opts::strict_hash_verification(false);
}

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
    /// The file's blob in the snapshot (a regular file of the index or a
    /// tree; `None` for the working tree, links and deletions).
    pub blob: Option<Oid>,
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
    // Added lines never depend on `.gitattributes` (`-diff`, `binary`): a
    // content file's lines are judged whatever the attributes say.
    opts.include_untracked(snapshot == Snapshot::Worktree)
        .force_text(true)
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
        // Names that are not UTF-8 are kept (escaped), never dropped.
        let Some(path) = file.path_bytes() else {
            continue;
        };
        let entry = out.entry(super::repo_path::display(path)).or_default();
        entry.deleted = deleted;
        let regular = matches!(
            file.mode(),
            git2::FileMode::Blob | git2::FileMode::BlobExecutable
        );
        entry.blob = (!deleted && regular && snapshot != Snapshot::Worktree).then(|| file.id());
    }
    diff.foreach(
        &mut |_, _| true,
        None,
        None,
        Some(&mut |delta, _, line| {
            if let (Some(n), Some(path)) = (line.new_lineno(), delta.new_file().path_bytes()) {
                if line.origin() == '+' {
                    out.entry(super::repo_path::display(path))
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

/// Every regular file of a tree (repository-relative; names that are not
/// UTF-8 escaped, see [`super::repo_path::display`]) with its blob id.
pub fn tree_files(repo: &Repository, tree: &Tree) -> Vec<(String, Oid)> {
    let mut out = Vec::new();
    walk_entries(repo, tree, b"", &mut |path, e| {
        if e.is_file() {
            out.push((super::repo_path::display(path), e.id));
        }
    });
    out
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
    Ok(diff_paths(repo, old, new)?
        .into_iter()
        .filter_map(|c| {
            let path = super::repo_path::display(&c.path);
            match (c.old, c.new) {
                (_, Some(n)) if n.is_file() => Some((path, Some(n.id))),
                (Some(o), _) if o.is_file() => Some((path, None)),
                _ => None,
            }
        })
        .collect())
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

/// A tree entry as the gate compares it: its mode and object id. Two trees
/// agree on a path when its entries are equal (same bytes, same kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId {
    pub mode: i32,
    pub id: Oid,
}

impl EntryId {
    pub fn is_symlink(&self) -> bool {
        self.mode == 0o120000
    }

    pub fn is_tree(&self) -> bool {
        self.mode == 0o040000
    }

    /// A regular (or executable) file.
    pub fn is_file(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
}

fn entry_id(e: &git2::TreeEntry) -> EntryId {
    EntryId {
        mode: e.filemode(),
        id: e.id(),
    }
}

/// One path that differs between two trees, whatever its kind (file,
/// symlink, submodule gitlink); the name is git's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathChange {
    pub path: Vec<u8>,
    pub old: Option<EntryId>,
    pub new: Option<EntryId>,
}

/// Every non-directory path that differs between two trees (either may be
/// absent), in git's order. Subtrees with the same id are passed over.
pub fn diff_paths(
    repo: &Repository,
    old: Option<&Tree>,
    new: Option<&Tree>,
) -> Result<Vec<PathChange>> {
    let mut out = Vec::new();
    diff_paths_into(repo, old, new, b"", &mut out).map_err(git_error)?;
    Ok(out)
}

fn diff_paths_into(
    repo: &Repository,
    old: Option<&Tree>,
    new: Option<&Tree>,
    dir: &[u8],
    out: &mut Vec<PathChange>,
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
        let (b, a) = (before.as_ref().map(entry_id), after.as_ref().map(entry_id));
        if b == a {
            continue;
        }
        let name = before
            .as_ref()
            .or(after.as_ref())
            .expect("one side")
            .name_bytes();
        let mut path = dir.to_vec();
        path.extend_from_slice(name);
        let subtree = |e: Option<EntryId>| match e {
            Some(e) if e.is_tree() => repo.find_tree(e.id).map(Some),
            _ => Ok(None),
        };
        let (old_sub, new_sub) = (subtree(b)?, subtree(a)?);
        if old_sub.is_some() || new_sub.is_some() {
            let mut sub_dir = path.clone();
            sub_dir.push(b'/');
            diff_paths_into(repo, old_sub.as_ref(), new_sub.as_ref(), &sub_dir, out)?;
        }
        let (b, a) = (b.filter(|e| !e.is_tree()), a.filter(|e| !e.is_tree()));
        if b.is_some() || a.is_some() {
            out.push(PathChange {
                path,
                old: b,
                new: a,
            });
        }
    }
}

/// The entry at `path` (bytes) in `tree`, not following symlinks.
pub fn entry_at(tree: &Tree, path: &[u8]) -> Option<EntryId> {
    tree.get_path(super::repo_path::as_path(path))
        .ok()
        .map(|e| entry_id(&e))
}

/// How many symlinks a path may pass through before it counts as a loop.
const MAX_LINK_HOPS: usize = 16;

/// What a path of a tree is once symlinks are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Every symlink passed through, in order, then the final entry (if
    /// any): two trees that agree on the chain show the same content at the
    /// path, through the same links.
    pub chain: Vec<EntryId>,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The path (after links) and its entry: a file, a tree, a gitlink.
    Found(Vec<u8>, EntryId),
    Missing,
    /// A link leaves the repository (absolute, or `..` above the root), or
    /// loops; the text says which.
    Outside(String),
}

/// Follows symlinks in every component of `path` within `tree`, as a
/// checkout would when the site is built from it.
pub fn resolve(repo: &Repository, tree: &Tree, path: &[u8]) -> Resolved {
    let mut chain = Vec::new();
    let mut current = path.to_vec();
    for _ in 0..MAX_LINK_HOPS {
        if let Some(e) = entry_at(tree, &current).filter(|e| !e.is_symlink()) {
            chain.push(e);
            return Resolved {
                chain,
                target: Target::Found(current, e),
            };
        }
        // Find the first component (from the root) that is a symlink.
        let mut link = None;
        let mut end = 0;
        while end < current.len() {
            end = current[end..]
                .iter()
                .position(|&b| b == b'/')
                .map_or(current.len(), |i| end + i);
            match entry_at(tree, &current[..end]) {
                Some(e) if e.is_symlink() => {
                    link = Some((end, e));
                    break;
                }
                Some(_) => end += 1,
                None => break,
            }
        }
        let Some((end, e)) = link else {
            return Resolved {
                chain,
                target: Target::Missing,
            };
        };
        chain.push(e);
        let target = repo
            .find_blob(e.id)
            .map(|b| b.content().to_vec())
            .unwrap_or_default();
        let shown = super::repo_path::display(&target);
        if target.starts_with(b"/") {
            return Resolved {
                chain,
                target: Target::Outside(format!(
                    "symbolic link to `{shown}` leaves the repository"
                )),
            };
        }
        let mut joined = super::repo_path::parent(&current[..end]).to_vec();
        joined.push(b'/');
        joined.extend_from_slice(&target);
        joined.extend_from_slice(&current[end..]);
        match super::repo_path::normalize(&String::from_utf8_lossy(&joined)) {
            Ok(_) => current = normalize_bytes(&joined),
            Err(_) => {
                return Resolved {
                    chain,
                    target: Target::Outside(format!(
                        "symbolic link to `{shown}` leaves the repository"
                    )),
                }
            }
        }
    }
    Resolved {
        chain,
        target: Target::Outside("symbolic links loop".to_string()),
    }
}

/// [`super::repo_path::normalize`] on bytes (the caller has checked that the
/// path stays inside the repository).
fn normalize_bytes(path: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    parts.join(&b'/')
}

/// The lines (1-based, in `new`) that a change from `old` to `new` added or
/// modified, with no regard to `.gitattributes` or binary detection.
pub fn added_lines(old: &[u8], new: &[u8]) -> Result<BTreeSet<u32>> {
    let mut opts = DiffOptions::new();
    opts.force_text(true).context_lines(0);
    let patch =
        git2::Patch::from_buffers(old, None, new, None, Some(&mut opts)).map_err(git_error)?;
    let mut out = BTreeSet::new();
    for h in 0..patch.num_hunks() {
        let lines = patch.num_lines_in_hunk(h).map_err(git_error)?;
        for l in 0..lines {
            let line = patch.line_in_hunk(h, l).map_err(git_error)?;
            if line.origin() == '+' {
                out.extend(line.new_lineno());
            }
        }
    }
    Ok(out)
}

/// Every symlink of a tree: (path, entry).
pub fn symlinks(repo: &Repository, tree: &Tree) -> Vec<(Vec<u8>, EntryId)> {
    let mut out = Vec::new();
    walk_entries(repo, tree, b"", &mut |path, e| {
        if e.is_symlink() {
            out.push((path.to_vec(), e));
        }
    });
    out
}

/// Every non-directory entry under `dir` of a tree: (path relative to `dir`, entry).
pub fn entries_under(repo: &Repository, tree: &Tree, dir: &[u8]) -> Vec<(Vec<u8>, EntryId)> {
    let mut out = Vec::new();
    if let Some(sub) = entry_at(tree, dir)
        .filter(EntryId::is_tree)
        .and_then(|e| repo.find_tree(e.id).ok())
    {
        walk_entries(repo, &sub, b"", &mut |path, e| out.push((path.to_vec(), e)));
    }
    out
}

/// Calls `f` with every non-directory entry of a tree and its path, by
/// name bytes (git2's own walk stops at a directory name that is not UTF-8).
fn walk_entries(repo: &Repository, tree: &Tree, dir: &[u8], f: &mut dyn FnMut(&[u8], EntryId)) {
    for entry in tree.iter() {
        let mut path = dir.to_vec();
        path.extend_from_slice(entry.name_bytes());
        let e = entry_id(&entry);
        if e.is_tree() {
            if let Ok(sub) = repo.find_tree(e.id) {
                path.push(b'/');
                walk_entries(repo, &sub, &path, f);
            }
        } else {
            f(&path, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree from (path, mode, content) entries, built in an in-memory repository.
    fn tree<'r>(repo: &'r Repository, entries: &[(&[u8], i32, &[u8])]) -> Tree<'r> {
        let mut index = git2::Index::new().unwrap();
        for (path, mode, content) in entries {
            let id = repo.blob(content).unwrap();
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: *mode as u32,
                uid: 0,
                gid: 0,
                file_size: content.len() as u32,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.to_vec(),
            };
            index.add(&entry).unwrap();
        }
        let id = index.write_tree_to(repo).unwrap();
        repo.find_tree(id).unwrap()
    }

    #[test]
    fn diff_paths_sees_every_kind_and_byte_names_and_changed_files_only_files() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let old = tree(
            &repo,
            &[(b"a.md", 0o100644, b"a"), (b"d/b.md", 0o100644, b"b")],
        );
        let new = tree(
            &repo,
            &[
                (b"a.md", 0o100644, b"a2"),
                (b"d/b.md", 0o100644, b"b"),
                (b"d/caf\xe9.md", 0o100644, b"c"),
                (b"link.md", 0o120000, b"a.md"),
            ],
        );
        let paths: Vec<Vec<u8>> = diff_paths(&repo, Some(&old), Some(&new))
            .unwrap()
            .into_iter()
            .map(|c| c.path)
            .collect();
        assert_eq!(
            paths,
            vec![
                b"a.md".to_vec(),
                b"d/caf\xe9.md".to_vec(),
                b"link.md".to_vec()
            ]
        );
        let files: Vec<String> = changed_files(&repo, Some(&old), Some(&new))
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(files, ["a.md", "d/caf\\xe9.md"]);
    }

    #[test]
    fn resolve_follows_links_in_every_component_and_stops_at_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let t = tree(
            &repo,
            &[
                (b"blog/post.md", 0o100644, b"post"),
                (b"legal/faq.md", 0o120000, b"../blog/post.md"),
                (b"alias", 0o120000, b"blog"),
                (b"out.md", 0o120000, b"../../etc/passwd"),
                (b"abs.md", 0o120000, b"/etc/passwd"),
                (b"loop.md", 0o120000, b"loop.md"),
            ],
        );
        let found = |p: &[u8]| match resolve(&repo, &t, p).target {
            Target::Found(path, _) => Some(path),
            _ => None,
        };
        assert_eq!(found(b"legal/faq.md"), Some(b"blog/post.md".to_vec()));
        assert_eq!(found(b"alias/post.md"), Some(b"blog/post.md".to_vec()));
        assert_eq!(resolve(&repo, &t, b"legal/faq.md").chain.len(), 2);
        for outside in [&b"out.md"[..], b"abs.md", b"loop.md"] {
            assert!(matches!(
                resolve(&repo, &t, outside).target,
                Target::Outside(_)
            ));
        }
        assert_eq!(resolve(&repo, &t, b"nothing.md").target, Target::Missing);
    }
}
