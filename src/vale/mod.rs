//! Vale compatibility: Vale styles (`vale:PATH` in `rules:`) and Vale
//! projects (`.vale.ini` when there is no `imprimatur.yml`) run unchanged.
//!
//! `ini` reads the config, `config` turns it into per-file policy, `load`
//! reads style directories into rules (one file per kind: `existence`,
//! `substitution`, `occurrence`, `repetition`, `conditional`,
//! `capitalization`, `consistency`, and `script`, a Tengo interpreter), `blocks` shows a document the way Vale
//! sees it, `controls` handles `<!-- vale … -->` comments and `engine` runs
//! the rules. Rule ids are `Style.Rule`; Vale's `suggestion` is `info`.

pub mod blocks;
pub mod capitalization;
pub mod case;
pub mod common;
pub mod conditional;
pub mod config;
pub mod consistency;
pub mod controls;
pub mod definition;
pub mod engine;
pub mod existence;
pub mod html;
pub mod ini;
pub mod load;
pub mod locate;
pub mod message;
pub mod metric;
pub mod occurrence;
pub mod regex;
pub mod repetition;
pub mod scope;
pub mod script;
pub mod spelling;
pub mod substitution;

use std::ops::Range;

pub use config::{find_config, IniPolicy, CONFIG_NAMES};
pub use load::{load_ini_rules, load_style_entry};

/// One alert of a Vale rule: a range of the text it read, the message, and
/// for substitutions the single replacement a fix can write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<String>,
}

/// A compiled Vale rule; the imprimatur `Rule` around it holds id and level.
#[derive(Debug)]
pub struct ValeRule {
    pub style: String,
    pub scope: scope::RuleScope,
    /// The Go format string of the message.
    pub message: String,
    /// At most this many alerts per file (`limit`; 0 is no limit).
    pub limit: usize,
    pub check: Check,
}

#[derive(Debug)]
pub enum Check {
    Existence(existence::Existence),
    Substitution(substitution::Substitution),
    Occurrence(occurrence::Occurrence),
    Repetition(repetition::Repetition),
    Conditional(conditional::Conditional),
    Capitalization(capitalization::Capitalization),
    Consistency(consistency::Consistency),
    Script(script::ScriptRule),
    Spelling(spelling::Spelling),
    Metric(metric::Metric),
}

impl Check {
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Existence(_) => "existence",
            Check::Substitution(_) => "substitution",
            Check::Occurrence(_) => "occurrence",
            Check::Repetition(_) => "repetition",
            Check::Conditional(_) => "conditional",
            Check::Capitalization(_) => "capitalization",
            Check::Consistency(_) => "consistency",
            Check::Script(_) => "script",
            Check::Spelling(_) => "spelling",
            Check::Metric(_) => "metric",
        }
    }
}

/// What a rule set knows about Vale beyond its rules.
#[derive(Debug, Default)]
pub struct ValeProject {
    /// Per-file policy from a `.vale.ini`; `None` runs every Vale rule on every file.
    pub ini: Option<IniPolicy>,
    /// `MinAlertLevel` from the ini (the default of `--min-level`).
    pub min_level: Option<crate::finding::Level>,
    /// Load warnings (rules or keys that cannot be honoured), printed once.
    pub warnings: Vec<String>,
    /// `SkippedScopes`: block kinds (HTML tag names) never read.
    pub skipped_scopes: Vec<String>,
    /// `IgnoredClasses`: inline HTML with these classes is not read.
    pub ignored_classes: Vec<String>,
    /// `IgnoredScopes` (inline tags: `strong`, `em`, `a`…); empty means Vale's
    /// default, `code`, `tt`, `kbd`, which are never read anyway.
    pub ignored_scopes: Vec<String>,
}
