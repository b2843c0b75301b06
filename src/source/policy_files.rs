//! Where policy files (rule packs, CODEOWNERS, allowed signers) are read
//! from: the working tree for `check`, a commit's tree for `gate` (policy
//! from the merge base, so a change cannot weaken the rules that judge it).

use std::path::{Path, PathBuf};

use crate::error::Result;

pub trait PolicyFiles {
    /// The text of the file at `rel` (relative to the project root), if it exists.
    fn read(&self, rel: &str) -> Option<Result<String>>;
    /// The `.yml`/`.yaml` files under directory `rel`, sorted; `None` when `rel` is not a directory.
    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>>;
    /// The names directly inside directory `rel` (files and folders),
    /// sorted; `None` when `rel` is not a directory.
    fn entries(&self, rel: &str) -> Option<Vec<String>>;
    /// How errors name the file.
    fn display(&self, rel: &str) -> String;
}

/// Files on disk under a base directory.
pub struct DiskFiles {
    pub base: PathBuf,
}

impl PolicyFiles for DiskFiles {
    fn read(&self, rel: &str) -> Option<Result<String>> {
        let path = self.base.join(rel);
        path.is_file().then(|| super::read_text_file(&path))
    }

    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>> {
        let dir = self.base.join(rel);
        if !dir.is_dir() {
            return None;
        }
        let mut out = Vec::new();
        walk_yaml(&dir, &mut out);
        let mut rels: Vec<String> = out.iter().map(|p| super::relative(&self.base, p)).collect();
        rels.sort();
        Some(rels)
    }

    fn entries(&self, rel: &str) -> Option<Vec<String>> {
        let dir = self.base.join(rel);
        let read = std::fs::read_dir(&dir).ok()?;
        let mut names: Vec<String> = read
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        Some(names)
    }

    fn display(&self, rel: &str) -> String {
        self.base.join(rel).display().to_string()
    }
}

fn walk_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk_yaml(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

/// Files of a git tree, under the project's prefix inside the repository.
pub struct TreeFiles<'r> {
    pub repo: &'r git2::Repository,
    pub tree: git2::Tree<'r>,
    /// The project root relative to the repository root (`""` at the root).
    pub prefix: String,
    /// Short commit id, for error messages.
    pub label: String,
}

impl TreeFiles<'_> {
    /// The repository path of a project-relative `rel`, however it is
    /// spelled (`./a`, `a//b`, `x/../a`); a path that climbs out of the
    /// repository names nothing in the tree.
    fn full(&self, rel: &str) -> Option<String> {
        super::repo_path::in_repository(&self.prefix, rel).ok()
    }
}

impl PolicyFiles for TreeFiles<'_> {
    fn read(&self, rel: &str) -> Option<Result<String>> {
        let entry = self.tree.get_path(Path::new(&self.full(rel)?)).ok()?;
        let blob = self.repo.find_blob(entry.id()).ok()?;
        Some(
            String::from_utf8(blob.content().to_vec()).map_err(|_| {
                crate::error::plain(format!("{} is not valid UTF-8", self.display(rel)))
            }),
        )
    }

    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>> {
        let full = self.full(rel)?;
        let subtree = if full.is_empty() {
            self.tree.clone()
        } else {
            let entry = self.tree.get_path(Path::new(&full)).ok()?;
            self.repo.find_tree(entry.id()).ok()?
        };
        let base = rel.trim_end_matches('/');
        let mut out = Vec::new();
        let _ = subtree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name().unwrap_or_default();
            if entry.kind() == Some(git2::ObjectType::Blob)
                && (name.ends_with(".yml") || name.ends_with(".yaml"))
            {
                out.push(if base.is_empty() {
                    format!("{dir}{name}")
                } else {
                    format!("{base}/{dir}{name}")
                });
            }
            git2::TreeWalkResult::Ok
        });
        out.sort();
        Some(out)
    }

    fn entries(&self, rel: &str) -> Option<Vec<String>> {
        let full = self.full(rel)?;
        let tree = if full.is_empty() {
            self.tree.clone()
        } else {
            let entry = self.tree.get_path(Path::new(&full)).ok()?;
            self.repo.find_tree(entry.id()).ok()?
        };
        let mut names: Vec<String> = tree
            .iter()
            .filter_map(|e| e.name().ok().map(String::from))
            .collect();
        names.sort();
        Some(names)
    }

    fn display(&self, rel: &str) -> String {
        format!(
            "{}:{}",
            self.label,
            self.full(rel).unwrap_or_else(|| rel.to_string())
        )
    }
}
