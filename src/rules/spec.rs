//! The YAML shape of a rule in a pack, as users write it. One flat struct
//! for every kind so that serde's errors keep their line and column; `pack`
//! then checks that a rule uses only its own kind's keys.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::finding::Level;

/// A rule pack file: `rules: [...]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSpec {
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindName {
    Forbid,
    Substitute,
    Require,
    FrontMatter,
    Links,
    Dates,
    Spelling,
    Metric,
}

impl KindName {
    /// Every kind, in the order the docs list them (a test ties it to the
    /// enum).
    pub const ALL: [KindName; 8] = [
        KindName::Forbid,
        KindName::Substitute,
        KindName::Require,
        KindName::FrontMatter,
        KindName::Links,
        KindName::Dates,
        KindName::Spelling,
        KindName::Metric,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KindName::Forbid => "forbid",
            KindName::Substitute => "substitute",
            KindName::Require => "require",
            KindName::FrontMatter => "front-matter",
            KindName::Links => "links",
            KindName::Dates => "dates",
            KindName::Spelling => "spelling",
            KindName::Metric => "metric",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Within {
    #[default]
    Sentence,
    Paragraph,
    Document,
}

/// A regex as written. Its syntax is checked after parsing
/// (`RuleSpec::regex_problem`), so that a bad one is reported at the column
/// where it goes wrong rather than at the enclosing rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct RegexText(pub String);

/// Why a regex does not compile: where in it (a byte offset) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexProblem {
    /// The key it is under (`patterns`, `when`, `then`, `unless`, `swap`).
    pub key: &'static str,
    pub regex: String,
    pub offset: usize,
    pub message: String,
}

/// Checks `regex` with the regex crate's own parser, for the error's span.
pub fn regex_problem(key: &'static str, regex: &str) -> Option<RegexProblem> {
    let (offset, message) = match regex_syntax::Parser::new().parse(regex) {
        Err(regex_syntax::Error::Parse(e)) => (e.span().start.offset, e.kind().to_string()),
        Err(regex_syntax::Error::Translate(e)) => (e.span().start.offset, e.kind().to_string()),
        Err(e) => (0, e.to_string()),
        Ok(_) => match regex::Regex::new(regex) {
            Ok(_) => return None,
            Err(e) => (0, last_line(&e.to_string()).to_string()),
        },
    };
    let hint = if message.contains("look-around") || message.contains("backreferences") {
        " (imprimatur packs use the regex crate's syntax: no look-around or backreferences)"
    } else {
        ""
    };
    Some(RegexProblem {
        key,
        regex: regex.to_string(),
        offset,
        message: format!("{message}{hint}"),
    })
}

fn last_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlessSpec {
    pub pattern: RegexText,
    #[serde(default)]
    pub within: Within,
}

/// `when:` of a `require` rule: a regex over the prose, or front-matter values.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum WhenSpec {
    Pattern(RegexText),
    FrontMatter {
        front_matter: BTreeMap<String, String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    String,
    List,
    Date,
    Number,
    Boolean,
    /// A key of `people` (or a handle or email that resolves to one).
    Person,
    /// A key of `teams`.
    Team,
    /// A person or a team.
    Owner,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}

/// `scope:` is one name or a list of names.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: KindName,
    pub level: Level,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub examples: Option<Examples>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub exclude_paths: Vec<String>,
    #[serde(default)]
    pub scope: Option<OneOrMany>,
    #[serde(default)]
    pub ignore_case: Option<bool>,

    // forbid
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<RegexText>,
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub unless: Option<UnlessSpec>,

    // substitute
    #[serde(default)]
    pub swap: Option<yaml_serde::Mapping>,
    #[serde(default)]
    pub regex: Option<bool>,

    // require
    #[serde(default)]
    pub when: Option<WhenSpec>,
    #[serde(default)]
    pub then: Option<RegexText>,

    // front-matter
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub values: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub types: BTreeMap<String, FieldType>,

    // links
    #[serde(default)]
    pub alt_text: Option<bool>,
    #[serde(default)]
    pub relative: Option<bool>,
    #[serde(default)]
    pub anchors: Option<bool>,
    #[serde(default)]
    pub references: Option<bool>,

    // dates (field names default to the config's `dates:`)
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub embargo: Option<String>,
    #[serde(default)]
    pub reviewed: Option<String>,
    #[serde(default)]
    pub max_age_days: Option<u32>,

    // spelling
    #[serde(default)]
    pub dictionaries: Vec<String>,
    #[serde(default)]
    pub accept: Vec<String>,
    #[serde(default)]
    pub accept_files: Vec<String>,

    // metric
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
}

