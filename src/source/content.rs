//! A content file's bytes wherever they are read from (disk, index, a
//! commit's tree; Git LFS objects for pointers), and the content files of a
//! commit's tree. Shared by `check`, the report and the language server.

use std::path::Path;

use git2::Repository;

use super::{git, ContentFile, ContentSet};
use crate::error::Result;

/// A content file's bytes, from its blob or from disk; the reason when they
/// cannot be read (reported as `imprimatur/unreadable`).
pub fn read_content(
    file: &ContentFile,
    repo: Option<&git2::Repository>,
) -> std::result::Result<Vec<u8>, String> {
    match (file.blob, repo) {
        _ if file.outside_link => {
            Err("symlink pointing outside the repository; not followed".to_string())
        }
        (Some(blob), Some(repo)) => crate::source::git::read_blob(repo, blob),
        (Some(_), None) => Err("cannot open the repository to read this file".to_string()),
        (None, _) => std::fs::read(&file.abs).map_err(|e| format!("cannot read: {e}")),
    }
    .and_then(|bytes| lfs_object(file, repo, bytes))
}

/// A page stored in Git LFS is its object, never the pointer.
pub fn lfs_object(
    file: &ContentFile,
    repo: Option<&git2::Repository>,
    bytes: Vec<u8>,
) -> std::result::Result<Vec<u8>, String> {
    if crate::source::lfs::pointer_oid(&bytes).is_none() {
        return Ok(bytes);
    }
    // Rare enough to look the repository up when the run has none open.
    let git_dir = match repo {
        Some(repo) => Some(repo.commondir().to_path_buf()),
        None => git2::Repository::discover(&file.abs)
            .ok()
            .map(|r| r.commondir().to_path_buf()),
    };
    crate::source::lfs::resolve(bytes, git_dir.as_deref())
}

/// Every content file of a commit's tree.
pub fn tree_content(
    repo: &Repository,
    oid: git2::Oid,
    prefix: &str,
    set: &ContentSet,
    repo_root: &Path,
) -> Result<Vec<ContentFile>> {
    let tree = repo
        .find_commit(oid)
        .and_then(|c| c.tree())
        .map_err(git::git_error)?;
    Ok(git::tree_files(repo, &tree)
        .into_iter()
        .filter_map(|(path, blob)| {
            let rel = git::strip_prefix(prefix, &path)?;
            set.is_content(&rel).then(|| ContentFile {
                rel,
                abs: repo_root.join(&path),
                outside_link: false,
                blob: Some(blob),
            })
        })
        .collect())
}
