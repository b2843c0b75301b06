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
    /// Fingerprints of the GPG keys that may sign this person's approvals.
    pub gpg: Vec<String>,
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

/// The allowed_signers file read when the config names none.
pub const DEFAULT_ALLOWED_SIGNERS: &str = ".github/allowed_signers";

impl Approvals {
    /// The allowed_signers path: the configured one, else the default.
    pub fn allowed_signers_path(&self) -> &str {
        self.allowed_signers
            .as_deref()
            .unwrap_or(DEFAULT_ALLOWED_SIGNERS)
    }
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
    /// Where the config names an allowed_signers file; `None` means the
    /// default place ([`DEFAULT_ALLOWED_SIGNERS`]), which may be absent.
    pub allowed_signers: Option<String>,
    pub governance: Vec<String>,
    pub policies: Vec<Policy>,
}

impl Default for Approvals {
    fn default() -> Self {
        Approvals {
            trailers: vec!["Approved-by".into()],
            trailer_trust: TrailerTrust::Signed,
            allowed_signers: None,
            governance: Vec::new(),
            policies: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatter {
    pub required: Vec<String>,
    /// Globs the `required` keys apply to (default: every content file).
    pub paths: Vec<String>,
    pub exclude_paths: Vec<String>,
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

/// What an override does to a rule: switch it off or give it another level.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleSetting {
    /// The level the rule reports at, or `None` when it is off.
    pub fn level(self) -> Option<crate::finding::Level> {
        use crate::finding::Level;
        match self {
            RuleSetting::Off => None,
            RuleSetting::Info => Some(Level::Info),
            RuleSetting::Warning => Some(Level::Warning),
            RuleSetting::Error => Some(Level::Error),
        }
    }
}

/// One `overrides:` block: rule settings for the files under `paths`
/// (every content file when empty) and not under `exclude_paths`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Override {
    pub paths: Vec<String>,
    pub exclude_paths: Vec<String>,
    /// Rule id, or a glob over ids (`brand/*`), to its setting.
    pub rules: BTreeMap<String, RuleSetting>,
}

/// Where a config's text came from, so that problems found after loading
/// (an override naming no rule) can still be located in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigSource {
    pub name: String,
    pub text: String,
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
    /// Per-path rule settings; later blocks win.
    pub overrides: Vec<Override>,
    /// The text the config was read from (none for the defaults).
    #[serde(skip)]
    pub source: Option<ConfigSource>,
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
            overrides: Vec::new(),
            source: None,
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
    /// Is `name` a team (`@org/team` key of `teams`)? Team slugs compare
    /// case-insensitively, as GitHub and GitLab treat them.
    pub fn is_team(&self, name: &str) -> bool {
        self.team(name).is_some()
    }

    /// The members of team `name` (case-insensitive slug).
    fn team(&self, name: &str) -> Option<&Vec<String>> {
        self.teams.get(name).or_else(|| {
            self.teams
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }

    /// Resolves an identity seen in evidence (a commit's email, a trailer's
    /// email or handle, a platform login) to the key of `people`: through
    /// `emails` and `handles` only, case-insensitively. A `people` key is a
    /// name in the config, never a login, so it does not resolve here.
    pub fn person_for_identity(&self, identity: &str) -> Option<&str> {
        let bare = identity.trim().trim_start_matches('@');
        if bare.is_empty() {
            return None;
        }
        self.people.iter().find_map(|(key, person)| {
            let by_email = person.emails.iter().any(|e| e.eq_ignore_ascii_case(bare));
            let by_handle = person
                .handles
                .iter()
                .any(|h| h.trim_start_matches('@').eq_ignore_ascii_case(bare));
            (by_email || by_handle).then_some(key.as_str())
        })
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
        match self.team(name) {
            Some(members) => members
                .iter()
                .filter_map(|m| self.person_for(m).map(str::to_string))
                .collect(),
            // `@login` (CODEOWNERS, policies) is a login: handles only.
            None if name.starts_with('@') => self
                .person_for_identity(name)
                .map(str::to_string)
                .into_iter()
                .collect(),
            None => self
                .person_for(name)
                .map(str::to_string)
                .into_iter()
                .collect(),
        }
    }
}
