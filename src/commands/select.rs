//! Which files `check` reads, and from where: the working tree, the index
//! (`--staged`), or a commit (`--rev`); narrowed to what changed since a
//! merge base (`--changed`); with the added lines kept for `--changed-lines`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use git2::Repository;

use crate::cli::CheckArgs;
use crate::error::Result;
use crate::source::content::tree_content;
use crate::source::git::{self, Change, Snapshot};
use crate::source::{discover, relative, ContentFile, ContentSet};
use crate::workspace::Workspace;

/// The files to check and, for `--changed-lines`, the lines to keep per file.
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

pub fn select(ws: &Workspace, args: &CheckArgs, set: &ContentSet) -> Result<Selection> {
    let git_mode =
        args.staged || args.rev.is_some() || args.changed.is_some() || args.changed_lines;
    if !git_mode {
        let files = discover(&ws.root, set, &args.paths, &ws.cwd)?;
        return Ok(working_tree(ws, files));
    }
    let Some(repo) = &ws.repo else {
        return Err(crate::error::plain(
            "--staged, --rev, --changed and --changed-lines need a git repository",
        ));
    };
    let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
    let prefix = relative(&repo_root, &ws.root);
    let snapshot = match (&args.rev, args.staged) {
        (Some(rev), _) => Snapshot::Tree(git::resolve_commit(repo, rev)?.id()),
        (None, true) => Snapshot::Index,
        (None, false) => Snapshot::Worktree,
    };
    let base_tree = base_tree(repo, args, snapshot)?;
    let changes = if args.changed.is_some() || args.changed_lines || snapshot == Snapshot::Index {
        Some(git::changes(repo, base_tree.as_ref(), snapshot)?)
    } else {
        None
    };
    // Which files: everything in the snapshot, or only what changed.
    let only_changed = args.changed.is_some() || snapshot == Snapshot::Index;
    let mut files = match snapshot {
        Snapshot::Worktree => discover(&ws.root, set, &args.paths, &ws.cwd)?,
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
        let wanted = path_filter(ws, &args.paths)?;
        files.retain(|f| {
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| f.rel == *w || f.rel.starts_with(&format!("{w}/")))
        });
    }
    let added_lines = args.changed_lines.then(|| {
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

/// The tree changes are measured from: merge-base(BASE, head) with
/// `--changed`, else HEAD (or the commit's first parent with `--rev`).
fn base_tree<'r>(
    repo: &'r Repository,
    args: &CheckArgs,
    snapshot: Snapshot,
) -> Result<Option<git2::Tree<'r>>> {
    let head_oid = match snapshot {
        Snapshot::Tree(oid) => Some(oid),
        _ => repo.head().ok().and_then(|h| h.target()),
    };
    if let Some(base) = &args.changed {
        let base = if base.is_empty() {
            git::base_from_environment().ok_or_else(|| {
                crate::error::with_help(
                    "--changed without BASE needs a pull or merge request in CI",
                    "pass the base, e.g. --changed origin/main",
                )
            })?
        } else {
            base.clone()
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
