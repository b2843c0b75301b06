//! Where content bytes come from (the working tree now; the index and
//! commit trees for git-aware runs) and how they become text.

pub mod content;
mod decode;
mod discover;
pub mod git;
pub mod lfs;
pub mod policy_files;
pub mod repo_path;

pub use decode::{decode, Unreadable};
pub use discover::{discover, discover_with_dirs, listed_files, relative, ContentFile, ContentSet};

use std::path::{Path, PathBuf};

use crate::error::{FileError, Result};

/// Reads a UTF-8 file the user wrote (config, rule pack), with a located
/// error when it is not UTF-8.
pub fn read_text_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| crate::error::plain(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        FileError::at(
            &path.display().to_string(),
            &text,
            valid,
            1,
            format!("{} is not valid UTF-8", path.display()),
            "invalid byte here",
        )
        .into()
    })
}

/// Where paths are printed relative to: the project root, the current
/// directory, and the root's place in the repository. The workspace makes
/// it; the outputs print through it.
#[derive(Debug, Clone)]
pub struct Paths {
    pub root: PathBuf,
    pub cwd: PathBuf,
    /// The project root relative to the git work tree (`""` at its root, or
    /// outside a repository).
    pub repo_prefix: String,
}

impl Paths {
    /// Repository-relative `rel` as seen from the current directory.
    pub fn display(&self, rel: &str) -> String {
        let abs = self.root.join(rel);
        let shown = pathdiff::diff_paths(&abs, &self.cwd).unwrap_or(abs);
        relative(Path::new(""), &shown)
    }

    /// Project-relative `rel` as a path from the repository root: what
    /// GitHub, GitLab and reviewdog resolve annotations against.
    pub fn repo_path(&self, rel: &str) -> String {
        git::join_prefix(&self.repo_prefix, rel)
    }
}
