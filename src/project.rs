//! A project opened once and checked many times: the library's entry point
//! for every face — `check` (a selection of files: working tree, index,
//! commit, what changed), the language server and `check --stdin-filename`
//! (one in-memory text at a path). Opening finds the config by the upward
//! search, loads the rule packs, the content set and CODEOWNERS; `check`
//! (in `run.rs`) checks a selection, `check_text` one text as if it were the
//! file at a project-relative path, exactly as `check` would check that file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::approvals::AllowedSigners;
use crate::engine::{Checker, FileResult};
use crate::environment::{Environment, ProjectFiles};
use crate::error::Result;
use crate::finding::Level;
use crate::gate::evaluate::Requirement;
use crate::gate::Policy;
use crate::ownership::Ownership;
use crate::source::policy_files::DiskFiles;
use crate::source::ContentSet;
use crate::workspace::Workspace;

pub struct Project {
    pub workspace: Workspace,
    /// Config, rules and CODEOWNERS as the gate holds them, so owners and
    /// approval requirements come from the gate's own code.
    pub policy: Policy,
    pub content: ContentSet,
    /// Today, the project's files on disk, and last-change days from git
    /// (filled per file on first use when a `dates` rule needs them).
    env: Environment,
    /// Paths whose last-change day was looked up (found or not).
    dated: std::collections::HashSet<String>,
}

impl Project {
    /// Opens the project around directory `start`: the config found from
    /// there upward (or `explicit_config`), else the repository. With neither,
    /// `fallback_root` (an editor's workspace folder) or `start` is the root.
    pub fn open(
        start: &Path,
        explicit_config: Option<&Path>,
        fallback_root: Option<&Path>,
    ) -> Result<Project> {
        Self::open_with(start, explicit_config, fallback_root, Owners::Always)
    }

    /// Opens the project around the current directory, as `check` does: the
    /// config found from there upward (or `explicit_config`). CODEOWNERS is
    /// read only where a check needs it — `owners.required`, or a file the
    /// config names (a missing one is an error) — so a check of a project
    /// that does not require owners neither reads nor warns about it.
    pub fn open_for_check(explicit_config: Option<&Path>) -> Result<Project> {
        let cwd = std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .map_err(|e| crate::error::plain(format!("cannot read the current directory: {e}")))?;
        Self::open_with(&cwd, explicit_config, None, Owners::WhenChecked)
    }

    fn open_with(
        start: &Path,
        explicit_config: Option<&Path>,
        fallback_root: Option<&Path>,
        owners: Owners,
    ) -> Result<Project> {
        let mut workspace = Workspace::open_at(start, explicit_config)?;
        if workspace.config.path.is_none() && workspace.repo_root.is_none() {
            if let Some(root) = fallback_root {
                workspace.root = root.to_path_buf();
            }
        }
        let config = &workspace.config.config;
        let rules = crate::rules::load_rule_set(config, &workspace.config.base_dir)?;
        let content = ContentSet::new(&config.content)?;
        let files = DiskFiles {
            base: workspace.root.clone(),
        };
        let wanted =
            owners == Owners::Always || config.owners.required || config.owners.file != "auto";
        let owners = if wanted {
            crate::ownership::load_configured(&files, config)?
        } else {
            crate::ownership::Configured::none()
        };
        let config_rel = workspace
            .config
            .path
            .as_ref()
            .map(|p| crate::source::relative(&workspace.root, p));
        let governance =
            crate::gate::policy::governance(config, config_rel.as_deref(), owners.file);
        // The editor shows what a page needs, not whose signature verifies:
        // no allowed signers are read.
        let policy = Policy {
            config: config.clone(),
            rules,
            codeowners: owners.owners,
            owners_warnings: owners.warnings,
            signers: AllowedSigners::default(),
            signers_file: crate::gate::policy::SignersFile {
                path: config.approvals.allowed_signers_path().to_string(),
                exists: false,
            },
            governance,
        };
        let env = disk_environment(&workspace.root, crate::calendar::today());
        Ok(Project {
            workspace,
            policy,
            content,
            env,
            dated: Default::default(),
        })
    }

    /// The project root: content globs, rule paths and CODEOWNERS patterns
    /// are relative to it.
    pub fn root(&self) -> &Path {
        &self.workspace.root
    }

    /// The config file (`imprimatur.yml` or a Vale config), when there is one.
    pub fn config_file(&self) -> Option<&Path> {
        self.workspace.config.path.as_deref()
    }

