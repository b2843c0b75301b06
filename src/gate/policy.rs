//! The policy a gate judges by: config, rule packs, CODEOWNERS and allowed
//! signers, read from one commit's tree (the merge base by default) — and the
//! project itself (its root and config) found in that tree, so a change that
//! deletes or moves the config cannot turn the policy off.

use std::collections::BTreeSet;

use git2::Repository;

use crate::approvals::AllowedSigners;
use crate::config::{Config, CONFIG_NAMES};
use crate::error::{FileError, Result};
use crate::ownership::{self, CodeOwners};
use crate::rules::RuleSet;
use crate::source::policy_files::{PolicyFiles, TreeFiles};
use crate::source::repo_path;

pub struct Policy {
    pub config: Config,
    pub rules: RuleSet,
    pub codeowners: CodeOwners,
    /// The CODEOWNERS lines that could not be used, as load warnings
    /// (`FILE:LINE: message`): the faces show them.
    pub owners_warnings: Vec<String>,
    pub signers: AllowedSigners,
    /// How reasons name the allowed_signers file (and whether it exists).
    pub signers_file: SignersFile,
    /// Paths whose change is a governance change.
    pub governance: Governance,
}

/// The allowed_signers file as reasons name it.
#[derive(Debug, Clone)]
pub struct SignersFile {
    pub path: String,
    pub exists: bool,
}

/// Governance paths, project-relative and normalised: files, and
/// directories every file under which (in base or head) is governance.
#[derive(Debug, Clone, Default)]
pub struct Governance {
    pub files: BTreeSet<String>,
    pub dirs: BTreeSet<String>,
}

