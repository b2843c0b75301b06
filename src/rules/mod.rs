//! Rules: the pack format (`spec`), loading (`pack`), one file per kind, and
//! the compiled `RuleSet` whose literal terms share one automaton (`terms`).

pub mod builtin;
pub mod confusable;
pub mod dates;
pub mod explain;
pub mod forbid;
pub mod formula;
pub mod front_matter;
pub mod kind_docs;
pub mod links;
pub mod meta;
pub mod metric;
pub mod overrides;
pub mod pack;
pub mod prefilter;
pub mod require;
pub mod spec;
pub mod spelling;
pub mod substitute;
pub mod terms;

use globset::GlobSet;

use crate::document::{Scope, Segment};
use crate::finding::Level;
pub use meta::RuleMeta;
pub use pack::{load_rule_set, load_rule_set_from};
pub use spec::Examples;
use terms::TermIndex;

/// Which text a rule reads: body scopes, and front-matter keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeSel {
    pub body: Scope,
    /// Front-matter keys read; `None` means every key.
    pub keys: Option<Vec<String>>,
}

impl Default for ScopeSel {
    /// All body text, plus the page's `title` and `description`.
    fn default() -> Self {
        ScopeSel {
            body: Scope::BODY,
            keys: Some(vec!["title".into(), "description".into()]),
        }
    }
}

impl ScopeSel {
    /// Parses `scope:` names: `heading`, `list`, …, `frontmatter`, `frontmatter.KEY`.
    pub fn parse(names: &[String]) -> Result<ScopeSel, String> {
        let mut sel = ScopeSel {
            body: Scope::default(),
            keys: Some(Vec::new()),
        };
        for name in names {
            if let Some(key) = name
                .strip_prefix("frontmatter.")
                .or_else(|| name.strip_prefix("front-matter."))
            {
                if let Some(keys) = &mut sel.keys {
                    keys.push(key.to_string());
                }
            } else if name == "frontmatter" || name == "front-matter" {
                sel.keys = None;
            } else {
                let scope = Scope::from_name(name).ok_or_else(|| {
                    format!("unknown scope `{name}` (expected text, paragraph, heading, list, table, blockquote, link, alt, footnote, frontmatter or frontmatter.KEY)")
                })?;
                sel.body = sel.body.union(scope);
            }
        }
        Ok(sel)
    }

    /// Does this selection read `range` of `segment`?
    pub fn reads(&self, segment: &Segment, range: &std::ops::Range<usize>) -> bool {
        match &segment.key {
            Some(key) => self
                .keys
                .as_ref()
                .is_none_or(|keys| keys.iter().any(|k| k == key)),
            None => self.body.intersects(segment.scope_of(range)),
        }
    }
}

/// What a rule does, with its compiled parts.
#[derive(Debug)]
pub enum Kind {
    Forbid(forbid::Forbid),
    Substitute(substitute::Substitute),
    Require(require::Require),
    FrontMatter(front_matter::FrontMatterRule),
    Links(links::Links),
    Dates(dates::Dates),
    Spelling(spelling::Spelling),
    Metric(metric::Metric),
    /// A rule of a Vale style (`Style.Rule`), run by `crate::vale::engine`.
    Vale(Box<crate::vale::ValeRule>),
}

impl Kind {
    /// Is this a kind that only matches terms (`forbid`, `substitute`)?
    pub fn is_term_kind(&self) -> bool {
        matches!(self, Kind::Forbid(_) | Kind::Substitute(_))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Kind::Forbid(_) => "forbid",
            Kind::Substitute(_) => "substitute",
            Kind::Require(_) => "require",
            Kind::FrontMatter(_) => "front-matter",
            Kind::Links(_) => "links",
            Kind::Dates(_) => "dates",
            Kind::Spelling(_) => "spelling",
            Kind::Metric(_) => "metric",
            Kind::Vale(v) => v.check.kind(),
        }
    }

    /// One line on what the kind does, for `rules --explain`: the first
    /// paragraph of the kind's section in docs/rule-kinds.md (`kind_docs`).
    pub fn summary(&self) -> &'static str {
        kind_docs::summary(self.doc_name())
    }

    /// The kind's section in docs/rule-kinds.md: Vale's kinds share one.
    pub fn doc_name(&self) -> &'static str {
        match self {
            Kind::Vale(_) => "vale",
            _ => self.name(),
        }
    }
}

impl Kind {
    /// Kind-specific lines for `rules --explain`.
    pub fn details(&self) -> Vec<String> {
        match self {
            Kind::Spelling(s) => vec![format!("dictionaries: {}", s.dictionary_names.join(", "))],
            Kind::Metric(m) => vec![
                format!("formula: {}", m.formula.text),
                format!("condition: {}", m.condition.text),
            ],
            _ => Vec::new(),
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    /// Message template with `{found}` and `{expected}`.
    pub message: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub examples: Examples,
    pub paths: Option<GlobSet>,
    pub exclude_paths: Option<GlobSet>,
    pub scope: ScopeSel,
    pub kind: Kind,
    /// The pack the rule came from (`builtin:claims`, a file path).
    pub origin: String,
}

impl Rule {
    /// Does the rule apply to this repository-relative path?
    pub fn applies_to(&self, path: &str) -> bool {
        self.paths.as_ref().is_none_or(|g| g.is_match(path))
            && !self
                .exclude_paths
                .as_ref()
                .is_some_and(|g| g.is_match(path))
    }

    /// The rule's message with placeholders filled, or `default` when it has none.
    pub fn render(&self, default: &str, found: &str, expected: &str) -> String {
        self.message
            .as_deref()
            .unwrap_or(default)
            .replace("{found}", found)
            .replace("{expected}", expected)
    }
}

/// Every loaded rule, compiled for matching.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub terms: TermIndex,
    /// Proves files free of every term without parsing them, when it can.
    pub prefilter: Option<prefilter::Prefilter>,
    /// A hash of the packs' texts and the compiled rules: the result cache's key.
    pub fingerprint: u128,
    /// Vale project policy (`.vale.ini`), its minimum level and load warnings.
    pub vale: crate::vale::ValeProject,
    /// The config's `overrides:`, compiled against `rules`.
    pub overrides: overrides::Overrides,
    /// Problems that do not stop the run (an override naming no rule).
    pub warnings: Vec<String>,
}

impl RuleSet {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The load warnings, Vale's then the overrides', for a face to show
    /// (the library never prints).
    pub fn load_warnings(&self) -> impl Iterator<Item = &str> {
        self.vale
            .warnings
            .iter()
            .chain(&self.warnings)
            .map(String::as_str)
    }

    /// Does a `dates` rule need today's date and the files' last commits?
    pub fn has_dates_rules(&self) -> bool {
        self.rules.iter().any(|r| matches!(r.kind, Kind::Dates(_)))
    }
}

impl Rule {
    /// A finding of this rule at source range `range` of `doc`.
    pub fn finding(
        &self,
        doc: &crate::document::Document,
        range: std::ops::Range<usize>,
        found: String,
        message: String,
        fix: Option<crate::finding::Fix>,
    ) -> crate::finding::Finding {
        crate::finding::Finding {
            path: doc.path.clone(),
            rule: self.id.clone(),
            level: self.level,
            message,
            found,
            span: doc.span(range),
            fix,
            suggestions: Vec::new(),
        }
    }
}
