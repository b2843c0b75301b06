//! Where a command runs: the current directory, the repository root (git2
//! discovery; the current directory outside a repository) and the config.

use std::path::{Path, PathBuf};

use crate::config::{self, LoadedConfig};
use crate::error::Result;

pub struct Workspace {
    pub cwd: PathBuf,
    /// The project root: the config file's directory, else the repository's
    /// work tree, else the current directory. Content globs, rule `paths` and
    /// reported paths are relative to it.
    pub root: PathBuf,
    /// The git work tree, when there is one.
    pub repo_root: Option<PathBuf>,
    pub repo: Option<git2::Repository>,
    pub config: LoadedConfig,
}

impl Workspace {
    /// Opens the workspace around the current directory.
    pub fn open(explicit_config: Option<&Path>) -> Result<Workspace> {
        let cwd = std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .map_err(|e| crate::error::plain(format!("cannot read the current directory: {e}")))?;
        Self::open_at(&cwd, explicit_config)
    }

    pub fn open_at(cwd: &Path, explicit_config: Option<&Path>) -> Result<Workspace> {
        let repo = git2::Repository::discover(cwd).ok();
        let repo_root = repo
            .as_ref()
            .and_then(|r| r.workdir())
            .and_then(|d| d.canonicalize().ok());
        let explicit = explicit_config.map(|p| cwd.join(p));
        let config = config::load(explicit.as_deref(), cwd, repo_root.as_deref())?;
        let root = match &config.path {
            Some(_) => config
                .base_dir
                .canonicalize()
                .unwrap_or(config.base_dir.clone()),
            None => repo_root.clone().unwrap_or_else(|| cwd.to_path_buf()),
        };
        Ok(Workspace {
            cwd: cwd.to_path_buf(),
            root,
            repo_root,
            repo,
            config,
        })
    }

    /// A project-relative path made relative to the git work tree (CODEOWNERS
    /// and git trees speak in those paths).
    pub fn repo_relative(&self, rel: &str) -> String {
        match &self.repo_root {
            Some(repo_root) => crate::source::relative(repo_root, &self.root.join(rel)),
            None => rel.to_string(),
        }
    }

    pub fn paths(&self) -> crate::source::Paths {
        crate::source::Paths {
            root: self.root.clone(),
            cwd: self.cwd.clone(),
            repo_prefix: self
                .repo_root
                .as_ref()
                .filter(|r| self.root.starts_with(r))
                .map(|r| crate::source::relative(r, &self.root))
                .unwrap_or_default(),
        }
    }
}