impl Governance {
    /// Is the project-relative path `rel` a governance path?
    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains(rel)
            || self.dirs.iter().any(|d| {
                d.is_empty()
                    || rel
                        .strip_prefix(d.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
    }

    fn add_file(&mut self, rel: &str) {
        if let Ok(p) = repo_path::normalize(rel) {
            self.files.insert(p);
        }
    }

    fn add_dir(&mut self, rel: &str) {
        if let Ok(p) = repo_path::normalize(rel) {
            self.dirs.insert(p);
        }
    }
}

/// Where the project is in a tree: its root (relative to the repository
/// root, `""` at the root) and its config file (project-relative), if any.
pub struct Located {
    pub prefix: String,
    pub config: Option<String>,
}

/// Finds the project in `tree` as `check` finds it on disk: the config the
/// upward search from `start` (the current directory, repository-relative)
/// meets first, or the explicit config (repository-relative). No config:
/// the project is the repository.
pub fn locate(tree: &git2::Tree, start: &str, explicit: Option<&str>) -> Result<Located> {
    if let Some(explicit) = explicit {
        let path = repo_path::normalize(explicit).map_err(crate::error::plain)?;
        let (prefix, name) = match path.rsplit_once('/') {
            Some((dir, name)) => (dir.to_string(), name.to_string()),
            None => (String::new(), path.clone()),
        };
        return Ok(Located {
            prefix,
            config: Some(name),
        });
    }
    let mut dir = repo_path::normalize(start).unwrap_or_default();
    loop {
        for name in CONFIG_NAMES {
            let candidate = join(&dir, name);
            let is_file = tree
                .get_path(std::path::Path::new(&candidate))
                .is_ok_and(|e| e.kind() == Some(git2::ObjectType::Blob));
            if is_file {
                return Ok(Located {
                    prefix: dir,
                    config: Some(name.to_string()),
                });
            }
        }
        if dir.is_empty() {
            return Ok(Located {
                prefix: String::new(),
                config: None,
            });
        }
        dir = dir
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Reads the policy from `commit`'s tree for the project located there.
pub fn load(
    repo: &Repository,
    commit: git2::Oid,
    start: &str,
    explicit_config: Option<&str>,
) -> Result<(Policy, Located)> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(crate::source::git::git_error)?;
    let located = locate(&tree, start, explicit_config)?;
    let files = TreeFiles {
        repo,
        tree,
        prefix: located.prefix.clone(),
        label: short(commit),
    };
    let policy = load_from(&files, located.config.as_deref())?;
    Ok((policy, located))
}

/// Reads the policy from `files` (a commit's tree, or the working tree);
/// `config_rel` is the config's path relative to the project root (`None`:
/// search the project root for the config names).
pub fn load_from(files: &dyn PolicyFiles, config_rel: Option<&str>) -> Result<Policy> {
    let found = find_config(files, config_rel);
    let (config, config_rel, config_text) = match found {
        Some((rel, text)) => {
            let text = text?;
            (
                crate::config::load_from_text(&files.display(&rel), &text)?,
                Some(rel),
                Some(text),
            )
        }
        None => (Config::default(), None, None),
    };
    let rules = crate::rules::load_rule_set_from(&config, files)?;
    let owners = ownership::load_configured(files, &config)?;
    let governance = governance(&config, config_rel.as_deref(), owners.file);
    let (signers, signers_file) = load_signers(
        files,
        &config,
        config_rel.as_deref(),
        config_text.as_deref(),
    )?;
    Ok(Policy {
        config,
        rules,
        codeowners: owners.owners,
        owners_warnings: owners.warnings,
        signers,
        signers_file,
        governance,
    })
}

/// The allowed_signers file. A file the config names must exist (a missing
/// one would silently turn every signed approval away); the default place
/// may be empty.
fn load_signers(
    files: &dyn PolicyFiles,
    config: &Config,
    config_rel: Option<&str>,
    config_text: Option<&str>,
) -> Result<(AllowedSigners, SignersFile)> {
    let rel = config.approvals.allowed_signers_path();
    let shown = files.display(rel);
    match files.read(rel) {
        Some(text) => Ok((
            AllowedSigners::parse_file(&shown, &text?)?,
            SignersFile {
                path: rel.to_string(),
                exists: true,
            },
        )),
        None if config.approvals.allowed_signers.is_some() => {
            let message =
                format!("approvals.allowed_signers names `{rel}`, which does not exist ({shown})");
            let help = "create the file (ssh-keygen ALLOWED SIGNERS format: `email key-type key`), or remove the key to use .github/allowed_signers";
            match (config_rel, config_text) {
                (Some(config_rel), Some(text)) => {
                    let at = value_offset(text, "allowed_signers").unwrap_or(0);
                    let len = text[at..].find('\n').unwrap_or(text.len() - at);
                    Err(FileError::at(
                        &files.display(config_rel),
                        text,
                        at,
                        len,
                        message,
                        "this file is missing",
                    )
                    .with_help(help)
                    .into())
                }
                _ => Err(crate::error::with_help(message, help)),
            }
        }
        None => Ok((
            AllowedSigners::default(),
            SignersFile {
                path: rel.to_string(),
                exists: false,
            },
        )),
    }
}

/// The byte offset of the value of the first `key:` line in a YAML text.
fn value_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed
            .strip_prefix(key)
            .and_then(|r| r.trim_start().strip_prefix(':'))
        {
            let value = rest.trim_start();
            return Some(offset + line.len() - trimmed.len() + (trimmed.len() - value.len()));
        }
        offset += line.len();
    }
    None
}

/// Project-relative governance paths: the config (under every name the
/// search knows, its own included), every file under a pack or style
/// directory the config names (files that are added count too), CODEOWNERS
/// in every place it is looked for and the one the config names, the Vale
/// configs the search could find, and the allowed signers. Every path is
/// normalised, however the config spells it.
pub fn governance(
    config: &Config,
    config_rel: Option<&str>,
    owners_file: Option<String>,
) -> Governance {
    let mut out = Governance::default();
    for name in CONFIG_NAMES.iter().chain(crate::vale::config::CONFIG_NAMES) {
        out.add_file(name);
    }
    if let Some(rel) = config_rel {
        out.add_file(rel);
    }
    for entry in &config.rules {
        if entry.starts_with("builtin:") {
            continue;
        }
        let path = entry.strip_prefix("vale:").unwrap_or(entry);
        // A pack entry may be a file or a directory, in base or in head.
        out.add_file(path);
        out.add_dir(path);
    }
    if let Some(ini) = &config.vale_ini {
        out.add_file(ini);
    }
    for place in ownership::SEARCH_ORDER {
        out.add_file(place);
    }
    if config.owners.file != "auto" {
        out.add_file(&config.owners.file);
    }
    if let Some(file) = owners_file {
        out.add_file(&file);
    }
    out.add_file(config.approvals.allowed_signers_path());
    out
}

/// Repository paths outside the project whose change is a governance
/// change: a config file the upward search could find instead of the
/// project's (in every directory above the project root), and CODEOWNERS at
/// the repository root's places.
pub fn outside_governance(prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if prefix.is_empty() {
        return out;
    }
    let mut dir = prefix;
    loop {
        let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
        for name in CONFIG_NAMES.iter().chain(crate::vale::config::CONFIG_NAMES) {
            out.insert(join(parent, name));
        }
        if parent.is_empty() {
            break;
        }
        dir = parent;
    }
    out.extend(ownership::SEARCH_ORDER.iter().map(|s| s.to_string()));
    out
}

/// Project-relative config names between the project root and the current
/// directory (`start`, repository-relative): a config added there would be
/// found first from that directory.
pub fn configs_below(prefix: &str, start: &str) -> Vec<String> {
    let Ok(start) = repo_path::normalize(start) else {
        return Vec::new();
    };
    let rest = if prefix.is_empty() {
        start.as_str()
    } else {
        match start.strip_prefix(prefix).and_then(|r| r.strip_prefix('/')) {
            Some(r) => r,
            None => return Vec::new(),
        }
    };
    let mut out = Vec::new();
    let mut dir = String::new();
    for part in rest.split('/').filter(|p| !p.is_empty()) {
        dir = join(&dir, part);
        for name in CONFIG_NAMES.iter().chain(crate::vale::config::CONFIG_NAMES) {
            out.push(join(&dir, name));
        }
    }
    out
}

fn find_config(
    files: &dyn PolicyFiles,
    explicit: Option<&str>,
) -> Option<(String, Result<String>)> {
    match explicit {
        Some(rel) => Some((
            rel.to_string(),
            files.read(rel).unwrap_or_else(|| {
                Err(crate::error::plain(format!(
                    "config file not found in the policy tree: {}",
                    files.display(rel)
                )))
            }),
        )),
        None => CONFIG_NAMES
            .iter()
            .find_map(|name| files.read(name).map(|text| (name.to_string(), text))),
    }
}

pub fn short(oid: git2::Oid) -> String {
    oid.to_string()[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn governance_sees_through_every_spelling() {
        let mut config = Config {
            rules: vec![
                "./rules//".into(),
                "vale:styles/../styles/Acme".into(),
                "builtin:claims".into(),
            ],
            ..Config::default()
        };
        config.approvals.allowed_signers = Some("./.github/../.github/allowed_signers".into());
        let g = governance(&config, Some("imprimatur.yml"), None);
        for path in [
            "rules/new.yml",
            "rules",
            "styles/Acme/Rule.yml",
            ".github/allowed_signers",
            ".github/CODEOWNERS",
            ".vale.ini",
            ".imprimatur.yml",
        ] {
            assert!(g.contains(path), "{path}");
        }
        for path in ["rulesx/a.yml", "content/a.md", "styles/Other/R.yml"] {
            assert!(!g.contains(path), "{path}");
        }
    }

    #[test]
    fn configs_above_and_below_the_project() {
        let above = outside_governance("site/docs");
        assert!(above.contains("site/imprimatur.yml"));
        assert!(above.contains("imprimatur.yml"));
        assert!(above.contains(".vale.ini"));
        assert!(!above.contains("site/docs/imprimatur.yml"));
        assert!(outside_governance("").is_empty());
        assert_eq!(
            configs_below("site", "site/a")[..2],
            [
                "a/imprimatur.yml".to_string(),
                "a/.imprimatur.yml".to_string()
            ]
        );
    }

    #[test]
    fn value_offsets() {
        let text = "approvals:\n  allowed_signers: keys/x\n";
        let at = value_offset(text, "allowed_signers").unwrap();
        assert_eq!(&text[at..at + 6], "keys/x");
    }
}
