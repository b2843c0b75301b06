//! CODEOWNERS: finding the file, reading it in GitHub's or GitLab's dialect,
//! and resolving who owns a path.
//!
//! Both dialects parse into the same shape: an ordered list of sections, each
//! with its rules (pattern → owners) and, for GitLab, its exclusions. A path's
//! owners in a section come from the last rule of that section that matches
//! it, unless an exclusion of that section matches. GitHub files have one
//! unnamed section; GitLab files have the unnamed default section (entries
//! before the first heading) plus one per distinct heading.

mod configured;
mod github;
mod gitlab;
mod index;
mod pattern;

use std::path::Path;

use serde::Serialize;

pub use configured::{load, load_configured, Configured, Found};
use index::RuleIndex;
pub use pattern::Pattern;

/// Where a CODEOWNERS file is looked for, relative to the repository root, in
/// this order: GitHub's three locations in GitHub's order, then GitLab's one
/// extra location. (GitLab's own order is root, `docs/`, `.gitlab/`, which
/// this order keeps for every repository without a `.github/CODEOWNERS`.)
pub const SEARCH_ORDER: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// The CODEOWNERS syntax a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Github,
    Gitlab,
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Dialect::Github => "github",
            Dialect::Gitlab => "gitlab",
        })
    }
}

/// The dialect of a CODEOWNERS file when none is configured: GitLab when the
/// file lives in a `.gitlab/` directory or has a line that is a GitLab
/// section heading (`[Name]`, `^[Name]`, `[Name][2]`, optionally followed by
/// default owners); GitHub otherwise. A pattern such as `[abc].txt @u` is not
/// taken as a heading here, so a GitHub file with bracketed file names stays
/// GitHub.
pub fn detect_dialect(path: &Path, text: &str) -> Dialect {
    let in_gitlab_dir = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == ".gitlab");
    if in_gitlab_dir || text.lines().any(gitlab::is_clear_heading) {
        Dialect::Gitlab
    } else {
        Dialect::Github
    }
}

/// A line of a CODEOWNERS file that was skipped or only partly understood.
/// Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub message: String,
}

impl LineProblem {
    fn new(line: usize, message: impl Into<String>) -> Self {
        LineProblem {
            line,
            message: message.into(),
        }
    }
}

/// One rule: a pattern and the owners it grants (none: the path is un-owned).
#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: Pattern,
    pub owners: Vec<String>,
    pub line: usize,
}

/// A section of rules evaluated on its own: the last matching rule wins.
#[derive(Debug, Clone)]
pub struct Section {
    name: Option<String>,
    optional: bool,
    approvals_required: u32,
    rules: Vec<Rule>,
    exclusions: Vec<Pattern>,
    index: RuleIndex,
}

impl Section {
    fn new(name: Option<String>, optional: bool, approvals_required: u32) -> Self {
        Section {
            name,
            optional,
            approvals_required,
            rules: Vec::new(),
            exclusions: Vec::new(),
            index: RuleIndex::default(),
        }
    }

    fn unnamed() -> Self {
        Section::new(None, false, 1)
    }

    fn push_rule(&mut self, rule: Rule) {
        self.index.push(self.rules.len(), &rule.pattern);
        self.rules.push(rule);
    }

    /// `None` for GitHub's single section and GitLab's unnamed default section.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn optional(&self) -> bool {
        self.optional
    }

    pub fn approvals_required(&self) -> u32 {
        self.approvals_required
    }

    /// The rules in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// GitLab `!pattern` lines: a path matching one gets no owner from this
    /// section, whatever the order of the lines.
    pub fn exclusions(&self) -> &[Pattern] {
        &self.exclusions
    }

    /// The rule that decides `path` in this section, if any: the last
    /// matching one, unless an exclusion matches.
    pub fn rule_for(&self, path: &str) -> Option<&Rule> {
        let path = normalize(path);
        if self.exclusions.iter().any(|p| p.is_match(path)) {
            return None;
        }
        self.index
            .candidates(path)
            .into_iter()
            .map(|i| &self.rules[i])
            .find(|rule| rule.pattern.is_match(path))
    }
}

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone)]
pub struct CodeOwners {
    dialect: Dialect,
    sections: Vec<Section>,
}

/// What one section says about a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionOwners {
    /// `None` (JSON `null`) for the unnamed default section.
    pub name: Option<String>,
    pub owners: Vec<String>,
    pub approvals_required: u32,
    pub optional: bool,
    /// The CODEOWNERS line of the rule that decided.
    #[serde(skip)]
    pub line: usize,
}

/// Who owns a path: every section with at least one owner for it, in file
/// order, and the union of their owners in that order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Ownership {
    pub owners: Vec<String>,
    pub sections: Vec<SectionOwners>,
}

impl Ownership {
    pub fn is_owned(&self) -> bool {
        !self.owners.is_empty()
    }
}

impl CodeOwners {
    /// Parses `text` in `dialect`. Lines that cannot be used are skipped and
    /// reported; lines that are used but partly dropped (a malformed GitLab
    /// owner) are reported too.
    pub fn parse(text: &str, dialect: Dialect) -> (CodeOwners, Vec<LineProblem>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (sections, problems) = match dialect {
            Dialect::Github => github::parse(text),
            Dialect::Gitlab => gitlab::parse(text),
        };
        (CodeOwners { dialect, sections }, problems)
    }

