//! The policy a gate judges by: config, rule packs, CODEOWNERS and allowed
//! signers, read from one commit's tree (the merge base by default).

use std::collections::BTreeSet;

use git2::Repository;

use crate::approvals::AllowedSigners;
use crate::config::{Config, CONFIG_NAMES};
use crate::error::Result;
use crate::ownership::{self, CodeOwners};
use crate::rules::{pack::pack_files, RuleSet};
use crate::source::policy_files::{PolicyFiles, TreeFiles};

pub struct Policy {
    pub config: Config,
    pub rules: RuleSet,
    pub codeowners: CodeOwners,
    pub signers: AllowedSigners,
    /// Project-relative paths whose change is a governance change.
    pub governance_files: BTreeSet<String>,
}

/// Reads the policy from `commit`'s tree, under the project `prefix`.
pub fn load(
    repo: &Repository,
    commit: git2::Oid,
    prefix: &str,
    explicit_config: Option<&str>,
) -> Result<Policy> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(crate::source::git::git_error)?;
    let files = TreeFiles {
        repo,
        tree,
        prefix: prefix.to_string(),
        label: short(commit),
    };
    load_from(&files, explicit_config)
}

/// Reads the policy from `files` (a commit's tree, or the working tree);
/// `explicit_config` is the config's path relative to the project root.
pub fn load_from(files: &dyn PolicyFiles, explicit_config: Option<&str>) -> Result<Policy> {
    let (config, config_rel) = match find_config(files, explicit_config) {
        Some((rel, text)) => (
            crate::config::load_from_text(&files.display(&rel), &text?)?,
            Some(rel),
        ),
        None => (Config::default(), None),
    };
    let rules = crate::rules::load_rule_set_from(&config, files)?;
    let (codeowners, owners_file) = ownership::load_configured(files, &config);
    let governance_files = governance_files(&config, files, config_rel, owners_file);
    let signers_rel = config.approvals.allowed_signers.clone();
    let signers = match files.read(&signers_rel) {
        Some(text) => AllowedSigners::parse_file(&files.display(&signers_rel), &text?)?,
        None => AllowedSigners::parse("").expect("an empty allowed_signers parses"),
    };
    Ok(Policy {
        config,
        rules,
        codeowners,
        signers,
        governance_files,
    })
}

/// Project-relative paths whose change is a governance change: the config
/// (under any of its names), the packs it loads, CODEOWNERS (in every place
/// it is looked for, and the one the config names) and the allowed signers.
pub fn governance_files(
    config: &Config,
    files: &dyn PolicyFiles,
    config_rel: Option<String>,
    owners_file: Option<String>,
) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = CONFIG_NAMES.iter().map(|n| n.to_string()).collect();
    out.extend(config_rel);
    for entry in &config.rules {
        out.extend(pack_files(entry, files));
    }
    out.extend(ownership::SEARCH_ORDER.iter().map(|s| s.to_string()));
    out.extend(owners_file);
    out.insert(config.approvals.allowed_signers.clone());
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
