//! Which files a check reads, and from where: the working tree, the index,
//! or a commit; narrowed to what changed since a merge base; with the added
//! lines kept when only changed lines count (`check --staged`, `--rev`,
//! `--changed`, `--changed-lines` on the command line).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use git2::Repository;

use crate::error::Result;
use crate::source::content::tree_content;
use crate::source::git::{self, Change, Snapshot};
use crate::source::{discover, relative, ContentFile, ContentSet};
use crate::workspace::Workspace;

/// Where the files are read from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// The files on disk.
    #[default]
    WorkingTree,
    /// The staged files: what changed in the index since HEAD.
    Index,
    /// The files of a commit (any revision git understands).
    Commit(String),
}

/// The commit changes are measured from (through the merge base with head).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedSince {
    /// The pull or merge request's base, from the CI environment.
    Ci,
    /// A revision.
    Base(String),
}

/// Which files to check: a source, narrowed to what changed and to paths.
#[derive(Debug, Clone, Default)]
pub struct SelectionRequest {
    pub source: Source,
    /// Only files changed since this base.
    pub changed_since: Option<ChangedSince>,
    /// Keep, per file, the added lines (findings elsewhere do not count).
    pub changed_lines: bool,
    /// Files and directories (relative to the workspace's current directory);
    /// empty: the whole content set.
    pub paths: Vec<PathBuf>,
}

impl SelectionRequest {
    /// Does this selection see every content file of the working tree?
    pub fn is_whole_working_tree(&self) -> bool {
        self.paths.is_empty()
            && self.changed_since.is_none()
            && !self.changed_lines
            && self.source == Source::WorkingTree
    }

    /// Is anything read from git (rather than only walked on disk)?
    fn needs_git(&self) -> bool {
        self.source != Source::WorkingTree || self.changed_since.is_some() || self.changed_lines
    }
}

/// The files to check and, for changed lines only, the lines to keep per file.
pub struct Selection {
    pub files: Vec<ContentFile>,
    pub added_lines: Option<BTreeMap<String, BTreeSet<u32>>>,
    /// Where blobs are read from, when they are.
    pub repo_path: Option<PathBuf>,
    /// The commit the files come from (HEAD for the index and the working tree).
    pub commit: Option<git2::Oid>,
    /// Where other files of the project are looked up (for links).
    pub project_files: crate::environment::ProjectFiles,
}

/// The selection of working-tree files `files` (already found).
pub fn working_tree(ws: &Workspace, files: Vec<ContentFile>) -> Selection {
    let commit = ws
        .repo
        .as_ref()
        .and_then(|r| r.head().ok())
        .and_then(|h| h.target());
    Selection {
        files,
        added_lines: None,
        repo_path: None,
        commit,
        project_files: crate::environment::ProjectFiles::Disk(ws.root.clone()),
    }
}