    /// `abs` as a project-relative path, when it lies under the root.
    pub fn relative(&self, abs: &Path) -> Option<String> {
        let root = self.root();
        if abs.starts_with(root) {
            return Some(crate::source::relative(root, abs));
        }
        // The editor may name the file through a symlink (`/tmp` → `/private/tmp`).
        let parent = abs.parent()?.canonicalize().ok()?;
        let abs = parent.join(abs.file_name()?);
        abs.starts_with(root)
            .then(|| crate::source::relative(root, &abs))
    }

    /// Is `rel` in the configured content set (included and not excluded)?
    pub fn is_content(&self, rel: &str) -> bool {
        self.content.is_content(rel)
    }

    /// Does a change to `abs` change how this project checks (its config,
    /// rule packs, Vale styles, CODEOWNERS…)? Any file under the root that is
    /// not content counts: reloading is cheap, missing a change is not.
    pub fn depends_on(&self, abs: &Path) -> bool {
        if self.config_file() == Some(abs) {
            return true;
        }
        match self.relative(abs) {
            Some(rel) => {
                self.policy.governance.contains(&rel)
                    || !self.is_content(&rel) && !rel.starts_with(".git/")
            }
            None => false,
        }
    }

    /// Findings below this level are not shown (a Vale config's `MinAlertLevel`).
    pub fn min_level(&self) -> Level {
        self.policy.rules.vale.min_level.unwrap_or(Level::Info)
    }

    /// Judges dates as of `today` (days since 1970-01-01) from now on.
    pub fn set_today(&mut self, today: i64) {
        if self.env.today != today {
            self.refresh_files_with(today);
        }
    }

    /// Forgets what was read of other files (links' anchors, last-change
    /// days): call when files on disk changed.
    pub fn refresh_files(&mut self) {
        self.refresh_files_with(self.env.today);
    }

    fn refresh_files_with(&mut self, today: i64) {
        self.env = disk_environment(self.root(), today);
        self.dated.clear();
    }

    /// Checks the files `request` selects (see `run.rs`).
    pub fn check(&self, request: &crate::run::CheckRequest) -> Result<crate::run::CheckRun> {
        crate::run::check(self, request)
    }

    /// Checks `text` as the content of the file at `rel`: the findings and
    /// suppressions `check` would report for that text at that path
    /// (including `owners.required`).
    pub fn check_text(&mut self, rel: &str, text: String) -> FileResult {
        self.check_bytes(rel, text.into_bytes())
    }

    /// `check_text` for bytes that may not be text (`imprimatur/unreadable`).
    pub fn check_bytes(&mut self, rel: &str, bytes: Vec<u8>) -> FileResult {
        self.learn_last_change(rel);
        let checker = Checker {
            rules: &self.policy.rules,
            config: &self.policy.config,
            env: &self.env,
        };
        let (mut result, _) = checker.check_bytes(rel, Ok(bytes));
        if self.policy.config.owners.required {
            crate::engine::flag_unowned(&mut result, &self.policy.codeowners);
        }
        result
    }

    /// The code owners of `rel`, as `owners` and the gate resolve them.
    pub fn ownership(&self, rel: &str) -> Ownership {
        self.policy.codeowners.owners_of(rel)
    }

    /// The approvals publishing `rel` will need: the configured policies
    /// whose paths match and GitLab section approvals, from the gate's code.
    pub fn requirements(&self, rel: &str) -> Vec<Requirement> {
        crate::gate::policy_requirements(&self.policy, rel, &self.ownership(rel))
    }

    /// With a `dates` rule, the day `rel` last changed in git, read once.
    fn learn_last_change(&mut self, rel: &str) {
        if !self.policy.rules.has_dates_rules() || !self.dated.insert(rel.to_string()) {
            return;
        }
        let ws = &self.workspace;
        let head = ws.repo.as_ref().and_then(|r| r.head().ok()?.target());
        if let (Some(repo), Some(head)) = (&ws.repo, head) {
            let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
            let prefix = crate::source::relative(&repo_root, &ws.root);
            let found =
                crate::environment::last_changed_for(repo, head, &prefix, &[rel.to_string()]);
            self.env.last_changed.extend(found);
        }
    }
}

fn disk_environment(root: &Path, today: i64) -> Environment {
    Environment::new(
        today,
        ProjectFiles::Disk(root.to_path_buf()),
        HashMap::new(),
    )
}

/// Which CODEOWNERS a project reads when it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owners {
    /// Always (an editor shows owners and approvals).
    Always,
    /// Only where a check needs it.
    WhenChecked,
}

/// The nearest existing directory at or above `path`'s parent: where a
/// project is searched from for a file that may not exist yet.
pub fn start_dir(path: &Path) -> PathBuf {
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    while !dir.as_os_str().is_empty() && !dir.is_dir() {
        dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    dir.canonicalize().unwrap_or(dir)
}
