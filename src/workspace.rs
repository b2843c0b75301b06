//! Where a command runs: the current directory, the repository root (git2
//! discovery; the current directory outside a repository) and the config.

use std::path::{Path, PathBuf};

use crate::config::{self, LoadedConfig};
use crate::error::Result;

pub struct Workspace {
    pub cwd: PathBuf,
    pub root: PathBuf,
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
        let root = repo
            .as_ref()
            .and_then(|r| r.workdir())
            .and_then(|d| d.canonicalize().ok())
            .unwrap_or_else(|| cwd.to_path_buf());
        let explicit = explicit_config.map(|p| cwd.join(p));
        let config = config::load(explicit.as_deref(), cwd, Some(&root))?;
        Ok(Workspace {
            cwd: cwd.to_path_buf(),
            root,
            repo,
            config,
        })
    }

    pub fn paths(&self) -> crate::output::Paths {
        crate::output::Paths {
            root: self.root.clone(),
            cwd: self.cwd.clone(),
        }
    }
}
