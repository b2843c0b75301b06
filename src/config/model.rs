//! The shape of `imprimatur.yml`. Unknown keys are rejected (`deny_unknown_fields`)
//! and reported with a suggestion by `load`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Which files are content. Globs are relative to the repository root.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Content {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Default for Content {
    fn default() -> Self {
        Content {
            include: vec!["**/*.md".into(), "**/*.mdx".into(), "**/*.markdown".into()],
            exclude: vec!["node_modules/**".into(), "vendor/**".into()],
        }
    }
}

/// A person who may own content or approve changes.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Person {
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub handles: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum DialectSetting {
    #[default]
    Auto,
    Github,
    Gitlab,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Owners {
    /// `auto` (GitHub's search order) or a repository-relative path.
    pub file: String,
    pub dialect: DialectSetting,
    /// A content file with no owner is an error.
    pub required: bool,
}

impl Default for Owners {
    fn default() -> Self {
        Owners {
            file: "auto".into(),
            dialect: DialectSetting::Auto,
            required: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum TrailerTrust {
    /// The commit carrying the trailer must be signed by the approver.
    #[default]
    Signed,
    /// The commit carrying the trailer must be authored by the approver.
    Author,
    /// Every trailer counts (the platform wrote it).
    Any,
}

/// A required-approval policy (`approvals.policies[]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    pub paths: Vec<String>,
    #[serde(default = "one")]
    pub require: u32,
    /// Teams, people, or `owners` (the file's code owners).
    pub from: Vec<String>,
    #[serde(default)]
    pub allow_author: bool,
    #[serde(default = "yes")]
    pub invalidate_on_change: bool,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Approvals {
    pub trailers: Vec<String>,
    pub trailer_trust: TrailerTrust,
    pub allowed_signers: String,
    pub governance: Vec<String>,
    pub policies: Vec<Policy>,
}

impl Default for Approvals {
    fn default() -> Self {
        Approvals {
            trailers: vec!["Approved-by".into()],
            trailer_trust: TrailerTrust::Signed,
            allowed_signers: ".github/allowed_signers".into(),
            governance: Vec::new(),
            policies: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatter {
    pub required: Vec<String>,
}

/// Names of the front-matter fields that carry dates.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Dates {
    pub expires: String,
    pub embargo: String,
    pub reviewed: String,
    pub max_age_days: u32,
}

impl Default for Dates {
    fn default() -> Self {
        Dates {
            expires: "expires".into(),
            embargo: "publish_after".into(),
            reviewed: "last_reviewed".into(),
            max_age_days: 365,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Suppressions {
    /// A suppression comment without `-- reason` is itself an error.
    pub require_reason: bool,
}

/// The whole config file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub content: Content,
    /// Rule packs: `builtin:NAME`, `vale:PATH`, or a YAML file or directory.
    pub rules: Vec<String>,
    pub people: BTreeMap<String, Person>,
    pub teams: BTreeMap<String, Vec<String>>,
    pub owners: Owners,
    pub approvals: Approvals,
    pub front_matter: FrontMatter,
    pub dates: Dates,
    pub suppressions: Suppressions,
    /// A Vale config (`.vale.ini`, relative to the project root) that stands
    /// in for `imprimatur.yml` when there is none; never read from YAML.
    #[serde(skip)]
    pub vale_ini: Option<String>,
}

/// The built-in packs loaded when no config file exists.
pub const BUILTIN_PACKS: &[&str] = &["claims", "brand", "privacy", "structure"];

impl Default for Config {
    fn default() -> Self {
        Config {
            content: Content::default(),
            rules: BUILTIN_PACKS
                .iter()
                .map(|p| format!("builtin:{p}"))
                .collect(),
            people: BTreeMap::new(),
            teams: BTreeMap::new(),
            owners: Owners::default(),
            approvals: Approvals::default(),
            front_matter: FrontMatter::default(),
            dates: Dates::default(),
            suppressions: Suppressions::default(),
            vale_ini: None,
        }
    }
}

impl Config {
    /// The config of a Vale project with no `imprimatur.yml`: Vale's rules
    /// from `ini` (a path relative to the project root) over its Markdown files.
    /// The config of a Vale project: Markdown and MDX pages (Vale 3 reads
    /// `.mdx` natively), plus every extension its `[formats]` maps to
    /// Markdown (`extra`).
    pub fn for_vale(ini: &str, extra: &[String]) -> Config {
        let mut exts: Vec<&str> = vec!["md", "markdown", "mdown", "markdn", "mdx"];
        exts.extend(extra.iter().map(String::as_str).filter(|e| !e.is_empty()));
        exts.dedup();
        Config {
            content: Content {
                include: exts.iter().map(|e| format!("**/*.{e}")).collect(),
                exclude: Content::default().exclude,
            },
            rules: Vec::new(),
            vale_ini: Some(ini.to_string()),
            ..Config::default()
        }
    }
}

impl Config {
    /// Is `name` a team (`@org/team` key of `teams`)?
    pub fn is_team(&self, name: &str) -> bool {
        self.teams.contains_key(name)
    }

    /// Resolves an identity (person key, handle with or without `@`, or email)
    /// to the key of `people`. Handles and emails compare case-insensitively.
    pub fn person_for(&self, identity: &str) -> Option<&str> {
        let identity = identity.trim();
        if self.people.contains_key(identity) {
            return self.people.get_key_value(identity).map(|(k, _)| k.as_str());
        }
        let bare = identity.trim_start_matches('@');
        self.people.iter().find_map(|(key, person)| {
            let by_email = person.emails.iter().any(|e| e.eq_ignore_ascii_case(bare));
            let by_handle = person
                .handles
                .iter()
                .any(|h| h.trim_start_matches('@').eq_ignore_ascii_case(bare));
            (by_email || by_handle || key.eq_ignore_ascii_case(bare)).then_some(key.as_str())
        })
    }

    /// The people of a team, or the person named, as keys of `people`.
    pub fn members_of(&self, name: &str) -> Vec<String> {
        match self.teams.get(name) {
            Some(members) => members
                .iter()
                .filter_map(|m| self.person_for(m).map(str::to_string))
                .collect(),
            None => self
                .person_for(name)
                .map(str::to_string)
                .into_iter()
                .collect(),
        }
    }
}