impl RuleSpec {
    /// The first regex of this rule that does not compile.
    pub fn regex_problem(&self) -> Option<RegexProblem> {
        let mut regexes: Vec<(&'static str, &str)> = Vec::new();
        regexes.extend(self.patterns.iter().map(|p| ("patterns", p.0.as_str())));
        if let Some(unless) = &self.unless {
            regexes.push(("pattern", unless.pattern.0.as_str()));
        }
        if let Some(WhenSpec::Pattern(p)) = &self.when {
            regexes.push(("when", p.0.as_str()));
        }
        if let Some(then) = &self.then {
            regexes.push(("then", then.0.as_str()));
        }
        if self.regex == Some(true) {
            if let Some(swap) = &self.swap {
                regexes.extend(swap.keys().filter_map(|k| k.as_str()).map(|k| ("swap", k)));
            }
        }
        regexes
            .into_iter()
            .find_map(|(key, regex)| regex_problem(key, regex))
    }

    /// Keys set on this rule that its kind does not read.
    pub fn foreign_keys(&self) -> Vec<&'static str> {
        let set: [(&'static str, bool, &[KindName]); 26] = [
            ("terms", !self.terms.is_empty(), &[KindName::Forbid]),
            ("patterns", !self.patterns.is_empty(), &[KindName::Forbid]),
            (
                "exceptions",
                !self.exceptions.is_empty(),
                &[KindName::Forbid, KindName::Substitute],
            ),
            ("unless", self.unless.is_some(), &[KindName::Forbid]),
            ("swap", self.swap.is_some(), &[KindName::Substitute]),
            ("regex", self.regex.is_some(), &[KindName::Substitute]),
            ("when", self.when.is_some(), &[KindName::Require]),
            ("then", self.then.is_some(), &[KindName::Require]),
            (
                "required",
                !self.required.is_empty(),
                &[KindName::FrontMatter],
            ),
            ("values", !self.values.is_empty(), &[KindName::FrontMatter]),
            ("types", !self.types.is_empty(), &[KindName::FrontMatter]),
            ("alt_text", self.alt_text.is_some(), &[KindName::Links]),
            ("relative", self.relative.is_some(), &[KindName::Links]),
            ("anchors", self.anchors.is_some(), &[KindName::Links]),
            ("references", self.references.is_some(), &[KindName::Links]),
            ("expires", self.expires.is_some(), &[KindName::Dates]),
            ("embargo", self.embargo.is_some(), &[KindName::Dates]),
            ("reviewed", self.reviewed.is_some(), &[KindName::Dates]),
            (
                "max_age_days",
                self.max_age_days.is_some(),
                &[KindName::Dates],
            ),
            (
                "ignore_case",
                self.ignore_case.is_some(),
                &[KindName::Forbid, KindName::Substitute, KindName::Require],
            ),
            (
                "scope",
                self.scope.is_some(),
                &[
                    KindName::Forbid,
                    KindName::Substitute,
                    KindName::Require,
                    KindName::Spelling,
                    KindName::Metric,
                ],
            ),
            (
                "dictionaries",
                !self.dictionaries.is_empty(),
                &[KindName::Spelling],
            ),
            ("accept", !self.accept.is_empty(), &[KindName::Spelling]),
            (
                "accept_files",
                !self.accept_files.is_empty(),
                &[KindName::Spelling],
            ),
            ("formula", self.formula.is_some(), &[KindName::Metric]),
            ("condition", self.condition.is_some(), &[KindName::Metric]),
        ];
        set.iter()
            .filter(|(_, present, kinds)| *present && !kinds.contains(&self.kind))
            .map(|(k, _, _)| *k)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::KindName;

    /// Each variant's place in `KindName::ALL`. The match has one arm per
    /// variant, so a new kind does not compile until it is placed here —
    /// and then `ALL` must hold it there.
    fn position(kind: KindName) -> usize {
        match kind {
            KindName::Forbid => 0,
            KindName::Substitute => 1,
            KindName::Require => 2,
            KindName::FrontMatter => 3,
            KindName::Links => 4,
            KindName::Dates => 5,
            KindName::Spelling => 6,
            KindName::Metric => 7,
        }
    }

    /// The number of arms in `position`.
    const VARIANTS: usize = 8;

    #[test]
    fn all_holds_every_kind_once_in_order() {
        assert_eq!(KindName::ALL.len(), VARIANTS);
        for (i, kind) in KindName::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
    }

    #[test]
    fn every_kind_parses_from_its_name() {
        for kind in KindName::ALL {
            let parsed: KindName = yaml_serde::from_str(kind.as_str()).unwrap();
            assert_eq!(parsed, kind);
        }
    }
}