    /// A file with no rules: every path is unowned.
    pub fn empty(dialect: Dialect) -> CodeOwners {
        CodeOwners {
            dialect,
            sections: Vec::new(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Resolves `path` (repository-relative, `/`-separated; a leading `./` or
    /// `/` is ignored). A section appears in the result only when its deciding
    /// rule names owners: a GitHub line without owners, or a GitLab
    /// exclusion, leaves the path unowned in that section.
    pub fn owners_of(&self, path: &str) -> Ownership {
        let path = normalize(path);
        let mut ownership = Ownership::default();
        for section in &self.sections {
            let Some(rule) = section.rule_for(path) else {
                continue;
            };
            if rule.owners.is_empty() {
                continue;
            }
            for owner in &rule.owners {
                if !ownership.owners.contains(owner) {
                    ownership.owners.push(owner.clone());
                }
            }
            ownership.sections.push(SectionOwners {
                name: section.name.clone(),
                owners: rule.owners.clone(),
                approvals_required: section.approvals_required,
                optional: section.optional,
                line: rule.line,
            });
        }
        ownership
    }
}

fn normalize(path: &str) -> &str {
    let mut path = path;
    loop {
        if let Some(rest) = path.strip_prefix("./") {
            path = rest;
        } else if let Some(rest) = path.strip_prefix('/') {
            path = rest;
        } else {
            return path;
        }
    }
}

/// Splits a rule line at its first unescaped space or tab: the pattern (with
/// its backslashes) and the rest.
fn split_pattern(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ' ' || c == '\t' {
            return (&line[..i], line[i..].trim_start());
        }
    }
    (line, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_gitlab_by_heading_or_directory() {
        let plain = "* @a\ndocs/ @b\n";
        assert_eq!(
            detect_dialect(Path::new("CODEOWNERS"), plain),
            Dialect::Github
        );
        assert_eq!(
            detect_dialect(Path::new("repo/.gitlab/CODEOWNERS"), plain),
            Dialect::Gitlab
        );
        for heading in ["[Docs]", "^[Docs] @d", "[Docs][2]", "[Docs][2] @a @b"] {
            let text = format!("* @a\n{heading}\ndocs/ @b\n");
            assert_eq!(
                detect_dialect(Path::new("CODEOWNERS"), &text),
                Dialect::Gitlab,
                "{heading}"
            );
        }
        let bracketed_file = "[abc].txt @u\n";
        assert_eq!(
            detect_dialect(Path::new("CODEOWNERS"), bracketed_file),
            Dialect::Github
        );
    }

    #[test]
    fn finds_codeowners_in_search_order() {
        let dir = tempfile::tempdir().unwrap();
        let files = crate::source::policy_files::DiskFiles {
            base: dir.path().to_path_buf(),
        };
        let found_rel = || match configured::load(&files, None, None).unwrap() {
            configured::Found::File { rel, .. } => Some(rel),
            _ => None,
        };
        assert_eq!(found_rel(), None);
        for relative in SEARCH_ORDER.iter().rev() {
            let file = dir.path().join(relative);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, "* @a\n").unwrap();
            assert_eq!(found_rel().as_deref(), Some(*relative));
        }
        let missing = configured::load(&files, Some("nope/CODEOWNERS"), None).unwrap();
        assert!(matches!(missing, configured::Found::NamedMissing));
    }

    #[test]
    fn owners_union_keeps_section_order_without_duplicates() {
        let text = "* @admin\n[A]\n*.md @docs @admin\n[B]\n*.md @review\n";
        let (owners, problems) = CodeOwners::parse(text, Dialect::Gitlab);
        assert!(problems.is_empty(), "{problems:?}");
        let o = owners.owners_of("./docs/a.md");
        assert_eq!(o.owners, ["@admin", "@docs", "@review"]);
        let names: Vec<_> = o.sections.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(names, [None, Some("A"), Some("B")]);
    }

    #[test]
    fn first_segment_index_agrees_with_a_plain_reverse_scan() {
        let patterns = [
            "*",
            "docs",
            "/docs",
            "/docs/",
            "docs/*",
            "/docs/a*",
            "a/",
            "/a/b/",
            "*.md",
            "/a/**/x.md",
            "**/b",
            "/*/",
            "/d*/",
            "b/x.md",
            "/a",
            "x.md",
            "!/a/b/x.md",
        ];
        let paths = [
            "docs",
            "docs/a.md",
            "docs/x/y.md",
            "a/b/x.md",
            "a/x.md",
            "b/x.md",
            "x.md",
            "d/b/c",
            "a",
            "q/docs/a.md",
            "a/b/",
        ];
        // A small linear congruential generator: varied files, same every run.
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for dialect in [Dialect::Github, Dialect::Gitlab] {
            for _ in 0..100 {
                let text: String = (0..8)
                    .map(|i| format!("{} @o{i}\n", patterns[next(patterns.len())]))
                    .collect();
                let (codeowners, _) = CodeOwners::parse(&text, dialect);
                for section in codeowners.sections() {
                    for path in paths {
                        let naive = if section.exclusions().iter().any(|p| p.is_match(path)) {
                            None
                        } else {
                            section
                                .rules()
                                .iter()
                                .rev()
                                .find(|r| r.pattern.is_match(path))
                        };
                        let indexed = section.rule_for(path);
                        assert_eq!(
                            indexed.map(|r| r.line),
                            naive.map(|r| r.line),
                            "{text}{path}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn empty_file_owns_nothing() {
        let o = CodeOwners::empty(Dialect::Github).owners_of("a.md");
        assert!(!o.is_owned());
        assert!(o.sections.is_empty());
    }

    #[test]
    fn splits_at_first_unescaped_blank() {
        assert_eq!(split_pattern("a\\ b  @x @y"), ("a\\ b", "@x @y"));
        assert_eq!(split_pattern("a\t@x"), ("a", "@x"));
        assert_eq!(split_pattern("lonely"), ("lonely", ""));
    }
}