/// The files `request` selects from the content set `set`.
pub fn select(ws: &Workspace, request: &SelectionRequest, set: &ContentSet) -> Result<Selection> {
    if !request.needs_git() {
        let files = discover(&ws.root, set, &request.paths, &ws.cwd)?;
        return Ok(working_tree(ws, files));
    }
    let Some(repo) = &ws.repo else {
        return Err(crate::error::plain(
            "--staged, --rev, --changed and --changed-lines need a git repository",
        ));
    };
    let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
    let prefix = relative(&repo_root, &ws.root);
    let snapshot = match &request.source {
        Source::Commit(rev) => Snapshot::Tree(git::resolve_commit(repo, rev)?.id()),
        Source::Index => Snapshot::Index,
        Source::WorkingTree => Snapshot::Worktree,
    };
    let changed_since = request.changed_since.as_ref();
    let base_tree = base_tree(repo, changed_since, snapshot)?;
    let changes = if changed_since.is_some() || request.changed_lines || snapshot == Snapshot::Index
    {
        Some(git::changes(repo, base_tree.as_ref(), snapshot)?)
    } else {
        None
    };
    // Which files: everything in the snapshot, or only what changed.
    let only_changed = changed_since.is_some() || snapshot == Snapshot::Index;
    let mut files = match snapshot {
        Snapshot::Worktree => discover(&ws.root, set, &request.paths, &ws.cwd)?,
        Snapshot::Index => from_changes(
            repo,
            changes.as_ref().expect("computed for the index"),
            &prefix,
            set,
        )?,
        Snapshot::Tree(_) if only_changed => from_changes(
            repo,
            changes.as_ref().expect("computed for --changed"),
            &prefix,
            set,
        )?,
        Snapshot::Tree(oid) => tree_content(repo, oid, &prefix, set, &repo_root)?,
    };
    if only_changed {
        let changes = changes.as_ref().expect("computed");
        files.retain(|f| {
            changes
                .get(&git::join_prefix(&prefix, &f.rel))
                .is_some_and(|c| !c.deleted)
        });
    }
    if snapshot != Snapshot::Worktree {
        let wanted = path_filter(ws, &request.paths)?;
        files.retain(|f| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| f.rel == *w || f.rel.starts_with(&format!("{w}/")))
        });
    }
    let added_lines = request.changed_lines.then(|| {
        let changes = changes.unwrap_or_default();
        files
            .iter()
            .map(|f| {
                let lines = changes
                    .get(&git::join_prefix(&prefix, &f.rel))
                    .map(|c| c.added_lines.clone())
                    .unwrap_or_default();
                (f.rel.clone(), lines)
            })
            .collect()
    });
    let project_files = match snapshot {
        Snapshot::Worktree => crate::environment::ProjectFiles::Disk(ws.root.clone()),
        Snapshot::Index => {
            let index = repo.index().map_err(git::git_error)?;
            let entries = index
                .iter()
                .map(|e| (crate::source::repo_path::display(&e.path), e.id))
                .collect();
            crate::environment::git_files(repo.path(), entries, &prefix)
        }
        Snapshot::Tree(oid) => {
            let tree = repo
                .find_commit(oid)
                .and_then(|c| c.tree())
                .map_err(git::git_error)?;
            crate::environment::git_files(repo.path(), git::tree_files(repo, &tree), &prefix)
        }
    };
    let commit = match snapshot {
        Snapshot::Tree(oid) => Some(oid),
        _ => repo.head().ok().and_then(|h| h.target()),
    };
    Ok(Selection {
        files,
        added_lines,
        repo_path: Some(repo.path().to_path_buf()),
        commit,
        project_files,
    })
}

/// The tree changes are measured from: merge-base(BASE, head) when changes
/// since a base are asked for, else HEAD (or a commit's first parent).
fn base_tree<'r>(
    repo: &'r Repository,
    changed_since: Option<&ChangedSince>,
    snapshot: Snapshot,
) -> Result<Option<git2::Tree<'r>>> {
    let head_oid = match snapshot {
        Snapshot::Tree(oid) => Some(oid),
        _ => repo.head().ok().and_then(|h| h.target()),
    };
    if let Some(since) = changed_since {
        let base = match since {
            ChangedSince::Ci => git::base_from_environment().ok_or_else(|| {
                crate::error::with_help(
                    "--changed without BASE needs a pull or merge request in CI",
                    "pass the base, e.g. --changed origin/main",
                )
            })?,
            ChangedSince::Base(base) => base.clone(),
        };
        let base_commit = git::resolve_commit(repo, &base)?;
        let Some(head) = head_oid else {
            return Err(crate::error::plain("the repository has no commit yet"));
        };
        let mb = git::merge_base(repo, base_commit.id(), head, &base)?;
        return Ok(Some(
            repo.find_commit(mb)
                .and_then(|c| c.tree())
                .map_err(git::git_error)?,
        ));
    }
    let tree = match snapshot {
        Snapshot::Tree(oid) => repo
            .find_commit(oid)
            .ok()
            .and_then(|c| c.parent(0).ok())
            .and_then(|p| p.tree().ok()),
        _ => repo.head().ok().and_then(|h| h.peel_to_tree().ok()),
    };
    Ok(tree)
}

/// Content files among the changes, read from the index or a tree.
fn from_changes(
    repo: &Repository,
    changes: &BTreeMap<String, Change>,
    prefix: &str,
    set: &ContentSet,
) -> Result<Vec<ContentFile>> {
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let mut files = Vec::new();
    for (path, change) in changes {
        let Some(rel) = git::strip_prefix(prefix, path) else {
            continue;
        };
        if change.deleted || !set.is_content(&rel) {
            continue;
        }
        if let Some(blob) = change.blob {
            files.push(ContentFile {
                rel,
                abs: workdir.join(path),
                outside_link: false,
                blob: Some(blob),
            });
        }
    }
    Ok(files)
}

/// PATH arguments as project-relative paths (need not exist on disk).
fn path_filter(ws: &Workspace, paths: &[PathBuf]) -> Result<Vec<String>> {
    paths
        .iter()
        .map(|p| {
            let abs = lexical(&ws.cwd.join(p));
            abs.strip_prefix(&ws.root)
                .map(|r| relative(Path::new(""), r))
                .map_err(|_| crate::error::plain(format!("{} is outside the project", p.display())))
        })
        .collect()
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
